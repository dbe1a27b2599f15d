"""Compiled per-step loops of the software substrates (flat arrays in, flat arrays out).

Each ``*_run`` integrates a whole input sequence from ``state`` (updated in place to the
final state) and fills an observation array (T, n_channels).
"""

from __future__ import annotations

import numpy as np
from numba import njit

_LN2_HI = 6.93147180369123816490e-01  # ln 2 split so that k * _LN2_HI is exact for k < 2**20
_LN2_LO = 1.90821492927058770002e-10
_INV_LN2 = 1.44269504088896338700e00


@njit(cache=True)
def tanh(x: float) -> float:
    """tanh(x) within 2 ulp of ``np.tanh`` (relative difference below 5e-16), built only from
    arithmetic so that loops over it vectorise (a libm ``tanh`` call does not).

    ``tanh|x| = e / (e + 2)`` with ``e = expm1(2|x|)``, ``|x|`` clamped to 20 (tanh is 1.0 in
    double precision from 19.1 on); ``2|x| = k ln 2 + r`` with ``|r| <= ln2 / 2``,
    ``expm1(r)`` from its Taylor series to r^13 (truncation below 1e-17 relative) and
    ``2^k`` (k <= 58) as a product of exact powers of two.
    """
    a = min(abs(x), 20.0)
    z = 2.0 * a
    kf = np.floor(z * _INV_LN2 + 0.5)
    r = (z - kf * _LN2_HI) - kf * _LN2_LO
    p = 1.0 / 6227020800.0  # 1 / 13!
    p = p * r + 1.0 / 479001600.0
    p = p * r + 1.0 / 39916800.0
    p = p * r + 1.0 / 3628800.0
    p = p * r + 1.0 / 362880.0
    p = p * r + 1.0 / 40320.0
    p = p * r + 1.0 / 5040.0
    p = p * r + 1.0 / 720.0
    p = p * r + 1.0 / 120.0
    p = p * r + 1.0 / 24.0
    p = p * r + 1.0 / 6.0
    p = p * r + 0.5
    em1 = r + r * r * p
    k = np.int64(kf)
    s = 2.0 if k & 1 else 1.0
    s *= 4.0 if k & 2 else 1.0
    s *= 16.0 if k & 4 else 1.0
    s *= 256.0 if k & 8 else 1.0
    s *= 65536.0 if k & 16 else 1.0
    s *= 4294967296.0 if k & 32 else 1.0
    e = s * em1 + (s - 1.0)
    t = e / (e + 2.0)
    return t if x >= 0 else -t


@njit(cache=True, error_model="numpy")
def esn_run(drive: np.ndarray, indptr: np.ndarray, indices: np.ndarray, data: np.ndarray,
            leak: float, state: np.ndarray, out: np.ndarray) -> None:
    """Leaky tanh ESN: x <- (1 - leak) x + leak tanh(drive_t + W x), W in CSR form.

    ``drive`` (T, n) already holds ``W_in u_t + bias``.  Pass ``indptr`` and ``indices`` as
    unsigned integers (e.g. uint64 / uint32): with signed ones every array access carries a
    negative-index wrap-around check, which makes the loop about 2.5x slower.  The activation
    is :func:`tanh` (within 2 ulp of ``np.tanh``), whose loop vectorises; the numpy error
    model drops the division-by-zero checks that would stop it.
    """
    n = state.shape[0]
    pre = np.empty(n)
    for t in range(drive.shape[0]):
        for i in range(n):
            acc = drive[t, i]
            for k in range(indptr[i], indptr[i + 1]):
                acc += data[k] * state[indices[k]]
            pre[i] = acc
        for i in range(n):
            state[i] = (1.0 - leak) * state[i] + leak * tanh(pre[i])
            out[t, i] = state[i]


@njit(cache=True)
def memristor_run(volts: np.ndarray, r: float, g0: float, kp: float, kn: float, a: float,
                  state: np.ndarray, out: np.ndarray, power: np.ndarray) -> None:
    """Dynamic memristors (Zhong et al. 2021), one per reservoir, time-multiplexed.

    ``volts`` (T, n_res, L): voltage of reservoir i during sub-step j of input step t.  Per
    sub-step: ``G <- r G + (1 - r) G0 + u(V) (1[V > 0] - G)``, ``u(V) = a|V| / (a|V| + 1)``,
    then ``I = G (Kp max(V, 0)^3 + Kn min(V, 0)^3)`` is recorded in ``out[t, i * L + j]`` and
    ``|I V|`` accumulated in ``power[t]``.
    """
    n_res = volts.shape[1]
    n_sub = volts.shape[2]
    for t in range(volts.shape[0]):
        acc = 0.0
        for i in range(n_res):
            g = state[i]
            for j in range(n_sub):
                v = volts[t, i, j]
                av = a * abs(v)
                rate = av / (av + 1.0)
                target = 1.0 if v > 0 else 0.0
                g = r * g + (1.0 - r) * g0 + rate * (target - g)
                vp = v if v > 0 else 0.0
                vn = v if v < 0 else 0.0
                cur = g * (kp * vp**3 + kn * vn**3)
                out[t, i * n_sub + j] = cur
                acc += abs(cur * v)
            state[i] = g
        power[t] = acc


@njit(cache=True)
def _sto_rate(p: float, current: float, gamma_g: float, q: float, sigma: float) -> float:
    return -2.0 * (gamma_g * (1.0 + q * p) - sigma * current * (1.0 - p)) * p


@njit(cache=True)
def sto_run(currents: np.ndarray, theta: float, n_sub: int, gamma_g: float, q: float,
            sigma: float, state: np.ndarray, out: np.ndarray) -> None:
    """Spin-torque oscillator power ``dp/dt = -2 [Gamma_G (1 + Q p) - sigma I (1 - p)] p``.

    ``currents`` (T, n_virtual): current (A) held for ``theta`` seconds per virtual node; RK4
    with ``n_sub`` steps per node; ``out[t, j]`` is p at the end of node j.  ``state`` is (1,).
    """
    h = theta / n_sub
    p = state[0]
    for t in range(currents.shape[0]):
        for j in range(currents.shape[1]):
            c = currents[t, j]
            for _ in range(n_sub):
                k1 = _sto_rate(p, c, gamma_g, q, sigma)
                k2 = _sto_rate(p + 0.5 * h * k1, c, gamma_g, q, sigma)
                k3 = _sto_rate(p + 0.5 * h * k2, c, gamma_g, q, sigma)
                k4 = _sto_rate(p + h * k3, c, gamma_g, q, sigma)
                p += h * (k1 + 2.0 * k2 + 2.0 * k3 + k4) / 6.0
            out[t, j] = p
    state[0] = p
