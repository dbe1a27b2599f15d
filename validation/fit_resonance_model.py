"""Fit the geometry-true resonance model to the magnum.np grid and print the held-out table.

Reads ``magnumnp_geometry_results.csv`` and ``magnumnp_geometry_split.csv`` (written by
``magnumnp_geometry_grid.py``).  Runs used: 10 nm cells, converged relaxation, the bar still
along its starting direction (``mx_relaxed`` > 0.8) and inside the model's validated sizes
(length / width >= 2.5).  The fit uses the parallel branch, fields 0 to 100 mT; the
antiparallel runs (-30 mT) are reported, not fitted.  The bulk coefficients (``in_plane``, ``out_of_plane`` of
:class:`nanomag.fmr.resonance.BarResonanceModel`) minimise the relative error of the bulk
mode over the training bars; the edge coefficients are a linear least-squares fit to the
training runs where an edge mode was found (above 1.5 GHz).  Prints the coefficients and, for
every held-out run, magnum.np against plain Kittel, the former width-only calibration and the
new model, as markdown::

    PYTHONPATH=src python validation/fit_resonance_model.py
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

import numpy as np
from scipy.optimize import least_squares

from nanomag.fmr.demag import prism_demag_factors
from nanomag.fmr.kittel import kittel_mode
from nanomag.fmr.resonance import N_FEATURES, BarResonanceModel

HERE = Path(__file__).parent
# The former width-only calibration (anisotropy scale on Ny - Nx, interpolated in width).
OLD_WIDTHS, OLD_SCALES = (150.0, 200.0, 250.0), (1.197, 1.225, 1.273)
OLD_EDGE = (4.34e9, 0.020, -42.5e9)  # frequency at the reference tip field, field, slope
MIN_EDGE_HZ = 1.5e9


def load(results: Path, split: Path) -> dict[str, np.ndarray]:
    """Usable runs as arrays, with ``heldout`` (bool) from the split."""
    with open(split) as fh:
        held = {(float(r["length_nm"]), float(r["width_nm"]), float(r["thickness_nm"])):
                r["set"] == "heldout" for r in csv.DictReader(fh)}
    with open(results) as fh:
        rows = [{k: float(v) for k, v in r.items()} for r in csv.DictReader(fh)]
    model = BarResonanceModel()
    rows = [r for r in rows if r["cell_nm"] == 10.0 and np.isfinite(r["bulk_GHz"])
            and r["mx_relaxed"] > 0.8
            and r["length_nm"] / r["width_nm"] >= model.min_aspect - 1e-9]
    out = {k: np.array([r[k] for r in rows]) for k in rows[0]}
    out["heldout"] = np.array([held[(r["length_nm"], r["width_nm"], r["thickness_nm"])]
                               for r in rows])
    return out


def bulk_hz(model: BarResonanceModel, d: dict[str, np.ndarray]) -> np.ndarray:
    factors = model.effective_demag_factors(d["length_nm"], d["width_nm"], d["thickness_nm"])
    return kittel_mode(d["field_T"], 0.0, 1, factors)["frequency"]


def old_bulk_hz(d: dict[str, np.ndarray]) -> np.ndarray:
    factors = prism_demag_factors(d["length_nm"], d["width_nm"], d["thickness_nm"])
    scale = np.interp(d["width_nm"], OLD_WIDTHS, OLD_SCALES)
    factors[:, 1] = factors[:, 0] + scale * (factors[:, 1] - factors[:, 0])
    return kittel_mode(d["field_T"], 0.0, 1, factors)["frequency"]


def fit(d: dict[str, np.ndarray]) -> BarResonanceModel:
    lo, hi = BarResonanceModel().fields
    use = ~d["heldout"] & (d["field_T"] >= lo) & (d["field_T"] <= hi)
    train = {k: v[use] for k, v in d.items()}
    target = train["bulk_GHz"] * 1e9

    def residual(p: np.ndarray) -> np.ndarray:
        model = BarResonanceModel(in_plane=tuple(p[:N_FEATURES]),
                                  out_of_plane=tuple(p[N_FEATURES:]))
        return np.nan_to_num(bulk_hz(model, train) / target - 1.0, nan=1.0)

    k = N_FEATURES
    unit = np.r_[1.0, np.zeros(k - 1)]
    p = least_squares(residual, np.r_[unit, unit]).x
    edge = np.isfinite(train["edge_GHz"]) & (train["edge_GHz"] * 1e9 > MIN_EDGE_HZ)
    phi = BarResonanceModel.features(train["length_nm"][edge], train["width_nm"][edge],
                                      train["thickness_nm"][edge])
    design = np.column_stack([phi, train["field_T"][edge]])
    coef = np.linalg.lstsq(design, train["edge_GHz"][edge] * 1e9, rcond=None)[0]
    return BarResonanceModel(in_plane=_rounded(p[:k], 4), out_of_plane=_rounded(p[k:], 4),
                             edge=_rounded(coef[:k], -6), edge_slope=float(round(coef[k], -8)))


def _rounded(values: np.ndarray, digits: int) -> tuple[float, ...]:
    return tuple(float(round(v, digits)) for v in values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, default=HERE / "magnumnp_geometry_results.csv")
    parser.add_argument("--split", type=Path, default=HERE / "magnumnp_geometry_split.csv")
    args = parser.parse_args()
    d = load(args.results, args.split)
    model = fit(d)
    print(f"in_plane={model.in_plane}, out_of_plane={model.out_of_plane}, "
          f"edge={model.edge}, edge_slope={model.edge_slope}")
    new, old = bulk_hz(model, d), old_bulk_hz(d)
    plain = bulk_hz(BarResonanceModel.plain_kittel(), d)
    edge_new = model.edge_frequency(d["length_nm"], d["width_nm"], d["thickness_nm"]) \
        + model.edge_slope * d["field_T"]
    edge_old = OLD_EDGE[0] + OLD_EDGE[2] * (d["field_T"] - OLD_EDGE[1])
    lo, hi = model.fields
    parallel = (d["field_T"] >= lo) & (d["field_T"] <= hi)
    for name, mask in (("train", ~d["heldout"] & parallel), ("held-out", d["heldout"] & parallel),
                       ("held-out antiparallel (not fitted)", d["heldout"] & ~parallel)):
        err = 100 * (new[mask] / (d["bulk_GHz"][mask] * 1e9) - 1)
        err_old = 100 * (old[mask] / (d["bulk_GHz"][mask] * 1e9) - 1)
        print(f"{name}: {mask.sum()} runs, bulk error new max {np.abs(err).max():.2f} % "
              f"(rms {np.sqrt(np.mean(err ** 2)):.2f}), old max {np.abs(err_old).max():.2f} %")
    found = d["heldout"] & parallel & np.isfinite(d["edge_GHz"]) & (d["edge_GHz"] * 1e9 > MIN_EDGE_HZ)
    for name, pred in (("old", edge_old), ("new", edge_new)):
        err = pred[found] / 1e9 - d["edge_GHz"][found]
        print(f"held-out edge ({found.sum()} runs with an edge peak): {name} max "
              f"{np.abs(err).max():.2f} GHz, rms {np.sqrt(np.mean(err ** 2)):.2f} GHz")
    print("| l x w x t nm | B mT | magnum.np bulk GHz | Kittel GHz | old GHz (err %) "
          "| new GHz (err %) | magnum.np edge GHz | old edge GHz | new edge GHz |")
    print("|---|---|---|---|---|---|---|---|---|")
    for i in np.flatnonzero(d["heldout"]):
        ref = d["bulk_GHz"][i]
        print(f"| {d['length_nm'][i]:g} x {d['width_nm'][i]:g} x {d['thickness_nm'][i]:g} "
              f"| {1e3 * d['field_T'][i]:g} | {ref:.3f} | {plain[i] / 1e9:.3f} "
              f"| {old[i] / 1e9:.3f} ({100 * (old[i] / 1e9 / ref - 1):+.1f}) "
              f"| {new[i] / 1e9:.3f} ({100 * (new[i] / 1e9 / ref - 1):+.2f}) "
              f"| {d['edge_GHz'][i]:.3f} | {edge_old[i] / 1e9:.2f} | {edge_new[i] / 1e9:.2f} |")


if __name__ == "__main__":
    main()
