"""Shared pieces of the benchmark scripts: the test array, timing, and the run header."""

from __future__ import annotations

import os
import platform
import time

import numpy as np

from nanomag.lattices import BarArray, make_lattice


def square_ice(n_bars: int) -> BarArray:
    """Closed square ice with about ``n_bars`` bars (2 n^2 + 2 n for n x n cells)."""
    n = max(1, round(np.sqrt(n_bars / 2)))
    return make_lattice("square", size=(n, n))


def median_time(fn, repeats: int) -> float:
    """Median wall seconds of ``repeats`` calls of ``fn`` after one warm-up call."""
    fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return float(np.median(times))


def header(extra: str = "") -> str:
    """A comment line naming the date, machine and load of the run."""
    return (f"# {time.strftime('%Y-%m-%d %H:%M')} {platform.processor() or platform.machine()}, "
            f"{os.cpu_count()} cpus, load {os.getloadavg()[0]:.1f}{extra}")
