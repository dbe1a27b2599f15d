"""Field protocols: apply a sequence of fields, relaxing (and optionally holding at finite
temperature) after each, entirely inside one compiled loop."""

from __future__ import annotations

import numpy as np
from numba import njit

from nanomag.kernels.priority import heap_arrays
from nanomag.kernels.switching import moment_sum, relax_max
from nanomag.kernels.thermal import thermal_hold


@njit(cache=True)
def run_protocol(bars, coupling, vortex_rules, thermal, spin, vortex, h_dip, fields, record_at,
                 states, vortex_states, max_flips):
    """Apply each field of ``fields`` in turn: vortex annihilation and athermal relaxation, then,
    if ``thermal.inv_kt`` is finite and > 0, a thermal hold of ``thermal.duration`` seconds.

    Args:
        fields: (T, N, 2) external field per step and bar, T (a broadcast view is fine).
        record_at: (T,) row of ``states`` / ``vortex_states`` to record each step into, -1 for none.
        states, vortex_states: (R, N) int8 arrays receiving spin and vortex of recorded steps.
        max_flips: cap on flips per step.

    Returns:
        ``(mag (T, 2), flips (T,), n_vortex (T,))``, stopping after a step that reached
        ``max_flips``.
    """
    n_steps = fields.shape[0]
    mag_t = np.empty((n_steps, 2))
    flips = np.empty(n_steps, np.int64)
    n_vortex = np.empty(n_steps, np.int64)
    mag = moment_sum(bars, spin, vortex)
    heap = heap_arrays(spin.shape[0])
    hot = thermal.inv_kt > 0.0 and np.isfinite(thermal.inv_kt) and thermal.duration > 0.0
    for t in range(n_steps):
        h_ext = fields[t]
        count = relax_max(bars, coupling, vortex_rules, heap, spin, vortex, h_dip, h_ext, mag,
                          max_flips)
        if hot and count < max_flips:
            count += thermal_hold(bars, coupling, vortex_rules, thermal, heap, spin, vortex,
                                  h_dip, h_ext, mag, max_flips - count)
        flips[t] = count
        mag_t[t, 0] = mag[0]
        mag_t[t, 1] = mag[1]
        n_vortex[t] = np.count_nonzero(vortex) if vortex_rules.active else 0
        row = record_at[t]
        if row >= 0:
            states[row, :] = spin
            vortex_states[row, :] = vortex
        if count >= max_flips:
            return mag_t[: t + 1], flips[: t + 1], n_vortex[: t + 1]
    return mag_t, flips, n_vortex
