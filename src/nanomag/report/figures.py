"""The report's figures, drawn with matplotlib's object API (no pyplot state, no GUI backend).

Every function returns a :class:`~matplotlib.figure.Figure`; :func:`png_bytes` renders one
for the page to embed.  Units: lengths in nm (drawn in µm), frequencies in
Hz (drawn in GHz).
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PolyCollection
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch

#: Bar colours by state: macrospin -1 and +1 along the bar's axis, vortex.
STATE_COLOURS = ("#2166ac", "#b2182b", "#f4a300")
STATE_LABELS = ("spin -1 (against bar axis)", "spin +1 (along bar axis)", "vortex")
#: Most prediction panels drawn in one figure.
MAX_PANELS = 4


def new_figure(width: float, height: float) -> Figure:
    """A figure of ``width`` x ``height`` inches on the Agg canvas, constrained layout."""
    fig = Figure(figsize=(width, height), dpi=110, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def png_bytes(fig: Figure) -> bytes:
    """``fig`` rendered as PNG."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def bar_polygons(x, y, angle, length, width) -> np.ndarray:
    """(N, 4, 2) corners of N rectangles centred at ``x``, ``y`` (nm), long axis at ``angle``
    (rad from +x), ``length`` x ``width`` (nm)."""
    x, y, angle, length, width = np.broadcast_arrays(
        *(np.asarray(v, dtype=np.float64) for v in (x, y, angle, length, width)))
    along = np.stack([np.cos(angle), np.sin(angle)], axis=-1)
    across = np.stack([-np.sin(angle), np.cos(angle)], axis=-1)
    signs = np.array([[1, 1], [1, -1], [-1, -1], [-1, 1]], dtype=np.float64)
    half = np.stack([length, width], axis=-1) / 2  # (N, 2)
    offsets = (signs[None, :, 0, None] * (half[:, None, 0, None] * along[:, None, :])
               + signs[None, :, 1, None] * (half[:, None, 1, None] * across[:, None, :]))
    return np.stack([x, y], axis=-1)[:, None, :] + offsets


def bar_states(spin: np.ndarray, vortex: np.ndarray | None) -> np.ndarray:
    """State index per bar, indexing :data:`STATE_COLOURS`: 0 for spin -1, 1 for +1,
    2 for a vortex."""
    state = (np.asarray(spin) > 0).astype(np.int8)
    if vortex is not None:
        state[np.asarray(vortex, dtype=bool)] = 2
    return state


