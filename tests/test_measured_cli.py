"""The `nanomag measured` command."""

from pathlib import Path

import numpy as np
import pytest
import xarray as xr
from typer.testing import CliRunner

from nanomag.cli import app
from nanomag.measured import write_folder
from nanomag.store import load

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "prcpy-cu2oseo3"

CONFIG = """
[preprocessing]
smooth_window = 5
smooth_order = 2
decimate = 4

[[tasks]]
kind = "forecast"
name = "field_t+2"
tau = 2

[nanomag]
washout = 2
alphas = [1e-3, 1e-1]
n_splits = 3

[metrics]
max_delay = 3
n_lags = 3
n_channels = 10
n_shuffles = 5
"""


@pytest.fixture
def folder(tmp_path) -> Path:
    """40 steps of a resonance line whose frequency follows the field of this and the last
    step, written in the per-step layout."""
    steps = np.arange(1, 41)
    field = 0.15 + 0.02 * np.sin(steps / 3.0)
    freq = np.linspace(1e9, 6e9, 120)
    centre = 2e9 + 80e9 * (field - 0.13) + 30e9 * (np.roll(field, 1) - 0.15)
    lines = 1.0 / (1.0 + ((freq[None] - centre[:, None]) / 0.2e9) ** 2)
    data = xr.DataArray(lines, dims=("step", "frequency"),
                        coords={"step": steps, "frequency": freq,
                                "applied_field": ("step", field)})
    write_folder(data, tmp_path / "scans")
    return tmp_path / "scans"


def _run(*args: str):
    return runner.invoke(app, ["measured", *args])


def test_writes_store_with_mse_by_protocol_and_split_and_refuses_overwrite(folder, tmp_path):
    config = tmp_path / "run.toml"
    config.write_text(CONFIG)
    out = tmp_path / "out"
    result = _run(str(folder), "--config", str(config), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "field_t+2" in result.output and "memory capacity" in result.output
    ds = load(out / "measured.zarr")
    assert ds["mse"].dims == ("task", "protocol", "split")
    assert list(ds["protocol"].values) == ["prcpy", "nanomag"]
    assert list(ds["split"].values) == ["train", "test"]
    assert np.all(np.isfinite(ds["mse"].values)) and np.all(ds["mse"].values >= 0)
    assert ds["spectra"].shape == (40, 30)  # 120 points decimated by 4
    for name, var in {**ds.data_vars, **ds.coords}.items():
        assert {"units", "long_name"} <= set(var.attrs), name
    # the stored MSE is the mean squared error of the stored predictions on the test steps
    row = ds.sel(task="field_t+2", protocol="nanomag")
    test = row["split_role"].values == 2
    expected = np.mean((row["prediction"].values[test] - ds["target"][0].values[test]) ** 2)
    assert float(row["mse"].sel(split="test")) == pytest.approx(expected, rel=1e-12)
    assert (out / "measured.png").stat().st_size > 10_000

    again = _run(str(folder), "--config", str(config), "--out", str(out))
    assert again.exit_code == 2 and "already exists" in again.output
    replaced = _run(str(folder), "--config", str(config), "--out", str(out), "--overwrite")
    assert replaced.exit_code == 0, replaced.output


@pytest.mark.parametrize("bad, key", [
    ("[[tasks]]\nkind = 'forecast'\ntaux = 2\n", "tasks.0.forecast.taux"),
    ("[prcpy]\nalpha = '0.1'\n[[tasks]]\nkind = 'forecast'\n", "prcpy.alpha"),
    ("[reading]\nprefx = 'scan'\n[[tasks]]\nkind = 'forecast'\n", "reading.prefx"),
])
def test_bad_config_key_gives_one_line_naming_it(folder, tmp_path, bad, key):
    config = tmp_path / "bad.toml"
    config.write_text(bad)
    result = _run(str(folder), "--config", str(config), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and key in lines[0], result.output
    assert not (tmp_path / "out").exists()


@pytest.mark.skipif(not DATA.is_dir(), reason=f"measured data not found at {DATA}")
def test_mackey_glass_example_with_target_override(tmp_path):
    out = tmp_path / "mg"
    result = _run(str(DATA / "mg_mapping_conical"), "--config",
                  str(ROOT / "examples" / "measured_mackey_glass.toml"),
                  "--target", str(DATA / "mackey_glass_t17.npy"), "--out", str(out))
    assert result.exit_code == 0, result.output
    ds = load(out / "measured.zarr")
    assert int(ds["tau"][0]) == 10 and ds.sizes["step"] == 100
