"""Numba kernels: per-bar resonance lines and their Lorentzian sum on a frequency grid.

Lines are stored as (N, K) arrays: centre frequency (Hz), full width at half maximum (Hz)
and weight (0 marks an empty slot).  A line contributes the unit-area Lorentzian
``weight * (hw / pi) / ((f - f0)^2 + hw^2)`` with ``hw = fwhm / 2``, in 1/Hz.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from nanomag.fmr.kittel import macrospin_mode
from nanomag.fmr.line_tables import table_value
from nanomag.fmr.stray import stray_fields
from nanomag.kernels.variants import serial_and_parallel

_BLOCK = 64  # channels per block of the Lorentzian sum


def _bar_lines(angles, nx, ny, nz, weight, spin, vortex, stray, bias, rf, mu0ms, gamma, alpha,
               inhom, bulk_w, edge_w, table_row, bulk_ratio, edge_f, edge_bsum, table_grid,
               vortex_f, vortex_w, f0, fwhm, amp):
    """Fill (N, K) line arrays ``f0``, ``fwhm``, ``amp`` for one bias field.

    angles (rad), nx/ny/nz (effective demag factors), weight (relative volume), spin (+-1),
    vortex (0 = macrospin) and table_row (int, the bar's row of the line tables) are (N,);
    bulk_ratio (the axial correction of the bulk line, NaN: none), edge_f (Hz, NaN: no edge
    line) and edge_bsum (T, ``B1 + B2``) are (G, F) line tables over the fields
    ``table_grid[0] + k table_grid[1]`` (T along the moment);
    stray is (N, 3, 2) neighbour field (T) over bar / front
    tip / back tip; bias and rf are (2,) global vectors (T, unit).  Slot 0 is the bulk line,
    1 and 2 the front/back edge lines; a vortex bar fills slots 0.. with its own lines.
    """
    n, k = f0.shape
    for i in prange(n):
        for s in range(k):
            f0[i, s] = 0.0
            fwhm[i, s] = 1.0
            amp[i, s] = 0.0
        if vortex[i] != 0:
            for s in range(vortex_f.shape[0]):
                f0[i, s] = vortex_f[s]
                fwhm[i, s] = 2.0 * alpha * vortex_f[s] + inhom
                amp[i, s] = vortex_w[s] * weight[i]
            continue
        c, sn = np.cos(angles[i]), np.sin(angles[i])
        bx = bias[0] + stray[i, 0, 0]
        by = bias[1] + stray[i, 0, 1]
        phi, b1, b2 = macrospin_mode(bx * c + by * sn, -bx * sn + by * c, spin[i], nx[i], ny[i],
                                     nz[i], mu0ms)
        if not b1 > 0.0:
            continue  # no stable state on this branch: the bar has switched
        theta = angles[i] + phi
        mx, my = np.cos(theta), np.sin(theta)
        coupling = (rf[1] * mx - rf[0] * my) ** 2  # sin^2(rf angle - moment angle)
        ratio = table_value(bulk_ratio[table_row[i]], table_grid[0], table_grid[1],
                            spin[i] * (bx * c + by * sn))
        f0[i, 0] = gamma * np.sqrt(b1 * b2) * (ratio if ratio > 0.0 else 1.0)
        fwhm[i, 0] = alpha * gamma * (b1 + b2) + inhom
        amp[i, 0] = bulk_w * coupling * weight[i]
        if edge_w == 0.0:
            continue
        for tip in range(2):
            b_tip = (bias[0] + stray[i, 1 + tip, 0]) * mx + (bias[1] + stray[i, 1 + tip, 1]) * my
            row = table_row[i]
            f_edge = table_value(edge_f[row], table_grid[0], table_grid[1], b_tip)
            if not f_edge > 0.0:
                continue  # the end mode is soft here
            f0[i, 1 + tip] = f_edge
            fwhm[i, 1 + tip] = (alpha * gamma
                                * table_value(edge_bsum[row], table_grid[0], table_grid[1],
                                              b_tip)
                                + inhom)
            amp[i, 1 + tip] = 0.5 * edge_w * coupling * weight[i]


def _lorentzian_direct(f0, fwhm, amp, freqs):
    """Exact sum over lines (flat arrays) of weighted unit-area Lorentzians at ``freqs``.

    Each channel sums its lines in their order (so a build compiled in the running process
    and one loaded from numba's cache agree to the last bit); the loop over a block of
    channels inside the loop over lines is what vectorises."""
    m = freqs.shape[0]
    out = np.zeros(m)
    nl = f0.shape[0]
    for block in prange((m + _BLOCK - 1) // _BLOCK):
        lo = block * _BLOCK
        hi = min(m, lo + _BLOCK)
        for line in range(nl):
            hw = 0.5 * fwhm[line]
            a = amp[line] * hw
            h2 = hw * hw
            f = f0[line]
            for c in range(lo, hi):
                d = freqs[c] - f
                out[c] += a / (d * d + h2)
    for c in range(m):
        out[c] /= np.pi
    return out


bar_lines, bar_lines_parallel = serial_and_parallel(_bar_lines)
# no fastmath: a reassociated sum differs in the last bits between a kernel compiled in the
# running process and one loaded from numba's cache, and a series network (one array's
# noisy channel driving the next) turns that round-off into different results
lorentzian_direct, lorentzian_direct_parallel = serial_and_parallel(_lorentzian_direct)


@njit(cache=True)
def bin_lines(f0, fwhm, amp, fine_step, width_ratio):
    """Merge lines onto a grid of (width class, centre frequency) cells.

    Each line is shared linearly among the four cells around it (in frequency, and in log
    width), so the merged set keeps its total weight and mean frequency and differs from the
    exact Lorentzian sum by a relative O(fine_step^2 / 4 + log(width_ratio)^2 / 8).
    ``fine_step`` is the frequency step in units of the narrowest half width and
    ``width_ratio`` the ratio of neighbouring width classes.  Returns flat (f0, fwhm, amp)
    of the non-empty cells, ready for ``lorentzian_direct``.
    """
    fmin, fmax, hmin, hmax = np.inf, -np.inf, np.inf, -np.inf
    for line in range(f0.shape[0]):
        if amp[line] != 0.0:
            fmin = min(fmin, f0[line])
            fmax = max(fmax, f0[line])
            hmin = min(hmin, 0.5 * fwhm[line])
            hmax = max(hmax, 0.5 * fwhm[line])
    if not fmin <= fmax:
        return np.zeros(0), np.ones(0), np.zeros(0)
    df = fine_step * hmin
    nf = int((fmax - fmin) / df) + 2
    log_ratio = np.log(width_ratio)
    nk = int(np.log(hmax / hmin) / log_ratio) + 2
    grid = np.zeros(nk * nf)
    for line in range(f0.shape[0]):
        if amp[line] == 0.0:
            continue
        x = (f0[line] - fmin) / df
        j = min(int(x), nf - 2)
        tx = x - j
        y = np.log(0.5 * fwhm[line] / hmin) / log_ratio
        q = min(int(y), nk - 2)
        ty = y - q
        grid[q * nf + j] += amp[line] * (1 - tx) * (1 - ty)
        grid[q * nf + j + 1] += amp[line] * tx * (1 - ty)
        grid[(q + 1) * nf + j] += amp[line] * (1 - tx) * ty
        grid[(q + 1) * nf + j + 1] += amp[line] * tx * ty
    cells = np.flatnonzero(grid)
    q = cells // nf
    j = cells - q * nf
    return fmin + j * df, 2.0 * hmin * np.exp(q * log_ratio), grid[cells]


@njit(cache=True)
def line_sum(f0, fwhm, amp, freqs, method):
    """Lorentzian sum of flat lines at ``freqs``; ``method`` 0 direct, 1 auto, 2 binned (see
    ``FMRReadout``), with the binned grid steps of :mod:`nanomag.fmr.spectrum`."""
    if method != 0:
        bf, bw, ba = bin_lines(f0, fwhm, amp, 0.1, 1.05)
        if method == 2 or bf.shape[0] < (amp != 0.0).sum():
            return lorentzian_direct(bf, bw, ba, freqs)
    return lorentzian_direct(f0, fwhm, amp, freqs)


@njit(cache=True)
def series_spectra(spins, vortices, biases, step, stray_args, line_args, n_lines, freqs,
                   method):
    """Spectra (T, M) of a series of microstates, each at its own bias field.

    Args:
        spins: (T, N) float +-1; vortices (T, N) int8 (0 = macrospin).
        biases: (T, 2) bias field vectors, T.
        step: (2,) bias step for dP/dH by central difference (zeros: the absorption P).
        stray_args: ``(indptr, indices, kind, table)`` of the stray kernel.
        line_args: the per-bar and mode arguments of :func:`bar_lines` after ``bias``.
        n_lines: line slots per bar.
    """
    n_steps, n = spins.shape
    out = np.empty((n_steps, freqs.shape[0]))
    derivative = step[0] != 0.0 or step[1] != 0.0
    sides = 2 if derivative else 1
    # dP/dH: the lines at bias + step (rows :n) and, with negated weights, at bias - step
    # (rows n:) summed as one set, so that binning puts both on one grid and lines the step
    # does not move (vortex lines) cancel exactly
    f0 = np.empty((sides * n, n_lines))
    fwhm = np.empty((sides * n, n_lines))
    amp = np.empty((sides * n, n_lines))
    scale = 1.0 / (2.0 * np.sqrt(step[0] ** 2 + step[1] ** 2)) if derivative else 1.0
    moment = np.empty(n)
    (angles, nx, ny, nz, weight, rf, mu0ms, gamma, alpha, inhom, bulk_w, edge_w, table_row,
     bulk_ratio, edge_f, edge_bsum, table_grid, vortex_f, vortex_w) = line_args
    for t in range(n_steps):
        for i in range(n):
            moment[i] = spins[t, i] if vortices[t, i] == 0 else 0.0
        stray = stray_fields(stray_args[0], stray_args[1], stray_args[2], stray_args[3], moment)
        for e in range(sides):
            sign = 1.0 - 2.0 * e if derivative else 0.0
            bar_lines(angles, nx, ny, nz, weight, spins[t], vortices[t], stray,
                      biases[t] + sign * step, rf, mu0ms, gamma, alpha, inhom, bulk_w, edge_w,
                      table_row, bulk_ratio, edge_f, edge_bsum, table_grid, vortex_f, vortex_w,
                      f0[e * n:(e + 1) * n],
                      fwhm[e * n:(e + 1) * n], amp[e * n:(e + 1) * n])
        for i in range(n, sides * n):
            for s in range(n_lines):
                amp[i, s] = -amp[i, s]
        part = line_sum(f0.ravel(), fwhm.ravel(), amp.ravel(), freqs, method)
        # element loops: a row assignment compiles numba's shape-mismatch error message,
        # which takes longer than the rest of this kernel
        for c in range(part.shape[0]):
            out[t, c] = part[c] * scale
    return out
