"""The ESN step kernel's arithmetic tanh against numpy's."""

import numpy as np

from nanomag.substrates.kernels import tanh


def _tanh_array(x):
    return np.array([tanh(v) for v in x])


def test_tanh_matches_numpy_to_a_few_ulp():
    rng = np.random.default_rng(0)
    x = np.concatenate([rng.normal(0, s, 2000) for s in (1e-9, 1e-3, 0.2, 1.0, 4.0, 12.0)]
                       + [np.array([0.34657359, 0.5 * np.log(2) * 3, 19.0, 19.2, 20.0, 40.0,
                                    1e300, 5e-324, 1e-300])])
    got, want = _tanh_array(x), np.tanh(x)
    np.testing.assert_allclose(got, want, rtol=1e-15, atol=0)


def test_tanh_is_odd_and_saturates():
    x = np.geomspace(1e-12, 50, 400)
    np.testing.assert_array_equal(_tanh_array(-x), -_tanh_array(x))
    assert tanh(0.0) == 0.0
    assert tanh(25.0) == 1.0 and tanh(-1e308) == -1.0
