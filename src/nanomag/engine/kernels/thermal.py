"""Thermally activated switching: Arrhenius rates and rejection-free kinetic Monte Carlo.

Barrier of a macrospin (J), with ``A`` the astroid value of its field and ``g`` its gamma:

    dE = E0 (1 - A^(g/2))^2     field opposing the moment (h_par < 0), A < 1,
    dE = E0 (1 + A^(g/2))^2     field along the moment,

which along the easy axis is Neel-Brown's ``E0 (1 -+ h/h_k)^2`` with ``h_k = b hc`` and
``E0 = Ms V b hc / 2``.  Rate ``nu = f0 exp(-dE / kT)``.
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np
from numba import njit

from nanomag.engine.kernels.moments import change_moment
from nanomag.engine.kernels.priority import heap_set
from nanomag.engine.kernels.rng import uniform
from nanomag.engine.kernels.switching import astroid_value, cascade, local_fields, switching_energy
from nanomag.engine.kernels.vortex import reversal_chirality

#: e0 (N,) zero-field barrier J; inv_kt 1/(kB T) 1/J; attempt_frequency Hz; duration of one
#: field step s; rng (1,) uint64 state.
Thermal = namedtuple("Thermal", "e0 inv_kt attempt_frequency duration rng")


@njit(cache=True)
def rate(bars, thermal, spin, vortex, h_dip, h_ext, i):
    """Arrhenius switching rate of bar ``i``, Hz (0 for a vortex)."""
    if vortex[i] != 0:
        return 0.0
    h_par, h_perp = local_fields(bars.axes, spin, h_dip, h_ext, i)
    drive = astroid_value(bars.hc, bars.b, bars.c, bars.beta, bars.gamma, i, h_par, h_perp)
    drive = drive ** (0.5 * bars.gamma[i])
    if h_par < 0.0:
        if drive >= 1.0:
            return thermal.attempt_frequency
        drive = -drive
    barrier = thermal.e0[i] * (1.0 + drive) ** 2
    return thermal.attempt_frequency * np.exp(-barrier * thermal.inv_kt)


@njit(cache=True)
def _fenwick_build(values, tree):
    n = values.shape[0]
    tree[:] = 0.0
    for i in range(n):
        j = i + 1
        tree[j] += values[i]
        parent = j + (j & -j)
        if parent <= n:
            tree[parent] += tree[j]


@njit(cache=True)
def _fenwick_add(tree, i, delta):
    j = i + 1
    while j < tree.shape[0]:
        tree[j] += delta
        j += j & -j


@njit(cache=True)
def _fenwick_find(tree, target):
    """Smallest index whose prefix sum exceeds ``target``."""
    n = tree.shape[0] - 1
    pos = 0
    step = 1
    while step * 2 <= n:
        step *= 2
    while step > 0:
        nxt = pos + step
        if nxt <= n and tree[nxt] <= target:
            pos = nxt
            target -= tree[nxt]
        step //= 2
    return min(pos, n - 1)


@njit(cache=True)
def _rerate(bars, thermal, spin, vortex, h_dip, h_ext, rates, tree, bar):
    """Refresh the rate of ``bar`` in ``rates`` and the Fenwick ``tree``; returns the change."""
    new = rate(bars, thermal, spin, vortex, h_dip, h_ext, bar)
    delta = new - rates[bar]
    _fenwick_add(tree, bar, delta)
    rates[bar] = new
    return delta


@njit(cache=True)
def thermal_hold(bars, coupling, vortex_rules, thermal, heap, spin, vortex, h_dip, h_ext, mag,
                 max_flips):
    """Hold the field for ``thermal.duration`` seconds: thermally activated reversals drawn by
    rejection-free kinetic Monte Carlo, each followed by the athermal avalanche it triggers.
    ``heap`` (empty) is the scratch heap of :func:`~nanomag.engine.kernels.switching.cascade`.

    Returns the number of reversals (``max_flips`` if it stopped there).
    """
    n = spin.shape[0]
    indptr, indices = coupling.indptr, coupling.indices
    keys, order, where, size = heap
    rates = np.empty(n)
    for i in range(n):
        rates[i] = rate(bars, thermal, spin, vortex, h_dip, h_ext, i)
    tree = np.zeros(n + 1)
    _fenwick_build(rates, tree)
    total = rates.sum()
    log = np.empty(n, np.int64)
    t = 0.0
    flips = 0
    while total > 0.0 and flips < max_flips:
        t += -np.log(uniform(thermal.rng)) / total
        if t > thermal.duration:
            break
        j = _fenwick_find(tree, uniform(thermal.rng) * total)
        chirality = reversal_chirality(vortex_rules, coupling, vortex, h_dip, h_ext, j, -spin[j])
        change_moment(bars, coupling, spin, vortex, h_dip, mag, j, -spin[j], chirality)
        for k in range(indptr[j], indptr[j + 1]):
            nb = indices[k]
            e = switching_energy(bars.axes, bars.hc, bars.b, bars.c, bars.beta, bars.gamma,
                                 spin, vortex, h_dip, h_ext, nb)
            if e > 0.0:
                heap_set(keys, order, where, size, nb, e)
        avalanche = cascade(bars, coupling, vortex_rules, heap, spin, vortex, h_dip, h_ext,
                            mag, max_flips - flips - 1, log)
        flips += 1 + avalanche
        # the reversed bars and their neighbours have new rates
        for m in range(-1, min(avalanche, n)):
            src = j if m < 0 else log[m]
            total += _rerate(bars, thermal, spin, vortex, h_dip, h_ext, rates, tree, src)
            for k in range(indptr[src], indptr[src + 1]):
                total += _rerate(bars, thermal, spin, vortex, h_dip, h_ext, rates, tree,
                                 indices[k])
        total = max(total, 0.0)
    return flips
