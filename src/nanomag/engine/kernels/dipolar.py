"""Point-dipole pair fields over a CSR neighbour list (reduced units)."""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from nanomag.kernels.variants import serial_and_parallel


def _dipole_pair_fields(points, axes, alpha, indptr, indices):
    """Field at each neighbour ``i`` of source bar ``j`` from ``j`` with spin +1.

    ``B_i = alpha_j [3 r (e_j . r) / |r|^5 - e_j / |r|^3]`` with ``r = p_i - p_j`` in lattice
    units, ``e_j`` the source axis and ``alpha_j = mu0 Ms V_j / (4 pi a^3)`` in tesla.

    Args:
        points: (N, 2) reduced positions.
        axes: (N, 2) unit easy axes.
        alpha: (N,) coupling of each source bar, T.
        indptr, indices: CSR rows indexed by *source* bar.

    Returns:
        (nnz, 2) field vectors, T, aligned with ``indices``.
    """
    out = np.empty((indices.shape[0], 2))
    for j in prange(points.shape[0]):
        ex = axes[j, 0]
        ey = axes[j, 1]
        for k in range(indptr[j], indptr[j + 1]):
            i = indices[k]
            rx = points[i, 0] - points[j, 0]
            ry = points[i, 1] - points[j, 1]
            d2 = rx * rx + ry * ry
            d = np.sqrt(d2)
            inv3 = 1.0 / (d2 * d)
            proj = 3.0 * (ex * rx + ey * ry) / d2
            out[k, 0] = alpha[j] * (proj * rx - ex) * inv3
            out[k, 1] = alpha[j] * (proj * ry - ey) * inv3
    return out


#: Serial and parallel builds (see :mod:`nanomag.kernels.variants`).
DIPOLE_PAIR_FIELDS = serial_and_parallel(_dipole_pair_fields)


@njit(cache=True)
def sum_pair_fields(moment, indptr, indices, pair_fields, n_targets):
    """Total dipolar field at every bar: ``sum_j moment_j * B_{i<-j}``.

    Args:
        moment: (N,) source moment factor (spin, 0 for a vortex bar).
        indptr, indices, pair_fields: CSR by source, as from :data:`DIPOLE_PAIR_FIELDS`.
        n_targets: number of target bars.

    Returns:
        (n_targets, 2) field, T.
    """
    h = np.zeros((n_targets, 2))
    for j in range(indptr.shape[0] - 1):
        m = moment[j]
        if m == 0:
            continue
        for k in range(indptr[j], indptr[j + 1]):
            i = indices[k]
            h[i, 0] += m * pair_fields[k, 0]
            h[i, 1] += m * pair_fields[k, 1]
    return h
