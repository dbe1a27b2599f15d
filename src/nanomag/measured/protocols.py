"""Two ways to train and score a readout on a short measured series, side by side.

Both take features ``X`` (T, C) (one processed spectrum per input step), a target series
``y`` (T,) aligned with the steps, and a shift ``tau`` >= 0: feature row ``t`` predicts
``y[t + tau]``, so only rows ``t < T - tau`` are used.  Errors are mean squared errors.

- :func:`prcpy_protocol` follows PRCpy 0.1.14 exactly.  With ``tau > 0`` the first
  ``n_train = int(T (1 - test_size))`` rows train and rows ``n_train .. T - tau - 1`` test;
  with ``tau = 0`` the split is scikit-learn's ``train_test_split(shuffle=False)`` (the last
  ``ceil(test_size T)`` rows test).  The readout is ``sklearn.linear_model.Ridge(alpha,
  fit_intercept)`` with a fixed alpha (0.1 in PRCpy's tutorials); nothing is held out to choose
  it and no washout is dropped.
- :func:`nanomag_protocol` drops a washout, keeps time order, trains
  :class:`nanomag.readout.RidgeReadout` on the first ``train_fraction`` of the remaining rows
  (alpha chosen by forward-chaining validation inside them) and scores the rest (the split of
  :class:`nanomag.experiments.evaluation.Split`).  :func:`linear_baseline` is the same
  readout, with an intercept, on the raw input alone.

:func:`prcpy_wave` builds a periodic target the way PRCpy's ``Target_functions`` do.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.base import clone
from sklearn.linear_model import Ridge
from sklearn.model_selection import train_test_split

from nanomag._validate import as_float_array, positive, positive_int
from nanomag.experiments.evaluation import Split
from nanomag.readout import RidgeReadout
from nanomag.tasks import SINE_TRANSFORMS, minmax_scale

#: The two protocols, in the order results report them.
PROTOCOLS = ("prcpy", "nanomag")

#: nanomag's default split for ~100-step series: 10 washout steps, 70 % of the rest to train.
SHORT_SPLIT = Split(washout=10, train_fraction=0.7)


@dataclass(frozen=True)
class ProtocolResult:
    """Predictions of one protocol.

    Attributes:
        protocol: ``"prcpy"``, ``"nanomag"`` or ``"linear"`` (the baseline).
        train_rows, test_rows: step index ``t`` of each feature row used (the target is
            ``y[t + tau]``).
        prediction_train, prediction_test: readout outputs on those rows.
        target_train, target_test: ``y[t + tau]`` on those rows.
        alpha: ridge strength used (chosen, for the nanomag protocol).
    """

    protocol: str
    train_rows: np.ndarray
    test_rows: np.ndarray
    prediction_train: np.ndarray
    prediction_test: np.ndarray
    target_train: np.ndarray
    target_test: np.ndarray
    alpha: float

    @property
    def mse_train(self) -> float:
        """Mean squared error on the training rows."""
        return float(np.mean((self.prediction_train - self.target_train) ** 2))

    @property
    def mse_test(self) -> float:
        """Mean squared error on the test rows."""
        return float(np.mean((self.prediction_test - self.target_test) ** 2))


def _pairs(features, target, tau: int) -> tuple[np.ndarray, np.ndarray, int]:
    x = as_float_array(features, "features", (None, None))
    y = as_float_array(target, "target", (x.shape[0],))
    tau = positive_int(tau, "tau", allow_zero=True)
    if tau >= x.shape[0]:
        raise ValueError(f"tau ({tau}) must be shorter than the series ({x.shape[0]} steps)")
    return x, y, tau


def prcpy_split(n_steps: int, tau: int, test_size: float = 0.3) -> tuple[np.ndarray, np.ndarray]:
    """Training and test feature rows of PRCpy 0.1.14 for ``n_steps`` steps and shift ``tau``."""
    n = positive_int(n_steps, "n_steps")
    if not 0.0 < float(test_size) < 1.0:
        raise ValueError(f"test_size must be in (0, 1), got {test_size!r}")
    if tau > 0:
        n_train = int(n * (1 - test_size))
        return np.arange(n_train), np.arange(n_train, n - tau)
    train, test = train_test_split(np.arange(n), test_size=test_size, shuffle=False)
    return np.asarray(train), np.asarray(test)


def _result(protocol, model, x, y, tau, train, test, alpha) -> ProtocolResult:
    if train.size < 2 or test.size < 1:
        raise ValueError(f"{x.shape[0]} steps with tau={tau} leave {train.size} training and "
                         f"{test.size} test rows: too few")
    model.fit(x[train], y[train + tau])
    return ProtocolResult(
        protocol, train, test,
        np.asarray(model.predict(x[train]), dtype=np.float64).ravel(),
        np.asarray(model.predict(x[test]), dtype=np.float64).ravel(),
        y[train + tau], y[test + tau], float(alpha if alpha is not None else model.alpha_),
    )


def prcpy_protocol(features, target, *, tau: int = 0, alpha: float = 0.1,
                   fit_intercept: bool = True, test_size: float = 0.3) -> ProtocolResult:
    """PRCpy 0.1.14's split, scikit-learn ``Ridge`` and MSE (see the module docstring)."""
    x, y, tau = _pairs(features, target, tau)
    train, test = prcpy_split(x.shape[0], tau, test_size)
    model = Ridge(alpha=positive(alpha, "alpha", allow_zero=True), fit_intercept=fit_intercept)
    return _result("prcpy", model, x, y, tau, train, test, alpha)


