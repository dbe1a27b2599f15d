import numpy as np
import pytest

from nanomag.metrics import (
    generalisation_rank,
    kernel_rank,
    memory_capacity,
    nmse,
    nonlinearity,
    nrmse,
    numerical_rank,
)


def _delay_line(u, length, first=0):
    """States x_i(t) = u(t - first - i), i < length (zeros before the start)."""
    T = u.shape[0]
    S = np.zeros((T, length))
    for i in range(length):
        d = first + i
        S[d:, i] = u[: T - d]
    return S


def test_nmse_nrmse_closed_forms():
    y = np.array([1.0, 2.0, 3.0, 4.0])
    assert nmse(y, np.full(4, y.mean())) == pytest.approx(1.0)
    assert nmse(y, y) == 0.0
    # error 0.5 everywhere: MSE 0.25, var 1.25
    assert nmse(y, y + 0.5) == pytest.approx(0.2)
    assert nrmse(y, y + 0.5) == pytest.approx(np.sqrt(0.2))


def test_memory_capacity_of_delay_line_equals_length():
    u = np.random.default_rng(0).uniform(-1, 1, 3000)
    L = 12
    mc = memory_capacity(_delay_line(u, L), u, L - 1, min_delay=0, train_fraction=0.5)
    np.testing.assert_allclose(mc.per_delay, 1.0, atol=1e-9)
    assert mc.total == pytest.approx(L, abs=1e-6)
    # delays beyond the line hold no information (test rows, chance level ~1/n each)
    mc = memory_capacity(_delay_line(u, L, first=1), u, 30, train_fraction=0.5)
    assert mc.total == pytest.approx(L, abs=0.1)
    np.testing.assert_array_equal(mc.delays, np.arange(1, 31))


def test_memory_capacity_matches_explicit_per_delay_regression():
    rng = np.random.default_rng(4)
    u = rng.uniform(-1, 1, 600)
    S = np.tanh(_delay_line(u, 6) @ rng.normal(size=(6, 10)))
    mc = memory_capacity(S, u, 5, alpha=1e-3)
    from sklearn.linear_model import Ridge
    unit = S[5:] / np.max(np.abs(S[5:]), axis=0)  # alpha applies to unit-scale channels
    for k in range(1, 6):
        y = u[5 - k: 600 - k]
        pred = Ridge(alpha=1e-3).fit(unit, y).predict(unit)
        assert mc.per_delay[k - 1] == pytest.approx(np.corrcoef(y, pred)[0, 1] ** 2, rel=1e-9)


def test_nonlinearity_linear_and_quadratic_reservoirs():
    rng = np.random.default_rng(1)
    u = rng.uniform(-1, 1, 2000)
    linear = _delay_line(u, 5) @ rng.normal(size=(5, 20))
    assert nonlinearity(linear, u, n_lags=5) == pytest.approx(0.0, abs=1e-12)
    # a linear ESN with fast fading memory is ~linear in its last inputs
    x = np.zeros(20)
    W = rng.normal(size=(20, 20))
    W *= 0.2 / np.max(np.abs(np.linalg.eigvals(W)))
    w_in = rng.normal(size=20)
    states = np.empty((2000, 20))
    for t in range(2000):
        x = W @ x + w_in * u[t]
        states[t] = x
    assert nonlinearity(states, u, n_lags=8, washout=50) < 1e-3
    # squares of a symmetric input are uncorrelated with any linear function of it
    assert nonlinearity(linear**2, u, n_lags=5) > 0.9


def test_kernel_and_generalisation_rank_of_r_state_variables():
    r, C = 7, 40
    mix = np.random.default_rng(2).normal(size=(r, C))

    def drive(stream):
        return _delay_line(stream, r) @ mix

    assert kernel_rank(drive, 30, 50, seed=0) == r
    assert kernel_rank(drive, 4, 50, seed=0) == 4
    # all streams share the last r inputs: identical states, rank 1
    assert generalisation_rank(drive, 30, 50, r, seed=0) == 1
    # sharing s < r inputs leaves r - s free variables plus the common part
    assert generalisation_rank(drive, 30, 50, 3, seed=0) == r - 3 + 1


def test_numerical_rank_tolerance():
    M = np.diag([1.0, 1e-3, 1e-12])
    assert numerical_rank(M) == 3
    assert numerical_rank(M, rtol=1e-6) == 2


@pytest.mark.parametrize(
    "call, word",
    [
        (lambda: nmse(np.ones(3), np.ones(4)), "y_pred"),
        (lambda: nmse(np.ones(3), np.ones(3)), "constant"),
        (lambda: memory_capacity(np.ones((10, 2)), np.ones(9), 3), "inputs"),
        (lambda: memory_capacity(np.ones((10, 2)), np.ones(10), 8), "washout"),
        (lambda: memory_capacity(np.ones((50, 2)), np.ones(50), 3, washout=1), "washout"),
        (lambda: nonlinearity(np.full((20, 2), np.nan), np.ones(20)), "states"),
    ],
)
def test_bad_input(call, word):
    with pytest.raises(ValueError, match=word):
        call()
