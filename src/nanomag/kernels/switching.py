"""Athermal switching of macrospins under the generalized Stoner-Wohlfarth (GSW) astroid.

All kernels take flat arrays (SoA); fields in tesla.  The relaxation flips, one at a time,
the bar with the largest switching energy until no bar can flip (flatspin's ``max`` order),
and updates the dipolar field of the flipped bar's neighbours incrementally.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from nanomag.kernels.priority import heap_new, heap_pop, heap_push

NOT_FLIPPABLE = -1.0
#: A bar can switch only if its parallel field is below -PAR_TOL (T): a guard against
#: rounding-level fields (flatspin uses the same value).
PAR_TOL = 1e-12
#: Intervals of the tabulated astroid boundary used to reject bars far from switching.
BOUNDARY_INTERVALS = 1024


@njit(cache=True, inline="always")
def switching_energy(hx, hy, ax, ay, s, hc, b, c, beta, gamma):
    """GSW switching energy of one bar; > 0 means the bar switches.

    ``h_par = s h.e`` and ``h_perp = s h.e_perp`` with ``e`` the axis and ``e_perp`` the axis
    turned +90 deg.  Energy ``(h_par/(b hc))^(2/gamma) + (h_perp/(c hc))^(2/beta) - 1``, and
    only a bar whose field opposes it (``h_par < -PAR_TOL``) may switch; others return -1.
    """
    h_par = s * (hx * ax + hy * ay)
    if h_par >= -PAR_TOL:
        return NOT_FLIPPABLE
    h_perp = s * (hy * ax - hx * ay)
    u = h_par / (b * hc)
    v = h_perp / (c * hc)
    return (u * u) ** (1.0 / gamma) + (v * v) ** (1.0 / beta) - 1.0


def astroid_boundary(b: float, c: float, beta: float, gamma: float) -> np.ndarray:
    """Tabulated astroid boundary ``X(y) = b (1 - (y/c)^(2/beta))^(gamma/2)`` in units of hc.

    Sampled at ``y_k = c k / BOUNDARY_INTERVALS``, k = 0..BOUNDARY_INTERVALS.  A bar with
    reduced fields ``x = |h_par|/hc``, ``y = |h_perp|/hc`` switches iff ``x > X(y)``.
    """
    y = np.linspace(0.0, 1.0, BOUNDARY_INTERVALS + 1)
    return b * np.clip(1.0 - y ** (2.0 / beta), 0.0, None) ** (gamma / 2.0)


@njit(cache=True, inline="always")
def may_switch(h_par, h_perp, hc, c, boundary):
    """Cheap pre-test: False only if the bar is certainly inside the astroid.

    ``X`` decreases with ``y``, so on the table interval holding ``y`` the boundary is at
    least its right-end value; a margin covers rounding in the table.
    """
    y = abs(h_perp) / (c * hc)
    k = int(y * BOUNDARY_INTERVALS)
    if k >= BOUNDARY_INTERVALS:
        return True
    return -h_par / hc > boundary[k + 1] * (1.0 - 1e-9) - 1e-12


@njit(cache=True, parallel=True)
def bar_energies(spin, vortex, h_dip, h_ext, axes, hc, b, c, beta, gamma, out):
    """Switching energy of every bar into ``out`` (vortex bars: -1)."""
    for i in prange(spin.shape[0]):
        if vortex[i] != 0:
            out[i] = NOT_FLIPPABLE
        else:
            out[i] = switching_energy(
                h_ext[i, 0] + h_dip[i, 0], h_ext[i, 1] + h_dip[i, 1],
                axes[i, 0], axes[i, 1], spin[i], hc[i], b[i], c[i], beta[i], gamma[i],
            )


@njit(cache=True)
def relax_max(spin, vortex, h_dip, h_ext, axes, hc, b, c, beta, gamma, shape_class, boundaries,
              indptr, indices, pair_fields, weights, mag, max_flips):
    """Flip the most-eligible bar until none can flip.

    Mutates ``spin``, ``h_dip`` (incrementally, over the flipped bar's CSR row) and ``mag``
    (the (2,) weighted moment sum, incrementally).  ``boundaries[shape_class[i]]`` is the
    tabulated astroid of bar ``i`` (:func:`astroid_boundary`).

    Returns:
        number of flips; equal to ``max_flips`` if relaxation stopped there.
    """
    n = spin.shape[0]
    keys, bars, stamps = heap_new(64)
    size = 0
    stamp = np.zeros(n, np.int64)
    for i in range(n):
        if vortex[i] != 0:
            continue
        hx = h_ext[i, 0] + h_dip[i, 0]
        hy = h_ext[i, 1] + h_dip[i, 1]
        h_par = spin[i] * (hx * axes[i, 0] + hy * axes[i, 1])
        if h_par >= -PAR_TOL:
            continue
        h_perp = spin[i] * (hy * axes[i, 0] - hx * axes[i, 1])
        if not may_switch(h_par, h_perp, hc[i], c[i], boundaries[shape_class[i]]):
            continue
        e = switching_energy(hx, hy, axes[i, 0], axes[i, 1], spin[i], hc[i], b[i], c[i],
                             beta[i], gamma[i])
        if e > 0.0:
            keys, bars, stamps, size = heap_push(keys, bars, stamps, size, e, i, 0)
    flips = 0
    while size > 0:
        key, i, st, size = heap_pop(keys, bars, stamps, size)
        if st != stamp[i]:
            continue
        if flips == max_flips:
            break
        s_new = -spin[i]
        spin[i] = s_new
        stamp[i] += 1
        flips += 1
        two_s = 2.0 * s_new
        mag[0] += two_s * weights[i] * axes[i, 0]
        mag[1] += two_s * weights[i] * axes[i, 1]
        for k in range(indptr[i], indptr[i + 1]):
            t = indices[k]
            h_dip[t, 0] += two_s * pair_fields[k, 0]
            h_dip[t, 1] += two_s * pair_fields[k, 1]
            if vortex[t] != 0:
                continue
            stamp[t] += 1
            e = switching_energy(
                h_ext[t, 0] + h_dip[t, 0], h_ext[t, 1] + h_dip[t, 1],
                axes[t, 0], axes[t, 1], spin[t], hc[t], b[t], c[t], beta[t], gamma[t],
            )
            if e > 0.0:
                keys, bars, stamps, size = heap_push(keys, bars, stamps, size, e, t, stamp[t])
    return flips


@njit(cache=True)
def moment_sum(spin, vortex, axes, weights):
    """(2,) sum of ``weights_i s_i e_i`` over macrospin bars."""
    m = np.zeros(2)
    for i in range(spin.shape[0]):
        if vortex[i] == 0:
            m[0] += weights[i] * spin[i] * axes[i, 0]
            m[1] += weights[i] * spin[i] * axes[i, 1]
    return m


@njit(cache=True)
def run_protocol(spin, vortex, h_dip, fields, axes, hc, b, c, beta, gamma, shape_class,
                 boundaries, indptr, indices, pair_fields, weights, states, max_flips):
    """Apply each field of ``fields`` in turn and relax.

    Args:
        fields: (T, N, 2) external field per step and bar, T (a broadcast view is fine).
        weights: (N,) moment weights (normalised volumes).
        states: (T, N) int8 array to record spins into, or (0, N) to record nothing.

    Returns:
        ``(mag (T, 2), flips (T,))``, stopping after a step that reached ``max_flips``.
    """
    n_steps = fields.shape[0]
    mag_t = np.empty((n_steps, 2))
    flips = np.empty(n_steps, np.int64)
    mag = moment_sum(spin, vortex, axes, weights)
    record = states.shape[0] == n_steps
    for t in range(n_steps):
        flips[t] = relax_max(spin, vortex, h_dip, fields[t], axes, hc, b, c, beta, gamma,
                             shape_class, boundaries, indptr, indices, pair_fields, weights, mag,
                             max_flips)
        mag_t[t, 0] = mag[0]
        mag_t[t, 1] = mag[1]
        if record:
            states[t, :] = spin
        if flips[t] >= max_flips:
            return mag_t[: t + 1], flips[: t + 1]
    return mag_t, flips
