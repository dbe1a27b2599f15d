"""Reservoir-computing metrics: errors, memory capacity, nonlinearity, kernel/generalisation rank.

Conventions:
- ``nmse = mean((y - y_hat)^2) / var(y)`` with the population variance (ddof 0) of the
  target; ``nrmse = sqrt(nmse)`` (RMSE divided by the target's standard deviation).  For
  2-D targets each column is normalised by its own variance and the results are averaged.
- Memory capacity (Jaeger 2001): ``MC_k = cov^2(u(t-k), y_k(t)) / (var u(t-k) var y_k(t))``
  where ``y_k`` is a linear readout of the states trained to recall ``u(t-k)``; all delays
  share one factorisation of the state Gram matrix.
- Nonlinearity (Love et al. 2021, as used by Stenning et al. 2024): ``1 - mean R^2`` of
  linear fits of the highest-variance channels from the last ``n_lags`` inputs.
- Chance level on short series (:func:`against_shuffled_inputs`): a metric of states and inputs
  next to its values with the inputs randomly permuted in time, which keeps their
  distribution and removes any relation to the states; on ~100 steps a readout with many
  channels finds some "memory" and "linearity" in unrelated series, and the shuffled values
  say how much.
- Kernel rank / generalisation rank (Legenstein & Maass 2007): numerical rank of the matrix of
  final observations over many input streams (independent streams / streams that share their
  recent history).

Every metric is invariant to the units of its arrays: states are divided per channel by their
largest magnitude (and inputs, targets by theirs) before anything is multiplied, so states in
tesla or scaled by 1e200 give the same value, and no product overflows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from nanomag._threads import one_blas_thread
from nanomag._validate import (
    as_float_array,
    check_memory,
    finite_result,
    flag,
    in_range,
    positive,
    positive_int,
    real,
)
from nanomag._validate import seed as checked_seed
from nanomag.readout.features import channel_scale
from nanomag.readout.linalg import centered_moments, ridge_weights


def _paired(y_true, y_pred) -> tuple[np.ndarray, np.ndarray]:
    y_true = as_float_array(y_true, "y_true")
    y_pred = as_float_array(y_pred, "y_pred")
    if y_true.shape != y_pred.shape or y_true.ndim not in (1, 2):
        raise ValueError(
            f"y_true and y_pred must have the same 1-D or 2-D shape, got {y_true.shape} "
            f"and {y_pred.shape}"
        )
    if y_true.shape[0] < 2:
        raise ValueError("y_true needs at least 2 samples")
    return y_true.reshape(y_true.shape[0], -1), y_pred.reshape(y_pred.shape[0], -1)


def nmse(y_true, y_pred) -> float:
    """Mean squared error divided by the (population) variance of ``y_true``.

    0 is a perfect prediction; 1 is as good as predicting the target mean.  2-D inputs are
    normalised per column and averaged over columns.
    """
    yt, yp = _paired(y_true, y_pred)
    scale = channel_scale(yt)
    yt, yp = yt / scale, yp / scale
    var = yt.var(axis=0)
    if np.any(var == 0):
        raise ValueError("y_true has a constant column: NMSE is undefined")
    with np.errstate(over="ignore"):  # an overflow is refused just below
        value = float(np.mean(np.mean((yt - yp) ** 2, axis=0) / var))
    finite_result(value, "nmse", "y_pred is too far from y_true")
    return value


def nrmse(y_true, y_pred) -> float:
    """Square root of :func:`nmse`: RMSE divided by the standard deviation of ``y_true``."""
    return float(np.sqrt(nmse(y_true, y_pred)))


def squared_correlation(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Column-wise squared Pearson correlation of (n, m) arrays; 0 where either is constant."""
    ac = a - a.mean(axis=0)
    bc = b - b.mean(axis=0)
    cov = np.sum(ac * bc, axis=0)
    den = np.sum(ac * ac, axis=0) * np.sum(bc * bc, axis=0)
    return np.where(den > 0, cov * cov / np.where(den > 0, den, 1.0), 0.0)


def _states_inputs(states, inputs) -> tuple[np.ndarray, np.ndarray]:
    states = as_float_array(states, "states", (None, None))
    inputs = as_float_array(inputs, "inputs (one per row of states)", (states.shape[0],))
    return states, inputs


@dataclass(frozen=True)
class MemoryCapacity:
    """Memory capacity per delay and in total.

    Attributes:
        delays: (K,) delays k (samples).
        per_delay: (K,) MC_k in [0, 1].
        total: sum of ``per_delay``.
    """

    delays: np.ndarray
    per_delay: np.ndarray
    total: float


def lagged_inputs(inputs: np.ndarray, delays: np.ndarray, rows: slice) -> np.ndarray:
    """Matrix (n_rows, K) with column j holding ``inputs[t - delays[j]]`` for t in ``rows``."""
    t = np.arange(inputs.shape[0])[rows]
    return inputs[t[:, None] - delays[None, :]]


