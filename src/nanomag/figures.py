"""Figures of results, drawn with matplotlib's object API (no pyplot state, no GUI backend)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from nanomag._validate import as_float_array


def save_loop_figure(
    field_along,
    magnetization_along,
    path: str | os.PathLike,
    *,
    title: str = "",
    coercive: tuple[float, float] | None = None,
) -> Path:
    """Write an M(H) hysteresis-loop figure (PNG or any format matplotlib infers from ``path``).

    Args:
        field_along: (T,) applied field along the loop direction, T (plotted in mT).
        magnetization_along: (T,) magnetization along the same direction (normalised).
        path: output file.
        title: figure title.
        coercive: the two coercive fields (T) to mark with dashed lines; NaNs are skipped.
    """
    h = as_float_array(field_along, "field_along", (None,))
    m = as_float_array(magnetization_along, "magnetization_along", (h.shape[0],))
    fig = Figure(figsize=(4.5, 3.5), dpi=120, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.plot(h * 1e3, m, marker=".", markersize=3, linewidth=1)
    for hc in coercive or ():
        if np.isfinite(hc):
            ax.axvline(hc * 1e3, color="0.5", linestyle="--", linewidth=0.8)
    ax.axhline(0.0, color="0.8", linewidth=0.8)
    ax.set_xlabel("field along loop direction (mT)")
    ax.set_ylabel("M / M$_s$ along field")
    ax.set_title(title)
    path = Path(path)
    fig.savefig(path)
    return path


def save_forecast_figure(ds, path: str | os.PathLike, *, title: str = "") -> Path:
    """Write a forecast figure: test-part target and predictions at the shortest horizon, and
    NMSE against horizon for each system (a Dataset from ``experiments.forecast``)."""
    fig = Figure(figsize=(9.0, 3.5), dpi=120, layout="constrained")
    FigureCanvasAgg(fig)
    series_ax, nmse_ax = fig.subplots(1, 2, width_ratios=(2, 1))
    first = ds["horizon"].values[0]
    time = ds["time"].values
    series_ax.plot(time, ds["target"].sel(horizon=first), color="k", linewidth=1.2,
                   label="target")
    for system, style in zip(ds["system"].values, ("-", ":")):
        series_ax.plot(time, ds["prediction"].sel(horizon=first, system=system), style,
                       linewidth=1, label=str(system))
    series_ax.set_xlabel("time step")
    series_ax.set_ylabel(f"x(t + {first})")
    series_ax.legend(frameon=False, fontsize=8)
    for system, marker in zip(ds["system"].values, ("o", "s")):
        nmse_ax.semilogy(ds["horizon"], ds["nmse"].sel(system=system), marker=marker,
                         label=str(system))
    nmse_ax.set_xlabel("forecast horizon k")
    nmse_ax.set_ylabel("test NMSE")
    nmse_ax.legend(frameon=False, fontsize=8)
    fig.suptitle(title)
    path = Path(path)
    fig.savefig(path)
    return path


def _save(fig: Figure, path: str | os.PathLike) -> Path:
    path = Path(path)
    fig.savefig(path)
    return path


def save_comparison_figure(ds, path: str | os.PathLike, *, horizon: int = 7) -> Path:
    """Write the array / network comparison (a Dataset from ``experiments.comparison.compare``):
    memory capacity and nonlinearity, Mackey-Glass test NMSE against horizon, and sine-task
    test NMSE; markers are repeat means, bars and error bars the spread over repeats."""
    mean, spread = ds.mean("repeat"), ds.std("repeat")
    systems = [str(s) for s in ds["system"].values]
    x = np.arange(len(systems))
    fig = Figure(figsize=(12.0, 7.0), dpi=110, layout="constrained")
    FigureCanvasAgg(fig)
    (mc_ax, nl_ax), (mg_ax, sine_ax) = fig.subplots(2, 2)
    for ax, name, label in ((mc_ax, "memory_capacity", "memory capacity"),
                            (nl_ax, "nonlinearity", "nonlinearity")):
        ax.bar(x, mean[name], yerr=spread[name], color="C0", capsize=2)
        ax.set_xticks(x, systems, rotation=30, ha="right", fontsize=8)
        ax.set_ylabel(label)
    for i, system in enumerate(systems):
        style = "-" if str(ds["kind"].values[i]) == "array" else "--"
        mg_ax.semilogy(ds["horizon"], mean["mackey_glass"].sel(system=system), style,
                       marker=".", label=system)
    mg_ax.semilogy(ds["horizon"], mean["mackey_glass_linear"], color="k", linestyle=":",
                   label="linear on raw input")
    if horizon in ds["horizon"].values:
        mg_ax.axvline(horizon, color="0.7", linewidth=0.8)
    mg_ax.set_xlabel("Mackey-Glass forecast horizon k")
    mg_ax.set_ylabel("test NMSE")
    mg_ax.legend(frameon=False, fontsize=7, ncol=2)
    targets = [str(t) for t in ds["target"].values]
    width = 0.8 / len(systems)
    for i, system in enumerate(systems):
        sine_ax.bar(np.arange(len(targets)) + (i - (len(systems) - 1) / 2) * width,
                    mean["sine"].sel(system=system), width, label=system)
    sine_ax.set_yscale("log")
    sine_ax.set_xticks(np.arange(len(targets)), targets, rotation=30, ha="right", fontsize=8)
    sine_ax.set_ylabel("sine task test NMSE")
    sine_ax.legend(frameon=False, fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.suptitle(f"{ds.attrs.get('n_inputs', '?')} inputs, {ds.sizes['repeat']} repeat(s)")
    return _save(fig, path)


def save_training_figure(ds, path: str | os.PathLike, *, title: str = "") -> Path:
    """Write the vortex population per cycle of a training protocol (a Dataset from
    ``experiments.training.train``); saturating cycles are marked."""
    fig = Figure(figsize=(6.0, 3.5), dpi=120, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    cycle, n_vortex = ds["cycle"].values, ds["n_vortex"].values
    ax.plot(cycle, n_vortex, marker="o", markersize=3)
    for c in cycle[ds["phase"].values == "saturate"]:
        ax.axvline(c, color="0.6", linestyle="--", linewidth=0.8)
    ax.set_xlabel("cycle (dashed: saturation)")
    ax.set_ylabel("vortex bars")
    ax.set_title(title)
    return _save(fig, path)


def save_spectra_figure(spectra, path: str | os.PathLike, *, title: str = "") -> Path:
    """Write FMR absorption spectra, one line per entry of the first dimension (a DataArray
    (state, frequency) in Hz, e.g. from ``experiments.training.training_spectra``), each
    normalised to its maximum; the label is the state coordinate and its ``n_vortex``."""
    fig = Figure(figsize=(6.0, 3.8), dpi=120, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    dim = spectra.dims[0]
    freq = spectra["frequency"].values / 1e9
    for i in range(spectra.sizes[dim]):
        row = spectra.isel({dim: i})
        label = str(row[dim].values)
        if "n_vortex" in row.coords:
            label += f" ({int(row['n_vortex'])} vortices)"
        values = row.values
        ax.plot(freq, values / max(np.abs(values).max(), 1e-300), label=label)
    ax.set_xlabel("frequency (GHz)")
    ax.set_ylabel("absorption (normalised)")
    ax.legend(frameon=False, fontsize=8)
    ax.set_title(title)
    return _save(fig, path)


def save_overparameterisation_figure(ds, path: str | os.PathLike, *, title: str = "") -> Path:
    """Write median train and test NMSE over channel subsets against the number of readout
    channels (a Dataset from ``experiments.overparameterisation.channel_sweep``), log y, with
    the interpolation threshold (channels = training steps) marked."""
    fig = Figure(figsize=(6.0, 3.8), dpi=120, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    counts = ds["n_channels"].values
    for name, label, marker in (("test_nmse", "test", "o"), ("train_nmse", "train", "s")):
        values = ds[name]
        ax.fill_between(counts, values.quantile(0.25, "subset"), values.quantile(0.75, "subset"),
                        alpha=0.2, linewidth=0)
        ax.semilogy(counts, values.median("subset"), marker=marker, markersize=3, label=label)
    ax.axvline(ds.attrs["n_train"], color="0.5", linestyle="--", linewidth=0.8,
               label=f"channels = training steps ({ds.attrs['n_train']})")
    ax.set_ylim(bottom=1e-3 * float(ds["test_nmse"].median("subset").min()))
    ax.set_xlabel("readout channels (train NMSE below the axis is ~0)")
    ax.set_ylabel(f"NMSE (median of {ds.sizes['subset']} subsets; band: quartiles)")
    ax.legend(frameon=False, fontsize=8)
    ax.set_title(title)
    return _save(fig, path)
