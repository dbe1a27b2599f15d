"""The ``sweep`` command: a resumable parameter sweep from a configuration file."""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
import xarray as xr
from rich.progress import Progress
from rich.table import Table

from nanomag.cli.app import app, bad_input_exits, console, errors
from nanomag.config import SweepConfig, load_config
from nanomag.progress import reporting
from nanomag.store import save
from nanomag.sweep import (
    COMPUTED_ATTR,
    DEFAULT_CONNECT_TIMEOUT,
    REUSED_ATTR,
    SweepLocked,
    run_sweep,
)

#: Name of the combined result written by ``nanomag sweep`` into its output directory.
SWEEP_RESULT = "combined.nc"


@app.command("sweep")
def sweep(
    config_file: Annotated[Path, typer.Argument(metavar="CONFIG", help="sweep .toml/.json")],
    out: Annotated[Path, typer.Option("--out", help="directory of the sweep's results")],
    scheduler: Annotated[str | None, typer.Option(
        help="address of a running Dask scheduler, e.g. tcp://host:8786 (default: a local "
             "cluster); its workers should see --out (a shared file system)")] = None,
    workers: Annotated[int | None, typer.Option(
        help="worker processes of the local cluster (at least 1; default up to 2)")] = None,
    connect_timeout: Annotated[float, typer.Option(
        help="seconds to wait for --scheduler to answer")] = DEFAULT_CONNECT_TIMEOUT,
    wait: Annotated[float, typer.Option(
        help="seconds to wait while another sweep is writing into --out (default: exit at "
             "once; inf: no limit)")] = 0.0,
) -> None:
    """Run a parameter sweep; resumes a sweep already started in --out.

    The worker that computes a grid point stores it as OUT/point-<hash>.nc at once.

    A stopped or killed sweep loses no finished point; a rerun computes only the missing ones.

    One sweep at a time writes into OUT; the combined result is OUT/combined.nc.
    """
    with bad_input_exits():
        if workers is not None and workers < 1:
            raise ValueError(f"--workers must be at least 1, got {workers}")
        if not 0 < connect_timeout < math.inf:
            raise ValueError(f"--connect-timeout must be a positive number of seconds, "
                             f"got {connect_timeout}")
        if not wait >= 0:
            raise ValueError(f"--wait must be a non-negative number of seconds, got {wait}")
        config = load_config(config_file, SweepConfig)
        start = time.perf_counter()
        try:
            with _progress_bars():
                ds = run_sweep(config.run_point, config.grid, out, config=config,
                               scheduler_address=scheduler, n_workers=workers,
                               connect_timeout=connect_timeout,
                               lock_timeout=None if math.isinf(wait) else wait)
        except SweepLocked as exc:
            raise ValueError(f"{exc}, or pass --wait SECONDS to wait for it") from None
        elapsed = time.perf_counter() - start
        result = save(ds, out / SWEEP_RESULT, config=config, overwrite=True)
    _sweep_table(ds, elapsed, result)


@contextlib.contextmanager
def _progress_bars() -> Iterator[None]:
    """Draw the progress reports made inside the block as bars on stderr, one per label."""
    with Progress(console=errors, transient=True) as progress:
        bars: dict[str, int] = {}

        def update(label: str, done: int, total: int) -> None:
            if label not in bars:
                bars[label] = progress.add_task(label, total=total)
            progress.update(bars[label], completed=done, total=total)

        with reporting(update):
            yield


def _sweep_table(ds: xr.Dataset, elapsed: float, result: Path) -> None:
    computed, reused = ds.attrs[COMPUTED_ATTR], ds.attrs[REUSED_ATTR]
    table = Table(title="sweep", show_header=False)
    table.add_column(style="bold")
    table.add_column(justify="right")
    table.add_row("grid points", str(computed + reused))
    table.add_row("computed now", str(computed))
    table.add_row("reused from earlier runs", str(reused))
    table.add_row("dimensions", ", ".join(f"{k}={v}" for k, v in ds.sizes.items()))
    table.add_row("run time (s)", f"{elapsed:.2f}")
    table.add_row("combined result", str(result))
    console.print(table)
