"""The single-bar mode solver against every magnum.np ringdown of the geometry grid.

For each run of ``magnumnp_geometry_results.csv`` and ``magnumnp_geometry_long.csv`` (same
bar, field, cell size and ringdown length) :class:`nanomag.fmr.bar_modes.BarModeSolver`
relaxes the bar, finds its linear modes and records

* ``*_ringdown_GHz``: the lines read, by ``magnumnp_geometry_grid.mode_frequencies``, from
  the ringdown the modes give (each decaying at magnum.np's damping 0.01), so the two solvers
  are compared through the same reading of the same kind of trace;
* ``bulk_GHz``, ``edge_GHz``: the solver's own lines (``BarModeSolver.lines``: the strongest
  mode and the fundamental end mode), which the FMR readout uses.

Writes ``mode_solver_grid.csv`` (resumes: rows present are skipped) and prints, per cell size,
ringdown length and set of the split, how many runs agree within 1 % (bulk) and 0.2 GHz
(edge); about 6 minutes on two cores, most of it the three 5 nm runs::

    PYTHONPATH=src python validation/mode_solver_vs_magnumnp.py
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

from magnumnp_geometry_grid import (
    DURATION_S,
    LONG_DURATION_S,
    left_branch,
    mode_frequencies,
    read_rows,
    region_traces,
    run_key,
)
from magnumnp_single_bar import DAMPING, SAMPLE_S

from nanomag.fmr.bar_modes import BarModeSolver

RUN = ("length_nm", "width_nm", "thickness_nm", "field_T", "cell_nm", "duration_s")
FIELDS = [*RUN, "mx_relaxed", "bulk_ringdown_GHz", "edge_ringdown_GHz", "bulk_GHz",
          "edge_GHz", "wall_s"]
BULK_TARGET = 0.01
EDGE_TARGET_GHZ = 0.2


def solve(run: dict) -> dict:
    """The solver's row for one magnum.np run."""
    t0 = time.perf_counter()
    cell = float(run["cell_nm"])
    duration = float(run["duration_s"])
    solver = BarModeSolver(float(run["length_nm"]), float(run["width_nm"]),
                           float(run["thickness_nm"]), cell_nm=cell)
    field = float(run["field_T"])
    angles = solver.relax(field)
    lines = solver.lines(field, angles)
    trace = solver.ringdown(field, duration, SAMPLE_S, DAMPING, angles)
    read = mode_frequencies(region_traces(trace, cell), cell, duration)
    return {**{k: run[k] for k in RUN}, "mx_relaxed": round(lines.mean_mx, 4),
            "bulk_ringdown_GHz": round(read[0] / 1e9, 3),
            "edge_ringdown_GHz": round(read[2] / 1e9, 3),
            "bulk_GHz": round(lines.bulk / 1e9, 3), "edge_GHz": round(lines.edge / 1e9, 3),
            "wall_s": round(time.perf_counter() - t0, 1)}


def runs(results: Path, long: Path) -> list[dict]:
    """magnum.np runs on their branch, 2 ns and long ringdowns."""
    return [r for path in (results, long) for r in read_rows(path)
            if not left_branch(r) and r["bulk_GHz"] != "nan"]


def summary(label: str, rows: list[dict], reference: dict, split: dict) -> None:
    """Print, per set, agreement of the ringdown-read lines with magnum.np's."""
    for name in ("train", "heldout"):
        chosen = [r for r in rows if split[run_key(r)[:3]] == name]
        if not chosen:
            continue
        bulk = np.array([float(r["bulk_ringdown_GHz"]) / float(reference[key(r)]["bulk_GHz"]) - 1
                         for r in chosen])
        edge = np.array([float(r["edge_ringdown_GHz"]) - float(reference[key(r)]["edge_GHz"])
                         for r in chosen if reference[key(r)]["edge_GHz"] != "nan"])
        found = edge[np.isfinite(edge)]
        text = (f"{label}, {name}: {len(chosen)} runs; bulk "
                f"{np.sum(np.abs(bulk) <= BULK_TARGET)} within 1 %, max "
                f"{100 * np.abs(bulk).max():.2f} %; edge: magnum.np found {edge.size}, the "
                f"solver's ringdown {found.size}")
        if found.size:
            text += (f", {np.sum(np.abs(found) <= EDGE_TARGET_GHZ)} within {EDGE_TARGET_GHZ} GHz, "
                     f"max {np.abs(found).max():.3f} GHz, rms {np.sqrt(np.mean(found ** 2)):.3f} GHz")
        print(text)


def key(row: dict) -> tuple:
    return (*run_key(row), round(float(row["duration_s"]), 12))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, default=HERE / "magnumnp_geometry_results.csv")
    parser.add_argument("--long", type=Path, default=HERE / "magnumnp_geometry_long.csv")
    parser.add_argument("--split", type=Path, default=HERE / "magnumnp_geometry_split.csv")
    parser.add_argument("--out", type=Path, default=HERE / "mode_solver_grid.csv")
    args = parser.parse_args()
    reference = {key(r): r for r in runs(args.results, args.long)}
    done = {key(r) for r in read_rows(args.out)}
    for run in reference.values():
        if key(run) in done:
            continue
        row = solve(run)
        new = not args.out.exists()
        with open(args.out, "a", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=FIELDS)
            if new:
                writer.writeheader()
            writer.writerow(row)
        print(row, flush=True)
    split = {tuple(round(float(r[k]), 6) for k in ("length_nm", "width_nm", "thickness_nm")):
             r["set"] for r in read_rows(args.split)}
    rows = read_rows(args.out)
    for label, cell, duration in (("10 nm, 2 ns", 10.0, DURATION_S),
                                  ("10 nm, 8 ns", 10.0, LONG_DURATION_S),
                                  ("5 nm, 2 ns", 5.0, DURATION_S)):
        summary(label, [r for r in rows if float(r["cell_nm"]) == cell
                        and float(r["duration_s"]) == duration], reference, split)

if __name__ == "__main__":
    main()
