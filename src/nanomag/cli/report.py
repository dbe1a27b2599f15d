"""The ``report`` command: one self-contained HTML page showing one or more results."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from nanomag.cli.app import OverwriteOption, app, bad_input_exits, print_path, progress_bars


@app.command("report")
def report(
    results: Annotated[list[Path], typer.Argument(
        metavar="RESULT...", help="results: Zarr folders or .nc files (e.g. forecast.zarr)")],
    out: Annotated[Path, typer.Option("--out", help="HTML file to write, e.g. report.html")],
    step: Annotated[list[int] | None, typer.Option(
        "--step", help="input step whose microstate to draw (repeat the option; default: up "
        "to four recorded steps)")] = None,
    overwrite: OverwriteOption = False,
) -> None:
    """Write an HTML report (figures embedded; opens from disk, loads nothing)."""
    with bad_input_exits(), progress_bars():
        from nanomag.report import write_report  # matplotlib only when drawing

        path = write_report(results, out, steps=step or None, overwrite=overwrite)
    print_path("report", path)
