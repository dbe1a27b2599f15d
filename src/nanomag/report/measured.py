"""Sections of a measured-data result (:func:`nanomag.measured.experiment.run_measured`):
prediction against target per task, the error table (PRCpy's protocol, nanomag's protocol and
the linear baseline, train and test) and memory capacity and nonlinearity next to their
chance level.  The spectra and the recorded inputs use the general sections."""

from __future__ import annotations

import numpy as np
import xarray as xr

from nanomag.measured.figures import draw_task
from nanomag.report import figures
from nanomag.report.html import Section, figure, table

#: Variables that mark a measured result.
MEASURED_VARIABLES = ("spectra", "target", "prediction", "mse", "baseline_mse", "split_role",
                      "baseline_prediction")
#: Short-series metrics shown with their shuffled-input values (``<name>_shuffled``).
SHORT_SERIES_METRICS = ("memory_capacity", "nonlinearity")


def is_measured(ds: xr.Dataset) -> bool:
    """Whether ``ds`` has a measured result's layout."""
    return all(name in ds.data_vars for name in MEASURED_VARIABLES) \
        and set(ds["mse"].dims) == {"task", "protocol", "split"}


def measured_sections(ds: xr.Dataset) -> list[Section]:
    """Prediction against target, the error table and the short-series metrics of a
    measured result (none for any other result)."""
    if not is_measured(ds):
        return []
    sections = [prediction_section(ds), errors_section(ds)]
    chance = chance_section(ds)
    return sections + ([chance] if chance is not None else [])


def prediction_section(ds: xr.Dataset) -> Section:
    """One panel per task: the target, both protocols' predictions and the baseline."""
    tasks = [str(t) for t in ds["task"].values]
    fig = figures.new_figure(9.0, 0.4 + 2.4 * len(tasks))
    axes = np.atleast_1d(fig.subplots(len(tasks), 1, squeeze=False)).ravel()
    for ax, task in zip(axes, tasks):
        draw_task(ax, ds, task)
    return Section("Prediction against target", [figure(
        fig, "Target and predictions over the target steps (train and test parts; the "
        "nanomag protocol's test part shaded): PRCpy's protocol, nanomag's protocol and the "
        "linear baseline on the recorded input.")],
        {"target", "prediction", "split_role", "baseline_prediction"})


def errors_section(ds: xr.Dataset) -> Section:
    """Mean squared error per task: each protocol and the baseline, train and test."""
    protocols = [str(p) for p in ds["protocol"].values]
    splits = [str(s) for s in ds["split"].values]
    header = ["task", "tau"] + [f"{p} {s}" for p in protocols for s in splits] \
        + [f"linear baseline {s}" for s in splits]
    has_alpha = "alpha" in ds.data_vars
    if has_alpha:
        header += [f"alpha {p}" for p in protocols]
    rows = []
    for task in ds["task"].values:
        row = ds.sel(task=task)
        cells = [str(task), int(row["tau"]) if "tau" in ds.data_vars else ""]
        cells += [float(row["mse"].sel(protocol=p, split=s)) for p in protocols for s in splits]
        cells += [float(row["baseline_mse"].sel(split=s)) for s in splits]
        if has_alpha:
            cells += [float(row["alpha"].sel(protocol=p)) for p in protocols]
        rows.append(cells)
    units = ds["mse"].attrs.get("units", "")
    caption = "mean squared error" + (f" ({units})" if units else "") + \
        " by protocol and time-ordered part; prcpy: PRCpy's protocol, nanomag: nanomag's " \
        "protocol, linear baseline: the same readout on the recorded input"
    used = {"mse", "baseline_mse"} | ({"alpha"} if has_alpha else set()) \
        | ({"tau"} if "tau" in ds.data_vars else set())
    return Section("Errors", [table(header, rows, caption)], used)


def chance_section(ds: xr.Dataset) -> Section | None:
    """Memory capacity and nonlinearity next to their values with time-shuffled inputs."""
    names = [n for n in SHORT_SERIES_METRICS
             if n in ds.data_vars and f"{n}_shuffled" in ds.data_vars]
    if not names:
        return None
    rows = []
    for name in names:
        value, null = float(ds[name]), np.asarray(ds[f"{name}_shuffled"].values, float)
        rows.append((ds[name].attrs.get("long_name", name), value, float(null.mean()),
                     float(null.std()), float(np.percentile(null, 5)),
                     float(np.percentile(null, 95)), float(np.mean(null >= value)), null.size))
    header = ("metric", "recorded inputs", "chance: shuffled mean", "shuffled sd",
              "shuffled 5th pct", "shuffled 95th pct", "fraction of shuffles >= value",
              "shuffles")
    return Section("Memory capacity and nonlinearity", [table(
        header, rows, "each metric of the processed spectra against the recorded inputs, "
        "beside its chance level: the same metric with the inputs permuted in time")],
        {*names, *(f"{n}_shuffled" for n in names)})
