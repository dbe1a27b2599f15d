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

10 x 10 arrays, 3 repeats, seeds 0-2, every other setting as in ``nanomag compare``.  Read
the saved results with ``xarray.load_dataset``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from nanomag.experiments import ParallelNetwork, compare, experiment_preset, preset
from nanomag.substrates.spin_ice import DEFAULT_ENGINE

RUNS = ("long_exact", "long_experiment", "disorder_exact", "disorder_experiment", "face_charge")


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


def systems(run: str) -> tuple[dict, int]:
    """(systems, n_inputs) of sensitivity run ``run``."""
    build = experiment_preset if run.endswith("experiment") else preset
    if run == "face_charge":
        build = _face_charge

    def array(name):
        return lambda size, seed: build(name, size, seed)

    network = {"WM|PW": ("parallel", lambda size, seed: ParallelNetwork(
        [build(n, size, seed) for n in ("WM", "PW")], names=["WM", "PW"]))}
    if run == "face_charge":
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
