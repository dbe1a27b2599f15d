"""Compiled recurrences for the benchmark task generators (see :mod:`nanomag.tasks`)."""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def narma10(u: np.ndarray) -> np.ndarray:
    """y (len(u) + 1,): y[0..9] = 0, y[t+1] = 0.3 y[t] + 0.05 y[t] sum_{i<10} y[t-i]
    + 1.5 u[t-9] u[t] + 0.1 for t >= 9."""
    n = u.shape[0]
    y = np.zeros(n + 1)
    for t in range(9, n):
        s = 0.0
        for i in range(10):
            s += y[t - i]
        y[t + 1] = 0.3 * y[t] + 0.05 * y[t] * s + 1.5 * u[t - 9] * u[t] + 0.1
    return y


@njit(cache=True)
def henon(n: int, noise: np.ndarray) -> np.ndarray:
    """x (n,): x[0] = x[1] = 0, x[k] = 1 - 1.4 x[k-1]^2 + 0.3 x[k-2] + noise[k]."""
    x = np.zeros(n)
    for k in range(2, n):
        x[k] = 1.0 - 1.4 * x[k - 1] ** 2 + 0.3 * x[k - 2] + noise[k]
    return x


@njit(cache=True)
def _mg_rate(x: float, x_tau: float, beta: float, gamma: float, power: float) -> float:
    return beta * x_tau / (1.0 + x_tau**power) - gamma * x


@njit(cache=True)
def mackey_glass(n_steps: int, lag: int, dt: float, x0: float, beta: float, gamma: float,
                 power: float) -> np.ndarray:
    """RK4 on a grid of step ``dt`` with delay ``lag * dt``; history x(t <= 0) = x0.

    The delayed value at a half step is the cubic Lagrange interpolant through the four
    surrounding grid points (error O(dt^4), matching RK4).  Returns x at the n_steps + 1 grid
    times 0, dt, ..., n_steps dt.
    """
    x = np.empty(n_steps + 1 + lag)
    x[: lag + 1] = x0  # index i holds time (i - lag) dt
    for k in range(lag, lag + n_steps):
        d0 = x[k - lag]
        d1 = x[k + 1 - lag]
        if k - lag - 1 >= 0:
            dm = x[k - lag - 1]
        else:
            dm = d0
        d2 = x[k + 2 - lag] if k + 2 - lag <= k else d1 + (d1 - d0)
        # cubic Lagrange through nodes -1, 0, 1, 2 evaluated at 1/2
        dh = (-dm + 9.0 * d0 + 9.0 * d1 - d2) / 16.0
        xc = x[k]
        k1 = _mg_rate(xc, d0, beta, gamma, power)
        k2 = _mg_rate(xc + 0.5 * dt * k1, dh, beta, gamma, power)
        k3 = _mg_rate(xc + 0.5 * dt * k2, dh, beta, gamma, power)
        k4 = _mg_rate(xc + dt * k3, d1, beta, gamma, power)
        x[k + 1] = xc + dt * (k1 + 2.0 * k2 + 2.0 * k3 + k4) / 6.0
    return x[lag:]
