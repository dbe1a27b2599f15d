"""The README's main command: ``nanomag demo``."""

import importlib

import numpy as np
import pytest
from sklearn.base import clone
from typer.testing import CliRunner

from nanomag.cli import app
from nanomag.experiments.demo import record_drive
from nanomag.store import load
from nanomag.substrates.spin_ice import SpinIceReservoir

# the module nanomag.cli.app (the package attribute of that name is the Typer app)
CLI_APP_MODULE = importlib.import_module("nanomag.cli.app")
runner = CliRunner()


def test_demo_writes_results_and_figure_and_never_overwrites(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    args = ["demo", "--size", "6", "6", "--inputs", "400", "--horizons", "3"]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    ds = load(tmp_path / "nanomag-demo" / "forecast.zarr")
    assert ds["nmse"].dims == ("horizon", "system")
    assert list(ds["horizon"].values) == [1, 2, 3]
    assert (tmp_path / "nanomag-demo" / "forecast.png").stat().st_size > 10_000
    # what a report draws: the drive's spectra and microstates on the array's bars
    assert ds["observation"].dims == ("step", "channel") and ds.sizes["step"] == 400
    assert ds["spin"].dims == ("snapshot", "bar") and ds.sizes["bar"] == ds["bar_x"].size
    # errors grow with the forecast horizon, for the reservoir and the baseline
    assert np.all(np.diff(ds["nmse"].values, axis=0) > 0)
    # the medium itself costs orders of magnitude less than a digital reservoir step; with a
    # lab magnet and a network analyser the physical reservoir costs far more
    assert ds.attrs["energy_advantage_intrinsic"] > 1e3
    assert ds.attrs["energy_advantage_lab"] < 1e-3
    # a second run leaves the first result alone
    second = runner.invoke(app, args)
    assert second.exit_code == 0, second.output
    assert (tmp_path / "nanomag-demo-2" / "forecast.zarr").exists()
    refused = runner.invoke(app, args + ["--out", "nanomag-demo"])
    assert refused.exit_code == 2
    assert "already exists" in refused.output


def test_demo_rejects_bad_values_before_any_notice_or_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(CLI_APP_MODULE, "compiled", lambda kernels: False)
    for args, fragment in ((["--inputs", "50"], "too short"), (["--substrate", "lsm"], "esn"),
                           (["--size", "0", "3"], "size")):
        result = runner.invoke(app, ["demo", *args])
        assert result.exit_code == 2, args
        assert fragment in result.stderr and "compiling" not in result.output, args
    assert list(tmp_path.iterdir()) == []


def test_demo_help_lists_only_its_own_options():
    text = runner.invoke(app, ["demo", "--help"]).output
    assert "--substrate" in text and "--figure" not in text


def test_compile_notice_only_when_the_kernels_are_not_cached(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    args = ["demo", "--substrate", "esn", "--inputs", "200", "--horizons", "2"]
    monkeypatch.setattr(CLI_APP_MODULE, "compiled", lambda kernels: False)
    cold = runner.invoke(app, args)
    assert cold.exit_code == 0, cold.output
    assert "compiling" in cold.stderr and "compiling" not in cold.stdout
    monkeypatch.setattr(CLI_APP_MODULE, "compiled", lambda kernels: True)
    warm = runner.invoke(app, args)
    assert warm.exit_code == 0 and "compiling" not in warm.output


def test_demo_on_an_echo_state_network(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["demo", "--substrate", "esn", "--inputs", "300",
                                 "--horizons", "3", "--out", "esn"])
    assert result.exit_code == 0, result.output
    assert "echo-state network" in result.stdout
    ds = load(tmp_path / "esn" / "forecast.zarr")
    assert ds.attrs["substrate"] == "esn" and "lattice" not in ds.attrs
    # the echo-state network beats the linear baseline on every horizon
    assert np.all(ds["nmse"].sel(system="reservoir") < ds["nmse"].sel(system="linear"))
    # compared with a digital echo-state network of as many units, it costs the same
    assert ds.attrs["energy_advantage_intrinsic"] == pytest.approx(1.0)
    assert "energy_advantage_lab" not in ds.attrs
    for name in ("nmse", "prediction", "target"):
        assert ds[name].attrs["units"] == "1" and ds[name].attrs["long_name"], name


def test_record_drive_stores_the_drive_the_readout_sees():
    reservoir = SpinIceReservoir(lattice_params={"size": (3, 3)},
                                 frequencies=np.linspace(3e9, 13e9, 16), seed=2)
    inputs = np.random.default_rng(0).random(40)
    fitted = clone(reservoir).fit(inputs)
    observations = fitted.transform(inputs)
    ds = record_drive(fitted, inputs, observations, np.array([25, 5, 39]))
    np.testing.assert_array_equal(ds["observation"].values, observations)
    np.testing.assert_allclose(ds["frequency"].values, np.linspace(3e9, 13e9, 16))
    assert ds["snapshot"].values.tolist() == [5, 25, 39]
    # each snapshot is the state after that input, as a drive that stops there leaves it
    n = fitted.array_.n_bars
    for step in (5, 25, 39):
        _, state = fitted.run(inputs[:step + 1])
        np.testing.assert_array_equal(ds["spin"].sel(snapshot=step).values, state[:n])
        np.testing.assert_array_equal(ds["vortex"].sel(snapshot=step).values, state[n:2 * n] != 0)
    np.testing.assert_array_equal(ds["bar_x"].values, fitted.array_.positions[:, 0])
    np.testing.assert_array_equal(ds["bar_angle"].values, fitted.array_.angles)
    assert ds["bar_length"].attrs["units"] == "nm"
    with pytest.raises(ValueError, match="last drive had 40 inputs"):
        record_drive(fitted, inputs[:10], observations[:10], np.array([1]))
