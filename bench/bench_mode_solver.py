"""Benchmark: the single-bar mode solver against a magnum.np ringdown of the same bar.

Run: ``python bench/bench_mode_solver.py [--magnumnp-python PATH] [--repeats 3]``.
For three bars of the validation grid at 0 mT, times nanomag's ``BarModeSolver`` (relaxation
from the uniform tilt, the modes, the lines and the 2 ns ringdown bulk line: what one field
of a line table costs; median of ``--repeats`` fresh solvers) and, in the same run, one
magnum.np relaxation and 2 ns ringdown of the same bar (``validation/magnumnp_single_bar.py``'s
``ringdown``, 10 nm cells, one thread), run by ``--magnumnp-python`` (a Python with magnum.np
and torch; skipped when it is missing).  Prints both lines so the agreement is seen too.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import time
from pathlib import Path

import numpy as np
from _common import header

from nanomag.fmr import BarModeSolver

BARS = ((400.0, 100.0, 10.0), (600.0, 200.0, 20.0), (800.0, 300.0, 30.0))
ROOT = Path(__file__).resolve().parents[1]
MAGNUMNP = """
import json, sys, time
sys.path[:0] = [{src!r}, {validation!r}]
from magnumnp_single_bar import ringdown
from nanomag.fmr.ringdown import SAMPLE_S, strongest_line
t0 = time.perf_counter()
columns, mx = ringdown({w}, 0.0, 10.0, 2e-9, length_nm={l}, thickness_nm={t}, relax_iter=2000)
print(json.dumps({{"s": time.perf_counter() - t0,
                  "bulk": strongest_line(columns.mean(axis=1), SAMPLE_S)}}))
"""


def solve_once(size: tuple[float, float, float]) -> tuple[float, float]:
    """(wall s, ringdown bulk Hz) of one field on a fresh solver."""
    t0 = time.perf_counter()
    solver = BarModeSolver(*size)
    angles = solver.relax(0.0)
    solver.lines(0.0, angles)
    bulk = solver.ringdown_bulk(0.0, angles)
    return time.perf_counter() - t0, bulk


def magnumnp_once(python: str, size: tuple[float, float, float]) -> dict:
    """magnum.np's relaxation and 2 ns ringdown of the bar, in its own interpreter."""
    length, width, thickness = size
    code = MAGNUMNP.format(src=str(ROOT / "src"), validation=str(ROOT / "validation"),
                           l=length, w=width, t=thickness)
    out = subprocess.run([python, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--magnumnp-python", default="/work/peers/magnumnp/bin/python")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(header())
    have_peer = Path(args.magnumnp_python).exists()
    for size in BARS:
        solve_once(size)  # warm-up: imports and first FFT plans
        runs = [solve_once(size) for _ in range(args.repeats)]
        row = {"bar_nm": "x".join(f"{v:g}" for v in size),
               "solver_s": round(float(np.median([r[0] for r in runs])), 3),
               "solver_bulk_GHz": round(runs[0][1] / 1e9, 3)}
        if have_peer:
            peer = magnumnp_once(args.magnumnp_python, size)
            row.update(magnumnp_s=round(peer["s"], 1), magnumnp_bulk_GHz=round(peer["bulk"] / 1e9, 3),
                       speedup=round(peer["s"] / row["solver_s"]))
        print(row, flush=True)


if __name__ == "__main__":
    main()
