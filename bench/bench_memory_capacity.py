"""Memory capacity over 50 delays on a 300-unit state matrix: nanomag vs rcbench.

Both evaluate the same states with rcbench's protocol (first 50 rows dropped, first 80 %
trains a ridge with alpha 1 and intercept, the rest scores the squared correlation).
nanomag uses one eigendecomposition for all delays; rcbench fits one Ridge per delay.

Run: python bench/bench_memory_capacity.py
"""

from __future__ import annotations

import platform
import time

import numpy as np

from nanomag.metrics import memory_capacity
from nanomag.substrates import EchoStateNetwork

N_UNITS, T, MAX_DELAY, REPEATS = 300, 4000, 50, 5


def best_time(fn, repeats=REPEATS):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


def main() -> None:
    u = np.random.default_rng(0).uniform(-1, 1, T)
    states = EchoStateNetwork(n_units=N_UNITS, spectral_radius=0.95, input_scaling=0.5,
                              seed=0).transform(u)
    ours_t, ours = best_time(lambda: memory_capacity(states, u, MAX_DELAY, train_fraction=0.8,
                                                     alpha=1.0, fit_intercept=True))
    print(f"machine: {platform.machine()} {platform.processor() or ''}, python {platform.python_version()}")
    print(f"states {states.shape}, delays 1..{MAX_DELAY}")
    print(f"nanomag MC = {ours.total:.4f}   time {ours_t * 1e3:.1f} ms")
    try:
        import logging

        from rcbench.tasks.memorycapacity import MemoryCapacityEvaluator
    except ImportError:
        print("rcbench not installed: no comparison")
        return
    logging.disable(logging.INFO)

    def rc():
        ev = MemoryCapacityEvaluator(u, states, max_delay=MAX_DELAY)
        return ev.calculate_total_memory_capacity(feature_selection_method="kbest",
                                                  num_features="all", modeltype="Ridge",
                                                  regression_alpha=1.0, train_ratio=0.8)

    ref_t, ref = best_time(rc)
    total = ref["total_memory_capacity"]
    print(f"rcbench MC = {total:.4f}   time {ref_t * 1e3:.1f} ms")
    print(f"relative difference {abs(ours.total - total) / total:.2e}; speed-up {ref_t / ours_t:.1f}x")


if __name__ == "__main__":
    main()
