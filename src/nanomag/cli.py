"""The ``nanomag`` command line: a thin layer over the Python API.

Commands: ``demo`` (the README's end-to-end forecast), ``lattices`` (list the lattice
generators), ``loop`` (hysteresis loop of a lattice from options), ``run`` (a loop from a
configuration file), ``sweep`` (a parameter sweep from a configuration file), ``compare``
(MS / WM / PW arrays and their networks on memory capacity, nonlinearity, Mackey-Glass and sine
tasks), ``train`` (vortex population per training cycle).
Bad input prints a one-line error and exits with status 2.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
import xarray as xr
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

from nanomag.analysis import along, coercive_fields
from nanomag.config import (
    ConfigError,
    LoopRunConfig,
    SweepConfig,
    load_config,
    validation_message,
)
from nanomag.experiments.comparison import QUICK, compare, published_orderings
from nanomag.experiments.demo import forecast_demo
from nanomag.experiments.presets import PRESETS, preset
from nanomag.experiments.training import train, training_spectra
from nanomag.figures import (
    save_comparison_figure,
    save_forecast_figure,
    save_loop_figure,
    save_spectra_figure,
    save_training_figure,
)
from nanomag.lattices import available_lattices, lattice_description
from nanomag.store import StoreError, save
from nanomag.sweep import SweepError, grid_points, point_path, run_sweep

app = typer.Typer(
    help="nanomag: nanomagnetic physical reservoir computing.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
errors = Console(stderr=True)

#: Exit status for bad input (files, values), as for command-line usage errors.
EXIT_BAD_INPUT = 2

#: Name of the combined result written by ``nanomag sweep`` into its output directory.
SWEEP_RESULT = "combined.nc"


@contextlib.contextmanager
def _bad_input_exits() -> Iterator[None]:
    """Turn errors caused by the user's input into a one-line message and exit status 2."""
    try:
        yield
    except ValidationError as exc:
        _fail(validation_message(exc))
    except (ConfigError, StoreError, SweepError, ValueError, FileExistsError,
            FileNotFoundError) as exc:
        _fail(str(exc))


def _fail(message: str) -> None:
    errors.print(f"[bold red]error:[/] {' '.join(message.split())}", highlight=False,
                 soft_wrap=True)
    raise typer.Exit(EXIT_BAD_INPUT)


def _description(name: str) -> str:
    return lattice_description(name).replace("``", "")


def _fresh_directory(base: Path) -> Path:
    """``base`` if it does not exist yet, else the first free ``base-2``, ``base-3``, ..."""
    candidate, n = base, 1
    while candidate.exists():
        n += 1
        candidate = base.with_name(f"{base.name}-{n}")
    return candidate


@app.command("demo")
def demo(
    size: Annotated[tuple[int, int], typer.Option(help="lattice size NX NY")] = (10, 10),
    inputs: Annotated[int, typer.Option(help="length of the Mackey-Glass series")] = 1200,
    horizons: Annotated[int, typer.Option(help="forecast t+1 .. t+HORIZONS")] = 7,
    seed: Annotated[int, typer.Option(help="random seed")] = 0,
    out: Annotated[Path | None, typer.Option(
        help="output folder (default: a new nanomag-demo[-N] folder)")] = None,
    overwrite: OverwriteOption = False,
) -> None:
    """Reservoir computing end to end: a spin-vortex ice forecasts a chaotic series."""
    with _bad_input_exits():
        folder = _fresh_directory(Path("nanomag-demo")) if out is None else out
        result, figure = folder / "forecast.zarr", folder / "forecast.png"
        for path in (result, figure):
            if path.exists() and not overwrite:
                raise FileExistsError(f"{path} already exists; pass --overwrite to replace it")
        console.print(f"driving a {size[0]}x{size[1]} spin-vortex ice with {inputs} "
                      "Mackey-Glass samples (a first run also compiles the numba kernels, "
                      "about half a minute) ...")
        ds = forecast_demo(size=size, n_inputs=inputs, max_horizon=horizons, seed=seed)
        folder.mkdir(parents=True, exist_ok=True)
        save(ds, result, overwrite=overwrite)
        save_forecast_figure(ds, figure, title="Mackey-Glass forecast, spin-vortex ice "
                             f"({ds.attrs['n_channels']} FMR channels)")
    table = Table(title="test NMSE (MSE / variance of target)")
    table.add_column("horizon", justify="right")
    table.add_column("spin-vortex ice", justify="right")
    table.add_column("linear on raw input", justify="right")
    for k in ds["horizon"].values:
        ours, base = ds["nmse"].sel(horizon=k).values
        table.add_row(f"t+{k}", f"{ours:.4f}", f"{base:.4f}")
    console.print(table)
    energy = Table(title="energy per input (J) against a digital echo-state network of "
                   f"{ds.attrs['n_channels']} units")
    energy.add_column("hardware")
    energy.add_column("spin-vortex ice", justify="right")
    energy.add_column("ESN / spin ice", justify="right")
    for scenario, label in (("intrinsic", "intrinsic (medium only)"),
                            ("on_chip", "on-chip pulses and readout"),
                            ("lab", "lab magnet and VNA")):
        energy.add_row(label, f"{ds.attrs[f'energy_total_{scenario}_J']:.2e}",
                       f"{ds.attrs[f'energy_advantage_{scenario}']:.2g}")
    console.print(energy)
    console.print(f"run time {ds.attrs['run_time_s']:.1f} s; results {result}; figure {figure}")


