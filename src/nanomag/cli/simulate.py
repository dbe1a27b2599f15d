"""Simulation commands: ``demo`` (the README's end-to-end forecast), ``lattices``, ``loop``
(hysteresis loop from options) and ``run`` (an experiment or a loop from a configuration
file)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
import xarray as xr
from rich.table import Table

from nanomag.cli.app import (
    FigureOption,
    OutOption,
    OverwriteOption,
    app,
    bad_input_exits,
    compile_notice,
    console,
    fresh_directory,
    print_path,
    progress_bars,
    refuse_existing,
)
from nanomag.config import LoopRunConfig, load_config
from nanomag.engine.analysis import along, coercive_fields
from nanomag.engine.kernels.protocol import protocol_kernel
from nanomag.experiments.demo import (
    SUBSTRATES,
    check_demo_options,
    demo_kernels,
    demo_warmups,
    forecast_demo,
)
from nanomag.kernels.ahead import compile_ahead
from nanomag.lattices import available_lattices, lattice_description
from nanomag.store import save


def _description(name: str) -> str:
    return lattice_description(name).replace("``", "")


@app.command("demo")
def demo(
    substrate: Annotated[str, typer.Option(
        help=f"reservoir: {' | '.join(SUBSTRATES)}")] = "spin-ice",
    size: Annotated[tuple[int, int], typer.Option(
        help="spin-ice lattice size NX NY")] = (10, 10),
    inputs: Annotated[int, typer.Option(help="length of the Mackey-Glass series")] = 1200,
    horizons: Annotated[int, typer.Option(help="forecast t+1 .. t+HORIZONS")] = 7,
    seed: Annotated[int, typer.Option(help="random seed")] = 0,
    out: Annotated[Path | None, typer.Option(
        help="output folder (default: a new nanomag-demo[-N] folder)")] = None,
    overwrite: Annotated[bool, typer.Option(
        "--overwrite", help="replace the results and figure in an existing --out folder")] = False,
) -> None:
    """Reservoir computing end to end: a spin-vortex ice (or --substrate) forecasts a series."""
    with bad_input_exits():
        check_demo_options(size=size, n_inputs=inputs, max_horizon=horizons, substrate=substrate)
        folder = fresh_directory(Path("nanomag-demo")) if out is None else out
        result, figure = folder / "forecast.zarr", folder / "forecast.png"
        refuse_existing((result, figure), overwrite)
        name = SUBSTRATES[substrate][0]
        console.print(f"{_setup(substrate, size)} driven by {inputs} Mackey-Glass samples",
                      highlight=False)
        notice = compile_notice(demo_kernels(substrate))
        with progress_bars(notice):
            if notice:
                compile_ahead(demo_warmups(substrate))
            ds = forecast_demo(size=size, n_inputs=inputs, max_horizon=horizons, seed=seed,
                               substrate=substrate)
        folder.mkdir(parents=True, exist_ok=True)
        save(ds, result, overwrite=overwrite)
        from nanomag.figures import save_forecast_figure  # matplotlib only when drawing

        save_forecast_figure(ds, figure, title=f"Mackey-Glass forecast, {name} "
                             f"({ds.attrs['n_channels']} channels)")
    table = Table(title="test NMSE (MSE / variance of target)")
    table.add_column("horizon", justify="right")
    table.add_column(name, justify="right")
    table.add_column("linear on raw input", justify="right")
    for k in ds["horizon"].values:
        ours, base = ds["nmse"].sel(horizon=k).values
        table.add_row(f"t+{k}", f"{ours:.4f}", f"{base:.4f}")
    console.print(table)
    energy = Table(title="energy per input (J) against a digital echo-state network of "
                   f"{ds.attrs['n_channels']} units")
    energy.add_column("hardware")
    energy.add_column(name, justify="right")
    energy.add_column(f"ESN / {name}", justify="right")
    for scenario, label in (("intrinsic", "intrinsic (medium or reservoir update only)"),
                            ("on_chip", "on-chip pulses and readout"),
                            ("lab", "lab instruments")):
        if f"energy_advantage_{scenario}" not in ds.attrs:
            continue
        energy.add_row(label, f"{ds.attrs[f'energy_total_{scenario}_J']:.2e}",
                       f"{ds.attrs[f'energy_advantage_{scenario}']:.2g}")
    console.print(energy)
    console.print(f"run time {ds.attrs['run_time_s']:.1f} s")
    print_path("results", result)
    print_path("figure", figure)


def _setup(substrate: str, size: tuple[int, int]) -> str:
    name = SUBSTRATES[substrate][0]
    return f"{size[0]}x{size[1]} {name}" if substrate == "spin-ice" else name


@app.command("lattices")
def lattices() -> None:
    """List the available lattices."""
    table = Table(title="lattices", show_header=True)
    table.add_column("name", style="bold")
    table.add_column("description")
    for name in available_lattices():
        table.add_row(name, _description(name))
    console.print(table)


@app.command("loop")
def loop(
    lattice: Annotated[str, typer.Option(help="lattice name (see `nanomag lattices`)")] = (
        "asvi_width_modulated"
    ),
    size: Annotated[tuple[int, int], typer.Option(help="lattice size NX NY")] = (10, 10),
    h_max: Annotated[float, typer.Option(help="loop amplitude, T")] = 0.05,
    steps: Annotated[int, typer.Option(help="field steps in the loop (even)")] = 200,
    angle: Annotated[float, typer.Option(help="field angle, deg from +x")] = 45.0,
    disorder: Annotated[float, typer.Option(help="relative switching-field disorder")] = 0.0,
    seed: Annotated[int | None, typer.Option(help="random seed")] = None,
    out: OutOption = None,
    figure: FigureOption = None,
    overwrite: OverwriteOption = False,
) -> None:
    """Run a hysteresis loop of a lattice and summarise it."""
    with bad_input_exits():
        config = LoopRunConfig.model_validate({
            "lattice": {"name": lattice, "params": {"size": list(size)}},
            "engine": {"disorder": disorder, "seed": seed},
            "protocol": {"h_max": h_max, "n_steps": steps, "angle_deg": angle},
        })
        _run_and_report(config, out, figure, overwrite)


@app.command("run")
def run(
    config_file: Annotated[Path, typer.Argument(
        metavar="CONFIG",
        help="experiment or loop run .toml/.json (see docs/config-reference.md)")],
    out: OutOption = None,
    figure: FigureOption = None,
    overwrite: OverwriteOption = False,
) -> None:
    """Run the experiment (substrate, tasks, readout) or hysteresis loop of a configuration
    file."""
    with bad_input_exits():
        config = load_config(config_file)
        if isinstance(config, LoopRunConfig):
            _run_and_report(config, out, figure, overwrite)
            return
        if figure is not None:
            raise ValueError("--figure draws the M(H) loop of a loop configuration; "
                             f"{config_file} is an experiment")
        refuse_existing([out], overwrite)
        with progress_bars():
            ds = config.run()
        if out is not None:
            save(ds, out, config=config, overwrite=overwrite)
    _experiment_tables(ds, out)


def _experiment_tables(ds: xr.Dataset, out: Path | None) -> None:
    scores = Table(title=f"test NMSE, {ds.attrs['substrate']} substrate "
                   f"({ds.attrs['n_channels']} channels) against a linear readout of the input")
    scores.add_column("task")
    for system in ds["system"].values:
        scores.add_column(str(system), justify="right")
    for task in ds["task"].values:
        scores.add_row(str(task), *(f"{v:.4f}" for v in ds["nmse"].sel(task=task).values))
    console.print(scores)
    if ds.sizes.get("scenario"):
        energy = Table(title="energy per input step (J)")
        energy.add_column("scenario")
        energy.add_column("energy", justify="right")
        for scenario, value in ds["energy_total"].to_series().items():
            energy.add_row(str(scenario), f"{value:.3g}")
        console.print(energy)
    if out is not None:
        print_path("results", out)


def _run_and_report(
    config: LoopRunConfig, out: Path | None, figure: Path | None, overwrite: bool
) -> None:
    refuse_existing((out, figure), overwrite)
    start = time.perf_counter()
    with progress_bars(compile_notice([protocol_kernel(config.engine.temperature > 0)])):
        ds = config.run()
    elapsed = time.perf_counter() - start
    angle = config.protocol.angle_deg
    h, m = along(ds["field"].values, angle), along(ds["magnetization"].values, angle)
    hc = coercive_fields(h, m)
    if out is not None:
        save(ds, out, config=config, overwrite=overwrite)
    if figure is not None:
        from nanomag.figures import save_loop_figure  # matplotlib only when asked

        save_loop_figure(h, m, figure, coercive=hc,
                         title=f"{config.lattice.name}, {ds.attrs['n_bars']} bars, {angle:g} deg")
    table = Table(title=f"hysteresis loop: {config.lattice.name}", show_header=False)
    table.add_column(style="bold")
    table.add_column(justify="right")
    rows = [
        ("bars", f"{ds.attrs['n_bars']}"),
        ("field steps", f"{ds.sizes['step']}"),
        ("total flips", f"{int(ds['flips'].sum())}"),
        ("coercive field, descending (mT)", f"{hc.descending * 1e3:.2f}"),
        ("coercive field, ascending (mT)", f"{hc.ascending * 1e3:.2f}"),
        ("run time (s)", f"{elapsed:.3f}"),
    ]
    for row in rows:
        table.add_row(*row)
    console.print(table)
    for label, path in (("results", out), ("figure", figure)):
        if path is not None:
            print_path(label, path)
