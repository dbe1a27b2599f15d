"""Experiment commands: ``compare`` (MS / WM / PW arrays and their networks) and ``train``
(vortex population per training cycle)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from nanomag.cli.app import (
    OutOption,
    OverwriteOption,
    app,
    bad_input_exits,
    compile_notice,
    console,
    print_path,
    progress_bars,
    refuse_existing,
)
from nanomag.experiments.comparison import QUICK, compare, published_orderings
from nanomag.experiments.demo import demo_kernels
from nanomag.experiments.presets import PRESETS, preset
from nanomag.experiments.training import train, training_spectra
from nanomag.store import save


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
    experiment: Annotated[bool, typer.Option(
        "--experiment", help="arrays at 300 K on the 1 s field ramp, read by the noisy FMR "
        "instrument (experiment_preset)")] = False,
    neighbor_distance: Annotated[float, typer.Option(
        help="dipolar cutoff of every array, lattice spacings")] = 1.0,
    out: OutOption = None,
    figure: Annotated[Path | None, typer.Option(
        "--figure", help="comparison figure, e.g. compare.png")] = None,
    overwrite: OverwriteOption = False,
) -> None:
    """Compare the MS, WM and PW arrays and their parallel / series networks (Stenning et al.
    2024): memory capacity, nonlinearity, kernel and generalisation rank, Mackey-Glass
    t+1..t+11 and sine tasks."""
    with bad_input_exits():
        refuse_existing((out, figure), overwrite)
        options = dict(QUICK) if quick else {"size": size, "n_inputs": inputs, "repeats": repeats}
        start = time.perf_counter()
        with progress_bars(compile_notice(demo_kernels("spin-ice"))):
            ds = compare(seed=seed, experiment=experiment, neighbor_distance=neighbor_distance,
                         **options)
        elapsed = time.perf_counter() - start
        holds = published_orderings(ds)
        if out is not None:
            save(ds, out, config={"command": "compare", "seed": seed, "experiment": experiment,
                                  "neighbor_distance": neighbor_distance, **options},
                 overwrite=overwrite)
        if figure is not None:
            from nanomag.figures import save_comparison_figure  # matplotlib only when asked

            save_comparison_figure(ds, figure)
    table = Table(title=f"comparison: {ds.attrs['n_inputs']} inputs, "
                  f"{ds.sizes['repeat']} repeat(s), mean ± sd; NMSE on the test part")
    for column in ("system", "channels", "KR", "GR", "MC", "NL", "MG t+1", "MG t+7", "MG t+11",
                   "sine"):
        table.add_column(column, justify="left" if column == "system" else "right")
    for name in ds["system"].values:
        row = ds.sel(system=name)
        mg = row["mackey_glass"]
        table.add_row(str(name), str(int(row["n_channels"])), _mean_sd(row["kernel_rank"]),
                      _mean_sd(row["generalisation_rank"]),
                      _mean_sd(row["memory_capacity"]), _mean_sd(row["nonlinearity"]),
                      *(_mean_sd(mg.sel(horizon=k)) for k in (1, 7, 11) if k in mg.horizon),
                      _mean_sd(row["sine"].median("target")))
    console.print(table)
    console.print("KR kernel rank, GR generalisation rank, MC memory capacity, NL nonlinearity, "
                  "MG Mackey-Glass NMSE, sine median NMSE of the sine tasks")
    for claim, ok in holds.items():
        console.print(f"published ordering {claim}: {'holds' if ok else 'does NOT hold'}")
    console.print(f"run time {elapsed:.1f} s")
    _print_paths(("results", out), ("figure", figure))


def _print_paths(*labelled: tuple[str, Path | None]) -> None:
    for label, path in labelled:
        if path is not None:
            print_path(label, path)


@app.command("train")
def train_array(
    array: Annotated[str, typer.Option(help=f"array preset: {', '.join(PRESETS)}")] = "WM",
    size: Annotated[tuple[int, int], typer.Option(help="lattice size NX NY")] = (10, 10),
    cycles: Annotated[int, typer.Option(help="minor loops per block")] = 10,
    field: Annotated[float, typer.Option(help="minor-loop amplitude, T")] = 0.020,
    saturation: Annotated[float, typer.Option(help="reset field, T")] = 0.1,
    blocks: Annotated[int, typer.Option(help="(train, saturate) blocks")] = 2,
    seed: Annotated[int, typer.Option(help="random seed")] = 0,
    out: OutOption = None,
    figure: Annotated[Path | None, typer.Option(
        "--figure", help="population per cycle figure, e.g. train.png")] = None,
    spectra: Annotated[Path | None, typer.Option(
        "--spectra", help="FMR spectra after the first and last minor loop and after "
        "saturation, e.g. spectra.png")] = None,
    overwrite: OverwriteOption = False,
) -> None:
    """Training protocol: minor loops raise the vortex population, saturation resets it."""
    with bad_input_exits():
        refuse_existing((out, figure, spectra), overwrite)
        reservoir = preset(array, size, seed)
        with progress_bars(compile_notice(demo_kernels("spin-ice"))):
            ds = train(reservoir, n_cycles=cycles, h_train=field, h_saturation=saturation,
                       n_blocks=blocks)
        if out is not None:
            save(ds, out, overwrite=overwrite, config={
                "command": "train", "array": array, "size": list(size), "cycles": cycles,
                "field": field, "saturation": saturation, "blocks": blocks, "seed": seed})
        title = f"{array}, {ds.attrs['n_bars']} bars, {field * 1e3:g} mT loops"
        if figure is not None:
            from nanomag.figures import save_training_figure  # matplotlib only when asked

            save_training_figure(ds, figure, title=title)
        if spectra is not None:
            from nanomag.figures import save_spectra_figure

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
    _print_paths(("results", out), ("figure", figure), ("spectra", spectra))
