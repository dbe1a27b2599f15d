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
