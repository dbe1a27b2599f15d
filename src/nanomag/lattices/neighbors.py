"""Neighbour lists in CSR form."""

from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree

# Bars exactly at the cutoff distance count as neighbours: lattice distances computed
# from floating-point positions land a few ulps either side of the nominal value.
CUTOFF_TOLERANCE = 1e-5


def neighbor_csr(points: np.ndarray, cutoff: float | None) -> tuple[np.ndarray, np.ndarray]:
    """Symmetric neighbour list of ``points`` within ``cutoff`` (same units), self excluded.

    Args:
        points: (N, 2) coordinates.
        cutoff: neighbour distance; ``None`` means every other point (all pairs).

    Returns:
        ``(indptr, indices)``: the neighbours of point ``i`` are
        ``indices[indptr[i]:indptr[i + 1]]``, sorted ascending.
    """
    n = points.shape[0]
    if cutoff is None:
        counts = np.full(n, n - 1, dtype=np.int64)
        indptr = np.concatenate([[0], np.cumsum(counts)])
        grid = np.broadcast_to(np.arange(n), (n, n))
        indices = grid[~np.eye(n, dtype=bool)].astype(np.int64)
        return indptr, indices
    tree = cKDTree(points)
    pairs = tree.query_pairs(cutoff * (1 + CUTOFF_TOLERANCE) + CUTOFF_TOLERANCE, output_type="ndarray")
    rows = np.concatenate([pairs[:, 0], pairs[:, 1]]).astype(np.int64)
    cols = np.concatenate([pairs[:, 1], pairs[:, 0]]).astype(np.int64)
    order = np.argsort(rows * n + cols)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
    return indptr, cols[order]