@app.command("lattices")
def lattices() -> None:
    """List the available lattices."""
    table = Table(title="lattices", show_header=True)
    table.add_column("name", style="bold")
    table.add_column("description")
    for name in available_lattices():
        table.add_row(name, _description(name))
    console.print(table)


OutOption = Annotated[
    Path | None, typer.Option("--out", help="results store: DIR(.zarr) or FILE.nc")
]
FigureOption = Annotated[Path | None, typer.Option("--figure", help="M(H) figure, e.g. loop.png")]
OverwriteOption = Annotated[
    bool, typer.Option("--overwrite", help="replace existing --out / --figure files")
]


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
    with _bad_input_exits():
        config = LoopRunConfig.model_validate({
            "lattice": {"name": lattice, "params": {"size": list(size)}},
            "engine": {"disorder": disorder, "seed": seed},
            "protocol": {"h_max": h_max, "n_steps": steps, "angle_deg": angle},
        })
        _run_and_report(config, out, figure, overwrite)


@app.command("run")
def run(
    config_file: Annotated[Path, typer.Argument(metavar="CONFIG", help="loop run .toml/.json")],
    out: OutOption = None,
    figure: FigureOption = None,
    overwrite: OverwriteOption = False,
) -> None:
    """Run the hysteresis loop described by a configuration file."""
    with _bad_input_exits():
        _run_and_report(load_config(config_file, LoopRunConfig), out, figure, overwrite)


def _run_and_report(
    config: LoopRunConfig, out: Path | None, figure: Path | None, overwrite: bool
) -> None:
    for path in (out, figure):
        if path is not None and path.exists() and not overwrite:
            raise FileExistsError(f"{path} already exists; pass --overwrite to replace it")
    start = time.perf_counter()
    ds = config.run()
    elapsed = time.perf_counter() - start
    angle = config.protocol.angle_deg
    h, m = along(ds["field"].values, angle), along(ds["magnetization"].values, angle)
    hc = coercive_fields(h, m)
    if out is not None:
        save(ds, out, config=config, overwrite=overwrite)
    if figure is not None:
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
    rows += [(label, str(path)) for label, path in (("results", out), ("figure", figure)) if path]
    for row in rows:
        table.add_row(*row)
    console.print(table)


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
    with _bad_input_exits():
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


def _refuse_existing(paths, overwrite: bool) -> None:
    for path in paths:
        if path is not None and path.exists() and not overwrite:
            raise FileExistsError(f"{path} already exists; pass --overwrite to replace it")


def _mean_sd(values) -> str:
    mean = f"{float(values.mean()):.3g}"
    return mean if values.size == 1 else f"{mean}±{float(values.std()):.1g}"


