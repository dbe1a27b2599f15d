"""Sensitivity runs behind the published orderings that the model does not reproduce.

Run: ``python validation/ordering_sensitivity.py RUN --out results.nc`` with RUN one of

* ``long_exact``, ``long_experiment``: WM, PW and the parallel network WM|PW driven by 1000
  instead of 500 inputs (686 instead of 336 training rows for the readout), exact or under
  the experiment-like observation (:func:`nanomag.experiments.experiment_preset`): does the
  network lose to PW at Mackey-Glass t+7 because its readout has too few training rows?
* ``disorder_exact``, ``disorder_experiment``: WM, PW (5 deg angle disorder, the preset) and
  PW with 15 deg: does PW's nonlinearity depend on its (unpublished) disorder amplitude?
* ``face_charge``: MS, WM, PW and WM|PW, exact, with the face-charge (finite-bar) coupling
  instead of the point dipole: does the dipolar model decide the orderings?
* ``previous_fmr_exact``, ``previous_fmr_experiment``: MS, WM, PW and WM|PW read with the
  FMR calibration that the geometry-true resonance replaced (:func:`previous_mode_table`),
  exact or under the experiment-like observation: which orderings did the new resonance move?
* ``previous_resonance_exact``: the previous resonance with the current vortex lines, exact:
  do the vortex lines move any ordering?

10 x 10 arrays, 3 repeats, seeds 0-2, every other setting as in ``nanomag compare``.  Read
the saved results with ``xarray.load_dataset``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from nanomag.experiments import ParallelNetwork, compare, experiment_preset, preset
from nanomag.fmr import ModeTable
from nanomag.fmr.resonance import BarResonanceModel
from nanomag.substrates.spin_ice import DEFAULT_ENGINE

RUNS = ("long_exact", "long_experiment", "disorder_exact", "disorder_experiment", "face_charge",
        "previous_fmr_exact", "previous_fmr_experiment", "previous_resonance_exact")
#: Vortex lines before the micromagnetic ones: 250 nm bar at 0 mT, placeholder weights.
PREVIOUS_VORTEX_LINES = {"vortex_frequencies": (4.88e9, 7.59e9, 11.19e9),
                         "vortex_weights": (0.5, 0.15, 0.1)}


def previous_mode_table(vortex_lines: bool = True) -> ModeTable:
    """The FMR calibration that the geometry-true resonance replaced, for the bar widths of
    the presets (125, 150 and 200 nm; 600 nm long, 20 nm thick).

    Bulk line: Kittel with ``Ny - Nx`` scaled by 1.197 (125 and 150 nm) and 1.225 (200 nm),
    ``Nz - Nx`` unscaled; edge lines ``4.34 GHz - 42.5 GHz/T (B_tip - 20 mT)`` for every
    width; with ``vortex_lines`` also the previous vortex lines
    (:data:`PREVIOUS_VORTEX_LINES`), otherwise the current ones.  The scale is written as
    ``k_in = 1.337 - 1.232 (w/l) + 2.688 (w/l)^2``, which passes through those three widths.
    """
    resonance = BarResonanceModel(in_plane=(1.337, 0.0, -1.232, 0.0, 2.688),
                                  out_of_plane=(1.0, 0.0, 0.0, 0.0, 0.0),
                                  edge=(4.34e9 + 42.5e9 * 0.020, 0.0, 0.0, 0.0, 0.0),
                                  edge_slope=-42.5e9)
    return ModeTable(resonance=resonance, **(PREVIOUS_VORTEX_LINES if vortex_lines else {}))


def _pw_with_disorder(build, disorder_deg: float):
    """Factory of PW (built by ``build``) with ``disorder_deg`` Gaussian angle disorder."""
    def factory(size, seed):
        res = build("PW", size, seed)
        return res.set_params(lattice_params={**res.lattice_params,
                                              "angle_disorder": disorder_deg})
    return factory


def _face_charge(name: str, size, seed):
    """The exact preset ``name`` with face-charge instead of point-dipole coupling."""
    return preset(name, size, seed, engine_params={**DEFAULT_ENGINE, "coupling": "face_charge"})


def _previous(build, vortex_lines: bool):
    """``build`` (a preset builder) reading with :func:`previous_mode_table`."""
    def previous(name: str, size, seed):
        return build(name, size, seed, modes=previous_mode_table(vortex_lines))
    return previous


def systems(run: str) -> tuple[dict, int]:
    """(systems, n_inputs) of sensitivity run ``run``."""
    build = experiment_preset if run.endswith("experiment") else preset
    if run.startswith("previous"):
        build = _previous(build, vortex_lines=run.startswith("previous_fmr"))
    elif run == "face_charge":
        build = _face_charge

    def array(name):
        return lambda size, seed: build(name, size, seed)

    network = {"WM|PW": ("parallel", lambda size, seed: ParallelNetwork(
        [build(n, size, seed) for n in ("WM", "PW")], names=["WM", "PW"]))}
    if run == "face_charge" or run.startswith("previous"):
        return {**{n: ("array", array(n)) for n in ("MS", "WM", "PW")}, **network}, 500
    if run.startswith("long"):
        return {"WM": ("array", array("WM")), "PW": ("array", array("PW")), **network}, 1000
    return {"WM": ("array", array("WM")), "PW": ("array", _pw_with_disorder(build, 5.0)),
            "PW15": ("array", _pw_with_disorder(build, 15.0))}, 500


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run", choices=RUNS)
    parser.add_argument("--out", type=Path, required=True, help="results file (.nc)")
    args = parser.parse_args()
    if args.out.exists():
        parser.error(f"--out {args.out} already exists")
    chosen, n_inputs = systems(args.run)
    compare(chosen, n_inputs=n_inputs, size=(10, 10), repeats=3, seed=0).to_netcdf(args.out)


if __name__ == "__main__":
    main()
