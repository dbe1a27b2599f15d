"""The ``sweep`` command: a resumable parameter sweep from a configuration file."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
import xarray as xr
from rich.table import Table

from nanomag.cli.app import app, bad_input_exits, console
from nanomag.config import SweepConfig, load_config
from nanomag.store import save
from nanomag.sweep import grid_points, point_path, run_sweep

#: Name of the combined result written by ``nanomag sweep`` into its output directory.
SWEEP_RESULT = "combined.nc"


@app.command("sweep")
def sweep(
    config_file: Annotated[Path, typer.Argument(metavar="CONFIG", help="sweep .toml/.json")],
    out: Annotated[Path, typer.Option("--out", help="directory of the sweep's results")],
    scheduler: Annotated[
        str | None, typer.Option(help="address of a Dask scheduler (default: local cluster)")
    ] = None,
    workers: Annotated[int | None, typer.Option(help="local worker processes")] = None,
) -> None:
    """Run a parameter sweep; resumes a sweep already started in --out.

    Each grid point is stored as OUT/point-<hash>.nc; the combined result is (re)written to
    OUT/combined.nc.
    """
    with bad_input_exits():
        config = load_config(config_file, SweepConfig)
        points = grid_points(config.grid)
        done = sum(point_path(out, p).exists() for p in points)
        start = time.perf_counter()
        ds = run_sweep(config.run_point, config.grid, out, config=config,
                       scheduler_address=scheduler, n_workers=workers)
        elapsed = time.perf_counter() - start
        result = save(ds, out / SWEEP_RESULT, config=config, overwrite=True)
    _sweep_table(ds, len(points), done, elapsed, result)


def _sweep_table(ds: xr.Dataset, n_points: int, reused: int, elapsed: float, result: Path) -> None:
    table = Table(title="sweep", show_header=False)
    table.add_column(style="bold")
    table.add_column(justify="right")
    table.add_row("grid points", str(n_points))
    table.add_row("computed now", str(n_points - reused))
    table.add_row("reused from earlier runs", str(reused))
    table.add_row("dimensions", ", ".join(f"{k}={v}" for k, v in ds.sizes.items()))
    table.add_row("run time (s)", f"{elapsed:.2f}")
    table.add_row("combined result", str(result))
    console.print(table)
