"""Benchmark: FMR spectrum of a square-ice microstate on 256 channels.

Run: ``python bench/bench_spectrum.py [--sizes 10000 1000000] [--repeats 5]``.
Times ``FMRReadout.prepare`` once and the median of ``spectrum`` calls (one bias field,
random spins, JIT warmed up), for the default ``auto`` summation and the exact ``direct``
sum, and, as a reference in the same run, a vectorised numpy direct sum of the same lines
(up to 10^4 bars).  Targets (issue P2): 10^4 bars < 5 ms, 10^6 bars < 1 s.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from _common import header, median_time, square_ice

from nanomag.fmr import FMRReadout


def numpy_direct(lines, freqs):
    f0, fwhm, amp = (lines[k].ravel() for k in ("frequency", "fwhm", "weight"))
    hw = 0.5 * fwhm[:, None]
    return (amp[:, None] * hw / ((freqs[None, :] - f0[:, None]) ** 2 + hw**2)).sum(0) / np.pi


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 1_000_000])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    print(header())
    freqs = np.linspace(2e9, 14e9, 256)
    rng = np.random.default_rng(0)
    for size in args.sizes:
        g = square_ice(size)
        spin = rng.choice([-1, 1], g.n_bars)
        t0 = time.perf_counter()
        readout = FMRReadout(freqs, bias_angle=np.pi / 4).prepare(g)
        prep = time.perf_counter() - t0
        row = {"bars": g.n_bars, "prepare_s": round(prep, 2)}
        for method in ("auto", "direct"):
            readout.method = method
            t = median_time(lambda: readout.spectrum(spin, None, 0.02), args.repeats)
            row[f"spectrum_{method}_ms"] = round(1e3 * t, 2)
        if g.n_bars <= 20_000:
            lines = readout.lines(spin, None, 0.02)
            t = median_time(lambda: numpy_direct(lines, freqs), args.repeats)
            row["numpy_direct_sum_only_ms"] = round(1e3 * t, 2)
        print(row, flush=True)


if __name__ == "__main__":
    main()
