"""Reservoir metrics of the MS / WM / PW arrays against readout SNR and temperature.

Run: ``python validation/snr_temperature.py [--size 6 6] [--n-inputs 300] [--repeats 2]
[--figure docs/figures/snr_temperature.png] [--out results.nc]``; ``--replot results.nc``
draws saved results again.

Every array is the experiment preset (:func:`nanomag.experiments.experiment_preset`: 1 s
field loops ramped in 4 steps per half) at 0 K or 300 K, read with additive noise at
single-sweep SNRs of inf (exact spectra), 40, 20 and 10 dB over the whole spectrum and no
field or frequency jitter, so that the SNR is the only instrument setting that changes.  Per point and repeat (arrays and inputs drawn from ``seed + repeat``):

* kernel rank: rank of the final observations of 40 independent uniform [0, 1] streams of 20
  inputs, counting singular values above the edge of the noise's own spectrum,
  ``sigma (sqrt(m) + sqrt(C))`` (largest singular value of an m x C matrix of white noise of
  standard deviation ``sigma = RMS / 10^(SNR/20)``; numpy's rank tolerance without noise);
* memory capacity (delays 1-8) and nonlinearity (Love et al., last 5 inputs) of a drive with
  ``n_inputs`` uniform inputs, as in :func:`nanomag.experiments.comparison.compare`;
* test NMSE of sin -> cos 2t sin 3t (input ``sin(2 pi t / 30)``) and of Mackey-Glass t+7.

Prints a markdown table of the means over repeats and the per-repeat values, and draws the
figure (means over repeats).
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

import numpy as np
import xarray as xr
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, NullFormatter

from nanomag.experiments import Split, experiment_preset, forecast
from nanomag.experiments.comparison import memory_and_nonlinearity, sine_transformations
from nanomag.experiments.experiment_like import EXPERIMENT_INSTRUMENT
from nanomag.metrics import final_states, kernel_rank_streams, numerical_rank
from nanomag.readout import RidgeReadout
from nanomag.tasks import mackey_glass_series

ARRAYS = ("MS", "WM", "PW")
SNRS = (np.inf, 40.0, 20.0, 10.0)
TEMPERATURES = (0.0, 300.0)
METRICS = ("kernel_rank", "nonlinearity", "memory_capacity", "cos2t_sin3t", "mackey_glass_t7")
N_STREAMS, STREAM_LENGTH = 40, 20


def noise_aware_rank(states: np.ndarray, snr_db: float) -> int:
    """Singular values of ``states`` (m, C) above the noise edge at ``snr_db``."""
    if not np.isfinite(snr_db):
        return numerical_rank(states)
    sigma = np.sqrt(np.mean(states**2)) / 10 ** (snr_db / 20)
    s = np.linalg.svd(states, compute_uv=False)
    return int(np.count_nonzero(s > sigma * (np.sqrt(states.shape[0]) + np.sqrt(states.shape[1]))))


def scores(name: str, temperature: float, snr_db: float, size, n_inputs: int,
           seed: int) -> list[float]:
    """The :data:`METRICS` of one array at one temperature and SNR."""
    instrument = (None if np.isinf(snr_db)
                  else replace(EXPERIMENT_INSTRUMENT, snr_db=snr_db, field_jitter=0.0))
    res = experiment_preset(name, size, seed, temperature=temperature, instrument=instrument)
    split = Split(washout=20)
    u = np.random.default_rng(seed).uniform(0.0, 1.0, n_inputs)
    mc, nl = memory_and_nonlinearity(res, u, split=split)
    sine, _ = sine_transformations(res, ["cos_double*sin_triple"], n_inputs, split=split)
    mg = forecast(res, mackey_glass_series(n_inputs + 7), [7], split=split,
                  readout=RidgeReadout(alpha_per_target=True))
    streams = kernel_rank_streams(N_STREAMS, STREAM_LENGTH, low=0.0, high=1.0, seed=seed)
    res.fit()
    rank = noise_aware_rank(final_states(res.transform, streams), snr_db)
    return [rank, nl, float(mc.sum()), float(sine[0]),
            float(mg.nmse.sel(system="reservoir").values[0])]


def run(size, n_inputs: int, repeats: int, seed: int) -> xr.Dataset:
    values = np.empty((len(ARRAYS), len(TEMPERATURES), len(SNRS), repeats, len(METRICS)))
    for i, name in enumerate(ARRAYS):
        for j, temperature in enumerate(TEMPERATURES):
            for k, snr in enumerate(SNRS):
                for r in range(repeats):
                    values[i, j, k, r] = scores(name, temperature, snr, size, n_inputs, seed + r)
    return xr.Dataset(
        {m: (("array", "temperature", "snr_db", "repeat"), values[..., n])
         for n, m in enumerate(METRICS)},
        coords={"array": list(ARRAYS), "temperature": list(TEMPERATURES),
                "snr_db": list(SNRS), "repeat": np.arange(repeats)},
        attrs={"size": list(size), "n_inputs": n_inputs, "seed": seed},
    )


def table(ds: xr.Dataset) -> str:
    """Markdown table: means over repeats; the task columns also list each repeat."""
    header = ("| array | T K | SNR dB | kernel rank | NL | MC | cos 2t sin 3t (repeats) "
              "| MG t+7 (repeats) |")
    lines = [header, "|---|---|---|---|---|---|---|---|"]

    def cell(values: xr.DataArray, fmt: str, each: bool = False) -> str:
        text = format(float(values.mean()), fmt)
        if each:
            text += " (" + ", ".join(format(float(v), fmt) for v in values.values) + ")"
        return text

    for a in ds.array.values:
        for t in ds.temperature.values:
            for s in ds.snr_db.values:
                p = ds.sel(array=a, temperature=t, snr_db=s)
                lines.append(
                    f"| {a} | {t:.0f} | {'inf' if np.isinf(s) else f'{s:.0f}'} | "
                    f"{cell(p.kernel_rank, '.1f')} | {cell(p.nonlinearity, '.3f')} | "
                    f"{cell(p.memory_capacity, '.3f')} | {cell(p.cos2t_sin3t, '.4f', True)} | "
                    f"{cell(p.mackey_glass_t7, '.3f', True)} |")
    return "\n".join(lines)


def figure(ds: xr.Dataset, path: Path) -> None:
    mean = ds.mean("repeat")
    labels = ["kernel rank (of 40)", "nonlinearity", "memory capacity",
              "NMSE sin -> cos 2t sin 3t", "NMSE Mackey-Glass t+7"]
    x = np.arange(len(SNRS))
    fig = Figure(figsize=(13, 3.4), dpi=120, layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(1, len(METRICS))
    colors = {"MS": "tab:blue", "WM": "tab:orange", "PW": "tab:green"}
    for ax, metric, label in zip(axes, METRICS, labels):
        for a in ds.array.values:
            for t, style in zip(ds.temperature.values, ("-", "--")):
                ax.plot(x, mean[metric].sel(array=a, temperature=t), style, marker="o",
                        markersize=3, color=colors[str(a)], label=f"{a}, {t:.0f} K")
        ax.set_xticks(x, ["inf" if np.isinf(s) else f"{s:.0f}" for s in SNRS])
        ax.set_xlabel("single-sweep SNR, dB")
        ax.set_title(label, fontsize=9)
        if metric == "cos2t_sin3t":
            ax.set_yscale("log")
            ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
            ax.yaxis.set_minor_formatter(NullFormatter())
    axes[0].legend(fontsize=7, handlelength=3)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, nargs=2, default=(6, 6), help="lattice cells")
    parser.add_argument("--n-inputs", type=int, default=300, help="inputs per drive")
    parser.add_argument("--repeats", type=int, default=2, help="independent repeats")
    parser.add_argument("--seed", type=int, default=0, help="first seed")
    parser.add_argument("--figure", type=Path, default=Path("docs/figures/snr_temperature.png"))
    parser.add_argument("--out", type=Path, help="also save the results (netCDF, not replaced)")
    parser.add_argument("--replot", type=Path, help="draw saved results instead of running")
    args = parser.parse_args()
    if args.out is not None and args.out.exists():
        parser.error(f"--out {args.out} exists; choose a new file")
    if args.replot is not None:
        ds = xr.load_dataset(args.replot)
    else:
        ds = run(tuple(args.size), args.n_inputs, args.repeats, args.seed)
    if args.out is not None:
        ds.to_netcdf(args.out)
    print(table(ds))
    figure(ds, args.figure)


if __name__ == "__main__":
    main()