@app.command("compare")
def compare_arrays(
    inputs: Annotated[int, typer.Option(help="inputs per drive")] = 500,
    size: Annotated[tuple[int, int], typer.Option(help="lattice size NX NY of every array")] = (
        10, 10),
    repeats: Annotated[int, typer.Option(help="independent repeats (new arrays and inputs)")] = 5,
    seed: Annotated[int, typer.Option(help="random seed of the first repeat")] = 0,
    quick: Annotated[bool, typer.Option(
        "--quick", help=f"small fast run ({QUICK['size'][0]}x{QUICK['size'][1]} arrays, "
        f"{QUICK['n_inputs']} inputs, {QUICK['repeats']} repeat), overriding the three above"
    )] = False,
    out: Annotated[Path | None, typer.Option(
        "--out", help="results store: DIR(.zarr) or FILE.nc")] = None,
    figure: Annotated[Path | None, typer.Option(
        "--figure", help="comparison figure, e.g. compare.png")] = None,
    overwrite: OverwriteOption = False,
) -> None:
    """Compare the MS, WM and PW arrays and their parallel / series networks (Stenning et al.
    2024): memory capacity, nonlinearity, Mackey-Glass t+1..t+11 and sine tasks."""
    with _bad_input_exits():
        _refuse_existing((out, figure), overwrite)
        options = dict(QUICK) if quick else {"size": size, "n_inputs": inputs, "repeats": repeats}
        start = time.perf_counter()
        ds = compare(seed=seed, **options)
        elapsed = time.perf_counter() - start
        holds = published_orderings(ds)
        if out is not None:
            save(ds, out, config={"command": "compare", "seed": seed, **options},
                 overwrite=overwrite)
        if figure is not None:
            save_comparison_figure(ds, figure)
    table = Table(title=f"comparison: {ds.attrs['n_inputs']} inputs, "
                  f"{ds.sizes['repeat']} repeat(s), mean ± sd; NMSE on the test part")
    for column in ("system", "channels", "MC", "NL", "MG t+1", "MG t+7", "MG t+11", "sine"):
        table.add_column(column, justify="left" if column == "system" else "right")
    for name in ds["system"].values:
        row = ds.sel(system=name)
        mg = row["mackey_glass"]
        table.add_row(str(name), str(int(row["n_channels"])),
                      _mean_sd(row["memory_capacity"]), _mean_sd(row["nonlinearity"]),
                      *(_mean_sd(mg.sel(horizon=k)) for k in (1, 7, 11) if k in mg.horizon),
                      _mean_sd(row["sine"].median("target")))
    console.print(table)
    console.print("MC memory capacity, NL nonlinearity, MG Mackey-Glass NMSE, sine median NMSE "
                  "of the sine tasks")
    for claim, ok in holds.items():
        console.print(f"published ordering {claim}: {'holds' if ok else 'does NOT hold'}")
    console.print(f"run time {elapsed:.1f} s" + "".join(
        f"; {label} {path}" for label, path in (("results", out), ("figure", figure)) if path))


@app.command("train")
def train_array(
    array: Annotated[str, typer.Option(help=f"array preset: {', '.join(PRESETS)}")] = "WM",
    size: Annotated[tuple[int, int], typer.Option(help="lattice size NX NY")] = (10, 10),
    cycles: Annotated[int, typer.Option(help="minor loops per block")] = 10,
    field: Annotated[float, typer.Option(help="minor-loop amplitude, T")] = 0.020,
    saturation: Annotated[float, typer.Option(help="reset field, T")] = 0.1,
    blocks: Annotated[int, typer.Option(help="(train, saturate) blocks")] = 2,
    seed: Annotated[int, typer.Option(help="random seed")] = 0,
    out: Annotated[Path | None, typer.Option(
        "--out", help="results store: DIR(.zarr) or FILE.nc")] = None,
    figure: Annotated[Path | None, typer.Option(
        "--figure", help="population per cycle figure, e.g. train.png")] = None,
    spectra: Annotated[Path | None, typer.Option(
        "--spectra", help="FMR spectra after the first and last minor loop and after "
        "saturation, e.g. spectra.png")] = None,
    overwrite: OverwriteOption = False,
) -> None:
    """Training protocol: minor loops raise the vortex population, saturation resets it."""
    with _bad_input_exits():
        _refuse_existing((out, figure, spectra), overwrite)
        reservoir = preset(array, size, seed)
        ds = train(reservoir, n_cycles=cycles, h_train=field, h_saturation=saturation,
                   n_blocks=blocks)
        if out is not None:
            save(ds, out, overwrite=overwrite, config={
                "command": "train", "array": array, "size": list(size), "cycles": cycles,
                "field": field, "saturation": saturation, "blocks": blocks, "seed": seed})
        title = f"{array}, {ds.attrs['n_bars']} bars, {field * 1e3:g} mT loops"
        if figure is not None:
            save_training_figure(ds, figure, title=title)
        if spectra is not None:
            save_spectra_figure(training_spectra(reservoir, ds, [1, cycles, cycles + 1]),
                                spectra, title=f"{title}: spectra at 0 mT after cycle")
    table = Table(title=f"vortex population per cycle: {title} "
                  f"({ds.attrs['vortex_capable_bars']} vortex-capable bars)")
    for column in ("cycle", "phase", "vortex bars", "fraction of capable bars"):
        table.add_column(column, justify="right")
    for c, phase, n, frac in zip(ds["cycle"].values, ds["phase"].values, ds["n_vortex"].values,
                                 ds["vortex_fraction"].values):
        table.add_row(str(c), str(phase), str(n), f"{frac:.2f}")
    console.print(table)
