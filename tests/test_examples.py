"""Every configuration in examples/ validates at its shipped size and runs through the command
line (``nanomag run`` / ``nanomag sweep``) at a small size."""

import json
import tomllib
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from nanomag.cli import app
from nanomag.config import ExperimentConfig, SweepConfig, load_config
from nanomag.store import load, stored_config

EXAMPLES = Path(__file__).parents[1] / "examples"
RUNS = ["forecast.toml", "esn_baseline.toml"]
SWEEPS = ["compare_ms_wm_pw.toml", "sweep_small.toml"]
#: Configurations of ``nanomag measured`` (tests/test_measured_cli.py) and a sweep over a
#: measured substrate (tests/test_measured_substrate.py), which read the shared measured data.
MEASURED = ["measured_mackey_glass.toml", "measured_square_wave.toml",
            "measured_experiment.toml"]


def shrink(data: dict) -> dict:
    """The example at a test size: 2 x 2 lattices, 16 FMR channels, 20 units, 80 inputs."""
    data = json.loads(json.dumps(data))
    substrate = data.get("substrate", {})
    if "lattice" in substrate:
        substrate["lattice"]["params"]["size"] = [2, 2]
    if "size" in substrate:
        substrate["size"] = [2, 2]
    if "observation" in substrate:
        substrate["observation"]["n_channels"] = 16
    if "n_units" in substrate:
        substrate["n_units"] = 20
    for task in data["tasks"]:
        task["n_samples"] = 80
    data["split"] = {"washout": 10, "train_fraction": 0.6}
    return data


def invoke(*args):
    result = CliRunner().invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result


def test_examples_directory_holds_every_example():
    assert sorted(p.name for p in EXAMPLES.glob("*.toml")) == sorted(RUNS + SWEEPS + MEASURED)


@pytest.mark.parametrize("name", RUNS)
def test_run_examples_validate_at_shipped_size(name):
    assert isinstance(load_config(EXAMPLES / name), ExperimentConfig)


@pytest.mark.parametrize("name", SWEEPS)
def test_sweep_examples_validate_at_shipped_size(name):
    sweep = load_config(EXAMPLES / name, SweepConfig)
    assert isinstance(sweep.base, ExperimentConfig)


@pytest.mark.parametrize("name", RUNS)
def test_run_example_runs_from_the_command_line(name, tmp_path):
    data = shrink(tomllib.loads((EXAMPLES / name).read_text()))
    config = tmp_path / "config.json"
    config.write_text(json.dumps(data))
    result = invoke("run", config, "--out", tmp_path / "result.zarr")
    assert "mackey_glass:t+7" in result.stdout
    ds = load(tmp_path / "result.zarr")
    assert ds.attrs["kind"] == "experiment"
    assert list(ds["task"].values) == [f"mackey_glass:t+{k}" for k in range(1, 8)]
    assert np.all(np.isfinite(ds["nmse"].values)) and np.all(ds["nmse"].values > 0)
    assert ExperimentConfig.model_validate(stored_config(ds)) == ExperimentConfig.model_validate(
        data)
    assert ds.sizes["step"] == 80


@pytest.mark.parametrize(("name", "dims"), [
    ("compare_ms_wm_pw.toml", {"substrate.array": ["MS", "PW", "WM"]}),
    ("sweep_small.toml", {"substrate.spectral_radius": [0.5, 0.9, 1.2],
                          "tasks.0.horizon": [1, 5]}),
])
def test_sweep_example_runs_from_the_command_line(name, dims, tmp_path):
    distributed = pytest.importorskip("distributed")
    data = shrink(tomllib.loads((EXAMPLES / name).read_text()))
    config = tmp_path / "sweep.json"
    config.write_text(json.dumps(data))
    out = tmp_path / "sweep"
    with distributed.LocalCluster(n_workers=1, processes=False, dashboard_address=":0") as cl:
        invoke("sweep", config, "--out", out, "--scheduler", cl.scheduler_address)
    ds = load(out / "combined.nc")
    assert ds["nmse"].dims == (*dims, "task", "system")
    for key, values in dims.items():
        assert [v.item() for v in ds[key].values] == values
    assert np.all(np.isfinite(ds["nmse"].values))
    assert ds["nmse"].attrs["units"] == "1" and ds["energy"].attrs["units"] == "J"
    # every point is a different experiment: no two points score the same
    flat = ds["nmse"].sel(system="reservoir").values.ravel()
    assert np.unique(flat).size == flat.size


@pytest.mark.parametrize(("text", "fragment"), [
    ('[substrate]\ntype = "esn"\nspectral_radius = -0.5\n',
     "substrate.spectral_radius: Input should be greater than 0"),
    ('seed = "1"\n', "seed: Input should be a valid integer"),
    ('[substrate]\ntype = "spin_ice"\nengine = { temperature = 1e30 }\n',
     "substrate.engine.temperature: Input should be less than or equal to 1000"),
    ("[protocol]\nn_steps = 10000000000\n", "protocol.n_steps"),
])
def test_bad_configs_are_one_line_naming_the_key(tmp_path, text, fragment):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    result = CliRunner().invoke(app, ["run", str(path), "--out", str(tmp_path / "r.zarr")])
    assert result.exit_code == 2, result.output
    message = result.stderr.strip()
    assert message.startswith("error:") and "\n" not in message and fragment in message
    assert not (tmp_path / "r.zarr").exists()


def test_figure_option_is_refused_for_experiments(tmp_path):
    path = tmp_path / "esn.toml"
    path.write_text('[substrate]\ntype = "esn"\n')
    result = CliRunner().invoke(app, ["run", str(path), "--figure", str(tmp_path / "f.png")])
    assert result.exit_code == 2 and "--figure" in result.stderr
