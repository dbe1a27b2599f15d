"""Reservoir computing end to end on the default spin-vortex ice, against the linear baseline."""

import numpy as np
import pytest

from nanomag.experiments import Split, evaluate_features, evaluate_task, forecast
from nanomag.readout import RidgeReadout
from nanomag.substrates import SpinIceReservoir
from nanomag.tasks import mackey_glass_series, make_task

RESERVOIR = SpinIceReservoir(lattice_params={"size": (8, 8)}, seed=0)


def test_spin_vortex_ice_beats_the_linear_baseline_on_mackey_glass():
    ds = forecast(RESERVOIR, mackey_glass_series(900), horizons=(1, 3, 5))
    ours, linear = ds["nmse"].sel(system="reservoir"), ds["nmse"].sel(system="linear")
    assert float(ours.sel(horizon=1)) < 0.8 * float(linear.sel(horizon=1))
    assert np.all(np.diff(ours.values) > 0)  # errors grow with the horizon


@pytest.mark.parametrize("target", ["cos", "sin2", "square"])
def test_spin_vortex_ice_beats_the_linear_baseline_on_sine_transformations(target):
    ds = evaluate_task(RESERVOIR, make_task("sine", target=target, n_samples=600))
    assert float(ds["nmse"].sel(system="reservoir")) < 0.8 * float(ds["nmse"].sel(system="linear"))


def test_evaluate_features_trains_on_the_past_and_scores_the_future():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 3))
    y = x @ np.array([1.0, -2.0, 0.5])
    out = evaluate_features(x, y, split=Split(washout=20, train_fraction=0.5),
                            readout=RidgeReadout(alphas=(1e-8,), scale_channels=False))
    assert out["prediction"].shape == (90, 1)
    np.testing.assert_allclose(out["target"][:, 0], y[110:])
    assert out["nmse"][0] < 1e-12


def test_too_short_series_is_named():
    with pytest.raises(ValueError, match="too short"):
        evaluate_features(np.zeros((30, 2)), np.zeros(30), split=Split(washout=20))
    with pytest.raises(ValueError, match="share T"):
        evaluate_features(np.zeros((30, 2)), np.zeros(29))
