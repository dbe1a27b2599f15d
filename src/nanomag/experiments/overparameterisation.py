"""Test error against the number of readout channels: the over-parameterisation curve
(Stenning et al., Nat. Commun. 15, 2024).

For each channel count ``p`` a seeded random subset of ``p`` channels is drawn (without
replacement), every channel is divided by its maximum absolute value over the training rows
(as :class:`~nanomag.readout.RidgeReadout` does), and a ridge readout without intercept with a
tiny strength ``alpha`` is fitted on ``n_train`` time steps after the washout and scored on
the steps that follow.  With ``alpha`` close to 0 the fit is close to the minimum-norm
least-squares solution: the training error reaches 0 once ``p >= n_train`` (the interpolation
threshold), where the test error peaks, and may fall again for ``p >> n_train``.

Recipe on real reservoir channels (one drive, then the sweep)::

    net = ParallelNetwork([preset(a) for a in ("MS", "WM", "PW")])
    features = net.fit_transform(scaled_inputs(u[:, None], Split(washout=20))[:, 0])
    ds = channel_sweep(features, targets, range(5, 385, 5), n_train=150, washout=20)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import xarray as xr

from nanomag._validate import as_float_array, positive, positive_int
from nanomag.metrics import nmse
from nanomag.readout import channel_scale


def ridge_fit_predict(x_train: np.ndarray, y_train: np.ndarray, x_test: np.ndarray,
                      alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """Ridge weights ``V diag(s / (s^2 + alpha)) U^T y`` from one thin SVD of ``x_train``
    (exact in both the under- and the over-determined regime; ``alpha -> 0`` gives the
    minimum-norm least-squares fit).  Returns the (train, test) predictions."""
    u, s, vt = np.linalg.svd(x_train, full_matrices=False)
    weights = vt.T @ ((s / (s * s + alpha)) * (u.T @ y_train))
    return x_train @ weights, x_test @ weights


def channel_sweep(features, targets, n_channels: Sequence[int], *, n_train: int,
                  washout: int = 0, n_subsets: int = 10, alpha: float = 1e-8,
                  seed: int | None = 0) -> xr.Dataset:
    """Train and test NMSE of a near minimum-norm readout on random channel subsets.

    Args:
        features: (T, C) reservoir observations.
        targets: (T,) target series.
        n_channels: channel counts to sweep, each in 1..C.
        n_train: training time steps, taken right after the washout; the test part is every
            later step (at least 2).
        washout: leading time steps dropped.
        n_subsets: random channel subsets per count.
        alpha: ridge strength on channels scaled to max |x| = 1 (dimensionless; tiny means
            close to the minimum-norm least-squares solution).
        seed: seeds the subset draws.

    Returns:
        Dataset with ``train_nmse`` and ``test_nmse`` (n_channels, subset); attributes
        ``n_train``, ``n_test``, ``washout``, ``alpha``, ``seed``.
    """
    x = as_float_array(features, "features", (None, None))
    y = as_float_array(targets, "targets", (x.shape[0],))
    counts = np.array([positive_int(p, "n_channels") for p in np.atleast_1d(n_channels)])
    if counts.size == 0:
        raise ValueError("n_channels must name at least one channel count")
    if counts.max() > x.shape[1]:
        raise ValueError(f"n_channels must not exceed the {x.shape[1]} channels of features, "
                         f"got {counts.max()}")
    n_fit = positive_int(n_train, "n_train")
    start = positive_int(washout, "washout", allow_zero=True)
    n_subset = positive_int(n_subsets, "n_subsets")
    ridge = positive(alpha, "alpha", allow_zero=True)
    train = slice(start, start + n_fit)
    test = slice(start + n_fit, x.shape[0])
    if x.shape[0] - train.stop < 2 or n_fit < 2:
        raise ValueError(f"n_train ({n_fit}) with washout ({start}) leaves fewer than 2 "
                         f"training or test steps of the {x.shape[0]}")
    scaled = x / channel_scale(x[train])
    rng = np.random.default_rng(seed)
    train_err = np.empty((counts.size, n_subset))
    test_err = np.empty((counts.size, n_subset))
    for i, p in enumerate(counts):
        for j in range(n_subset):
            chosen = rng.choice(x.shape[1], size=p, replace=False)
            fitted, predicted = ridge_fit_predict(scaled[train][:, chosen], y[train],
                                                  scaled[test][:, chosen], ridge)
            train_err[i, j] = nmse(y[train], fitted)
            test_err[i, j] = nmse(y[test], predicted)
    return xr.Dataset(
        {"train_nmse": (("n_channels", "subset"), train_err),
         "test_nmse": (("n_channels", "subset"), test_err)},
        coords={"n_channels": counts, "subset": np.arange(n_subset)},
        attrs={"n_train": n_fit, "n_test": test.stop - test.start, "washout": start,
               "alpha": ridge, "seed": -1 if seed is None else int(seed)},
    )
