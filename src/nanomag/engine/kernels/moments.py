"""The one way a bar's moment changes: update its neighbours' dipolar field and the moment sum."""

from __future__ import annotations

from numba import njit


@njit(cache=True)
def change_moment(bars, coupling, spin, vortex, h_dip, mag, i, new_spin, new_vortex):
    """Set bar ``i`` to (``new_spin``, ``new_vortex``), updating its neighbours' dipolar field and
    the moment sum by the change of its moment factor ``spin * (vortex == 0)``."""
    old = spin[i] if vortex[i] == 0 else 0
    new = new_spin if new_vortex == 0 else 0
    spin[i] = new_spin
    vortex[i] = new_vortex
    delta = float(new - old)
    if delta == 0.0:
        return
    mag[0] += delta * bars.weights[i] * bars.axes[i, 0]
    mag[1] += delta * bars.weights[i] * bars.axes[i, 1]
    indptr, indices, pair_fields = coupling.indptr, coupling.indices, coupling.pair_fields
    for k in range(indptr[i], indptr[i + 1]):
        t = indices[k]
        h_dip[t, 0] += delta * pair_fields[k, 0]
        h_dip[t, 1] += delta * pair_fields[k, 1]
