"""Information processing capacity (Dambre, Verstraeten, Schrauwen & Massar, Sci. Rep. 2, 514
(2012)).

For i.i.d. inputs ``u`` uniform on [-1, 1], the capacity of a reservoir for a target ``y`` is the
fraction of its variance a linear readout of the states can reproduce,
``C[y] = 1 - min_w <(y - X w)^2> / <y^2>``.  The targets are the orthogonal basis of products of
Legendre polynomials of past inputs, ``y(t) = prod_k P_{d_k}(u(t - k))``, one per multiset of
(delay, degree) with total degree ``sum d_k`` from 1 to ``max_degree`` and delays 0 to
``max_delay``.  Degree 1 is the linear memory; for a reservoir with fading memory the capacities
over the whole basis sum to the number of linearly independent state variables.

All targets share one orthogonal factorisation of the (centred) state matrix.  A finite sample
gives every target a spurious capacity of about ``rank / T``; capacities below the
``1 - p_value`` quantile of ``chi^2(rank) / T`` are set to 0, as Dambre et al. do.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations_with_replacement
from math import comb

import numpy as np
from numpy.polynomial import legendre
from scipy.stats import chi2

from nanomag._validate import as_float_array, check_memory, in_range, positive_int


@dataclass(frozen=True)
class InformationCapacity:
    """Capacities per basis function.

    Attributes:
        basis: for each target, its ``((delay, degree), ...)`` factors.
        degree: (M,) total degree of each target.
        capacity: (M,) capacity in [0, 1] after the significance cut.
        by_degree: (max_degree,) summed capacity of each total degree (1 = linear memory).
        total: sum of all capacities.
        rank: numerical rank of the state matrix (the bound on ``total``).
    """

    basis: tuple[tuple[tuple[int, int], ...], ...]
    degree: np.ndarray
    capacity: np.ndarray
    by_degree: np.ndarray
    total: float
    rank: int


def legendre_basis(max_degree: int, max_delay: int) -> tuple[tuple[tuple[int, int], ...], ...]:
    """Every product basis function of total degree 1..``max_degree`` over delays
    0..``max_delay``, as ``((delay, degree), ...)`` with increasing delays."""
    out = []
    for total in range(1, max_degree + 1):
        for delays in combinations_with_replacement(range(max_delay + 1), total):
            counts = np.bincount(delays)
            out.append(tuple((int(k), int(d)) for k, d in enumerate(counts) if d))
    return tuple(out)


def _targets(inputs: np.ndarray, basis, rows: slice, max_degree: int) -> np.ndarray:
    """(n_rows, M) values of the basis functions at the time steps ``rows``."""
    t = np.arange(inputs.shape[0])[rows]
    # P_0 .. P_max_degree of every input value, (max_degree + 1, T)
    table = np.stack([legendre.legval(inputs, np.eye(max_degree + 1)[d])
                      for d in range(max_degree + 1)])
    y = np.ones((t.size, len(basis)))
    for j, factors in enumerate(basis):  # M targets, each a product of a few factors
        for delay, degree in factors:
            y[:, j] *= table[degree, t - delay]
    return y


def information_processing_capacity(
    states,
    inputs,
    *,
    max_degree: int = 3,
    max_delay: int = 10,
    washout: int | None = None,
    p_value: float = 1e-4,
    rtol: float = 1e-10,
) -> InformationCapacity:
    """Information processing capacity of ``states`` (T, n) driven by ``inputs`` (T,).

    Args:
        states: reservoir observations, one row per input.
        inputs: i.i.d. inputs uniform on [-1, 1] (required by the Legendre basis).
        max_degree: largest total degree of the basis functions.
        max_delay: largest delay (samples) in the basis functions.
        washout: leading rows left out (default ``max_delay``; at least ``max_delay``).
        p_value: significance of the finite-sample cut.
        rtol: relative singular-value cut for the rank of the centred states.
    """
    x = as_float_array(states, "states", (None, None))
    u = as_float_array(inputs, "inputs (one per row of states)", (x.shape[0],))
    if np.any(np.abs(u) > 1.0):
        raise ValueError("inputs must lie in [-1, 1] (i.i.d. uniform) for the Legendre basis")
    max_degree = positive_int(max_degree, "max_degree")
    max_delay = positive_int(max_delay, "max_delay", allow_zero=True)
    washout = max_delay if washout is None else positive_int(washout, "washout", allow_zero=True)
    if washout < max_delay:
        raise ValueError(f"washout ({washout}) must be >= max_delay ({max_delay})")
    p_value = in_range(p_value, "p_value", 0.0, 1.0, low_open=True, high_open=True)
    rtol = in_range(rtol, "rtol", 0.0, 1.0, low_open=True)
    rows = slice(washout, None)
    n = x.shape[0] - washout
    if n < 2 * x.shape[1] + 10:
        raise ValueError(f"states has {x.shape[0]} rows: too short for {x.shape[1]} channels "
                         f"after a washout of {washout} (at least max_delay={max_delay})")
    # monomials of total degree 1..max_degree in max_delay + 1 delayed inputs (capped so that
    # the estimate stays a float)
    n_basis = min(comb(max_delay + 1 + max_degree, max_degree) - 1, 10**100)
    check_memory(n_basis * n, 16, "max_degree and max_delay", "target values")
    peak = np.max(np.abs(x[rows])) if x[rows].size else 0.0
    x = x / peak if peak > 0 else x  # the capacities do not depend on the units of the states
    centred = x[rows] - x[rows].mean(axis=0)
    left, sing, _ = np.linalg.svd(centred, full_matrices=False)
    rank = int(np.sum(sing > rtol * max(sing[0], 1e-300))) if sing.size else 0
    q = left[:, :rank]
    basis = legendre_basis(max_degree, max_delay)
    y = _targets(u, basis, rows, max_degree)
    y -= y.mean(axis=0)
    explained = np.sum((q.T @ y) ** 2, axis=0)
    capacity = explained / np.sum(y * y, axis=0)
    capacity[capacity < chi2.isf(p_value, max(rank, 1)) / n] = 0.0
    degree = np.array([sum(d for _, d in factors) for factors in basis])
    by_degree = np.bincount(degree - 1, weights=capacity, minlength=max_degree)
    return InformationCapacity(basis, degree, capacity, by_degree, float(capacity.sum()), rank)
