"""Fit the bulk line of the resonance model to the magnum.np grid; print the held-out table.

Reads ``magnumnp_geometry_results.csv``, ``magnumnp_geometry_split.csv`` and
``magnumnp_geometry_long.csv`` (written by ``magnumnp_geometry_grid.py``; the edge line of a
run whose end line is soft in 2 ns comes from its long ringdown).  Runs used: 10 nm cells,
converged relaxation, the bar still along its starting direction (``mx_relaxed`` > 0.8) and
inside the model's validated sizes (length / width >= 2.5).  The bulk coefficients
(``in_plane``, ``out_of_plane`` of :class:`nanomag.fmr.resonance.BarResonanceModel`) minimise
the relative error of the bulk line over the training bars' parallel-branch runs at fields
``--fields`` (default: the model's validated range); the antiparallel bulk line is a
prediction.  The edge line is not fitted: it is the mode solver's
(:class:`nanomag.fmr.bar_modes.BarModeSolver`, the value the model's line table holds at
each grid field).  Prints the coefficients, the leave-one-bar-out cross-validation error of
the bulk fit over the training bars, the antiparallel runs whose bulk line misses 1 % with
the mean ``m_x`` of their ends (the evidence for ``min_end_mx``), the held-out errors and,
for every held-out run, magnum.np against plain Kittel and the model, as markdown::

    PYTHONPATH=src python validation/fit_resonance_model.py
"""

from __future__ import annotations

import argparse
import csv
from dataclasses import replace
from pathlib import Path

import numpy as np
from scipy.optimize import least_squares

from nanomag.fmr.bar_modes import BarModeSolver
from nanomag.fmr.kittel import kittel_mode
from nanomag.fmr.resonance import N_BULK, BarResonanceModel

HERE = Path(__file__).parent
MIN_MX = 0.8
BULK_TARGET = 0.01  # the target relative bulk error
SIZES = ("length_nm", "width_nm", "thickness_nm")


def read(path: Path) -> list[dict[str, float]]:
    with open(path) as fh:
        return [{k: float(v) for k, v in r.items()} for r in csv.DictReader(fh)]


def load(results: Path, split: Path, long: Path | None = None) -> dict[str, np.ndarray]:
    """Usable runs as arrays, with ``heldout`` (bool) from the split and ``bar`` (int) naming
    each bar.  Where a run's end line is soft in 2 ns and ``long`` holds its long ringdown,
    the edge line is the long ringdown's (``edge_long`` True)."""
    with open(split) as fh:
        held = {tuple(float(r[k]) for k in SIZES): r["set"] == "heldout"
                for r in csv.DictReader(fh)}
    model = BarResonanceModel()
    rows = [r for r in read(results) if r["cell_nm"] == 10.0 and np.isfinite(r["bulk_GHz"])
            and r["mx_relaxed"] > MIN_MX
            and r["length_nm"] / r["width_nm"] >= model.min_aspect - 1e-9]
    run = ("length_nm", "width_nm", "thickness_nm", "field_T", "cell_nm")
    long_edges = {tuple(r[k] for k in run): r["edge_GHz"]
                  for r in (read(long) if long is not None and long.exists() else [])}
    for r in rows:
        key = tuple(r[k] for k in run)
        r["edge_long"] = float(not np.isfinite(r["edge_GHz"]) and key in long_edges)
        if r["edge_long"]:
            r["edge_GHz"] = long_edges[key]
    out = {k: np.array([r[k] for r in rows]) for k in rows[0]}
    out["edge_long"] = out["edge_long"].astype(bool)
    keys = [tuple(r[k] for k in SIZES) for r in rows]
    out["heldout"] = np.array([held[key] for key in keys])
    out["bar"] = np.unique(keys, axis=0, return_inverse=True)[1].ravel()
    return out


def subset(d: dict[str, np.ndarray], mask: np.ndarray) -> dict[str, np.ndarray]:
    return {k: v[mask] for k, v in d.items()}


