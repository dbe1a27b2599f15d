"""Measured data as the substrate of an experiment configuration (``type = "measured"``):
the runner on a recording gives what ``nanomag measured``'s nanomag protocol gives, bad
combinations are refused naming the key, and the shipped sweep over the preprocessing runs
on the shared measured set."""

import json
import tomllib
from pathlib import Path

import numpy as np
import pytest
from report_results import MEASURED, measured_folder

from nanomag.config import ConfigError, ExperimentConfig, SweepConfig, load_config
from nanomag.measured.config import MeasuredConfig, load_measured_config
from nanomag.measured.experiment import run_measured
from nanomag.store import load

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "measured_experiment.toml"
DATA = ROOT.parent / "shared" / "data" / "prcpy-cu2oseo3"
needs_data = pytest.mark.skipif(
    not (DATA / "mg_mapping_conical").is_dir(),
    reason=f"the shared measured data ({DATA}/mg_mapping_conical) is not present")


def _experiment(folder, preprocessing: dict, nanomag: dict, task: dict) -> ExperimentConfig:
    """An experiment on ``folder`` with the readout and split of ``nanomag``'s protocol."""
    return ExperimentConfig.model_validate({
        "substrate": {"type": "measured", "folder": str(folder),
                      "preprocessing": preprocessing},
        "tasks": [task],
        "readout": {"alphas": nanomag["alphas"], "fit_intercept": True,
                    "n_splits": nanomag["n_splits"]},
        "split": {"washout": nanomag["washout"], "train_fraction": 0.7}})


def _assert_same_as_nanomag_protocol(ds, measured, task: str, tau: int) -> None:
    """The runner's test predictions and MSE are the nanomag protocol's."""
    row = measured.sel(task=task)
    test = np.asarray(row["split_role"].sel(protocol="nanomag").values) == 2
    target = ds["target"].isel(task=0).values
    prediction = ds["prediction"].sel(system="reservoir").isel(task=0).values
    np.testing.assert_allclose(target, row["target"].values[test], rtol=1e-12)
    np.testing.assert_allclose(prediction, row["prediction"].sel(protocol="nanomag")
                               .values[test], rtol=1e-9, atol=1e-12)
    mse = float(np.mean((prediction - target) ** 2))
    expected = float(row["mse"].sel(protocol="nanomag", split="test"))
    assert mse == pytest.approx(expected, rel=1e-9)
    # and the runner's NMSE is that MSE over the variance of the test target
    nmse = float(ds["nmse"].sel(system="reservoir").isel(task=0))
    assert nmse == pytest.approx(expected / target.var(), rel=1e-9)
    assert int(measured["tau"].sel(task=task)) == tau


def test_recorded_forecast_equals_the_nanomag_protocol(tmp_path):
    folder = tmp_path / "scans"
    measured = run_measured(MeasuredConfig.model_validate(MEASURED), _written(folder))
    ds = _experiment(folder, MEASURED["preprocessing"], MEASURED["nanomag"],
                     {"name": "recorded", "horizons": [2]}).run()
    assert ds.attrs["substrate"] == "measured"
    assert list(ds["task"].values) == ["recorded:t+2"]
    assert ds.sizes["step"] == 40 and "frequency" in ds.coords
    # field_t+2 forecasts the min-max scaled recorded field two steps ahead
    _assert_same_as_nanomag_protocol(ds, measured, "field_t+2", 2)


def _written(folder: Path) -> Path:
    measured_folder(folder)
    return folder


def test_recorded_transform_uses_the_phase_of_the_recorded_input(tmp_path):
    folder = tmp_path / "scans"
    measured_folder(folder, 0.15 + 0.02 * np.sin(2 * np.pi * np.arange(40) / 20))
    config = dict(MEASURED, tasks=[{"kind": "transform", "name": "square", "transform": "square",
                                    "periods": 2}])
    measured = run_measured(MeasuredConfig.model_validate(config), folder)
    ds = _experiment(folder, MEASURED["preprocessing"], MEASURED["nanomag"],
                     {"name": "recorded", "transform": "square", "periods": 2}).run()
    _assert_same_as_nanomag_protocol(ds, measured, "square", 0)


