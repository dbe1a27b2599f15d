import json
import os
import subprocess
from pathlib import Path

import numpy as np
import pytest
from scipy import signal

from nanomag.experiments.evaluation import Split, forecast
from nanomag.measured.config import load_measured_config
from nanomag.measured.experiment import run_measured
from nanomag.measured.protocols import (
    linear_baseline,
    nanomag_protocol,
    prcpy_protocol,
    prcpy_split,
    prcpy_wave,
)
from nanomag.metrics import against_shuffled_inputs, memory_capacity
from nanomag.readout import RidgeReadout
from nanomag.substrates.recorded import RecordedSubstrate
from nanomag.tasks import sine_of_input, sine_phase

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "prcpy-cu2oseo3"
PINNED = ROOT / "validation" / "prcpy_reference.json"
needs_data = pytest.mark.skipif(not DATA.is_dir(), reason=f"measured data not found at {DATA}")

#: (config, folder, key of validation/prcpy_reference.json, task name in the config)
CASES = [
    ("measured_mackey_glass.toml", "mg_mapping_conical", "mackey_glass", "mackey_glass_t+10"),
    ("measured_square_wave.toml", "sine_mapping_conical", "square_wave", "square_prcpy"),
]


def test_prcpy_split_matches_its_definition():
    train, test = prcpy_split(100, 10, 0.3)  # forecasting: first int(0.7 T) rows train
    np.testing.assert_array_equal(train, np.arange(70))
    np.testing.assert_array_equal(test, np.arange(70, 90))
    train, test = prcpy_split(101, 0, 0.3)  # transformation: the last ceil(0.3 T) rows test
    assert (train.size, test.size) == (70, 31)
    np.testing.assert_array_equal(np.r_[train, test], np.arange(101))


def test_prcpy_protocol_is_sklearn_ridge_on_shifted_targets():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(60, 5)), rng.normal(size=60)
    result = prcpy_protocol(x, y, tau=3, alpha=0.5)
    n_train = int(60 * 0.7)
    # closed-form ridge with an unpenalised intercept on rows 0..n_train-1 -> y[3..n_train+2]
    xc = x[:n_train] - x[:n_train].mean(0)
    yc = y[3:n_train + 3] - y[3:n_train + 3].mean()
    w = np.linalg.solve(xc.T @ xc + 0.5 * np.eye(5), xc.T @ yc)
    b = y[3:n_train + 3].mean() - x[:n_train].mean(0) @ w
    pred = x[n_train:57] @ w + b
    assert result.mse_test == pytest.approx(np.mean((pred - y[n_train + 3:]) ** 2), rel=1e-12)


def test_nanomag_protocol_matches_forecast_through_the_recorded_substrate():
    rng = np.random.default_rng(1)
    u = np.sin(np.arange(100) / 4.0) + 0.1 * rng.normal(size=100)
    x = np.column_stack([np.tanh(u + 0.3 * np.roll(u, k)) for k in range(8)])
    split, readout = Split(washout=10, train_fraction=0.7), RidgeReadout(fit_intercept=True)
    ours = nanomag_protocol(x, u, tau=4, split=split, readout=readout)
    base = linear_baseline(u, u, tau=4, split=split, readout=readout)
    ds = forecast(RecordedSubstrate(x, u), u, horizons=(4,), split=split, readout=readout)
    np.testing.assert_allclose(ours.prediction_test, ds.prediction.sel(system="reservoir")[0],
                               rtol=1e-12)
    np.testing.assert_allclose(base.prediction_test, ds.prediction.sel(system="linear")[0],
                               rtol=1e-12)
    np.testing.assert_array_equal(ours.target_test, ds.target[0])


