"""The command line: real runs on small lattices, stored results, one-line errors with status 2."""

import importlib
import json

import numpy as np
import pytest
from typer.testing import CliRunner

from nanomag.cli import app
from nanomag.config import LoopRunConfig, SweepConfig
from nanomag.engine.analysis import along, coercive_fields
from nanomag.lattices import available_lattices
from nanomag.store import load, stored_config

# the module nanomag.cli.app (the package attribute of that name is the Typer app)
CLI_APP_MODULE = importlib.import_module("nanomag.cli.app")
runner = CliRunner()
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def assert_bad_input(result, *fragments):
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    message = result.stderr.strip()
    assert message.startswith("error:") and "\n" not in message
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in message


def test_lattices_lists_every_generator():
    result = invoke("lattices")
    assert result.exit_code == 0
    for name in available_lattices():
        assert name in result.stdout
    assert "Gartside" in result.stdout  # the one-line description of the width-modulated ASVI


@pytest.mark.parametrize("out_name", ["loop.zarr", "loop.nc"])
def test_loop_writes_store_and_figure(tmp_path, out_name):
    out, fig = tmp_path / out_name, tmp_path / "loop.png"
    result = invoke("loop", "--size", 2, 3, "--h-max", 0.06, "--steps", 40, "--angle", 45,
                    "--out", out, "--figure", fig)
    assert result.exit_code == 0, result.output
    assert fig.read_bytes()[:8] == PNG_SIGNATURE
    ds = load(out)
    n_bars = 2 * 2 * 3 + 2 + 3  # edges of a closed 2 x 3 square ice
    assert ds["magnetization"].dims == ("step", "component")
    assert ds.sizes == {"step": 40, "component": 2}
    assert ds.attrs["n_bars"] == n_bars
    # a loop to 60 mT saturates both widths (thin bars switch near 30 mT): every bar reverses
    # once on the way down and once on the way up
    assert int(ds["flips"].sum()) == 2 * n_bars
    assert f"{2 * n_bars}" in result.stdout
    # a disorder-free loop started saturated is symmetric under field reversal
    hc = coercive_fields(along(ds["field"].values, 45), along(ds["magnetization"].values, 45))
    assert 0 < hc.ascending < 0.06 and hc.descending == pytest.approx(-hc.ascending)
    assert f"{hc.ascending * 1e3:.2f}" in result.stdout
    cfg = LoopRunConfig.model_validate(stored_config(ds))
    assert cfg.lattice.params["size"] == [2, 3] and cfg.protocol.n_steps == 40


def test_loop_refuses_to_overwrite_unless_asked(tmp_path):
    out = tmp_path / "loop.nc"
    args = ["loop", "--size", 2, 2, "--steps", 8, "--out", out]
    assert invoke(*args).exit_code == 0
    assert_bad_input(invoke(*args), "loop.nc", "already exists")
    assert invoke(*args, "--steps", 10, "--overwrite").exit_code == 0
    assert load(out).sizes["step"] == 10


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["--steps", 7], ["protocol.n_steps", "even"]),
        (["--lattice", "hexagonal"], ["lattice.name", "kagome"]),
        (["--h-max", -0.1], ["protocol.h_max"]),
        (["--disorder", -1], ["engine.disorder"]),
        (["--lattice", "custom"], ["lattice.params"]),
    ],
)
def test_loop_bad_values(args, fragments):
    assert_bad_input(invoke("loop", "--size", 2, 2, *args), *fragments)


def test_run_config_file(tmp_path):
    cfg_path = tmp_path / "run.toml"
    cfg_path.write_text(
        '[lattice]\nname = "square"\nparams = { size = [2, 2] }\n'
        "[engine]\nhc = 0.02\n[protocol]\nh_max = 0.05\nn_steps = 12\nangle_deg = 0.0\n"
    )
    out = tmp_path / "run.zarr"
    result = invoke("run", cfg_path, "--out", out)
    assert result.exit_code == 0, result.output
    ds = load(out)
    assert ds.sizes["step"] == 12
    assert LoopRunConfig.model_validate(stored_config(ds)).engine.hc == 0.02


