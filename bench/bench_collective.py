"""Benchmark: collective-mode FMR spectrum of a square-ice microstate on 256 channels.

Run: ``python bench/bench_collective.py [--sizes 1000 10000 100000] [--dense-max 2000]
[--moments 512] [--repeats 3]``.  Times ``CollectiveFMR.prepare`` once and the median of
``spectrum`` calls (one bias field, 20 mT at 45 deg, random spins, JIT warmed up) for the
Chebyshev KPM solver, and, as the same-run reference up to ``--dense-max`` bars, the exact
dense diagonalisation, with the largest difference between the two spectra relative to the
peak.  The independent-bar readout of the same state is timed alongside.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from _common import header, median_time, square_ice

from nanomag.fmr import CollectiveFMR, FMRReadout


def spectrum_time(readout: FMRReadout, spin: np.ndarray, repeats: int) -> tuple[float, np.ndarray]:
    """Median seconds of ``repeats`` spectra at 20 mT after one warm-up call, and the spectrum."""
    return (median_time(lambda: readout.spectrum(spin, None, 0.02), repeats),
            readout.spectrum(spin, None, 0.02).values[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--dense-max", type=int, default=2_000)
    parser.add_argument("--moments", type=int, default=512)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(header(f"; {args.moments} moments"))
    freqs = np.linspace(2e9, 14e9, 256)
    rng = np.random.default_rng(0)
    for size in args.sizes:
        g = square_ice(size)
        spin = rng.choice([-1, 1], g.n_bars)
        t0 = time.perf_counter()
        kpm = CollectiveFMR(freqs, bias_angle=np.pi / 4, n_moments=args.moments).prepare(g)
        row = {"bars": g.n_bars, "prepare_s": round(time.perf_counter() - t0, 2)}
        t, approx = spectrum_time(kpm, spin, args.repeats)
        row["kpm_spectrum_s"] = round(t, 3)
        if g.n_bars <= args.dense_max:
            dense = CollectiveFMR(freqs, bias_angle=np.pi / 4, solver="dense").prepare(g)
            t, exact = spectrum_time(dense, spin, args.repeats)
            row["dense_spectrum_s"] = round(t, 3)
            row["kpm_vs_dense_max_rel"] = float(f"{np.abs(approx - exact).max() / exact.max():.2g}")
        independent = FMRReadout(freqs, bias_angle=np.pi / 4).prepare(g)
        t, _ = spectrum_time(independent, spin, args.repeats)
        row["independent_spectrum_ms"] = round(1e3 * t, 2)
        print(row, flush=True)


if __name__ == "__main__":
    main()
