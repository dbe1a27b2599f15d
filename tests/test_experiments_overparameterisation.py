"""The readout over-parameterisation sweep on synthetic channels with a known answer."""

import numpy as np
import pytest

from nanomag.experiments.overparameterisation import channel_sweep, ridge_fit_predict

N_TRAIN = 40
COUNTS = [4, 8, 30, 38, 40, 42, 50, 160, 240]


def _synthetic(seed=0, n_steps=240, n_channels=240, noise=0.3):
    """Gaussian channels; the target is a dense linear function of all channels plus noise."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n_steps, n_channels))
    w = rng.standard_normal(n_channels) / np.sqrt(n_channels)
    return x, x @ w + noise * rng.standard_normal(n_steps)


@pytest.fixture(scope="module")
def sweep():
    x, y = _synthetic()
    return channel_sweep(x, y, COUNTS, n_train=N_TRAIN, washout=10, n_subsets=8, seed=1)


def test_dims_coords_and_attrs(sweep):
    assert sweep["test_nmse"].dims == ("n_channels", "subset")
    assert sweep["train_nmse"].shape == (len(COUNTS), 8)
    np.testing.assert_array_equal(sweep["n_channels"], COUNTS)
    assert sweep.attrs["n_train"] == N_TRAIN
    assert sweep.attrs["n_test"] == 240 - 10 - N_TRAIN


def test_train_error_vanishes_at_and_beyond_interpolation(sweep):
    train = sweep["train_nmse"].median("subset")
    assert np.all(train.sel(n_channels=[p for p in COUNTS if p >= N_TRAIN]) < 1e-6)
    below = train.sel(n_channels=[p for p in COUNTS if p < N_TRAIN])
    assert np.all(below > 1e-3)
    # more channels never fit the training part worse (nested least-squares in expectation)
    assert np.all(np.diff(below.values) < 0)


def test_test_error_peaks_at_interpolation_threshold(sweep):
    test = sweep["test_nmse"].median("subset")
    peak = float(test.sel(n_channels=[38, 40, 42]).max())
    assert peak > 5.0 * float(test.sel(n_channels=4))
    assert peak > 5.0 * float(test.sel(n_channels=240))
    assert int(test.idxmax()) in (38, 40, 42)


def test_ridge_fit_matches_minimum_norm_lstsq():
    rng = np.random.default_rng(3)
    for p in (5, 30):  # under- and over-determined, 12 rows
        x, y, x_new = rng.standard_normal((12, p)), rng.standard_normal(12), rng.standard_normal((4, p))
        coef = np.linalg.lstsq(x, y, rcond=None)[0]  # minimum-norm solution
        fitted, predicted = ridge_fit_predict(x, y, x_new, 0.0)
        np.testing.assert_allclose(fitted, x @ coef, atol=1e-10)
        np.testing.assert_allclose(predicted, x_new @ coef, atol=1e-10)


def test_seed_reproducible_and_subsets_differ():
    x, y = _synthetic(n_steps=80, n_channels=30)
    a = channel_sweep(x, y, [10], n_train=30, n_subsets=3, seed=5)
    b = channel_sweep(x, y, [10], n_train=30, n_subsets=3, seed=5)
    np.testing.assert_array_equal(a["test_nmse"], b["test_nmse"])
    assert np.unique(a["test_nmse"].values).size == 3


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"n_channels": [31]}, "n_channels"),
        ({"n_channels": [0]}, "n_channels"),
        ({"n_train": 75}, "n_train"),
        ({"washout": -1}, "washout"),
        ({"alpha": -1.0}, "alpha"),
        ({"n_subsets": 0}, "n_subsets"),
    ],
)
def test_bad_inputs_raise(kwargs, name):
    x, y = _synthetic(n_steps=80, n_channels=30)
    args = {"n_channels": [5], "n_train": 30, "washout": 5, **kwargs}
    counts = args.pop("n_channels")
    with pytest.raises(ValueError, match=name):
        channel_sweep(x, y, counts, **args)


def test_nan_raises():
    x, y = _synthetic(n_steps=80, n_channels=30)
    x[3, 4] = np.nan
    with pytest.raises(ValueError, match="features"):
        channel_sweep(x, y, [5], n_train=30)
    with pytest.raises(ValueError, match="targets"):
        channel_sweep(x[:, :0] + 1.0, np.full(80, np.nan), [1], n_train=30)


def test_figure_written(sweep, tmp_path):
    from nanomag.figures import save_overparameterisation_figure

    path = save_overparameterisation_figure(sweep, tmp_path / "curve.png")
    assert path.stat().st_size > 1000