def test_run_bad_files(tmp_path):
    assert_bad_input(invoke("run", tmp_path / "missing.toml"), "missing.toml", "no such")
    broken = tmp_path / "broken.toml"
    broken.write_text("[engine\n")
    assert_bad_input(invoke("run", broken), "broken.toml", "TOML")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"engine": {"seed": 1, "alpha": -2}}))
    assert_bad_input(invoke("run", bad), "bad.json", "engine.alpha")


def test_sweep_command_runs_and_resumes(tmp_path):
    distributed = pytest.importorskip("distributed")
    cfg = {
        "base": {"lattice": {"name": "square", "params": {"size": [2, 2]}},
                 "protocol": {"h_max": 0.05, "n_steps": 8}},
        "grid": {"engine.hc": [0.01, 0.02]},
    }
    cfg_path = tmp_path / "sweep.json"
    cfg_path.write_text(json.dumps(cfg))
    out = tmp_path / "sweep"
    with distributed.LocalCluster(n_workers=1, processes=False, dashboard_address=":0") as cl:
        args = ["sweep", cfg_path, "--out", out, "--scheduler", cl.scheduler_address]
        first = invoke(*args)
        assert first.exit_code == 0, first.output
        second = invoke(*args)
    assert "computed now" in second.stdout
    assert [line.split("│")[2].strip() for line in second.stdout.splitlines()
            if "computed now" in line] == ["0"]
    ds = load(out / "combined.nc")
    assert ds["flips"].dims == ("engine.hc", "step")
    np.testing.assert_array_equal(ds["engine.hc"], [0.01, 0.02])
    assert SweepConfig.model_validate(stored_config(ds)).grid == cfg["grid"]


def test_sweep_bad_grid(tmp_path):
    cfg_path = tmp_path / "sweep.toml"
    cfg_path.write_text('[grid]\n"engine.nonsense" = [1, 2]\n')
    assert_bad_input(invoke("sweep", cfg_path, "--out", tmp_path / "s"), "sweep.toml",
                     "engine.nonsense")


def test_version_from_the_console_script_and_python_m():
    import subprocess
    import sys

    import nanomag

    result = invoke("--version")
    assert result.exit_code == 0 and result.stdout.strip() == f"nanomag {nanomag.__version__}"
    ran = subprocess.run([sys.executable, "-m", "nanomag", "--version"], capture_output=True,
                         text=True, check=False)
    assert ran.returncode == 0 and ran.stdout.strip() == f"nanomag {nanomag.__version__}"


def test_loop_refuses_an_unknown_results_format(tmp_path):
    out = tmp_path / "res.h5"
    assert_bad_input(invoke("loop", "--size", 2, 2, "--steps", 8, "--out", out),
                     "res.h5", "'.h5'", ".nc")
    assert not out.exists()


def test_loop_results_carry_units_and_paths_print_on_one_line(tmp_path):
    folder = tmp_path / ("a-rather-long-folder-name-" * 4)
    folder.mkdir()
    deep = folder / "loop-results.zarr"
    result = invoke("loop", "--size", 2, 2, "--steps", 8, "--out", deep)
    assert result.exit_code == 0, result.output
    assert f"results {deep}\n" in result.stdout
    ds = load(deep)
    for name in ("magnetization", "flips", "n_vortex", "field"):
        assert ds[name].attrs["long_name"] and "units" in ds[name].attrs, name
    assert ds["field"].attrs["units"] == "T"


def test_loop_announces_a_compilation_only_when_one_is_due(monkeypatch):
    for cached in (False, True):
        monkeypatch.setattr(CLI_APP_MODULE, "compiled", lambda kernels, cached=cached: cached)
        result = invoke("loop", "--size", 2, 2, "--steps", 8)
        assert result.exit_code == 0, result.output
        assert ("compiling" in result.stderr) is not cached
        assert "compiling" not in result.stdout