def microstate_figure(polygons: np.ndarray, spins: np.ndarray, vortices: np.ndarray | None,
                      titles: Sequence[str]) -> Figure:
    """Microstates as bars coloured by state, one panel per row of ``spins`` (k, N).

    Args:
        polygons: (N, 4, 2) bar corners, nm (:func:`bar_polygons`).
        spins: (k, N) macrospins, +-1 along each bar's axis.
        vortices: (k, N) vortex flags, or None.
        titles: k panel titles.
    """
    k = spins.shape[0]
    cols = 2 if k in (2, 4) else min(k, 3)
    rows = -(-k // cols)
    cmap = ListedColormap(STATE_COLOURS)
    corners = polygons / 1e3
    lo, hi = corners.reshape(-1, 2).min(axis=0), corners.reshape(-1, 2).max(axis=0)
    pad = 0.02 * max(hi - lo)
    aspect = (hi[1] - lo[1] + 2 * pad) / (hi[0] - lo[0] + 2 * pad)
    # panels as tall as their equal-aspect drawing, plus room for title and axis labels
    fig = new_figure(3.4 * cols + 0.4, rows * (2.9 * aspect + 0.9) + 0.5)
    axes = np.atleast_1d(fig.subplots(rows, cols, squeeze=False)).ravel()
    for i, ax in enumerate(axes):
        if i >= k:
            ax.set_axis_off()
            continue
        state = bar_states(spins[i], None if vortices is None else vortices[i])
        bars = PolyCollection(corners, array=state, cmap=cmap, clim=(-0.5, 2.5),
                              edgecolors="none")
        ax.add_collection(bars)
        ax.set_xlim(lo[0] - pad, hi[0] + pad)
        ax.set_ylim(lo[1] - pad, hi[1] + pad)
        ax.set_aspect("equal")
        ax.set_title(titles[i], fontsize=9)
        ax.set_xlabel("x (µm)", fontsize=8)
        ax.tick_params(labelsize=7)
        if i % cols == 0:
            ax.set_ylabel("y (µm)", fontsize=8)
    shown = STATE_LABELS if vortices is not None else STATE_LABELS[:2]
    fig.legend(handles=[Patch(color=c, label=lbl) for c, lbl in zip(STATE_COLOURS, shown)],
               loc="outside lower center", ncol=len(shown) if cols > 1 else 1, frameon=False,
               fontsize=8)
    return fig


def spectra_figure(values: np.ndarray, steps: np.ndarray, channel_axis: np.ndarray,
                   channel_label: str, value_label: str,
                   inputs: np.ndarray | None = None, input_label: str = "input") -> Figure:
    """Observations over inputs as a heat map: ``values`` (steps, channels) against input
    step (x) and ``channel_axis`` (y, e.g. frequency in GHz); the input series above it
    (y label ``input_label``) when ``inputs`` (steps,) is given.  Signed data use a
    diverging map centred on zero."""
    v = np.asarray(values, dtype=np.float64)
    signed = np.nanmin(v) < 0 < np.nanmax(v)
    fig = new_figure(8.0, 4.6 if inputs is not None else 3.6)
    if inputs is not None:
        input_ax, ax = fig.subplots(2, 1, sharex=True, height_ratios=(1, 3))
        input_ax.plot(steps, inputs, linewidth=0.8, color="k")
        input_ax.set_ylabel(input_label, fontsize=8)
        input_ax.tick_params(labelsize=7)
    else:
        ax = fig.add_subplot()
    if signed:
        limit = np.nanpercentile(np.abs(v), 99) or 1.0
        image = ax.pcolormesh(steps, channel_axis, v.T, cmap="RdBu_r", vmin=-limit, vmax=limit,
                              shading="nearest", rasterized=True)
    else:
        image = ax.pcolormesh(steps, channel_axis, v.T, cmap="viridis", shading="nearest",
                              rasterized=True)
    ax.set_xlabel("input step")
    ax.set_ylabel(channel_label)
    colour_label(fig.colorbar(image, ax=ax), value_label)
    return fig


def colour_label(bar, text: str) -> None:
    """Label a colour bar with ``text`` wrapped to fit beside a short axis."""
    bar.set_label(textwrap.fill(text, 28), fontsize=8)


def prediction_figure(time: np.ndarray, target: np.ndarray, predictions: dict[str, np.ndarray],
                      titles: Sequence[str]) -> Figure:
    """Prediction against target on the test part, one panel per row of ``target`` (k, T);
    ``predictions`` maps a system name to its (k, T) prediction."""
    k = target.shape[0]
    fig = new_figure(8.0, 1.0 + 1.9 * k)
    axes = np.atleast_1d(fig.subplots(k, 1, sharex=True, squeeze=False)).ravel()
    styles = ("-", "--", ":", "-.")
    for i, ax in enumerate(axes):
        ax.plot(time, target[i], color="k", linewidth=1.4, label="target")
        for (name, pred), style in zip(predictions.items(), styles):
            ax.plot(time, pred[i], style, linewidth=1, label=name)
        ax.set_title(titles[i], fontsize=9)
        ax.tick_params(labelsize=7)
    axes[0].legend(frameon=False, fontsize=8, ncol=len(predictions) + 1)
    axes[-1].set_xlabel("time step (test part)")
    return fig


def heatmap_figure(values: np.ndarray, x: Sequence, y: Sequence, x_label: str, y_label: str,
                   value_label: str, title: str) -> Figure:
    """A metric over a two-dimensional sweep: ``values`` (len(y), len(x)), one annotated cell
    per grid point (NaN cells blank); ``title`` is wrapped to the figure's width."""
    v = np.asarray(values, dtype=np.float64)
    width = 2.2 + 0.75 * max(len(x), 3)
    fig = new_figure(width, 1.4 + 0.5 * max(len(y), 3))
    ax = fig.add_subplot()
    image = ax.imshow(v, cmap="viridis", aspect="auto", origin="lower")
    ax.set_xticks(range(len(x)), [_tick(t) for t in x], fontsize=8)
    ax.set_yticks(range(len(y)), [_tick(t) for t in y], fontsize=8)
    ax.set_xlabel(x_label)
    ax.set_ylabel(y_label)
    ax.set_title(textwrap.fill(title, int(width * 9)), fontsize=9)
    if v.size <= 400:
        mid = np.nanmean(v) if np.isfinite(v).any() else 0.0
        for (j, i), value in np.ndenumerate(v):
            if np.isfinite(value):
                ax.text(i, j, f"{value:.3g}", ha="center", va="center", fontsize=7,
                        color="k" if value > mid else "w")
    colour_label(fig.colorbar(image, ax=ax), value_label)
    return fig


def sweep_line_figure(x: Sequence, lines: dict[str, np.ndarray], x_label: str, y_label: str,
                      title: str) -> Figure:
    """A metric over a one-dimensional sweep, one line per entry of ``lines``."""
    fig = new_figure(5.5, 3.4)
    ax = fig.add_subplot()
    numeric = np.issubdtype(np.asarray(x).dtype, np.number)
    positions = np.asarray(x) if numeric else np.arange(len(x))
    for name, values in lines.items():
        ax.plot(positions, values, marker="o", markersize=4, label=name)
    if not numeric:
        ax.set_xticks(positions, [_tick(t) for t in x])
    ax.set_xlabel(x_label)
    ax.set_ylabel(textwrap.fill(y_label, 40))
    ax.set_title(title, fontsize=9)
    if len(lines) > 1:
        ax.legend(frameon=False, fontsize=8)
    return fig


def loop_figure(curves: dict[str, tuple[np.ndarray, np.ndarray]], title: str) -> Figure:
    """Hysteresis loops: ``curves`` maps a label to (field along the loop direction in T,
    magnetization along it), drawn against field in mT."""
    fig = new_figure(5.5, 3.8)
    ax = fig.add_subplot()
    for label, (h, m) in curves.items():
        ax.plot(np.asarray(h) * 1e3, m, marker=".", markersize=2, linewidth=1, label=label)
    ax.axhline(0.0, color="0.8", linewidth=0.8)
    ax.set_xlabel("field along loop direction (mT)")
    ax.set_ylabel("M / M$_s$ along field")
    ax.set_title(title, fontsize=9)
    if len(curves) > 1:
        ax.legend(frameon=False, fontsize=7)
    return fig


def _tick(value) -> str:
    if isinstance(value, (float, np.floating)):
        return f"{value:.4g}"
    return str(value)
