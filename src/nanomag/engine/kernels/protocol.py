"""Field protocols: apply a sequence of fields, relaxing (and optionally holding at finite
temperature) after each, entirely inside one compiled loop.

The kernel is built twice (:func:`protocol_kernel` picks one): the athermal build never
compiles the thermal machinery, which takes about as long to compile as the rest.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from nanomag.engine.kernels.priority import heap_arrays
from nanomag.engine.kernels.switching import moment_sum, relax_max
from nanomag.engine.kernels.thermal import Thermal, thermal_hold
from nanomag.kernels.variants import twin


@njit(cache=True)
def no_hold(bars, coupling, vortex_rules, thermal, heap, spin, vortex, h_dip, h_ext, mag,
            max_flips):
    """The athermal stand-in for :func:`~nanomag.engine.kernels.thermal.thermal_hold`: no reversal."""
    return 0


def run_protocol(bars, coupling, vortex_rules, thermal, spin, vortex, h_dip, fields, record_at,
                 states, vortex_states, max_flips):
    """Apply each field of ``fields`` in turn: vortex annihilation and athermal relaxation,
    then (thermal build) a thermal hold of ``thermal.duration`` seconds.

    Args:
        fields: (T, N, 2) external field per step and bar, T (a broadcast view is fine).
        record_at: (T,) row of ``states`` / ``vortex_states`` to record each step into, -1 for none.
        states, vortex_states: (R, N) int8 arrays receiving spin and vortex of recorded steps.
        max_flips: cap on flips per step.

    Returns:
        ``(mag (T, 2), flips (T,), n_vortex (T,))``, stopping after a step that reached
        ``max_flips``.
    """
    n_steps, n = fields.shape[0], spin.shape[0]
    mag_t = np.empty((n_steps, 2))
    flips = np.empty(n_steps, np.int64)
    n_vortex = np.empty(n_steps, np.int64)
    mag = moment_sum(bars, spin, vortex)
    heap = heap_arrays(n)
    for t in range(n_steps):
        h_ext = fields[t]
        count = relax_max(bars, coupling, vortex_rules, heap, spin, vortex, h_dip, h_ext, mag,
                          max_flips)
        if count < max_flips:
            count += thermal_hold(bars, coupling, vortex_rules, thermal, heap, spin, vortex,
                                  h_dip, h_ext, mag, max_flips - count)
        flips[t] = count
        mag_t[t, 0] = mag[0]
        mag_t[t, 1] = mag[1]
        # element loops: a row assignment compiles numba's shape-mismatch error message, which
        # takes several times longer than the loop
        vortices = 0
        row = record_at[t]
        for i in range(n):
            vortices += vortex[i] != 0
            if row >= 0:
                states[row, i] = spin[i]
                vortex_states[row, i] = vortex[i]
        n_vortex[t] = vortices if vortex_rules.active else 0
        if count >= max_flips:
            return mag_t[: t + 1], flips[: t + 1], n_vortex[: t + 1]
    return mag_t, flips, n_vortex


#: The thermal and the athermal build of :func:`run_protocol`.
RUN_PROTOCOL_THERMAL = njit(cache=True)(run_protocol)
RUN_PROTOCOL_ATHERMAL = njit(cache=True)(twin(run_protocol, "athermal", thermal_hold=no_hold))


def thermal_active(thermal: Thermal) -> bool:
    """Whether ``thermal`` holds each field step at a finite temperature for a positive time."""
    return bool(0.0 < thermal.inv_kt < np.inf and thermal.duration > 0.0)


def protocol_kernel(thermal: bool):
    """The build of :func:`run_protocol` to run: the thermal one if ``thermal`` (see
    :func:`thermal_active`), else the athermal one."""
    return RUN_PROTOCOL_THERMAL if thermal else RUN_PROTOCOL_ATHERMAL
