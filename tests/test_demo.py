"""The README's main command: ``nanomag demo``."""

import numpy as np
from sklearn.base import clone
from typer.testing import CliRunner

from nanomag.cli import app
from nanomag.experiments.demo import record_drive
from nanomag.store import load
from nanomag.substrates.spin_ice import SpinIceReservoir

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


def test_demo_rejects_bad_values(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["demo", "--inputs", "30"])
    assert result.exit_code == 2
    assert "too short" in result.output


def test_record_drive_stores_the_drive_the_readout_sees():
    reservoir = SpinIceReservoir(lattice_params={"size": (3, 3)},
                                 frequencies=np.linspace(3e9, 13e9, 16), seed=2)
    inputs = np.random.default_rng(0).random(40)
    ds = record_drive(reservoir, inputs, np.array([25, 5, 39]))
    fitted = clone(reservoir).fit(inputs)
    # the observations of one uninterrupted drive from the reset state
    np.testing.assert_allclose(ds["observation"].values, fitted.transform(inputs))
    np.testing.assert_allclose(ds["frequency"].values, np.linspace(3e9, 13e9, 16))
    assert ds["snapshot"].values.tolist() == [5, 25, 39]
    # each snapshot is the state after that input
    n = fitted.array_.n_bars
    for step in (5, 25, 39):
        _, state = fitted.run(inputs[:step + 1])
        np.testing.assert_array_equal(ds["spin"].sel(snapshot=step).values, state[:n])
        np.testing.assert_array_equal(ds["vortex"].sel(snapshot=step).values, state[n:2 * n] != 0)
    np.testing.assert_array_equal(ds["bar_x"].values, fitted.array_.positions[:, 0])
    np.testing.assert_array_equal(ds["bar_angle"].values, fitted.array_.angles)
    assert ds["bar_length"].attrs["units"] == "nm"
