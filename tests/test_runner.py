"""The experiment runner against the Python API it drives: the same scores as ``forecast`` /
``evaluate_task``, snapshots equal to the engine's state, a fully labelled result."""

import numpy as np
import pytest
import xarray as xr
from sklearn.base import clone

from nanomag.config import ExperimentConfig
from nanomag.experiments.evaluation import Split, evaluate_task, forecast, scaled_inputs
from nanomag.experiments.runner import LABELS, VARIABLES, metrics_only, run_experiment
from nanomag.progress import reporting
from nanomag.readout import RidgeReadout
from nanomag.store import load, save
from nanomag.substrates import EchoStateNetwork, SpinIceReservoir
from nanomag.tasks import mackey_glass_series, make_task

ESN = {"type": "esn", "n_units": 30, "spectral_radius": 0.8}
SPIN_ICE = {"type": "spin_ice", "lattice": {"params": {"size": [2, 2]}},
            "observation": {"kind": "spectrum", "n_channels": 16}}
SPLIT = {"washout": 10, "train_fraction": 0.6}


def experiment(substrate, tasks, **extra):
    return ExperimentConfig.model_validate(
        {"substrate": substrate, "tasks": tasks, "split": SPLIT, "seed": 4, **extra})


@pytest.fixture(scope="module")
def spin_ice_result():
    cfg = experiment({**SPIN_ICE, "snapshots": [0, 17, 59]},
                     [{"name": "mackey_glass", "n_samples": 60, "horizons": [1, 2]}])
    return cfg, run_experiment(cfg)


def test_esn_forecast_equals_calling_forecast_directly():
    cfg = experiment(ESN, [{"name": "mackey_glass", "n_samples": 300, "horizons": [1, 4]}],
                     readout={"alphas": [1e-3, 1e-1]})
    ds = run_experiment(cfg)
    ref = forecast(EchoStateNetwork(n_units=30, spectral_radius=0.8, seed=4),
                   mackey_glass_series(300), [1, 4], split=Split(10, 0.6),
                   readout=RidgeReadout(alphas=(1e-3, 1e-1)))
    np.testing.assert_array_equal(ds["nmse"].values, ref["nmse"].values)
    np.testing.assert_array_equal(ds["prediction"].values, ref["prediction"].values)
    np.testing.assert_array_equal(ds["time"].values, ref["time"].values)
    assert list(ds["task"].values) == ["mackey_glass:t+1", "mackey_glass:t+4"]
    assert list(ds["task_key"].values) == ["tasks.0:t+1", "tasks.0:t+4"]
    np.testing.assert_array_equal(ds["input"].values, mackey_glass_series(300))


def test_tasks_on_one_input_equal_evaluate_task_each():
    tasks = [{"name": "sine", "target": "cos", "n_samples": 120},
             {"name": "sine", "target": "square", "n_samples": 120}]
    ds = run_experiment(experiment(ESN, tasks))
    for entry, target in zip(ds["task"].values, ("cos", "square")):
        ref = evaluate_task(EchoStateNetwork(n_units=30, spectral_radius=0.8, seed=4),
                            make_task("sine", target=target, n_samples=120), split=Split(10, 0.6))
        np.testing.assert_allclose(ds["nmse"].sel(task=entry).values, ref["nmse"].values,
                                   rtol=1e-12)
        np.testing.assert_allclose(ds["target"].sel(task=entry).values, ref["target"].values)


def test_spin_ice_matches_forecast_on_the_same_reservoir(spin_ice_result):
    _, ds = spin_ice_result
    reservoir = SpinIceReservoir(lattice_params={"size": (2, 2)}, seed=4,
                                 frequencies=np.linspace(3e9, 13e9, 16))
    ref = forecast(reservoir, mackey_glass_series(60), [1, 2], split=Split(10, 0.6))
    np.testing.assert_array_equal(ds["nmse"].values, ref["nmse"].values)
    for scenario in ds["scenario"].values:
        assert ds["energy_total"].sel(scenario=scenario) == pytest.approx(
            ref.attrs[f"energy_total_{scenario}_J"], rel=1e-12)
    np.testing.assert_allclose(ds["frequency"].values, np.linspace(3e9, 13e9, 16))


def test_snapshots_are_the_engine_state_after_those_inputs(spin_ice_result):
    cfg, ds = spin_ice_result
    substrate = clone(cfg.substrate.build(cfg.seed)).fit()
    u = scaled_inputs(mackey_glass_series(60)[:, None], Split(10, 0.6))[:, 0]
    n = substrate.array_.n_bars
    assert list(ds["snapshot"].values) == [0, 17, 59]
    for step in (0, 17, 59):
        _, state = substrate.run(u[:step + 1])
        np.testing.assert_array_equal(ds["spin"].sel(snapshot=step).values, state[:n])
        np.testing.assert_array_equal(ds["vortex"].sel(snapshot=step).values,
                                      state[n:2 * n].astype(bool))
    assert ds["spin"].dtype == np.int8 and ds["vortex"].dtype == bool
    assert set(np.unique(ds["spin"])) <= {-1, 1}
    # the first input already changes the prepared state (else the comparison proves little)
    assert np.any(ds["spin"].sel(snapshot=0).values != substrate.initial_state()[:n])


