"""Compiled helpers for readout feature preparation."""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def greedy_uncorrelated(abs_corr: np.ndarray, threshold: float) -> np.ndarray:
    """Keep channels in order, dropping any whose |corr| with a kept one exceeds ``threshold``."""
    p = abs_corr.shape[0]
    keep = np.zeros(p, dtype=np.bool_)
    kept = np.empty(p, dtype=np.int64)
    n_kept = 0
    for j in range(p):
        ok = True
        for q in range(n_kept):
            if abs_corr[kept[q], j] > threshold:
                ok = False
                break
        if ok:
            keep[j] = True
            kept[n_kept] = j
            n_kept += 1
    return keep