def bulk_hz(model: BarResonanceModel, d: dict[str, np.ndarray]) -> np.ndarray:
    factors = model.effective_demag_factors(*(d[k] for k in SIZES))
    return kittel_mode(d["field_T"], 0.0, 1, factors)["frequency"]


def solved(d: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The mode solver at each run of ``d``, relaxed afresh from the uniform tilt (as the
    line tables are): the model's bulk line at a table field (``model_bulk``, Hz: the formula
    with the axial correction, i.e. the solver's ringdown bulk), its ``edge`` line (Hz) and
    the mean ``end_mx`` of the ends' ``m_x``."""
    out = {k: np.empty(d["field_T"].size) for k in ("model_bulk", "edge", "end_mx")}
    for i, field in enumerate(d["field_T"]):
        solver = BarModeSolver(*(float(d[k][i]) for k in SIZES))
        angles = solver.relax(field)
        out["model_bulk"][i] = solver.ringdown_bulk(field, angles)
        out["edge"][i] = solver.lines(field, angles).edge
        out["end_mx"][i] = solver.end_mx(angles)
    return out


def fit_bulk(d: dict[str, np.ndarray], start: BarResonanceModel) -> BarResonanceModel:
    """Bulk coefficients minimising the relative error of the bulk line over runs ``d``."""
    target = d["bulk_GHz"] * 1e9

    def residual(p: np.ndarray) -> np.ndarray:
        model = replace(start, in_plane=tuple(p[:N_BULK]), out_of_plane=tuple(p[N_BULK:]))
        return np.nan_to_num(bulk_hz(model, d) / target - 1.0, nan=1.0)

    p = least_squares(residual, np.r_[start.in_plane, start.out_of_plane]).x
    return replace(start, in_plane=_rounded(p[:N_BULK]), out_of_plane=_rounded(p[N_BULK:]))


def fit(d: dict[str, np.ndarray]) -> BarResonanceModel:
    """Bulk-formula coefficients fitted to the parallel-branch runs of ``d``, started from
    plain Kittel's; the model's other settings are the defaults."""
    start = replace(BarResonanceModel(), in_plane=BarResonanceModel.plain_kittel().in_plane,
                    out_of_plane=BarResonanceModel.plain_kittel().out_of_plane)
    return fit_bulk(subset(d, d["field_T"] >= 0), start)


def antiparallel_misses(model: BarResonanceModel, d: dict[str, np.ndarray]) -> str:
    """The antiparallel runs of ``d`` (with :func:`solved` entries) whose bulk formula misses
    ``BULK_TARGET``: size, field, the ends' mean ``m_x`` and error."""
    bulk, end_mx = errors(model, d)[0], d["end_mx"]
    missed = np.flatnonzero((np.abs(bulk) > BULK_TARGET) & (d["field_T"] < 0))
    return "; ".join(f"{d['length_nm'][i]:g}x{d['width_nm'][i]:g}x{d['thickness_nm'][i]:g} "
                     f"{1e3 * d['field_T'][i]:g} mT end m_x {end_mx[i]:.2f} "
                     f"{100 * bulk[i]:+.1f} %" for i in missed[np.argsort(end_mx[missed])])


def errors(model: BarResonanceModel, d: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Relative bulk-formula errors and edge errors (GHz; NaN where either has no edge line)
    of runs ``d`` with :func:`solved` entries."""
    return (bulk_hz(model, d) / (d["bulk_GHz"] * 1e9) - 1.0, d["edge"] / 1e9 - d["edge_GHz"])


def cross_validate(d: dict[str, np.ndarray]) -> np.ndarray:
    """Leave-one-bar-out bulk errors over the bars of ``d`` (all runs of a bar left out
    together)."""
    bulk = np.empty(d["bar"].size)
    for bar in np.unique(d["bar"]):
        out = d["bar"] == bar
        bulk[out] = errors(fit(subset(d, ~out)), subset(d, out))[0]
    return bulk


def _rounded(values: np.ndarray) -> tuple[float, ...]:
    return tuple(float(round(v, 4)) for v in values)


def summary(name: str, bulk: np.ndarray, edge: np.ndarray | None = None) -> str:
    text = (f"{name}: {bulk.size} runs, bulk max {100 * np.abs(bulk).max():.2f} % rms "
            f"{100 * np.sqrt(np.mean(bulk ** 2)):.2f} %, {np.sum(np.abs(bulk) <= 0.01)} within 1 %")
    if edge is None:
        return text
    found = edge[np.isfinite(edge)]
    return (f"{text}; edge ({found.size} lines) max {np.abs(found).max():.3f} GHz rms "
            f"{np.sqrt(np.mean(found ** 2)):.3f} GHz, {np.sum(np.abs(found) <= 0.2)} within 0.2 GHz")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, default=HERE / "magnumnp_geometry_results.csv")
    parser.add_argument("--split", type=Path, default=HERE / "magnumnp_geometry_split.csv")
    parser.add_argument("--long", type=Path, default=HERE / "magnumnp_geometry_long.csv",
                        help="long ringdowns of the runs whose end line is soft in 2 ns")
    parser.add_argument("--fields", type=float, nargs=2, default=BarResonanceModel().fields,
                        help="fitted field range along the moment, T")
    args = parser.parse_args()
    d = load(args.results, args.split, args.long)
    d.update(solved(d))
    lo, hi = args.fields
    inside = (d["field_T"] >= lo - 1e-9) & (d["field_T"] <= hi + 1e-9)
    train = subset(d, ~d["heldout"] & inside)
    model = fit(train)
    print(", ".join(f"{name}={getattr(model, name)}" for name in
                    ("in_plane", "out_of_plane")))
    print(summary("training, formula", *errors(model, train)))
    print("training antiparallel runs whose bulk formula misses 1 %:",
          antiparallel_misses(model, train))
    print(summary("training, formula, leave-one-bar-out", cross_validate(train)))
    for name, mask in (("held-out, parallel", d["heldout"] & inside & (d["field_T"] >= 0)),
                       ("held-out, antiparallel", d["heldout"] & inside & (d["field_T"] < 0)),
                       ("held-out outside the fitted fields", d["heldout"] & ~inside)):
        if mask.any():
            part = subset(d, mask)
            formula, edge = errors(model, part)
            print(summary(f"{name}, formula", formula))
            print(summary(f"{name}, model", part["model_bulk"] / (part["bulk_GHz"] * 1e9) - 1,
                          edge))
    held = subset(d, d["heldout"])
    plain = bulk_hz(BarResonanceModel.plain_kittel(), held) / 1e9
    formula, bulk = bulk_hz(model, held) / 1e9, held["model_bulk"] / 1e9
    edge = held["edge"] / 1e9
    print("| l x w x t nm | B mT | magnum.np bulk GHz | Kittel GHz | formula GHz (err %) "
          "| model GHz (err %) | magnum.np edge GHz | model edge GHz (err GHz) |")
    print("|---|---|---|---|---|---|---|---|")
    for i in np.lexsort([held[k] for k in (*SIZES[::-1], "field_T")]):
        ref, ref_edge = held["bulk_GHz"][i], held["edge_GHz"][i]
        print(f"| {held['length_nm'][i]:g} x {held['width_nm'][i]:g} x "
              f"{held['thickness_nm'][i]:g} | {1e3 * held['field_T'][i]:g} | {ref:.3f} "
              f"| {plain[i]:.3f} | {formula[i]:.3f} ({100 * (formula[i] / ref - 1):+.2f}) "
              f"| {bulk[i]:.3f} ({100 * (bulk[i] / ref - 1):+.2f}) "
              f"| {ref_edge:.3f}{' (8 ns)' if held['edge_long'][i] else ''} "
              f"| {edge[i]:.3f} ({edge[i] - ref_edge:+.3f}) |")


if __name__ == "__main__":
    main()
