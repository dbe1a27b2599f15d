"""The README's main command: ``nanomag demo``."""

import numpy as np
from typer.testing import CliRunner

from nanomag.cli import app
from nanomag.store import load

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
