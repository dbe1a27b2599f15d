"""``nanomag sweep`` refuses what it cannot do with one line and leaves --out as it was."""

import json
import os

import pytest
from typer.testing import CliRunner

from nanomag.cli import app
from nanomag.sweep import sweep_lock

distributed = pytest.importorskip("distributed")


@pytest.fixture
def config_file(tmp_path):
    path = tmp_path / "sweep.json"
    path.write_text(json.dumps({
        "base": {"lattice": {"name": "square", "params": {"size": [2, 2]}},
                 "protocol": {"h_max": 0.05, "n_steps": 8}},
        "grid": {"engine.hc": [0.01, 0.02]},
    }))
    return path


def one_line_error(*args):
    result = CliRunner().invoke(app, ["sweep", *map(str, args)])
    assert result.exit_code == 2, result.output
    message = result.stderr.strip()
    assert message.startswith("error:") and "\n" not in message, message
    assert "Traceback" not in result.output
    return message


@pytest.mark.parametrize("workers", [0, -1])
def test_invalid_workers_are_refused_at_once(tmp_path, config_file, workers):
    message = one_line_error(config_file, "--out", tmp_path / "s", "--workers", workers)
    assert f"--workers must be at least 1, got {workers}" in message
    assert not (tmp_path / "s").exists()


def test_unreachable_scheduler_is_one_line_within_the_timeout(tmp_path, config_file):
    out = tmp_path / "s"
    message = one_line_error(config_file, "--out", out, "--scheduler", "tcp://127.0.0.1:1",
                             "--connect-timeout", 1)
    assert "cannot reach the Dask scheduler at 'tcp://127.0.0.1:1' within 1 s" in message
    assert not out.exists()


def test_a_directory_in_use_is_refused_with_advice(tmp_path, config_file):
    out = tmp_path / "s"
    with (distributed.LocalCluster(n_workers=1, processes=False, dashboard_address=":0") as cl,
          sweep_lock(out)):
        message = one_line_error(config_file, "--out", out, "--scheduler",
                                 cl.scheduler_address)
    assert f"in use by another sweep (pid {os.getpid()} on host" in message
    assert "--wait SECONDS" in message
    assert os.listdir(out) == []
