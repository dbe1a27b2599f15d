"""Measured-data command: ``measured`` (a real device's per-step spectra through both
protocols, the linear baseline and the short-series metrics)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from nanomag.cli.app import (
    app,
    bad_input_exits,
    console,
    print_path,
    progress_bars,
    refuse_existing,
)
from nanomag.measured.config import load_measured_config
from nanomag.measured.experiment import run_measured
from nanomag.store import save


@app.command("measured")
def measured(
    folder: Annotated[Path, typer.Argument(help="folder of per-step spectra")],
    config: Annotated[Path, typer.Option("--config", help="measured-run configuration (.toml)")],
    out: Annotated[Path, typer.Option("--out", help="output folder for measured.zarr and "
                                      "measured.png")],
    target: Annotated[Path | None, typer.Option(
        "--target", help="series file replacing every forecast task's series")] = None,
    overwrite: Annotated[bool, typer.Option(
        "--overwrite", help="replace measured.zarr and measured.png in --out")] = False,
) -> None:
    """Score a measured reservoir: PRCpy-compatible and nanomag protocols side by side."""
    store, figure = out / "measured.zarr", out / "measured.png"
    with bad_input_exits():
        refuse_existing((store, figure), overwrite)
        cfg = load_measured_config(config)
        with progress_bars():
            ds = run_measured(cfg, folder, series=target)
        out.mkdir(parents=True, exist_ok=True)
        save(ds, store, overwrite=overwrite, config={
            "command": "measured", "folder": str(folder.resolve()),
            "target": None if target is None else str(target), **cfg.model_dump()})
        from nanomag.measured.figures import save_measured_figure  # matplotlib only when drawing

        save_measured_figure(ds, figure, title=f"{folder.name}: processed spectra")
    n_channels = ds.sizes[ds["spectra"].dims[1]]
    table = Table(title=f"{folder.name}: {ds.sizes['step']} steps x {n_channels} channels; "
                  "MSE (train / test)")
    table.add_column("task", no_wrap=True)
    for column in ("tau", "PRCpy protocol", "nanomag protocol", "linear baseline"):
        table.add_column(column, justify="right")
    for task in ds["task"].values:
        row = ds.sel(task=task)
        pair = [f"{float(row['mse'].sel(protocol=p, split='train')):.3g} / "
                f"{float(row['mse'].sel(protocol=p, split='test')):.3g}"
                for p in ("prcpy", "nanomag")]
        base = row["baseline_mse"]
        table.add_row(str(task), str(int(row["tau"])), *pair,
                      f"{float(base.sel(split='train')):.3g} / {float(base.sel(split='test')):.3g}")
    console.print(table)
    for name, label in (("memory_capacity", "memory capacity"), ("nonlinearity", "nonlinearity")):
        null = ds[f"{name}_shuffled"]
        console.print(f"{label} {float(ds[name]):.3g} (time-shuffled inputs: "
                      f"{float(null.mean()):.3g} ± {float(null.std()):.2g}, {null.size} shuffles)")
    print_path("results", store)
    print_path("figure", figure)
