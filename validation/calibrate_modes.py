"""Fit nanomag's per-width anisotropy scale to the magnum.np ringdowns and print the comparison.

Reads the CSV written by ``magnumnp_single_bar.py``; for each width the scale on
``Ny - Nx`` is fitted to the bulk mode at ``--field`` (closed form: Kittel with an axial field,
``(f / gamma')^2 = (B + k mu0 Ms (Ny - Nx)) (B + mu0 Ms (Nz - Nx))``); every run is then listed
with plain Kittel, the calibrated model and magnum.np, as a markdown table.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

import numpy as np

from nanomag.fmr.demag import prism_demag_factors
from nanomag.fmr.kittel import kittel_mode
from nanomag.materials import MU0, PERMALLOY


def fitted_scale(width_nm: float, field_t: float, bulk_hz: float) -> float:
    """Anisotropy scale k that puts the axial-field Kittel line of a 600 x W x 20 nm bar at
    ``bulk_hz``."""
    nx, ny, nz = prism_demag_factors(600.0, width_nm, 20.0)
    mu0ms = MU0 * PERMALLOY.Ms
    b1 = (bulk_hz / PERMALLOY.gamma_over_2pi) ** 2 / (field_t + mu0ms * (nz - nx))
    return (b1 - field_t) / (mu0ms * (ny - nx))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, default=Path(__file__).with_name("magnumnp_results.csv"))
    parser.add_argument("--field", type=float, default=0.02, help="calibration field, T")
    args = parser.parse_args()
    with open(args.csv) as fh:
        rows = [{k: float(v) for k, v in r.items()} for r in csv.DictReader(fh)]
    scales = {r["width_nm"]: fitted_scale(r["width_nm"], r["field_T"], r["bulk_GHz"] * 1e9)
              for r in rows if np.isclose(r["field_T"], args.field)}
    print("anisotropy_scale:", {w: round(float(k), 3) for w, k in scales.items()})
    print("| width nm | B mT | magnum.np bulk GHz | Kittel GHz | calibrated GHz | error % "
          "| magnum.np edge GHz |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        w, b = r["width_nm"], r["field_T"]
        nx, ny, nz = prism_demag_factors(600.0, w, 20.0)
        ny_eff = nx + scales[w] * (ny - nx)
        model = kittel_mode(b, 0.0, 1, (nx, ny_eff, nz))["frequency"][0] / 1e9
        err = 100 * (model - r["bulk_GHz"]) / r["bulk_GHz"]
        print(f"| {w:g} | {1e3 * b:g} | {r['bulk_GHz']:.3f} | {r['macrospin_GHz']:.3f} | "
              f"{model:.3f} | {err:+.1f} | {r['edge_GHz']:.3f} |")


if __name__ == "__main__":
    main()