def test_bar_geometry_and_fields_come_from_the_array_and_encoder(spin_ice_result):
    cfg, ds = spin_ice_result
    substrate = clone(cfg.substrate.build(cfg.seed)).fit()
    array = substrate.array_
    np.testing.assert_array_equal(ds["bar_x"], array.positions[:, 0])
    np.testing.assert_array_equal(ds["bar_y"], array.positions[:, 1])
    np.testing.assert_array_equal(ds["bar_angle"], array.angles)
    np.testing.assert_array_equal(ds["bar_width"], array.widths)
    np.testing.assert_array_equal(ds["bar_length"], array.lengths)
    # one field loop +H(u), -H(u) per input, |H| in the encoder's 16-30 mT window
    assert ds.sizes["field_step"] == 2 * 60
    h = np.hypot(ds["field"].sel(component="x"), ds["field"].sel(component="y")).values
    assert h.min() >= 0.016 - 1e-12 and h.max() <= 0.030 + 1e-12
    np.testing.assert_allclose(ds["field"].values[0::2], -ds["field"].values[1::2])


def test_every_variable_and_coordinate_is_labelled_and_survives_the_store(spin_ice_result,
                                                                        tmp_path):
    cfg, ds = spin_ice_result
    assert set(ds.data_vars) == {name.rstrip("*") for name in VARIABLES}
    back = load(save(ds, tmp_path / "r.zarr", config=cfg))
    for result in (ds, back):
        for name in result.variables:
            assert {"units", "long_name"} <= set(result[name].attrs), name
            assert result[name].attrs["units"] == LABELS[name][0]
    assert back.attrs["kind"] == "experiment"
    assert ExperimentConfig.model_validate_json(back.attrs["config"]) == cfg
    for package in ("nanomag", "numpy", "numba", "python"):
        assert back.attrs[f"{package}_version"]
    np.testing.assert_array_equal(back["vortex"].values, ds["vortex"].values)
    assert back["vortex"].dtype == bool


def test_metrics_only_labels_tasks_by_their_place_in_the_config(spin_ice_result):
    _, ds = spin_ice_result
    metrics = metrics_only(ds)
    assert set(metrics.data_vars) == {"nmse", "energy", "energy_total", "included"}
    assert list(metrics["task"].values) == ["tasks.0:t+1", "tasks.0:t+2"]
    xr.testing.assert_equal(metrics["nmse"].reset_coords(drop=True).variable,
                            ds["nmse"].variable)


def test_progress_is_reported_for_inputs_and_tasks():
    seen = []
    cfg = experiment(ESN, [{"name": "sine", "n_samples": 100},
                           {"name": "sine", "target": "sin2", "n_samples": 100}])
    with reporting(lambda label, done, total: seen.append((label, done, total))):
        run_experiment(cfg)
    inputs = [(d, t) for label, d, t in seen if label == "inputs"]
    assert inputs[0] == (0, 100) and inputs[-1] == (100, 100)
    assert [d for d, _ in inputs] == sorted(d for d, _ in inputs)
    assert [(d, t) for label, d, t in seen if label == "tasks"] == [(0, 2), (1, 2), (2, 2)]


def test_tasks_with_different_inputs_are_refused_naming_the_task():
    cfg = experiment(ESN, [{"name": "sine", "n_samples": 100},
                           {"name": "narma10", "n_samples": 100, "seed": 1}])
    with pytest.raises(ValueError, match=r"tasks\.1: its input series differs"):
        run_experiment(cfg)


def test_snapshot_beyond_the_inputs_is_refused_naming_the_key():
    cfg = experiment({**SPIN_ICE, "snapshots": [100]}, [{"name": "sine", "n_samples": 50}])
    with pytest.raises(ValueError, match=r"substrate\.snapshots: step 100"):
        run_experiment(cfg)


def test_tasks_without_a_seed_draw_from_the_experiment_seed():
    cfg = experiment(ESN, [{"name": "narma10", "n_samples": 100}])
    ds = run_experiment(cfg)
    np.testing.assert_array_equal(ds["input"].values,
                                  make_task("narma10", n_samples=100, seed=4).inputs)
    xr.testing.assert_identical(ds["nmse"], run_experiment(cfg)["nmse"])


def test_a_split_that_does_not_fit_a_forecast_is_refused_before_driving():
    cfg = experiment(ESN, [{"name": "sine", "n_samples": 60, "horizons": [30]}])
    with pytest.raises(ValueError, match=r"tasks\.0: series of 30 steps is too short"):
        run_experiment(cfg)


def test_spin_ice_totals_are_the_sums_of_the_terms_each_scenario_includes(spin_ice_result):
    _, ds = spin_ice_result
    included = ds["included"]
    assert included.dtype == bool and set(included.dims) == {"scenario", "term"}
    np.testing.assert_allclose(ds["energy"].where(included).sum("term").values,
                               ds["energy_total"].values, rtol=1e-12)
    # the medium's switching work counts in every scenario, the Landauer floor in none
    assert bool(included.sel(term="flip").all())
    assert not bool(included.sel(term="landauer_floor").any())
