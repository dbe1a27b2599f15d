"""Benchmark: hysteresis loops of square spin ice, nanomag against flatspin (PoCL CPU path).

Run (flatspin and pocl-binary-distribution installed beside nanomag)::

    python bench/bench_engine.py [--sizes 50 100] [--steps 1000] [--big 1000] [--big-steps 100]

For each size L, flatspin's ``SquareSpinIceClosed(size=(L, L))`` (alpha 0.001, hc 0.2,
disorder 0.05, neighbor_distance 1, OpenCL on the first platform) and nanomag's ``square``
lattice with the same thresholds run the same full loop (field at 45 deg, +-0.1 T); the
script checks that the flips per step are identical and prints wall and CPU seconds (nanomag:
the fastest of ``--repeats`` runs on fresh models; flatspin: one run) and the ratio.  Then nanomag alone runs an L = ``--big`` square ice through ``--big-steps`` steps,
timing lattice construction, model set-up and the run.  JIT compilation is paid (and
reported) once, before the timings.
"""

from __future__ import annotations

import argparse
import os
import platform
import time

import numpy as np

from nanomag import make_lattice
from nanomag.engine.protocols import hysteresis_loop
from nanomag.engine.spin_ice import SpinIce


def clock():
    t = os.times()
    return time.perf_counter(), t.user + t.system + t.children_user + t.children_system


def since(start):
    wall, cpu = clock()
    return wall - start[0], cpu - start[1]


def nanomag_loop(size: int, fields: np.ndarray):
    start = clock()
    model = SpinIce(make_lattice("square", size=(size, size)), hc=0.2, disorder=0.05, seed=0,
                    alpha=0.001)
    setup = since(start)
    start = clock()
    flips = model.run(fields).flips.values
    return flips, setup, since(start), model


def flatspin_loop(size: int, fields: np.ndarray):
    from flatspin.model import SquareSpinIceClosed

    start = clock()
    model = SquareSpinIceClosed(size=(size, size), alpha=0.001, hc=0.2, disorder=0.05,
                                neighbor_distance=1, random_seed=0, use_opencl=True,
                                opencl_platform=0, opencl_device=0)
    setup = since(start)
    flips = np.zeros(len(fields), np.int64)
    start = clock()
    for t, h in enumerate(fields):
        model.set_h_ext(h)
        flips[t] = model.relax()
    return flips, setup, since(start), model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[50, 100])
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--big", type=int, default=1000)
    parser.add_argument("--big-steps", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.python_version()}, "
          f"{time.strftime('%Y-%m-%d %H:%M')}")

    start = clock()
    nanomag_loop(3, hysteresis_loop(0.1, 10))
    print(f"JIT warm-up (cached compile or load): wall {since(start)[0]:.2f} s")

    fields = hysteresis_loop(0.1, args.steps)
    try:
        import flatspin  # noqa: F401
        have_flatspin = True
    except ImportError:
        have_flatspin = False
        print("flatspin not installed: nanomag only (pip install flatspin pocl-binary-distribution)")
    print(f"{'L':>5} {'bars':>8} {'engine':>9} {'setup s':>8} {'run wall s':>10} {'run CPU s':>9}"
          f" {'flips':>7} {'same':>5}")
    for size in args.sizes:
        ours, o_setup, o_run, model = min(
            (nanomag_loop(size, fields) for _ in range(args.repeats)), key=lambda r: r[2][0])
        print(f"{size:5d} {model.n_bars:8d} {'nanomag':>9} {o_setup[0]:8.2f} {o_run[0]:10.3f}"
              f" {o_run[1]:9.3f} {ours.sum():7d}")
        if have_flatspin:
            theirs, t_setup, t_run, _ = flatspin_loop(size, fields)
            same = np.array_equal(ours, theirs)
            print(f"{size:5d} {model.n_bars:8d} {'flatspin':>9} {t_setup[0]:8.2f} {t_run[0]:10.3f}"
                  f" {t_run[1]:9.3f} {theirs.sum():7d} {str(same):>5}")
            print(f"      speed-up: wall {t_run[0] / o_run[0]:.0f}x, CPU {t_run[1] / max(o_run[1], 1e-3):.0f}x")

    if args.big:
        start = clock()
        array = make_lattice("square", size=(args.big, args.big))
        lattice = since(start)
        start = clock()
        model = SpinIce(array, hc=0.2, disorder=0.05, seed=0, alpha=0.001)
        setup = since(start)
        start = clock()
        flips = model.run(hysteresis_loop(0.1, args.big_steps)).flips.values
        run = since(start)
        total = lattice[0] + setup[0] + run[0]
        print(f"L={args.big} ({array.n_bars:,} bars), {args.big_steps} steps, {flips.sum():,} flips: "
              f"lattice {lattice[0]:.1f} s, set-up {setup[0]:.1f} s, run {run[0]:.1f} s "
              f"(CPU {run[1]:.1f} s); total wall {total:.1f} s")


if __name__ == "__main__":
    main()
