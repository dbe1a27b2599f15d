"""Figure of a measured-data run (a Dataset from :func:`nanomag.measured.experiment.run_measured`),
drawn with matplotlib's object API."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

_AXIS_SCALE = {"frequency": (1e-9, "frequency (GHz)"), "field": (1e3, "field (mT)")}
_COLOURS = {"prcpy": "tab:orange", "nanomag": "tab:blue"}


def save_measured_figure(ds, path: str | os.PathLike, *, title: str = "") -> Path:
    """Write the processed spectra as a heat map over steps (top) and, per task, the target
    with both protocols' predictions against the target step (:func:`draw_task`)."""
    n_tasks = ds.sizes["task"]
    fig = Figure(figsize=(9.0, 3.0 + 2.4 * n_tasks), dpi=120, layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(1 + n_tasks, 1, height_ratios=[1.3] + [1.0] * n_tasks, squeeze=False)[:, 0]
    axis = ds["spectra"].dims[1]
    factor, label = _AXIS_SCALE.get(axis, (1.0, axis))
    x = ds[axis].values * factor
    step = ds["step"].values
    image = axes[0].pcolormesh(x, step, ds["spectra"].values, shading="nearest", cmap="viridis")
    axes[0].set_xlabel(label)
    axes[0].set_ylabel("input step")
    axes[0].set_title(title or "processed spectra")
    spectra = ds["spectra"].attrs
    fig.colorbar(image, ax=axes[0], label=f"{spectra.get('long_name', '')} ({spectra.get('units', '')})")
    for ax, task in zip(axes[1:], ds["task"].values):
        draw_task(ax, ds, task)
    path = Path(path)
    fig.savefig(path)
    return path


def draw_task(ax, ds, task: str) -> None:
    """Task ``task``'s target, both protocols' predictions (test MSE in the legend) and the
    linear baseline against the target step on ``ax``, the nanomag test part shaded."""
    row = ds.sel(task=task)
    step = ds["step"].values
    ax.plot(step, row["target"].values, color="black", lw=1.2, label="target")
    for protocol in ds["protocol"].values:
        mse = float(row["mse"].sel(protocol=protocol, split="test"))
        ax.plot(step, row["prediction"].sel(protocol=protocol).values, lw=1.0,
                color=_COLOURS.get(str(protocol)), label=f"{protocol} (test MSE {mse:.2g})")
    base = float(row["baseline_mse"].sel(split="test"))
    ax.plot(step, row["baseline_prediction"].values, lw=0.8, ls=":", color="grey",
            label=f"linear baseline (test MSE {base:.2g})")
    test = step[np.asarray(row["split_role"].sel(protocol="nanomag").values) == 2]
    if test.size:
        ax.axvspan(test.min() - 0.5, test.max() + 0.5, color="0.9", zorder=0)
    ax.set_xlabel("target step (nanomag test part shaded)")
    ax.set_ylabel("target")
    ax.set_title(f"{task} (tau {int(row['tau'])})", fontsize=10)
    ax.legend(frameon=False, fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.22),
              ncols=4)
