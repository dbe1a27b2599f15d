import numpy as np
import pytest

from nanomag.tasks import (
    SINE_TRANSFORMS,
    available_tasks,
    mackey_glass_series,
    make_task,
    minmax_scale,
)


def test_sine_targets_follow_their_definitions():
    t = make_task("sine", target="cos", scale=False)
    theta = 2 * np.pi * np.arange(800) / 30
    np.testing.assert_allclose(t.inputs, np.sin(theta), atol=1e-12)
    np.testing.assert_allclose(t.targets, np.cos(theta), atol=1e-12)
    # identities: sin^2 = (1 - cos 2th) / 2; sin^3 = (3 sin th - sin 3th) / 4
    np.testing.assert_allclose(make_task("sine", target="sin2", scale=False).targets,
                               (1 - np.cos(2 * theta)) / 2, atol=1e-12)
    np.testing.assert_allclose(make_task("sine", target="sin3", scale=False).targets,
                               (3 * np.sin(theta) - np.sin(3 * theta)) / 4, atol=1e-12)
    # half-angle identity: |sin(th / 2)| = sqrt((1 - cos th) / 2)
    half = make_task("sine", target="abs_sin_half", scale=False).targets
    np.testing.assert_allclose(half, np.sqrt((1 - np.cos(theta)) / 2), atol=1e-7)


def test_square_and_sawtooth_shapes():
    sq = make_task("sine", target="square", scale=False, period=10).targets[:10]
    np.testing.assert_array_equal(sq, [1, 1, 1, 1, 1, -1, -1, -1, -1, -1])
    saw = make_task("sine", target="sawtooth", scale=False, period=10).targets[:10]
    np.testing.assert_allclose(saw, np.arange(10) / 5 - 1, atol=1e-12)
    inv = make_task("sine", target="inverse_sawtooth", scale=False, period=10).targets[:10]
    np.testing.assert_allclose(inv, -saw)


def test_sine_combinations_and_scaling():
    th = 2 * np.pi * np.arange(800) / 30
    t = make_task("sine", target="cos_double*sin_triple")
    raw = np.cos(2 * th) * np.sin(3 * th)
    np.testing.assert_allclose(t.targets, (raw - raw.min()) / (raw.max() - raw.min()), atol=1e-12)
    assert t.targets.min() == 0 and t.targets.max() == 1
    s = make_task("sine", target="cos+sin2", scale=False).targets
    np.testing.assert_allclose(s, np.cos(th) + np.sin(th) ** 2, atol=1e-12)
    assert set(SINE_TRANSFORMS) >= {"cos", "sin2", "sin3", "abs_sin_half", "sin_double",
                                    "sin_triple", "square", "sawtooth", "inverse_sawtooth"}


def test_nonlinear_map_equation():
    t = make_task("nonlinear_map", n_samples=500, seed=3)
    x, y = t.inputs, t.targets
    np.testing.assert_allclose(
        y[2:], 0.4 * x[1:-1] + 0.4 * x[1:-1] * x[:-2] + 0.6 * x[2:] ** 3 + 0.1, atol=1e-14)


def test_narma10_equation():
    t = make_task("narma10", n_samples=800, seed=1)
    u, y = t.inputs, t.targets  # y[t] = y(t+1)
    assert u.min() >= 0 and u.max() <= 0.5
    for k in range(10, 800):
        want = 0.3 * y[k - 1] + 0.05 * y[k - 1] * y[k - 10:k].sum() + 1.5 * u[k - 9] * u[k] + 0.1
        assert y[k] == pytest.approx(want, rel=1e-12)


def test_henon_equation():
    t = make_task("henon", n_samples=300, noise=0.0, seed=0)
    x = np.concatenate([t.inputs, t.targets[-1:]])
    np.testing.assert_allclose(x[2:], 1 - 1.4 * x[1:-1] ** 2 + 0.3 * x[:-2], atol=1e-12)
    np.testing.assert_array_equal(t.targets[:-1], t.inputs[1:])
    # observation noise: the record minus the clean orbit has the requested spread
    noisy = make_task("henon", n_samples=4000, noise=0.05, seed=0)
    clean = make_task("henon", n_samples=4000, noise=0.0, seed=0)
    assert np.std(noisy.inputs - clean.inputs) == pytest.approx(0.05, rel=0.05)
    with pytest.raises(RuntimeError, match="escaped"):
        make_task("henon", n_samples=3000, noise=0.05, noise_in_dynamics=True, seed=0)


def test_mackey_glass_converges_and_satisfies_dde():
    kw = dict(transient_time=0.0)
    a = mackey_glass_series(150, dt=0.1, **kw)
    b = mackey_glass_series(150, dt=0.02, **kw)
    c = mackey_glass_series(150, dt=0.05, **kw)
    assert np.max(np.abs(a - b)) < 1e-4
    assert np.max(np.abs(c - b)) < 0.5 * np.max(np.abs(a - b))
    # the DDE on a fine grid: central difference of x against the right-hand side
    dt = 0.02
    x = mackey_glass_series(12000, dt=dt, sample_time=dt, transient_time=200.0)
    lag = int(round(17 / dt))
    i = np.arange(lag + 1, x.size - 1)
    dxdt = (x[i + 1] - x[i - 1]) / (2 * dt)
    rhs = 0.2 * x[i - lag] / (1 + x[i - lag] ** 10) - 0.1 * x[i]
    assert np.max(np.abs(dxdt - rhs)) < 1e-4
    assert 0.3 < x.min() and x.max() < 1.5  # the tau = 17 attractor range


def test_mackey_glass_forecast_alignment():
    t = make_task("mackey_glass", n_samples=200, horizon=7)
    np.testing.assert_array_equal(t.targets[:-7], t.inputs[7:])


def test_waveform_labels():
    t = make_task("waveform", n_periods=20, period=8, seed=5)
    labels = t.targets.reshape(20, 8)
    assert np.all(labels == labels[:, :1])
    seg = t.inputs.reshape(20, 8)
    sine = np.sin(2 * np.pi * np.arange(8) / 8)
    for lab, s in zip(labels[:, 0], seg):
        np.testing.assert_allclose(s, sine if lab == 0 else np.where(np.arange(8) < 4, 1, -1),
                                   atol=1e-12)


def test_registry_and_errors():
    assert {"sine", "narma10", "mackey_glass", "henon", "waveform", "nonlinear_map"} <= set(
        available_tasks())
    with pytest.raises(ValueError, match="name"):
        make_task("narma30")
    with pytest.raises(ValueError, match="target"):
        make_task("sine", target="tan")
    with pytest.raises(ValueError, match="n_samples"):
        make_task("narma10", n_samples=-5)
    with pytest.raises(ValueError, match="constant"):
        minmax_scale(np.ones(3))
