"""Grid of magnum.np single-bar ringdowns over length, width, thickness and axial field.

Not part of the test suite.  Needs magnum.np and torch in a separate environment (see
``magnumnp_single_bar.py``).  Run, in the background, from the repository root::

    PYTHONPATH=$PWD/src:$PWD/validation nohup /work/peers/magnumnp/bin/python \\
        validation/magnumnp_geometry_grid.py > grid.log 2>&1 &

Bars: lengths 400/600/800 nm x widths 100/200/300 nm x thicknesses 10/20/30 nm, permalloy.
Every bar is relaxed from +x (canted 0.1 rad) in a field along its axis, so a negative field
is the antiparallel branch; the relaxed <m_x> is recorded (a bar that left its branch has
``mx_relaxed`` far below 1 and is not used).  Cells: 10 nm in plane, one layer through the
thickness (exchange length of permalloy 5.7 nm); one bar is repeated at 5 nm cells to bound
the discretisation error.  A run whose relaxation does not converge (20 ns at damping 1) is
recorded with NaN frequencies.  Fields run in order of priority (0, +50, +100, -30 mT), each over
all bars, so a partial grid covers every geometry.  One CSV row is appended per run; rows
already present are skipped, so the script resumes where it stopped.

The split (``magnumnp_geometry_split.csv``): a bar with length, width and thickness indices
(i, j, k) on the grid is held out when ``(i + j + k) % 3 == 0`` -- 9 of the 27 bars, each
size value three times.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import time
from pathlib import Path

from magnumnp_single_bar import SAMPLE_S, peak_frequencies, ringdown

LENGTHS_NM = (400.0, 600.0, 800.0)
WIDTHS_NM = (100.0, 200.0, 300.0)
THICKNESSES_NM = (10.0, 20.0, 30.0)
FIELDS_T = (0.0, 0.05, 0.10, -0.03)
DURATION_S = 2e-9
RELAX_ITER = 2000  # relaxation steps of 10 ps at damping 1
FINE_CHECK = {"length_nm": 600.0, "width_nm": 200.0, "thickness_nm": 20.0, "field_T": 0.0,
              "cell_nm": 5.0}
HERE = Path(__file__).parent
FIELDS = ["length_nm", "width_nm", "thickness_nm", "field_T", "cell_nm", "duration_s",
          "mx_relaxed", "bulk_GHz", "edge_GHz", "wall_s"]


def split_rows() -> list[dict]:
    """Train / held-out label of every bar of the grid."""
    rows = []
    for (i, length), (j, width), (k, thick) in itertools.product(
            enumerate(LENGTHS_NM), enumerate(WIDTHS_NM), enumerate(THICKNESSES_NM)):
        rows.append({"length_nm": length, "width_nm": width, "thickness_nm": thick,
                     "set": "heldout" if (i + j + k) % 3 == 0 else "train"})
    return rows


def planned_runs() -> list[dict]:
    """Runs in order of priority: every bar at each field in turn, then the fine-cell check."""
    runs = [{"length_nm": length, "width_nm": width, "thickness_nm": thick, "field_T": field,
             "cell_nm": 10.0}
            for field in FIELDS_T
            for length, width, thick in itertools.product(LENGTHS_NM, WIDTHS_NM, THICKNESSES_NM)]
    return runs + [dict(FINE_CHECK)]


def run_key(row: dict) -> tuple:
    return tuple(round(float(row[k]), 6) for k in
                 ("length_nm", "width_nm", "thickness_nm", "field_T", "cell_nm"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE / "magnumnp_geometry_results.csv")
    parser.add_argument("--split", type=Path, default=HERE / "magnumnp_geometry_split.csv")
    args = parser.parse_args()
    with open(args.split, "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["length_nm", "width_nm", "thickness_nm", "set"])
        writer.writeheader()
        writer.writerows(split_rows())
    done = set()
    if args.out.exists():
        with open(args.out) as fh:
            done = {run_key(r) for r in csv.DictReader(fh)}
    else:
        with open(args.out, "w", newline="") as fh:
            csv.DictWriter(fh, fieldnames=FIELDS).writeheader()
    for run in planned_runs():
        if run_key(run) in done:
            continue
        t0 = time.perf_counter()
        try:
            trace, mx = ringdown(run["width_nm"], run["field_T"], run["cell_nm"], DURATION_S,
                                 length_nm=run["length_nm"], thickness_nm=run["thickness_nm"],
                                 relax_iter=RELAX_ITER)
            bulk, edge = peak_frequencies(trace, SAMPLE_S)
        except RuntimeError:  # relaxation did not converge: recorded as NaN, not used
            mx, bulk, edge = float("nan"), float("nan"), float("nan")
        row = {**run, "duration_s": DURATION_S, "mx_relaxed": round(mx, 4),
               "bulk_GHz": round(bulk / 1e9, 3), "edge_GHz": round(edge / 1e9, 3),
               "wall_s": round(time.perf_counter() - t0, 1)}
        with open(args.out, "a", newline="") as fh:
            csv.DictWriter(fh, fieldnames=FIELDS).writerow(row)
        print(row, flush=True)


if __name__ == "__main__":
    main()