@one_blas_thread
def memory_capacity(
    states,
    inputs,
    max_delay: int,
    *,
    min_delay: int = 1,
    washout: int | None = None,
    train_fraction: float | None = None,
    alpha: float = 1e-8,
    fit_intercept: bool = True,
) -> MemoryCapacity:
    """Linear memory capacity of ``states`` (T, n) driven by the scalar ``inputs`` (T,).

    Rows ``t >= washout`` (default ``max_delay``) are used; the target for delay ``k`` is
    ``inputs[t - k]`` for ``k = min_delay..max_delay``.  One ridge fit (strength ``alpha``,
    unpenalised intercept when ``fit_intercept``) per delay, all from a single
    eigendecomposition.  The states are divided per channel by their largest magnitude over the
    training rows (``alpha`` applies to these unit-scale states), and the inputs by theirs, so
    the capacity does not depend on the units of either.  With ``train_fraction=None`` the squared correlation is measured on
    the fit rows (Jaeger's definition); otherwise the first ``train_fraction`` of the rows
    trains and the rest scores (the protocol of rcbench, there with ``alpha=1``).
    """
    states, inputs = _states_inputs(states, inputs)
    max_delay = positive_int(max_delay, "max_delay")
    min_delay = positive_int(min_delay, "min_delay", allow_zero=True)
    if min_delay > max_delay:
        raise ValueError(f"min_delay ({min_delay}) must be <= max_delay ({max_delay})")
    washout = max_delay if washout is None else positive_int(washout, "washout", allow_zero=True)
    if washout < max_delay:
        raise ValueError(f"washout ({washout}) must be >= max_delay ({max_delay})")
    alpha = positive(alpha, "alpha", allow_zero=True)
    fit_intercept = flag(fit_intercept, "fit_intercept")
    n = states.shape[0] - washout
    if n < 4:
        raise ValueError(f"states has {states.shape[0]} rows: too short for washout={washout} "
                         f"(at least max_delay={max_delay})")
    delays = np.arange(min_delay, max_delay + 1)
    X = states[washout:]
    Y = lagged_inputs(inputs / channel_scale(inputs[:, None])[0], delays, slice(washout, None))
    if train_fraction is None:
        split = n
    else:
        fraction = in_range(train_fraction, "train_fraction", 0.0, 1.0, low_open=True,
                            high_open=True)
        split = int(fraction * n)
        if split < 2 or n - split < 2:
            raise ValueError(f"train_fraction={train_fraction} leaves fewer than 2 rows to train or score")
    X = X / channel_scale(X[:split])
    gram, xty, x_mean, y_mean = centered_moments(X[:split], Y[:split], fit_intercept)
    score_rows = slice(0, n) if train_fraction is None else slice(split, n)
    pred = (X[score_rows] - x_mean) @ ridge_weights(gram, xty, alpha) + y_mean
    per_delay = squared_correlation(Y[score_rows], pred)
    return MemoryCapacity(delays, per_delay, float(per_delay.sum()))


@one_blas_thread
def nonlinearity(
    states, inputs, *, n_lags: int = 5, n_channels: int = 60, washout: int = 0
) -> float:
    """Love et al. nonlinearity: ``1 - mean R^2`` of linear fits of channels from recent inputs.

    The ``n_channels`` channels of ``states`` (T, n) with the largest variance are each fitted
    by least squares (with intercept) from ``inputs[t], ..., inputs[t - n_lags + 1]``; R^2 is
    measured on the fit rows ``t >= max(washout, n_lags - 1)``.  Constant channels are
    ignored.  0 means every channel is a linear function of the recent inputs.
    """
    states, inputs = _states_inputs(states, inputs)
    n_lags = positive_int(n_lags, "n_lags")
    n_channels = positive_int(n_channels, "n_channels")
    washout = positive_int(washout, "washout", allow_zero=True)
    start = max(washout, n_lags - 1)
    if states.shape[0] - start < n_lags + 2:
        raise ValueError(f"states has {states.shape[0]} rows: too short for washout={washout} "
                         f"and n_lags={n_lags}")
    X = states[start:]
    X = X / channel_scale(X)
    inputs = inputs / channel_scale(inputs[:, None])[0]
    var = X.var(axis=0)
    order = np.argsort(var)[::-1][: min(n_channels, X.shape[1])]
    order = order[var[order] > 0]
    if order.size == 0:
        raise ValueError("states has no channel with non-zero variance")
    U = lagged_inputs(inputs, np.arange(n_lags), slice(start, None))
    U = np.column_stack([np.ones(U.shape[0]), U])
    coef, *_ = np.linalg.lstsq(U, X[:, order], rcond=None)
    r2 = squared_correlation(X[:, order], U @ coef)
    return float(1.0 - r2.mean())


@dataclass(frozen=True)
class NullComparison:
    """A metric's value next to its values with time-shuffled inputs.

    Attributes:
        value: the metric on the states and inputs as recorded.
        null: (n_shuffles,) the metric with the inputs permuted in time.
    """

    value: float
    null: np.ndarray

    @property
    def null_mean(self) -> float:
        """Mean of the shuffled-input values (the chance level)."""
        return float(self.null.mean())

    @property
    def null_std(self) -> float:
        """Standard deviation of the shuffled-input values."""
        return float(self.null.std())


