"""Switching of macrospins under the generalized Stoner-Wohlfarth (GSW) astroid.

Kernels over flat arrays, grouped in named tuples so that signatures stay short and another
backend can provide the same functions:

* ``Bars``: per-bar constants (axes, thresholds, astroid shapes, moment weights).
* ``Coupling``: the dipolar pair fields in CSR form, rows indexed by the *source* bar.
* the mutable state: ``spin`` (int8, +-1), ``vortex`` (int8, 0 = macrospin), ``h_dip`` (N, 2)
  and ``mag`` (2,), the weighted moment sum.

Relaxation flips, one at a time, the bar with the largest switching energy until no bar can
flip (flatspin's ``max`` order), and updates the dipolar field of the flipped bar's
neighbours incrementally.  Fields in tesla.
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np
from numba import njit, prange

from nanomag.engine.kernels.moments import change_moment
from nanomag.engine.kernels.priority import heap_pop, heap_remove, heap_set
from nanomag.engine.kernels.vortex import annihilate, reversal_chirality
from nanomag.kernels.variants import serial_and_parallel

NOT_FLIPPABLE = -1.0
#: A bar can switch only if its parallel field is below -PAR_TOL (T): a guard against
#: rounding-level fields (flatspin uses the same value).
PAR_TOL = 1e-12
#: Intervals of the tabulated astroid boundary used to reject bars far from switching.
BOUNDARY_INTERVALS = 1024

Bars = namedtuple("Bars", "axes hc b c beta gamma shape_class boundaries weights")
Coupling = namedtuple("Coupling", "indptr indices pair_fields")


def astroid_boundary(b: float, c: float, beta: float, gamma: float) -> np.ndarray:
    """Tabulated astroid boundary ``X(y) = b (1 - (y/c)^(2/beta))^(gamma/2)`` in units of hc.

    Sampled at ``y_k = c k / BOUNDARY_INTERVALS``, k = 0..BOUNDARY_INTERVALS.  A bar with
    reduced fields ``x = |h_par|/hc``, ``y = |h_perp|/hc`` switches iff ``x > X(y)``.
    """
    y = np.linspace(0.0, 1.0, BOUNDARY_INTERVALS + 1)
    return b * np.clip(1.0 - y ** (2.0 / beta), 0.0, None) ** (gamma / 2.0)


# The helpers below take plain arrays: numba passes a named tuple of arrays to a
# non-inlined call with a reference-count update per member, which costs ~100x in the scan.

@njit(cache=True, inline="always")
def local_fields(axes, spin, h_dip, h_ext, i):
    """``(h_par, h_perp)`` of bar ``i``: the total field projected on ``s e`` and on ``s e``
    turned +90 deg, T."""
    hx = h_ext[i, 0] + h_dip[i, 0]
    hy = h_ext[i, 1] + h_dip[i, 1]
    s = spin[i]
    return s * (hx * axes[i, 0] + hy * axes[i, 1]), s * (hy * axes[i, 0] - hx * axes[i, 1])


@njit(cache=True, inline="always")
def astroid_value(hc, b, c, beta, gamma, i, h_par, h_perp):
    """``(h_par/(b hc))^(2/gamma) + (h_perp/(c hc))^(2/beta)`` of bar ``i``: 1 on the astroid."""
    u = h_par / (b[i] * hc[i])
    v = h_perp / (c[i] * hc[i])
    return (u * u) ** (1.0 / gamma[i]) + (v * v) ** (1.0 / beta[i])


@njit(cache=True, inline="always")
def switching_energy(axes, hc, b, c, beta, gamma, spin, vortex, h_dip, h_ext, i):
    """GSW switching energy of bar ``i``: astroid value - 1; > 0 means the bar switches.
    Only a macrospin whose field opposes it (``h_par < -PAR_TOL``) may switch; others get -1."""
    if vortex[i] != 0:
        return NOT_FLIPPABLE
    h_par, h_perp = local_fields(axes, spin, h_dip, h_ext, i)
    if h_par >= -PAR_TOL:
        return NOT_FLIPPABLE
    return astroid_value(hc, b, c, beta, gamma, i, h_par, h_perp) - 1.0


@njit(cache=True, inline="always")
def inside_astroid(hc, c, shape_class, boundaries, i, h_par, h_perp):
    """Cheap pre-test: True only if bar ``i`` (with ``h_par < 0``) is certainly inside its astroid.

    The tabulated boundary ``X`` decreases with ``y``, so on the table interval holding ``y``
    it is at least its right-end value; a margin covers rounding in the table.
    """
    y = abs(h_perp) / (c[i] * hc[i])
    k = int(y * BOUNDARY_INTERVALS)
    if k >= BOUNDARY_INTERVALS:
        return False
    return -h_par / hc[i] <= boundaries[shape_class[i], k + 1] * (1.0 - 1e-9) - 1e-12


def _bar_energies(bars, spin, vortex, h_dip, h_ext, out):
    """Switching energy of every bar into ``out``."""
    axes, hc, b, c, beta, gamma = bars.axes, bars.hc, bars.b, bars.c, bars.beta, bars.gamma
    for i in prange(spin.shape[0]):
        out[i] = switching_energy(axes, hc, b, c, beta, gamma, spin, vortex, h_dip, h_ext, i)


#: Serial and parallel builds (see :mod:`nanomag.kernels.variants`).
BAR_ENERGIES = serial_and_parallel(_bar_energies)


@njit(cache=True)
def cascade(bars, coupling, vortex_rules, heap, spin, vortex, h_dip, h_ext, mag, max_flips, log):
    """Reverse the most-eligible bar and re-rate its neighbours, until no bar can switch.

    ``heap`` (``(keys, bars, where, size)``, :mod:`nanomag.engine.kernels.priority`) holds every bar
    that can switch, keyed by its switching energy; it is left empty.  A reversing bar may end
    as a vortex (``vortex_rules``, :mod:`nanomag.engine.kernels.vortex`).  Reversed bars are written
    to ``log`` while it has room.

    Returns:
        the number of reversals (``max_flips`` if the cascade stopped there).
    """
    axes, hc, b, c, beta, gamma = bars.axes, bars.hc, bars.b, bars.c, bars.beta, bars.gamma
    indptr, indices = coupling.indptr, coupling.indices
    keys, order, where, size = heap
    flips = 0
    while size[0] > 0 and flips < max_flips:
        i = heap_pop(keys, order, where, size)
        chirality = reversal_chirality(vortex_rules, coupling, vortex, h_dip, h_ext, i, -spin[i])
        change_moment(bars, coupling, spin, vortex, h_dip, mag, i, -spin[i], chirality)
        if flips < log.shape[0]:
            log[flips] = i
        flips += 1
        for k in range(indptr[i], indptr[i + 1]):
            t = indices[k]
            e = switching_energy(axes, hc, b, c, beta, gamma, spin, vortex, h_dip, h_ext, t)
            if e > 0.0:
                heap_set(keys, order, where, size, t, e)
            elif where[t] >= 0:
                heap_remove(keys, order, where, size, t)
    for slot in range(size[0]):  # stopped at max_flips: leave the heap empty
        where[order[slot]] = -1
    size[0] = 0
    return flips


@njit(cache=True)
def relax_max(bars, coupling, vortex_rules, heap, spin, vortex, h_dip, h_ext, mag, max_flips):
    """Annihilate the vortices whose field exceeds their annihilation field, then reverse the
    most-eligible bar until none can; returns the number of reversals (``max_flips`` if
    relaxation stopped there).  ``heap`` must be empty."""
    annihilate(bars, coupling, vortex_rules, spin, vortex, h_dip, h_ext, mag)
    axes, hc, b, c, beta, gamma = bars.axes, bars.hc, bars.b, bars.c, bars.beta, bars.gamma
    shape_class, boundaries = bars.shape_class, bars.boundaries
    keys, order, where, size = heap
    for i in range(spin.shape[0]):
        if vortex[i] != 0:
            continue
        h_par, h_perp = local_fields(axes, spin, h_dip, h_ext, i)
        if h_par >= -PAR_TOL or inside_astroid(hc, c, shape_class, boundaries, i, h_par, h_perp):
            continue
        e = astroid_value(hc, b, c, beta, gamma, i, h_par, h_perp) - 1.0
        if e > 0.0:
            heap_set(keys, order, where, size, i, e)
    return cascade(bars, coupling, vortex_rules, heap, spin, vortex, h_dip, h_ext, mag,
                   max_flips, np.empty(0, np.int64))


@njit(cache=True)
def moment_sum(bars, spin, vortex):
    """(2,) sum of ``weights_i s_i e_i`` over macrospin bars."""
    m = np.zeros(2)
    for i in range(spin.shape[0]):
        if vortex[i] == 0:
            m[0] += bars.weights[i] * spin[i] * bars.axes[i, 0]
            m[1] += bars.weights[i] * spin[i] * bars.axes[i, 1]
    return m