@pytest.mark.parametrize(("substrate", "task", "fragment"), [
    ({"type": "measured", "folder": "x"}, {"name": "mackey_glass"},
     'tasks.0: a measured substrate takes only name = "recorded" tasks'),
    ({"type": "esn"}, {"name": "recorded", "horizons": [1]},
     'tasks.0: name = "recorded" needs substrate.type = "measured"'),
    ({"type": "measured", "folder": "x"}, {"name": "recorded"},
     "give either horizons (a forecast) or transform (with periods)"),
    ({"type": "measured", "folder": "x"}, {"name": "recorded", "transform": "square"},
     "transform and periods go together"),
    ({"type": "measured", "folder": "x", "preprocessing": {"decimate": 0}},
     {"name": "recorded", "horizons": [1]},
     "substrate.preprocessing.decimate: Input should be greater than or equal to 1"),
])
def test_bad_measured_configs_are_one_line_naming_the_key(tmp_path, substrate, task, fragment):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"substrate": substrate, "tasks": [task]}))
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert fragment in str(info.value) and "\n" not in str(info.value)


def test_missing_folder_is_named(tmp_path):
    config = _experiment(tmp_path / "nowhere", {}, MEASURED["nanomag"],
                         {"name": "recorded", "horizons": [1]})
    with pytest.raises((FileNotFoundError, ValueError), match="^substrate: .*nowhere"):
        config.run()


def test_series_that_did_not_drive_the_device_is_refused_naming_the_task(tmp_path):
    folder = _written(tmp_path / "scans")
    np.save(folder / "other.npy", np.cos(np.arange(40.0)))
    config = _experiment(folder, MEASURED["preprocessing"], MEASURED["nanomag"],
                         {"name": "recorded", "series": "other.npy", "horizons": [1]})
    with pytest.raises(ValueError, match="^tasks.0: inputs do not match the recording"):
        config.run()


def _example(grid: dict | None = None) -> dict:
    data = tomllib.loads(EXAMPLE.read_text())
    data["substrate"]["folder"] = str(DATA / "mg_mapping_conical")
    if grid is not None:
        data["grid"] = grid
    return data


@needs_data
def test_example_base_equals_nanomag_measured_on_the_shared_set():
    """The example's point (decimate 16, window 51) is the Mackey-Glass example's set-up:
    its t+10 forecast is the nanomag protocol's."""
    data = _example()
    data.pop("grid")
    data["tasks"][0]["horizons"] = [10]
    ds = ExperimentConfig.model_validate(data).run()
    measured = run_measured(load_measured_config(ROOT / "examples" / "measured_mackey_glass.toml"),
                            DATA / "mg_mapping_conical")
    _assert_same_as_nanomag_protocol(ds, measured, "mackey_glass_t+10", 10)


@needs_data
def test_sweep_example_runs_over_the_preprocessing(tmp_path):
    distributed = pytest.importorskip("distributed")
    from typer.testing import CliRunner

    from nanomag.cli import app

    assert isinstance(load_config(EXAMPLE, SweepConfig).base, ExperimentConfig)
    grid = {"substrate.preprocessing.decimate": [16, 64],
            "substrate.preprocessing.smooth_window": [51]}
    config = tmp_path / "sweep.json"
    config.write_text(json.dumps(_example(grid)))
    out = tmp_path / "sweep"
    with distributed.LocalCluster(n_workers=1, processes=False, dashboard_address=":0") as cl:
        result = CliRunner().invoke(app, ["sweep", str(config), "--out", str(out),
                                          "--scheduler", cl.scheduler_address])
    assert result.exit_code == 0, result.output
    ds = load(out / "combined.nc")
    assert ds["nmse"].dims == (*grid, "task", "system")
    assert list(ds["task"].values) == ["tasks.0:t+1", "tasks.0:t+5", "tasks.0:t+10"]
    reservoir = ds["nmse"].sel(system="reservoir")
    # the point with the example's own preprocessing is the single run's
    data = _example()
    data.pop("grid")
    single = ExperimentConfig.model_validate(data).run()
    np.testing.assert_allclose(reservoir.isel({"substrate.preprocessing.decimate": 0,
                                               "substrate.preprocessing.smooth_window": 0}),
                               single["nmse"].sel(system="reservoir"), rtol=1e-12)
    # decimation changes the features, not the linear baseline on the raw input
    assert not np.allclose(reservoir.isel({"substrate.preprocessing.decimate": 0}),
                           reservoir.isel({"substrate.preprocessing.decimate": 1}))
    linear = ds["nmse"].sel(system="linear")
    np.testing.assert_allclose(linear.isel({"substrate.preprocessing.decimate": 0}),
                               linear.isel({"substrate.preprocessing.decimate": 1}))