def against_shuffled_inputs(
    metric: Callable[[np.ndarray, np.ndarray], float], states, inputs, *,
    n_shuffles: int = 100, seed: int | None = None,
) -> NullComparison:
    """``metric(states, inputs)`` and its values for ``n_shuffles`` random permutations of
    ``inputs`` (T,) in time, the states (T, n) kept, e.g. ``lambda s, u: memory_capacity(s, u,
    10, train_fraction=0.7).total``."""
    states, inputs = _states_inputs(states, inputs)
    rng = np.random.default_rng(seed)
    null = np.array([metric(states, rng.permutation(inputs))
                     for _ in range(positive_int(n_shuffles, "n_shuffles"))])
    return NullComparison(float(metric(states, inputs)), null)


@one_blas_thread
def numerical_rank(matrix, *, rtol: float | None = None) -> int:
    """Number of singular values above ``rtol * s_max``.

    Default ``rtol = max(shape) * eps`` (numpy's ``matrix_rank`` rule), right for exact
    arithmetic on noiseless states; pass e.g. ``rtol=1e-6`` for measured or noisy states.
    """
    m = as_float_array(matrix, "matrix", (None, None))
    peak = np.max(np.abs(m)) if m.size else 0.0
    s = np.linalg.svd(m / peak if peak > 0 else m, compute_uv=False)
    if s.size == 0 or s[0] == 0:
        return 0
    tol = (max(m.shape) * np.finfo(np.float64).eps if rtol is None
           else in_range(rtol, "rtol", 0.0, 1.0, low_open=True))
    return int(np.count_nonzero(s > tol * s[0]))


DriveFn = Callable[[np.ndarray], np.ndarray]


def final_states(drive: DriveFn, streams) -> np.ndarray:
    """Final observation of each stream: ``drive`` maps (T,) or (T, d) inputs to (T, C)
    observations starting from the same reset state; ``streams`` is (m, T) or (m, T, d).

    A :class:`nanomag.substrates.Substrate` can be passed as ``drive`` through its
    ``transform`` method.  Returns (m, C).
    """
    if not callable(drive):
        raise TypeError(f"drive must be callable (inputs -> observations), got "
                        f"{type(drive).__name__}")
    streams = as_float_array(streams, "streams")
    if streams.ndim not in (2, 3):
        raise ValueError(f"streams must be (m, T) or (m, T, d), got shape {streams.shape}")
    return np.stack([np.asarray(drive(s))[-1] for s in streams])


def kernel_rank_streams(n_streams: int, length: int, *, low: float = -1.0, high: float = 1.0,
                        seed: int | None = None) -> np.ndarray:
    """(n_streams, length) independent inputs uniform in [low, high] (kernel-rank protocol)."""
    shape = (positive_int(n_streams, "n_streams"), positive_int(length, "length"))
    check_memory(shape[0] * shape[1], 8, "n_streams * length", "input samples")
    low, high = real(low, "low"), real(high, "high")
    if not high > low:
        raise ValueError(f"high ({high}) must exceed low ({low})")
    return np.random.default_rng(checked_seed(seed)).uniform(low, high, shape)


def generalisation_rank_streams(
    n_streams: int, length: int, shared_length: int, *, low: float = -1.0, high: float = 1.0,
    noise: float = 0.0, seed: int | None = None,
) -> np.ndarray:
    """(n_streams, length) inputs whose last ``shared_length`` samples are common to all
    streams (plus optional Gaussian ``noise`` of that standard deviation); earlier samples are
    independent, uniform in [low, high] (generalisation-rank protocol)."""
    seed = checked_seed(seed)
    streams = kernel_rank_streams(n_streams, length, low=low, high=high, seed=seed)
    n_streams, length = streams.shape
    shared_length = positive_int(shared_length, "shared_length")
    if shared_length > length:
        raise ValueError(f"shared_length ({shared_length}) must be <= length ({length})")
    noise = positive(noise, "noise", allow_zero=True)
    rng = np.random.default_rng(None if seed is None else seed + 1)
    streams[:, length - shared_length:] = rng.uniform(low, high, shared_length)
    if noise:
        streams[:, length - shared_length:] += rng.normal(0.0, noise, (n_streams, shared_length))
    return streams


def kernel_rank(drive: DriveFn, n_streams: int, length: int, *, seed: int | None = None,
                rtol: float | None = None) -> int:
    """Rank of final observations over ``n_streams`` independent uniform [-1, 1] streams."""
    return numerical_rank(final_states(drive, kernel_rank_streams(n_streams, length, seed=seed)),
                          rtol=rtol)


def generalisation_rank(drive: DriveFn, n_streams: int, length: int, shared_length: int, *,
                        noise: float = 0.0, seed: int | None = None,
                        rtol: float | None = None) -> int:
    """Rank of final observations over streams sharing their last ``shared_length`` inputs.

    Low values mean the substrate maps inputs with the same recent history together.
    """
    streams = generalisation_rank_streams(n_streams, length, shared_length, noise=noise, seed=seed)
    return numerical_rank(final_states(drive, streams), rtol=rtol)
