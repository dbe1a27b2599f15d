"""Run a measured-data configuration on a folder: read, preprocess, score every task with
both protocols and the linear baseline, measure memory capacity and nonlinearity against
their shuffled-input chance level, and return one labelled :class:`xarray.Dataset`.

The processed spectra enter through :class:`nanomag.substrates.recorded.RecordedSubstrate`,
which checks that every input series used (the recorded inputs, a forecast series) is the
one the device was driven by, up to an affine map.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import xarray as xr

from nanomag import progress
from nanomag.experiments.evaluation import Split
from nanomag.measured.config import (
    ForecastTask,
    MeasuredConfig,
    PreprocessingConfig,
    ReadingConfig,
    TransformTask,
)
from nanomag.measured.preprocessing import prcpy_pipeline
from nanomag.measured.protocols import (
    PROTOCOLS,
    ProtocolResult,
    linear_baseline,
    nanomag_protocol,
    prcpy_protocol,
    prcpy_wave,
)
from nanomag.measured.reading import read_background, read_folder
from nanomag.metrics import against_shuffled_inputs, memory_capacity, nonlinearity
from nanomag.readout import RidgeReadout
from nanomag.substrates.recorded import RecordedSubstrate, load_inputs
from nanomag.tasks import minmax_scale, sine_of_input

SPLITS = ("train", "test")


def _resolve(folder: Path, name: str) -> Path:
    path = Path(name)
    return path if path.is_absolute() else folder / path


def read_processed(reading: ReadingConfig, prep: PreprocessingConfig,
                   folder: str | os.PathLike) -> xr.DataArray:
    """The folder's spectra read as ``reading`` says, after the preprocessing ``prep``,
    dims ``("step", axis)``."""
    folder = Path(folder)
    spectra = read_folder(folder, prefix=reading.prefix, x=reading.x, y=reading.y,
                          delimiter=reading.delimiter)
    background = None
    if reading.background is not None:
        background = read_background(_resolve(folder, reading.background), x=reading.x,
                                     y=reading.y, delimiter=reading.delimiter, like=spectra)
    pipeline = prcpy_pipeline(
        background,
        smooth=(prep.smooth_window, prep.smooth_order) if prep.smooth else None,
        cut=tuple(prep.cut) if prep.cut is not None else None,
        normalise=None if prep.normalise == "none" else prep.normalise,
        decimate=None if prep.decimate == 1 else prep.decimate,
    )
    processed = pipeline.fit_transform(spectra)
    processed.attrs.update(spectra.attrs, long_name="processed spectrum")
    if prep.normalise != "none":
        processed.attrs.update(units="1", long_name="normalised spectrum")
    return processed


def recording(reading: ReadingConfig, folder: str | os.PathLike,
              processed: xr.DataArray, **kwargs) -> RecordedSubstrate:
    """The processed spectra as a recorded substrate with the inputs ``reading`` names;
    ``kwargs`` go to :class:`RecordedSubstrate` (``rtol``, ``step_time``, ...)."""
    source = reading.inputs
    inputs = None if source == "file_names" else _resolve(Path(folder), source)
    return RecordedSubstrate(processed, inputs, **kwargs).reset()


def task_target(task: ForecastTask | TransformTask, substrate: RecordedSubstrate,
                folder: str | os.PathLike, series: str | os.PathLike | None = None) -> np.ndarray:
    """Target series (N,) aligned with the steps; the protocol shifts it by ``tau``.

    A forecast series must be the series the device was driven by (checked through the
    substrate); ``series`` replaces the task's file.
    """
    n = substrate.n_steps
    recorded = substrate.recorded_inputs_
    if isinstance(task, TransformTask):
        if task.convention == "prcpy":
            return prcpy_wave(task.transform, n, task.periods)
        return sine_of_input(recorded, task.transform, period=n / task.periods).targets
    if series is None and task.series == "inputs":
        values = recorded
    else:
        path = Path(series) if series is not None else _resolve(Path(folder), task.series)
        values = load_inputs(path)
        if values.size < n:
            raise ValueError(f"series {path} holds {values.size} values for {n} steps")
    if task.normalise:
        values = minmax_scale(values)
    values = values[:n]
    substrate.run(values)  # raises RecordingMismatch unless it drove the device
    return values


def _tau(task: ForecastTask | TransformTask) -> int:
    return task.tau if isinstance(task, ForecastTask) else 0


def score_task(config: MeasuredConfig, features: np.ndarray, inputs: np.ndarray,
               target: np.ndarray, tau: int) -> dict[str, ProtocolResult]:
    """Both protocols and the linear baseline on one target."""
    nm = config.nanomag
    split = Split(washout=nm.washout, train_fraction=nm.train_fraction)
    readout = RidgeReadout(alphas=nm.alphas, fit_intercept=True, n_splits=nm.n_splits)
    p = config.prcpy
    return {
        "prcpy": prcpy_protocol(features, target, tau=tau, alpha=p.alpha,
                                fit_intercept=p.fit_intercept, test_size=p.test_size),
        "nanomag": nanomag_protocol(features, target, tau=tau, split=split, readout=readout),
        "linear": linear_baseline(inputs, target, tau=tau, split=split, readout=readout),
    }


def short_series_metrics(config: MeasuredConfig, features: np.ndarray,
                         inputs: np.ndarray) -> dict:
    """Memory capacity and nonlinearity, each with its shuffled-input null."""
    m = config.metrics

    def mc(states, u):
        return memory_capacity(states, u, m.max_delay, train_fraction=m.train_fraction,
                               alpha=m.alpha).total

    def nl(states, u):
        return nonlinearity(states, u, n_lags=m.n_lags, n_channels=m.n_channels)

    return {name: against_shuffled_inputs(fn, features, inputs, n_shuffles=m.n_shuffles,
                                          seed=m.seed)
            for name, fn in (("memory_capacity", mc), ("nonlinearity", nl))}


def _per_step(result: ProtocolResult, n: int, tau: int) -> tuple[np.ndarray, np.ndarray]:
    """Predictions on the target's steps (NaN where none) and the split of each step
    (0 unused, 1 train, 2 test)."""
    prediction = np.full(n, np.nan)
    role = np.zeros(n, dtype=np.int8)
    for rows, values, code in ((result.train_rows, result.prediction_train, 1),
                               (result.test_rows, result.prediction_test, 2)):
        prediction[rows + tau] = values
        role[rows + tau] = code
    return prediction, role


def run_measured(config: MeasuredConfig, folder: str | os.PathLike, *,
                 series: str | os.PathLike | None = None) -> xr.Dataset:
    """Run ``config`` on the per-step spectra in ``folder``.

    ``series`` replaces the series file of every forecast task (``--target``).

    Returns a Dataset with the processed ``spectra`` (step, axis), the recorded ``input``
    (step), per task the ``target`` (task, step), ``prediction`` and ``split_role`` (task,
    protocol, step; role 1 train, 2 test, 0 unused), ``baseline_prediction`` (task, step),
    ``mse`` (task, protocol, split), ``baseline_mse`` (task, split), ``alpha`` (task,
    protocol), ``tau`` (task), and ``memory_capacity`` / ``nonlinearity`` with their
    shuffled-input values (shuffle).
    """
    processed = read_processed(config.reading, config.preprocessing, folder)
    substrate = recording(config.reading, folder, processed)
    inputs = substrate.recorded_inputs_
    features = substrate.fit_transform(inputs)
    n = features.shape[0]
    names = [t.name for t in config.tasks]
    targets, results = [], []
    for task in progress.track(config.tasks, "scoring tasks"):
        target = task_target(task, substrate, folder, series)
        targets.append(target)
        results.append(score_task(config, features, inputs, target, _tau(task)))
    taus = [_tau(t) for t in config.tasks]
    per_step = [[_per_step(r[p], n, tau) for p in PROTOCOLS] for r, tau in zip(results, taus)]
    baseline = [_per_step(r["linear"], n, tau)[0] for r, tau in zip(results, taus)]
    metrics = short_series_metrics(config, features, inputs)
    step = processed["step"].values
    axis = processed.dims[1]
    input_units = "T" if config.reading.inputs == "file_names" else "as in the inputs file"
    target_units = "1 (series units)"
    data = {
        "spectra": (("step", axis), processed.values,
                    {"units": processed.attrs.get("units", "arb. units"),
                     "long_name": processed.attrs["long_name"]}),
        "input": (("step",), inputs, {"units": input_units,
                                      "long_name": "recorded input of each step"}),
        "target": (("task", "step"), np.stack(targets),
                   {"units": target_units, "long_name": "target series aligned with the steps"}),
        "prediction": (("task", "protocol", "step"),
                       np.array([[p[0] for p in row] for row in per_step]),
                       {"units": target_units,
                        "long_name": "readout prediction of the target at this step"}),
        "split_role": (("task", "protocol", "step"),
                       np.array([[p[1] for p in row] for row in per_step]),
                       {"units": "1", "long_name": "role of the step: 0 unused, 1 train, 2 test"}),
        "baseline_prediction": (("task", "step"), np.stack(baseline),
                                {"units": target_units,
                                 "long_name": "linear baseline (raw input) prediction"}),
        "mse": (("task", "protocol", "split"),
                [[[r[p].mse_train, r[p].mse_test] for p in PROTOCOLS] for r in results],
                {"units": "1 (series units squared)", "long_name": "mean squared error"}),
        "baseline_mse": (("task", "split"),
                         [[r["linear"].mse_train, r["linear"].mse_test] for r in results],
                         {"units": "1 (series units squared)",
                          "long_name": "mean squared error of the linear baseline"}),
        "alpha": (("task", "protocol"), [[r[p].alpha for p in PROTOCOLS] for r in results],
                  {"units": "1", "long_name": "ridge regularisation strength used"}),
        "tau": (("task",), taus, {"units": "steps", "long_name": "target shift"}),
    }
    for name, comparison in metrics.items():
        label = name.replace("_", " ")
        data[name] = ((), comparison.value, {"units": "1", "long_name": label})
        data[f"{name}_shuffled"] = (("shuffle",), comparison.null, {
            "units": "1", "long_name": f"{label} with the inputs shuffled in time"})
    coords = {
        "step": ("step", step, {"units": "1", "long_name": "input step"}),
        axis: (axis, processed[axis].values, dict(processed[axis].attrs)),
        "task": ("task", names, {"units": "1", "long_name": "task"}),
        "protocol": ("protocol", list(PROTOCOLS), {"units": "1", "long_name": "protocol"}),
        "split": ("split", list(SPLITS), {"units": "1", "long_name": "time-ordered part"}),
    }
    return xr.Dataset(data, coords=coords, attrs={
        "folder": str(Path(folder).resolve()),
        "definitions": "; ".join(f"{t.name}: {_definition(t)}" for t in config.tasks),
    })


def _definition(task: ForecastTask | TransformTask) -> str:
    if isinstance(task, ForecastTask):
        return f"forecast {task.series} {task.tau} steps ahead"
    return f"{task.transform} of {task.periods} periods ({task.convention} convention)"
