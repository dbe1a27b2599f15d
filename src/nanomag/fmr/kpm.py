"""Kernel-polynomial (Chebyshev) estimate of a projected spectral density.

For a symmetric matrix ``S~`` with spectrum inside [-1, 1] and fixed vectors ``b``, ``c``
the moments ``mu_n = c . T_n(S~) b`` define the density
``rho(x) = sum_k (c . v_k)(v_k . b) delta(x - x_k)`` over the eigenpairs ``(x_k, v_k)``.
Truncated at ``M`` moments and damped by the Jackson kernel, the reconstruction is a
positive, ``pi / M``-wide smoothing of ``rho`` when ``c = b``.  It is evaluated as weights on
the ``K`` Chebyshev-Gauss nodes ``x_j = cos(pi (j + 1/2) / K)``; those weights sum exactly to
``mu_0`` (the total weight ``c . b``), because ``sum_j T_n(x_j) = 0`` for ``0 < n < 2K``.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange
from scipy.fft import dct

from nanomag.kernels.variants import pick, serial_and_parallel, twin


def _rescaled_matvec(indptr, indices, data, x, out):
    """out = S~ x for S~ in CSR form."""
    for i in prange(indptr.shape[0] - 1):
        acc = 0.0
        for k in range(indptr[i], indptr[i + 1]):
            acc += data[k] * x[indices[k]]
        out[i] = acc


@njit(cache=True)
def _project(c, x, row):
    """row[p] = c[p] . x for each of the P rows of ``c``."""
    for p in range(c.shape[0]):
        acc = 0.0
        for i in range(x.shape[0]):
            acc += c[p, i] * x[i]
        row[p] = acc


def _chebyshev_moments(indptr, indices, data, b, c, n_moments):
    """(M, P) moments ``c[p] . T_n(S~) b`` for n < M = ``n_moments``.

    ``S~`` is in CSR form with its spectrum in [-1, 1]; ``b`` is (N,), ``c`` is (P, N).
    """
    mu = np.empty((n_moments, c.shape[0]))
    previous = b.copy()
    current = np.empty_like(b)
    following = np.empty_like(b)
    _project(c, previous, mu[0])
    if n_moments == 1:
        return mu
    _rescaled_matvec(indptr, indices, data, previous, current)
    _project(c, current, mu[1])
    for n in range(2, n_moments):
        _rescaled_matvec(indptr, indices, data, current, following)
        following *= 2.0
        following -= previous
        _project(c, following, mu[n])
        previous, current, following = current, following, previous
    return mu


_MATVEC = serial_and_parallel(_rescaled_matvec)
#: Serial and parallel builds of :func:`_chebyshev_moments` (the parallel one multiplies by
#: ``S~`` with all threads; see :mod:`nanomag.kernels.variants`).
CHEBYSHEV_MOMENTS = tuple(njit(cache=True)(twin(_chebyshev_moments, suffix,
                                                _rescaled_matvec=matvec))
                          for suffix, matvec in zip(("serial", "parallel"), _MATVEC))


def chebyshev_moments(indptr: np.ndarray, indices: np.ndarray, data: np.ndarray, b: np.ndarray,
                      c: np.ndarray, n_moments: int) -> np.ndarray:
    """(M, P) moments ``c[p] . T_n(S~) b`` for n < M = ``n_moments`` (see
    :func:`_chebyshev_moments`), multiplying with all threads for large matrices only."""
    moments = pick(CHEBYSHEV_MOMENTS, indices.shape[0])
    return moments(indptr, indices, data, b, c, n_moments)


def jackson_kernel(n_moments: int) -> np.ndarray:
    """(M,) Jackson damping factors g_n (g_0 = 1)."""
    m = n_moments + 1
    n = np.arange(n_moments)
    q = np.pi / m
    return ((m - n) * np.cos(q * n) + np.sin(q * n) / np.tan(q)) / m


def node_weights(moments: np.ndarray, n_nodes: int) -> tuple[np.ndarray, np.ndarray]:
    """Chebyshev-Gauss nodes (K,) in [-1, 1] and the Jackson-damped density weight on each.

    Args:
        moments: (M,) or (M, P) Chebyshev moments (P densities sharing the nodes).
        n_nodes: K >= M.
    Returns:
        ``(x, w)``: nodes ``cos(pi (j + 1/2) / K)`` and (K,) or (K, P) weights summing to
        ``moments[0]``.
    """
    n_moments = moments.shape[0]
    if n_nodes < n_moments:
        raise ValueError(f"n_nodes ({n_nodes}) must be >= the number of moments ({n_moments})")
    damped = moments * jackson_kernel(n_moments).reshape((-1,) + (1,) * (moments.ndim - 1))
    padded = np.zeros((n_nodes,) + moments.shape[1:])
    padded[:n_moments] = damped
    weights = dct(padded, type=3, axis=0) / n_nodes  # g0 mu0 + 2 sum g_n mu_n cos(n theta_j)
    x = np.cos(np.pi * (np.arange(n_nodes) + 0.5) / n_nodes)
    return x, weights
