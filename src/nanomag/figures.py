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
