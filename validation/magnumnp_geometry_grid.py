"""Grid of magnum.np single-bar ringdowns over length, width, thickness and axial field.

Not part of the test suite.  Needs magnum.np and torch in a separate environment (see
``magnumnp_single_bar.py``).  Run, in the background, from the repository root::

    PYTHONPATH=$PWD/src:$PWD/validation nohup /work/peers/magnumnp/bin/python \\
        validation/magnumnp_geometry_grid.py > grid.log 2>&1 &

Bars: lengths 400/600/800 nm x widths 100/200/300 nm x thicknesses 10/20/30 nm, permalloy.
Every bar is relaxed from +x (canted 0.1 rad) in a field along its axis, so a negative field
is the antiparallel branch; the relaxed <m_x> is recorded (a bar that left its branch has
``mx_relaxed`` far below 1 and is not used).  After a uniform 0.02 rad tilt the bar rings down
for 2 ns and ``m_y`` is recorded per column of cells along the length.  Three spectra give the
lines: the bar average (``bulk_GHz``: its strongest peak, the line a uniform rf field
absorbs), the middle third of the length (``centre_GHz``: its strongest peak) and the outer
``END_NM`` of both ends: of its peaks more than ``EDGE_GAP_HZ`` below the bulk line (the end
modes, localised where the end charges lower the internal field), ``edge_GHz`` is the lowest
with at least ``EDGE_REL`` of the strongest one's power (the fundamental end mode; wide, thick
bars show a second end line above it that can be the stronger) and ``edge_strongest_GHz`` the
strongest; NaN when the line has fewer than ``EDGE_MIN_PERIODS`` periods in the ringdown (a
soft end mode: below 1.5 GHz in 2 ns).  The traces
are saved (``magnumnp_geometry_traces/``, float32) so the lines can be re-read from them
(``--reanalyse``) without running magnum.np again.
Cells: 10 nm in plane, one layer through the thickness (exchange length of permalloy 5.7 nm);
three bars are repeated at 5 nm cells to bound the discretisation error.  A run whose
relaxation does not converge (20 ns at damping 1) is recorded with NaN frequencies.  Fields run
in order of priority (0, +50, +100, -30, -50 mT), each over all bars, so a partial grid covers
every geometry; a bar that left the antiparallel branch (``mx_relaxed`` <= 0.8) is not run at
the more negative fields.  One CSV row is appended per run; rows already present are skipped,
so the script resumes where it stopped.

``--long``: the runs of the fitted bars (length / width >= ``LONG_MIN_ASPECT``, still on their
branch) whose 2 ns end line is soft are run again with a ``LONG_DURATION_S`` ringdown, which
resolves end lines down to 0.375 GHz; rows go to ``magnumnp_geometry_long.csv``, traces to
``..._8ns.npz``.  The fit takes the edge line of such a run from the long ringdown.

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

import numpy as np
from magnumnp_single_bar import ringdown

from nanomag.fmr.ringdown import DURATION_S, SAMPLE_S, peaks_below, power_spectrum

LENGTHS_NM = (400.0, 600.0, 800.0)
WIDTHS_NM = (100.0, 200.0, 300.0)
THICKNESSES_NM = (10.0, 20.0, 30.0)
FIELDS_T = (0.0, 0.05, 0.10, -0.03, -0.05)
RELAX_ITER = 2000  # relaxation steps of 10 ps at damping 1
FINE_CHECKS = ({"length_nm": 600.0, "width_nm": 200.0, "thickness_nm": 20.0, "field_T": 0.0,
                "cell_nm": 5.0},
               {"length_nm": 400.0, "width_nm": 100.0, "thickness_nm": 10.0, "field_T": 0.10,
                "cell_nm": 5.0},
               {"length_nm": 800.0, "width_nm": 300.0, "thickness_nm": 30.0, "field_T": 0.05,
                "cell_nm": 5.0})
END_NM = 40.0  # end region of each end, nm
EDGE_GAP_HZ = 1e9  # the edge line lies at least this far below the bulk line
MIN_MX_BRANCH = 0.8  # relaxed <m_x> below this: the bar left its branch
EDGE_REL = 0.3  # an end line with this share of the strongest one's power is a mode
EDGE_SEARCH_PERIODS = 1  # the end spectrum is searched from this many periods per ringdown up
EDGE_MIN_PERIODS = 3  # a slower edge line is not resolved: NaN (1.5 GHz in 2 ns)
LONG_DURATION_S = 8e-9
LONG_MIN_ASPECT = 2.5
KEPT_END_NM = 100.0  # end columns kept in the saved traces
HERE = Path(__file__).parent
FIELDS = ["length_nm", "width_nm", "thickness_nm", "field_T", "cell_nm", "duration_s",
          "mx_relaxed", "bulk_GHz", "centre_GHz", "edge_GHz", "edge_strongest_GHz", "wall_s"]
LINES = ("bulk_GHz", "centre_GHz", "edge_GHz", "edge_strongest_GHz")


def split_rows() -> list[dict]:
    """Train / held-out label of every bar of the grid."""
    rows = []
    for (i, length), (j, width), (k, thick) in itertools.product(
            enumerate(LENGTHS_NM), enumerate(WIDTHS_NM), enumerate(THICKNESSES_NM)):
        rows.append({"length_nm": length, "width_nm": width, "thickness_nm": thick,
                     "set": "heldout" if (i + j + k) % 3 == 0 else "train"})
    return rows


def planned_runs() -> list[dict]:
    """Runs in order of priority: every bar at each field in turn, then the fine-cell checks."""
    runs = [{"length_nm": length, "width_nm": width, "thickness_nm": thick, "field_T": field,
             "cell_nm": 10.0}
            for field in FIELDS_T
            for length, width, thick in itertools.product(LENGTHS_NM, WIDTHS_NM, THICKNESSES_NM)]
    return runs + [dict(c) for c in FINE_CHECKS]


def region_traces(columns: np.ndarray, cell_nm: float) -> dict[str, np.ndarray]:
    """Ringdown traces of a column-resolved run (steps, columns along the length): ``bar``
    (the bar average), ``centre`` (the middle third) and ``end`` (steps, columns within
    ``KEPT_END_NM`` of an end; column j averages the j-th columns from both ends)."""
    nx = columns.shape[1]
    n_end = round(KEPT_END_NM / cell_nm)
    return {"bar": columns.mean(axis=1), "centre": columns[:, nx // 3: nx - nx // 3].mean(axis=1),
            "end": 0.5 * (columns[:, :n_end] + columns[:, ::-1][:, :n_end])}


def mode_frequencies(traces: dict[str, np.ndarray], cell_nm: float,
                     duration_s: float = DURATION_S) -> tuple[float, float, float, float]:
    """(bulk, centre, edge, strongest edge) line frequencies (Hz) of :func:`region_traces` of
    a ``duration_s`` ringdown; see the module docstring."""
    freq, power = power_spectrum(traces["bar"], SAMPLE_S)
    bulk = float(freq[np.argmax(power)])
    freq, power = power_spectrum(traces["centre"], SAMPLE_S)
    centre = float(freq[np.argmax(power)])
    end = traces["end"][:, :max(1, round(END_NM / cell_nm))].mean(axis=1)
    freq, power = power_spectrum(end, SAMPLE_S, fmin=EDGE_SEARCH_PERIODS / duration_s)
    lower = peaks_below(freq, power, bulk - EDGE_GAP_HZ)
    if not lower.size:
        return bulk, centre, float("nan"), float("nan")
    strongest = power[lower].max()
    edges = (freq[lower[np.argmax(power[lower] >= EDGE_REL * strongest)]],
             freq[lower[np.argmax(power[lower])]])
    return bulk, centre, *(float(f) if f >= EDGE_MIN_PERIODS / duration_s else float("nan")
                           for f in edges)


def run_key(row: dict) -> tuple:
    return tuple(round(float(row[k]), 6) for k in
                 ("length_nm", "width_nm", "thickness_nm", "field_T", "cell_nm"))


def left_branch(row: dict) -> bool:
    """Whether an antiparallel run left its branch (reversed, or did not relax)."""
    mx = float(row["mx_relaxed"])
    return float(row["field_T"]) < 0 and not mx > MIN_MX_BRANCH


def trace_name(run: dict, duration_s: float = DURATION_S) -> str:
    suffix = "" if duration_s == DURATION_S else f"_{duration_s * 1e9:g}ns"
    return "L{:g}_W{:g}_t{:g}_B{:g}mT_cell{:g}{}.npz".format(
        *run_key(run)[:3], 1e3 * run["field_T"], run["cell_nm"], suffix)


def read_rows(path: Path) -> list[dict]:
    """Rows of a results CSV (empty when it does not exist yet)."""
    if not path.exists():
        return []
    with open(path) as fh:
        return list(csv.DictReader(fh))


def long_runs(rows: list[dict]) -> list[dict]:
    """Runs of ``rows`` to repeat with a long ringdown: fitted bars on their branch whose end
    line is soft in 2 ns."""
    return [{k: float(row[k]) for k in ("length_nm", "width_nm", "thickness_nm", "field_T",
                                        "cell_nm")}
            for row in rows
            if row["edge_GHz"] == "nan" and row["bulk_GHz"] != "nan"
            and float(row["mx_relaxed"]) > MIN_MX_BRANCH
            and float(row["length_nm"]) / float(row["width_nm"]) >= LONG_MIN_ASPECT]


def run_once(run: dict, duration_s: float, traces: Path, out: Path) -> dict:
    """Run one ringdown, save its traces and append its row to ``out``."""
    t0 = time.perf_counter()
    try:
        columns, mx = ringdown(run["width_nm"], run["field_T"], run["cell_nm"], duration_s,
                               length_nm=run["length_nm"], thickness_nm=run["thickness_nm"],
                               relax_iter=RELAX_ITER)
        region = region_traces(columns, run["cell_nm"])
        np.savez_compressed(traces / trace_name(run, duration_s), mx_relaxed=mx, **{
            k: v.astype(np.float32) for k, v in region.items()})
        lines = mode_frequencies(region, run["cell_nm"], duration_s)
    except RuntimeError:  # relaxation did not converge: recorded as NaN, not used
        mx, lines = float("nan"), (float("nan"),) * len(LINES)
    row = {**run, "duration_s": duration_s, "mx_relaxed": round(mx, 4),
           **{k: round(f / 1e9, 3) for k, f in zip(LINES, lines)},
           "wall_s": round(time.perf_counter() - t0, 1)}
    new = not out.exists()
    with open(out, "a", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=FIELDS)
        if new:
            writer.writeheader()
        writer.writerow(row)
    print(row, flush=True)
    return row


def reanalyse(traces: Path, out: Path) -> None:
    """Rewrite the line frequencies of ``out`` from the saved traces (same runs, same order)."""
    rows = read_rows(out)
    for row in rows:
        duration = float(row["duration_s"])
        path = traces / trace_name({k: float(row[k]) for k in row if k.endswith(("_nm", "_T"))},
                                   duration)
        if path.exists():
            with np.load(path) as saved:
                lines = mode_frequencies(dict(saved), float(row["cell_nm"]), duration)
            row.update({k: round(f / 1e9, 3) for k, f in zip(LINES, lines)})
    with open(out, "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE / "magnumnp_geometry_results.csv")
    parser.add_argument("--split", type=Path, default=HERE / "magnumnp_geometry_split.csv")
    parser.add_argument("--traces", type=Path, default=HERE / "magnumnp_geometry_traces",
                        help="folder of the saved ringdown traces, one .npz per run")
    parser.add_argument("--long-out", type=Path, default=HERE / "magnumnp_geometry_long.csv")
    parser.add_argument("--reanalyse", action="store_true",
                        help="rewrite --out and --long-out from the saved traces instead of "
                             "running magnum.np")
    parser.add_argument("--long", action="store_true",
                        help="repeat the soft-edge runs of --out with long ringdowns")
    args = parser.parse_args()
    if args.reanalyse:
        for out in (args.out, args.long_out):
            if out.exists():
                reanalyse(args.traces, out)
        return
    if args.long:
        done = {run_key(r) for r in read_rows(args.long_out)}
        for run in long_runs(read_rows(args.out)):
            if run_key(run) not in done:
                run_once(run, LONG_DURATION_S, args.traces, args.long_out)
        return
    args.traces.mkdir(exist_ok=True)
    with open(args.split, "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["length_nm", "width_nm", "thickness_nm", "set"])
        writer.writeheader()
        writer.writerows(split_rows())
    rows = read_rows(args.out)
    done = {run_key(r) for r in rows}
    reversed_bars = {run_key(r)[:3] for r in rows if left_branch(r)}
    for run in planned_runs():
        if run_key(run) in done or (run["field_T"] < 0 and run_key(run)[:3] in reversed_bars):
            continue
        row = run_once(run, DURATION_S, args.traces, args.out)
        if left_branch(row):
            reversed_bars.add(run_key(row)[:3])


if __name__ == "__main__":
    main()
