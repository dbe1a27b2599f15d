"""Channel preparation before the ridge fit: scaling and correlation-based pruning."""

from __future__ import annotations

import numpy as np

from nanomag.readout._kernels import greedy_uncorrelated


def channel_scale(X: np.ndarray) -> np.ndarray:
    """Per-channel scale ``max_t |X[t, c]|`` (1 for an all-zero channel); divide X by it."""
    scale = np.max(np.abs(X), axis=0)
    return np.where(scale > 0, scale, 1.0)


def prune_correlated(X: np.ndarray, threshold: float) -> np.ndarray:
    """Boolean mask of channels kept after greedy correlation pruning.

    Channels are visited in column order; a channel is dropped when the absolute Pearson
    correlation with an already kept channel exceeds ``threshold``.  Constant channels have
    no defined correlation and are kept.
    """
    Xc = X - X.mean(axis=0)
    norms = np.sqrt(np.sum(Xc * Xc, axis=0))
    safe = np.where(norms > 0, norms, 1.0)
    Z = Xc / safe
    abs_corr = np.abs(Z.T @ Z)
    abs_corr[:, norms == 0] = 0.0
    abs_corr[norms == 0, :] = 0.0
    return greedy_uncorrelated(np.ascontiguousarray(abs_corr), float(threshold))
