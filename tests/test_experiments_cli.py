"""The `nanomag compare` and `nanomag train` commands."""

import importlib

import xarray as xr
from typer.testing import CliRunner

from nanomag.cli import app

cli_app = importlib.import_module("nanomag.cli.app")  # the module, not the Typer app

runner = CliRunner()


def test_compare_quick_writes_results_and_figure(tmp_path, monkeypatch):
    monkeypatch.setattr("nanomag.cli.experiments.QUICK", {"size": (3, 3), "n_inputs": 70, "repeats": 1})
    # output to a pipe with COLUMNS unset (a test runner may set COLUMNS for its workers)
    monkeypatch.setattr(cli_app.console, "width", cli_app.PIPE_WIDTH)
    out, fig = tmp_path / "cmp.nc", tmp_path / "cmp.png"
    result = runner.invoke(app, ["compare", "--quick", "--out", str(out), "--figure", str(fig)])
    assert result.exit_code == 0, result.output
    assert "published ordering WM MC > MS MC" in result.output
    ds = xr.load_dataset(out)
    assert set(ds.system.values) >= {"MS", "WM", "PW"} and ds.attrs["n_inputs"] == 70
    assert fig.stat().st_size > 10_000
    # piped output keeps every column whole (mean ± sd, not truncated)
    header = next(line for line in result.stdout.splitlines() if "MG t+11" in line)
    assert "…" not in result.stdout and "sine" in header and "KR" in header and "GR" in header
    assert f"results {out}\n" in result.stdout
    assert ds.attrs["experiment"] == 0 and ds.attrs["neighbor_distance"] == 1.0
    for name in ("memory_capacity", "nonlinearity", "mackey_glass", "sine", "kernel_rank",
                 "generalisation_rank"):
        assert ds[name].attrs["units"] == "1" and ds[name].attrs["long_name"], name
    again = runner.invoke(app, ["compare", "--quick", "--out", str(out)])
    assert again.exit_code == 2 and "already exists" in again.output


def test_train_reports_population_per_cycle(tmp_path):
    out = tmp_path / "train.nc"
    result = runner.invoke(app, ["train", "--size", "4", "4", "--cycles", "3", "--blocks", "1",
                                 "--out", str(out), "--figure", str(tmp_path / "t.png"),
                                 "--spectra", str(tmp_path / "s.png")])
    assert result.exit_code == 0, result.output
    ds = xr.load_dataset(out)
    assert list(ds.phase.values) == ["train"] * 3 + ["saturate"]
    assert "saturate" in result.output and (tmp_path / "s.png").exists()
    assert f"results {out}\n" in result.stdout and f"spectra {tmp_path / 's.png'}" in result.stdout
    assert ds["n_vortex"].attrs["long_name"] and ds["vortex_fraction"].attrs["units"] == "1"


def test_bad_options_exit_with_status_2():
    for args in (["train", "--array", "XX"], ["train", "--cycles", "0"],
                 ["compare", "--inputs", "20"], ["compare", "--repeats", "0"],
                 ["compare", "--quick", "--out", "cmp.h5"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 2 and "error" in result.output, args
