"""Train a readout on a substrate's observations and score it against a linear baseline.

Protocol (Stenning et al., Nat. Commun. 2024): scale the input series to [0, 1] with the minimum
and maximum of its training part (values outside are not clipped here; encoders clip), drive
the substrate with the whole series, drop a washout, train the readout on the first part of
the remaining time steps (time order kept, alpha chosen by forward-chaining validation inside
the training part) and score the rest.  The
linear baseline is the same readout, with an intercept, on the raw input alone.  Scores are
NMSE: mean squared error divided by the variance of the target over the test part.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import xarray as xr
from sklearn.base import clone

from nanomag._validate import as_float_array, finite_result, in_range, instance_of, positive_int
from nanomag.metrics import nmse
from nanomag.readout import RidgeReadout
from nanomag.substrates.base import Substrate
from nanomag.tasks import Task

#: Attributes of the NMSE variables of the results.
NMSE_ATTRS = {"units": "1", "long_name": "test NMSE (MSE / variance of the target)"}


@dataclass(frozen=True)
class Split:
    """Time-ordered split: ``washout`` steps dropped, then ``train_fraction`` of the rest for
    training and the remainder for testing."""

    washout: int = 50
    train_fraction: float = 0.7

    def slices(self, n_steps: int) -> tuple[slice, slice]:
        washout = positive_int(self.washout, "washout", allow_zero=True)
        in_range(self.train_fraction, "train_fraction", 0.0, 1.0, low_open=True, high_open=True)
        usable = n_steps - washout
        n_train = int(round(usable * self.train_fraction))
        if n_train < 10 or usable - n_train < 10:
            raise ValueError(
                f"series of {n_steps} steps is too short for washout={washout} and "
                f"train_fraction={self.train_fraction}: need at least 10 training and 10 test steps"
            )
        return slice(washout, washout + n_train), slice(washout + n_train, n_steps)


def scaled_inputs(inputs: np.ndarray, split: Split) -> np.ndarray:
    """Inputs mapped to [0, 1] by the per-column range of the washout and training part."""
    train = split.slices(inputs.shape[0])[0]
    seen = inputs[: train.stop]
    lo, hi = seen.min(axis=0), seen.max(axis=0)
    with np.errstate(over="ignore", invalid="ignore"):  # refused just below
        scaled = (inputs - lo) / np.where(hi > lo, hi - lo, 1.0)
    finite_result(scaled, "the scaled inputs", "the series (task inputs) reaches too far "
                  "outside the range of its training part")
    return scaled


def evaluate_features(features, targets, *, split: Split = Split(),
                      readout: RidgeReadout | None = None) -> dict:
    """Fit ``readout`` (default :class:`RidgeReadout`) on the training rows, predict the test rows.

    Returns ``{"nmse": (k,), "prediction": (n_test, k), "target": (n_test, k), "alpha": ...}``
    with one column per target.
    """
    instance_of(split, Split, "split")
    instance_of(readout, RidgeReadout, "readout", allow_none=True)
    x = as_float_array(features, "features")
    y = as_float_array(targets, "targets")
    y2 = y[:, None] if y.ndim == 1 else y
    if x.ndim != 2 or y2.ndim != 2 or x.shape[0] != y2.shape[0]:
        raise ValueError(f"features (T, C) and targets (T,) or (T, k) must share T; got "
                         f"{x.shape} and {y.shape}")
    train, test = split.slices(x.shape[0])
    model = clone(readout) if readout is not None else RidgeReadout()
    model.fit(x[train], y2[train])
    pred = np.asarray(model.predict(x[test])).reshape(-1, y2.shape[1])
    scores = np.array([nmse(y2[test, j], pred[:, j]) for j in range(y2.shape[1])])
    return {"nmse": scores, "prediction": pred, "target": y2[test], "alpha": model.alpha_}


def _check_varies(targets: np.ndarray, split: Split, name: str) -> None:
    """Refuse targets (T, k) that are constant over the test part (their NMSE is undefined)."""
    test = split.slices(targets.shape[0])[1]
    if np.any(np.ptp(targets[test], axis=0) == 0):
        raise ValueError(f"{name}: the targets are constant over the test part, so the NMSE "
                         "is undefined")


def _baseline_readout(readout: RidgeReadout | None) -> RidgeReadout:
    base = clone(readout) if readout is not None else RidgeReadout()
    return base.set_params(fit_intercept=True)


def _evaluated(features, targets, split: Split, readout: RidgeReadout | None, name: str) -> dict:
    """:func:`evaluate_features`, its errors prefixed with ``name`` (the caller's argument
    behind the features and targets)."""
    try:
        return evaluate_features(features, targets, split=split, readout=readout)
    except ValueError as err:
        raise ValueError(f"{name}: {err}") from None


def evaluate_task(substrate: Substrate, task: Task, *, split: Split = Split(),
                  readout: RidgeReadout | None = None) -> xr.Dataset:
    """NMSE of ``substrate`` + readout on ``task``, next to the linear baseline on the raw input.

    Returns a Dataset with ``nmse`` (system: reservoir, linear) and the test-part ``target``,
    ``prediction`` (system, time) of the reservoir and the baseline.
    """
    instance_of(substrate, Substrate, "substrate")
    instance_of(task, Task, "task")
    instance_of(split, Split, "split")
    inputs = as_float_array(task.inputs, "inputs").reshape(len(task.inputs), -1)
    scaled = scaled_inputs(inputs, split)
    observations = clone(substrate).fit_transform(scaled[:, 0] if scaled.shape[1] == 1 else scaled)
    _check_varies(as_float_array(task.targets, "targets").reshape(len(task.inputs), -1), split,
                  "task")
    ours = _evaluated(observations, task.targets, split, readout, "task (readout on the "
                      "substrate's observations)")
    base = _evaluated(inputs, task.targets, split, _baseline_readout(readout),
                      "task (linear baseline on the raw inputs)")
    test = split.slices(len(task.inputs))[1]
    time = np.arange(len(task.inputs))[test]
    return xr.Dataset(
        {
            "nmse": (("system",), [ours["nmse"][0], base["nmse"][0]], NMSE_ATTRS),
            "prediction": (("system", "time"),
                           np.stack([ours["prediction"][:, 0], base["prediction"][:, 0]]),
                           {"units": "1", "long_name": "predicted target"}),
            "target": (("time",), ours["target"][:, 0], {"units": "1", "long_name": "target"}),
        },
        coords={"system": ["reservoir", "linear"], "time": time},
        attrs={"task": task.name, "definition": task.definition,
               "n_channels": observations.shape[1]},
    )


def forecast(substrate: Substrate, series, horizons=(1, 2, 3, 4, 5), *,
             split: Split = Split(), readout: RidgeReadout | None = None) -> xr.Dataset:
    """Forecast ``series`` ``k`` steps ahead for each horizon ``k`` from one drive (inputs
    scaled as in :func:`evaluate_task`).

    The substrate sees ``series[t]`` and the readout predicts ``series[t + k]``; the last
    ``max(horizons)`` inputs have no target and are dropped, so every horizon is scored on the
    same time steps.  Returns ``nmse`` (horizon, system) and the test-part ``target`` and
    ``prediction`` (horizon, system, time); attributes ``energy_<term>_J`` hold the substrate's
    energy per input step.
    """
    instance_of(substrate, Substrate, "substrate")
    u, ks = _forecast_series(series, horizons, split)
    fitted = clone(substrate)
    observations = fitted.fit_transform(scaled_inputs(u[:, None], split)[:, 0])
    return forecast_observations(observations, u, ks, split=split, readout=readout,
                                 energy=fitted.energy_per_step())


def _forecast_series(series, horizons, split: Split) -> tuple[np.ndarray, np.ndarray]:
    """The checked series (T,) and horizons; a series too short for the longest horizon and
    the split fails here, before any drive."""
    instance_of(split, Split, "split")
    u = as_float_array(series, "series", (None,))
    ks = np.array([positive_int(k, "horizons") for k in np.atleast_1d(horizons)])
    n = u.size - ks.max()
    if n <= 0:
        raise ValueError(f"horizons: the longest horizon {ks.max()} is not shorter than the "
                         f"series ({u.size} steps)")
    try:
        split.slices(n)
    except ValueError as err:
        raise ValueError(f"horizons: the longest horizon {ks.max()} leaves {n} of the "
                         f"series' {u.size} steps to score: {err}") from None
    return u, ks


def forecast_observations(observations, series, horizons, *, split: Split = Split(),
                          readout: RidgeReadout | None = None,
                          energy: dict[str, float] | None = None) -> xr.Dataset:
    """Score :func:`forecast` on ``observations`` (T, C) already recorded while a substrate
    was driven by ``series`` (T,) scaled as :func:`scaled_inputs` does; ``energy`` (J per
    input step, by term) becomes the ``energy_<term>_J`` attributes."""
    u, ks = _forecast_series(series, horizons, split)
    x = as_float_array(observations, "observations")
    if x.ndim != 2 or x.shape[0] != u.size:
        raise ValueError(f"observations must have shape ({u.size}, C), one row per series "
                         f"value, got {x.shape}")
    n = u.size - ks.max()
    x = x[:n]
    targets = np.stack([u[k:k + n] for k in ks], axis=1)
    _check_varies(targets, split, "series")
    ours = _evaluated(x, targets, split, readout, "series (readout on the "
                      "substrate's observations)")
    base = _evaluated(u[:n, None], targets, split, _baseline_readout(readout),
                      "series (linear baseline on the raw inputs)")
    time = np.arange(n)[split.slices(n)[1]]
    return xr.Dataset(
        {
            "nmse": (("horizon", "system"), np.stack([ours["nmse"], base["nmse"]], axis=1),
                     NMSE_ATTRS),
            "prediction": (("horizon", "system", "time"),
                           np.stack([ours["prediction"].T, base["prediction"].T], axis=1),
                           {"units": "1", "long_name": "predicted series value"}),
            "target": (("horizon", "time"), ours["target"].T,
                       {"units": "1", "long_name": "series value k steps ahead"}),
        },
        coords={"horizon": ks, "system": ["reservoir", "linear"], "time": time},
        attrs={"n_channels": x.shape[1],
               **{f"energy_{k}_J": v for k, v in (energy or {}).items()}},
    )