def test_prcpy_wave_is_prcpys_tiled_linspace_wave():
    # PRCpy: signal.square(2 pi linspace(0, 1, T // periods)) tiled, min-max scaled, cut to T
    one = signal.square(2 * np.pi * np.linspace(0, 1, 10))
    expected = (np.tile(one, 20)[:100] + 1) / 2
    np.testing.assert_array_equal(prcpy_wave("square", 100, 10), expected)
    np.testing.assert_array_equal(prcpy_wave("square", 100, 10)[:10], [1, 1, 1, 1, 1, 0, 0, 0, 0, 1])
    saw = signal.sawtooth(2 * np.pi * np.linspace(0, 1, 8))  # ends at -1: phase 2 pi = 0
    saw = (saw - saw.min()) / (saw.max() - saw.min())
    np.testing.assert_allclose(prcpy_wave("sawtooth", 40, 5), np.tile(saw, 5), atol=1e-15)


def test_sine_of_input_recovers_the_phase_of_a_mapped_sine():
    theta = 2 * np.pi * (np.arange(50) + 0.9) / 10
    field = 0.1625 + 0.0225 * np.sin(theta)  # the sine set's field mapping, T
    np.testing.assert_allclose(sine_phase(field, 10), theta, atol=1e-9)
    task = sine_of_input(field, "square", period=10)
    np.testing.assert_array_equal(task.targets[:10], [1, 1, 1, 1, 1, 0, 0, 0, 0, 0])
    with pytest.raises(ValueError, match="not a sine of period 7"):
        sine_phase(field, 7)


def test_shuffled_null_is_the_chance_level():
    rng = np.random.default_rng(2)
    u = rng.uniform(size=100)
    states = np.column_stack([u, np.roll(u, 1), np.roll(u, 2), rng.normal(size=100)])
    result = against_shuffled_inputs(
        lambda s, v: memory_capacity(s, v, 3, train_fraction=0.7, min_delay=0).total,
        states, u, n_shuffles=30, seed=0)
    assert result.value > 2.5  # delays 0, 1, 2 are in the states
    assert result.null.shape == (30,) and result.null_mean < 0.5


@pytest.fixture(scope="module")
def prcpy_results(tmp_path_factory) -> dict:
    """PRCpy's results: run live under ``NANOMAG_PRCPY_PYTHON`` when set, else pinned."""
    python = os.environ.get("NANOMAG_PRCPY_PYTHON")
    if not python:
        return json.loads(PINNED.read_text())["tasks"]
    out = tmp_path_factory.mktemp("prcpy") / "reference.json"
    subprocess.run([python, str(ROOT / "validation" / "prcpy_reference.py"), "--data",
                    str(DATA), "--out", str(out)], check=True, capture_output=True)
    return json.loads(out.read_text())["tasks"]


@needs_data
@pytest.mark.parametrize("config, folder, key, task", CASES, ids=[c[2] for c in CASES])
def test_prcpy_protocol_reproduces_prcpy_on_the_measured_sets(config, folder, key, task,
                                                               prcpy_results):
    """PRCpy's own train / test MSE (run live when NANOMAG_PRCPY_PYTHON names a Python with
    PRCpy, else pinned from one run) on the shared Cu2OSeO3 sets."""
    expected = prcpy_results[key]
    ds = run_measured(load_measured_config(ROOT / "examples" / config), DATA / folder)
    mse = ds["mse"].sel(task=task, protocol="prcpy")
    assert float(mse.sel(split="train")) == pytest.approx(expected["mse_train"], rel=1e-6)
    assert float(mse.sel(split="test")) == pytest.approx(expected["mse_test"], rel=1e-6)
    assert ds.sizes["step"] == expected["n_steps"]
    assert ds.sizes["frequency"] == expected["n_features"]
    roles = ds["split_role"].sel(task=task, protocol="prcpy").values
    assert (np.sum(roles == 1), np.sum(roles == 2)) == (expected["n_train"], expected["n_test"])


@needs_data
def test_forecast_series_must_be_the_one_that_drove_the_device(tmp_path):
    cfg = load_measured_config(ROOT / "examples" / "measured_mackey_glass.toml")
    series = np.load(DATA / "mackey_glass_t17.npy")
    np.save(tmp_path / "late.npy", series[5:])
    with pytest.raises(ValueError, match="do not match the recording"):
        run_measured(cfg, DATA / "mg_mapping_conical", series=tmp_path / "late.npy")
