"""Vortex states of wide bars (artificial spin-vortex ice).

Rules, all per-bar parameters in the ``VortexRules`` named tuple:

* nucleation: a bar that reverses in a field weaker than its annihilation field ends as a
  vortex (no moment, no stray field) with probability ``min(1, p + neighbor_gain * n_v)``, where ``p`` is ``p_plus`` for a reversal towards +axis and
  ``p_minus`` towards -axis, and ``n_v`` counts vortex bars among its coupling neighbours; the
  chirality (+1 or -1) is drawn with equal odds.  Bars with both probabilities 0 never draw.
* annihilation: at every field step a vortex whose total field exceeds ``annihilation_field``
  (T, magnitude) becomes a macrospin pointing along the field's projection on its axis.
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np
from numba import njit

from nanomag.engine.kernels.moments import change_moment
from nanomag.engine.kernels.rng import uniform

#: active: whether any bar can hold a vortex; p_plus, p_minus (N,) nucleation probability per
#: reversal; neighbor_gain per vortex neighbour; annihilation_field (N,) T (inf: never);
#: rng (1,) uint64 state.
VortexRules = namedtuple("VortexRules",
                         "active p_plus p_minus neighbor_gain annihilation_field rng")


@njit(cache=True)
def reversal_chirality(vortex_rules, coupling, vortex, h_dip, h_ext, i, new_spin):
    """Chirality (+-1) if reversing bar ``i`` towards ``new_spin`` nucleates a vortex, else 0."""
    if vortex_rules.p_plus[i] <= 0.0 and vortex_rules.p_minus[i] <= 0.0:
        return 0  # not a vortex-capable bar: no random draw
    hx = h_ext[i, 0] + h_dip[i, 0]
    hy = h_ext[i, 1] + h_dip[i, 1]
    if np.sqrt(hx * hx + hy * hy) > vortex_rules.annihilation_field[i]:
        return 0  # a vortex would not survive this field
    p = vortex_rules.p_plus[i] if new_spin > 0 else vortex_rules.p_minus[i]
    n_v = 0
    for k in range(coupling.indptr[i], coupling.indptr[i + 1]):
        if vortex[coupling.indices[k]] != 0:
            n_v += 1
    if uniform(vortex_rules.rng) >= min(1.0, p + vortex_rules.neighbor_gain * n_v):
        return 0
    return 1 if uniform(vortex_rules.rng) < 0.5 else -1


@njit(cache=True)
def annihilate(bars, coupling, vortex_rules, spin, vortex, h_dip, h_ext, mag):
    """Turn every vortex whose total field exceeds its annihilation field into a macrospin
    along the field (bar index order); returns how many."""
    count = 0
    if not vortex_rules.active:
        return count
    for i in range(spin.shape[0]):
        if vortex[i] == 0:
            continue
        hx = h_ext[i, 0] + h_dip[i, 0]
        hy = h_ext[i, 1] + h_dip[i, 1]
        if np.sqrt(hx * hx + hy * hy) <= vortex_rules.annihilation_field[i]:
            continue
        along = hx * bars.axes[i, 0] + hy * bars.axes[i, 1]
        new_spin = spin[i] if along == 0.0 else (1 if along > 0.0 else -1)
        # an int64 like the other callers' chirality: one compiled version of change_moment
        change_moment(bars, coupling, spin, vortex, h_dip, mag, i, new_spin, np.int64(0))
        count += 1
    return count