def nanomag_protocol(features, target, *, tau: int = 0, split: Split = SHORT_SPLIT,
                     readout: RidgeReadout | None = None,
                     protocol: str = "nanomag") -> ProtocolResult:
    """Washout, time-ordered split, :class:`RidgeReadout` with validated alpha (default
    readout: ``RidgeReadout(fit_intercept=True)``)."""
    x, y, tau = _pairs(features, target, tau)
    train, test = split.slices(x.shape[0] - tau)
    model = clone(readout) if readout is not None else RidgeReadout(fit_intercept=True)
    rows = np.arange(x.shape[0])
    return _result(protocol, model, x, y, tau, rows[train], rows[test], None)


def linear_baseline(inputs, target, *, tau: int = 0, split: Split = SHORT_SPLIT,
                    readout: RidgeReadout | None = None) -> ProtocolResult:
    """:func:`nanomag_protocol` on the raw input (T,) alone, with an intercept."""
    u = as_float_array(inputs, "inputs", (None,))
    base = clone(readout) if readout is not None else RidgeReadout()
    return nanomag_protocol(u[:, None], target, tau=tau, split=split,
                            readout=base.set_params(fit_intercept=True), protocol="linear")


def prcpy_wave(transform: str, n_steps: int, periods: int) -> np.ndarray:
    """A periodic target built as PRCpy 0.1.14's ``get_*_waves`` build it, min-max scaled.

    One period is ``m = int(n_steps / periods)`` samples of ``transform(2 pi s)`` with
    ``s = linspace(0, 1, m)`` *including* the end point, so the last sample of each period
    repeats phase 0 (for the square wave: ``m // 2`` high samples, ``m - m // 2 - 1`` low, one
    high; 6 high and 4 low for ``m = 10``); periods are tiled and the series cut to
    ``n_steps``.  ``transform`` is a name of :data:`nanomag.tasks.SINE_TRANSFORMS`.
    """
    if transform not in SINE_TRANSFORMS:
        raise ValueError(f"transform must be one of {sorted(SINE_TRANSFORMS)}, got {transform!r}")
    n = positive_int(n_steps, "n_steps")
    m = n // positive_int(periods, "periods")
    if m < 2:
        raise ValueError(f"periods ({periods}) leaves fewer than 2 samples per period in "
                         f"{n} steps")
    one = minmax_scale(SINE_TRANSFORMS[transform](2 * np.pi * np.linspace(0.0, 1.0, m)))
    return np.tile(one, -(-n // m))[:n]
