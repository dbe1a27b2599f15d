"""Small results of every layout the report reads, made with the real API (for the report
tests): an experiment result (hand-assembled, and as ``nanomag run`` writes it), a measured
result (``nanomag measured``), a hysteresis loop and a combined two-parameter loop sweep."""

from __future__ import annotations

import json

import numpy as np
import xarray as xr

from nanomag.config import ExperimentConfig, LoopRunConfig
from nanomag.energy import PHYSICAL_SCENARIOS
from nanomag.experiments.demo import record_drive
from nanomag.experiments.evaluation import Split, forecast, scaled_inputs
from nanomag.measured import write_folder
from nanomag.measured.config import MeasuredConfig
from nanomag.measured.experiment import run_measured
from nanomag.store import save
from nanomag.substrates.spin_ice import SpinIceReservoir
from nanomag.sweep import POINT_ATTR, combine, point_path
from nanomag.tasks import mackey_glass_series

SNAPSHOTS = (0, 60, 119)


def experiment_result(size=(3, 3), n_inputs: int = 120) -> xr.Dataset:
    """An experiment result as ``nanomag run`` writes it: a 3 x 3 spin-vortex ice forecasting
    Mackey-Glass t+1 and t+3 (tasks), with inputs, fields, FMR spectra on 32 channels, bar
    geometry, microstate snapshots and the energy per input by scenario and term."""
    reservoir = SpinIceReservoir(lattice_params={"size": size},
                                 frequencies=np.linspace(3e9, 13e9, 32), seed=0)
    series = mackey_glass_series(n_inputs)
    split = Split(washout=20, train_fraction=0.7)
    scored = forecast(reservoir, series, (1, 3), split=split)
    inputs = scaled_inputs(series[:, None], split)[:, 0]
    fitted = reservoir.fit(inputs)
    drive = record_drive(fitted, inputs, fitted.transform(inputs), np.array(SNAPSHOTS))
    protocol = fitted.encoder_.encode(inputs, fitted.array_)
    terms = {k: v for k, v in scored.attrs.items() if k.startswith("energy_")}
    names = [k.removeprefix("energy_").removesuffix("_J") for k in terms
             if not k.startswith("energy_total_")]
    energy = np.array([[terms[f"energy_{t}_J"] if t in PHYSICAL_SCENARIOS[s] else np.nan
                        for t in names] for s in PHYSICAL_SCENARIOS])
    tasks = ["mackey_glass_t+1", "mackey_glass_t+3"]
    ds = xr.Dataset(
        {
            "input": drive["input"],
            "field": (("step", "axis"), protocol.fields[protocol.observe - 1],
                      {"units": "T", "long_name": "write field"}),
            "observation": drive["observation"].assign_attrs(
                units="a.u.", long_name="FMR dP/dH"),
            "prediction": (("task", "system", "time"), scored["prediction"].values,
                           {"long_name": "prediction"}),
            "target": (("task", "time"), scored["target"].values, {"long_name": "target"}),
            "nmse": (("task", "system"), scored["nmse"].values,
                     {"long_name": "test NMSE", "units": "1"}),
            "energy": (("scenario", "term"), energy,
                       {"units": "J", "long_name": "energy per input step"}),
            **{name: drive[name] for name in ("bar_x", "bar_y", "bar_angle", "bar_length",
                                                "bar_width", "spin", "vortex")},
        },
        coords={"task": tasks, "system": scored["system"], "time": scored["time"],
                "axis": ["x", "y"], "scenario": list(PHYSICAL_SCENARIOS), "term": names},
        attrs={"kind": "experiment", "nanomag_version": "0.1.0",
               "config": json.dumps({"substrate": {"kind": "spin_ice", "size": list(size)},
                                     "tasks": tasks, "n_inputs": n_inputs})},
    )
    return ds.assign_coords(drive.coords)


RUN = {"seed": 0,
       "substrate": {"type": "spin_ice", "lattice": {"params": {"size": [3, 3]}},
                     "observation": {"kind": "spectrum", "n_channels": 24}},
       "tasks": [{"name": "mackey_glass", "n_samples": 150, "horizons": [1, 3]}],
       "split": {"washout": 20}}


def run_result() -> xr.Dataset:
    """An experiment result from the runner (``nanomag run``): a 3 x 3 spin-vortex ice, 150
    Mackey-Glass inputs (two field steps each), 24 FMR channels, forecasts t+1 and t+3."""
    return ExperimentConfig.model_validate(RUN).run()


MEASURED = {"preprocessing": {"smooth_window": 5, "smooth_order": 2, "decimate": 4},
            "tasks": [{"kind": "forecast", "name": "field_t+2", "tau": 2},
                      {"kind": "forecast", "name": "field_t+1", "tau": 1}],
            "nanomag": {"washout": 2, "alphas": [1e-3, 1e-1], "n_splits": 3},
            "metrics": {"max_delay": 3, "n_lags": 3, "n_channels": 10, "n_shuffles": 20}}


def measured_folder(folder, field: np.ndarray | None = None) -> None:
    """40 steps of a resonance line whose frequency follows the field of this and the last
    step, written to ``folder`` in the per-step layout; ``field`` (40,) in T, default
    0.15 + 0.02 sin(t / 3)."""
    steps = np.arange(1, 41)
    field = 0.15 + 0.02 * np.sin(steps / 3.0) if field is None else field
    freq = np.linspace(1e9, 6e9, 120)
    centre = 2e9 + 80e9 * (field - 0.13) + 30e9 * (np.roll(field, 1) - 0.15)
    lines = 1.0 / (1.0 + ((freq[None] - centre[:, None]) / 0.2e9) ** 2)
    write_folder(xr.DataArray(lines, dims=("step", "frequency"),
                              coords={"step": steps, "frequency": freq,
                                      "applied_field": ("step", field)}), folder)


def measured_result(folder) -> xr.Dataset:
    """A measured result (``nanomag measured``) of :func:`measured_folder` written to
    ``folder``: two forecasts of the applied field, both protocols, MC and NL."""
    measured_folder(folder)
    return run_measured(MeasuredConfig.model_validate(MEASURED), folder)


LOOP = {"lattice": {"name": "asvi_width_modulated", "params": {"size": [3, 3]}},
        "engine": {"disorder": 0.05, "seed": 1},
        "protocol": {"h_max": 0.05, "n_steps": 60, "angle_deg": 30.0}}


def loop_result() -> xr.Dataset:
    """A hysteresis loop of a 3 x 3 spin-vortex ice at 30 deg (``nanomag loop``'s result)."""
    return LoopRunConfig.model_validate(LOOP).run()


def sweep_result(folder) -> tuple[xr.Dataset, dict]:
    """A combined sweep over ``engine.disorder`` and ``protocol.h_max`` of the loop above, its
    points written to ``folder`` and combined as ``nanomag sweep`` does; returns the combined
    Dataset and the grid."""
    grid = {"engine.disorder": [0.0, 0.1], "protocol.h_max": [0.02, 0.05, 0.08]}
    for disorder in grid["engine.disorder"]:
        for h_max in grid["protocol.h_max"]:
            config = json.loads(json.dumps(LOOP))
            config["engine"]["disorder"] = disorder
            config["protocol"]["h_max"] = h_max
            point = {"engine.disorder": disorder, "protocol.h_max": h_max}
            ds = LoopRunConfig.model_validate(config).run()
            ds.attrs[POINT_ATTR] = json.dumps(point)
            save(ds, point_path(folder, point))
    return combine(folder, grid), grid
