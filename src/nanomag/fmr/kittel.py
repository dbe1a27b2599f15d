"""Uniform (Kittel / Smit-Beljers) resonance of a macrospin prism in an in-plane field.

Bar frame: x along the bar's +axis, y in-plane across it, z out of plane.  The moment lies in
the plane at angle ``phi`` from +x; the total in-plane field has components ``b_par`` (along +x)
and ``b_perp`` (along +y), tesla.  With anisotropy fields ``bk_in = mu0 Ms (Ny - Nx)`` and
``bk_out(phi) = mu0 Ms (Nz - Nx cos^2 phi - Ny sin^2 phi)``:

    equilibrium   b_par sin(phi) - b_perp cos(phi) + (bk_in / 2) sin(2 phi) = 0
    stiffnesses   B1 = b_par cos(phi) + b_perp sin(phi) + bk_in cos(2 phi)
                  B2 = b_par cos(phi) + b_perp sin(phi) + bk_out(phi)
    frequency     f = (gamma / 2 pi) sqrt(B1 B2)
    linewidth     FWHM = damping (gamma / 2 pi) (B1 + B2)

A bar is started on its own direction (``phi = 0`` for spin +1, ``pi`` for spin -1) so both the
parallel and the antiparallel branch are found; where that branch has no stable minimum
(B1 <= 0, beyond the switching field) the frequency is NaN.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from nanomag._validate import as_float_array
from nanomag.materials import MU0, PERMALLOY, Material

_MAX_STEP = 0.3  # rad, damped Newton
_TOL = 1e-10  # rad; Newton converges quadratically, so the last step leaves ~1e-20
_MAX_ITER = 60


@njit(cache=True, fastmath=False)
def macrospin_mode(b_par, b_perp, spin, nx, ny, nz, mu0ms):
    """Equilibrium angle (rad), B1 and B2 (T) of one bar; B1 = NaN if its branch is unstable."""
    bk_in = mu0ms * (ny - nx)
    phi0 = 0.0 if spin > 0 else np.pi
    phi = phi0
    for _ in range(_MAX_ITER):
        s, c = np.sin(phi), np.cos(phi)
        g = b_par * s - b_perp * c + bk_in * s * c
        dg = b_par * c + b_perp * s + bk_in * (c * c - s * s)
        if dg > 0.0:
            step = -g / dg
        else:
            step = -_MAX_STEP * np.sign(g)
        if step > _MAX_STEP:
            step = _MAX_STEP
        elif step < -_MAX_STEP:
            step = -_MAX_STEP
        phi += step
        if abs(step) < _TOL:
            break
    s, c = np.sin(phi), np.cos(phi)
    b_along = b_par * c + b_perp * s
    b1 = b_along + bk_in * (c * c - s * s)
    b2 = b_along + mu0ms * (nz - nx * c * c - ny * s * s)
    if not (b1 > 0.0 and b2 > 0.0 and np.cos(phi - phi0) > 0.0):
        b1 = np.nan
    return phi, b1, b2


@njit(cache=True, parallel=True)
def _kittel_many(b_par, b_perp, spin, nx, ny, nz, mu0ms, phi, b1, b2):
    for i in prange(b_par.shape[0]):
        phi[i], b1[i], b2[i] = macrospin_mode(b_par[i], b_perp[i], spin[i], nx[i], ny[i], nz[i],
                                              mu0ms)


def kittel_mode(
    field_parallel,
    field_perpendicular,
    spin,
    demag_factors,
    material: Material = PERMALLOY,
) -> dict[str, np.ndarray]:
    """Uniform-mode resonance of isolated macrospin bars.

    Args:
        field_parallel: (N,) or scalar in-plane field along each bar's +axis, T.
        field_perpendicular: (N,) or scalar in-plane field across each bar (+90 deg), T.
        spin: (N,) or scalar, +1 or -1: which way the moment points along the axis.
        demag_factors: (3,) or (N, 3) factors (Nx, Ny, Nz) in the bar frame.
        material: Ms, gamma/2pi and damping.

    Returns:
        dict of (N,) arrays: ``frequency`` (Hz, NaN where the branch is unstable), ``fwhm``
        (Hz), ``phi`` (rad, moment angle from the bar's +axis), ``b1`` and ``b2`` (T).
    """
    bpar = np.atleast_1d(as_float_array(field_parallel, "field_parallel"))
    bperp = np.atleast_1d(as_float_array(field_perpendicular, "field_perpendicular"))
    sp = np.atleast_1d(as_float_array(spin, "spin"))
    if not np.all(np.abs(sp) == 1):
        raise ValueError("spin must be +1 or -1")
    nfac = as_float_array(demag_factors, "demag_factors")
    if nfac.shape[-1:] != (3,) or nfac.ndim > 2:
        raise ValueError(f"demag_factors must have shape (3,) or (N, 3), got {nfac.shape}")
    bpar, bperp, sp, nx, ny, nz = np.broadcast_arrays(bpar, bperp, sp, nfac[..., 0],
                                                     nfac[..., 1], nfac[..., 2])
    n = bpar.shape[0]
    phi, b1, b2 = np.empty(n), np.empty(n), np.empty(n)
    _kittel_many(*(np.array(a, dtype=np.float64) for a in (bpar, bperp, sp, nx, ny, nz)),
                 MU0 * material.Ms, phi, b1, b2)
    freq = material.gamma_over_2pi * np.sqrt(b1 * b2)
    fwhm = material.damping * material.gamma_over_2pi * (b1 + b2)
    return {"frequency": freq, "fwhm": fwhm, "phi": phi, "b1": b1, "b2": b2}
