"""Coercive fields read off analytic hysteresis loops."""

import numpy as np
import pytest

from nanomag.engine.analysis import along, coercive_fields


def tanh_loop(hc: float, bias: float, width: float, h_max: float, n: int):
    """A loop whose descending branch crosses zero at bias - hc and ascending at bias + hc."""
    down = np.linspace(h_max, -h_max, n)
    up = down[::-1]
    h = np.concatenate([down, up])
    m = np.concatenate([np.tanh((down - bias + hc) / width), np.tanh((up - bias - hc) / width)])
    return h, m


@pytest.mark.parametrize(("hc", "bias"), [(0.02, 0.0), (0.015, 0.004), (0.03, -0.01)])
def test_tanh_loop_crossings(hc, bias):
    h, m = tanh_loop(hc, bias, width=0.005, h_max=0.06, n=241)
    res = coercive_fields(h, m)
    # linear interpolation of tanh near its zero is exact to O(step^3 / width^2)
    assert res.descending == pytest.approx(bias - hc, abs=1e-5)
    assert res.ascending == pytest.approx(bias + hc, abs=1e-5)
    assert res.coercivity == pytest.approx(hc, abs=1e-5)
    assert res.bias == pytest.approx(bias, abs=1e-5)


def test_step_between_samples_is_interpolated_linearly():
    h = np.array([1.0, 0.0, -1.0, 0.0, 1.0])
    m = np.array([1.0, 0.5, -0.5, -0.25, 0.75])
    res = coercive_fields(h, m)
    assert res.descending == pytest.approx(-0.5)
    assert res.ascending == pytest.approx(0.25)


def test_loop_that_never_reverses_gives_nan():
    h, _ = tanh_loop(0.02, 0.0, 0.005, 0.06, 41)
    res = coercive_fields(h, np.ones_like(h))
    assert np.isnan(res.descending) and np.isnan(res.ascending)


def test_along_projects_on_the_direction():
    v = np.array([[1.0, 1.0], [2.0, 0.0]])
    np.testing.assert_allclose(along(v, 45.0), [np.sqrt(2), np.sqrt(2)])
    np.testing.assert_allclose(along(v, 90.0), [1.0, 0.0], atol=1e-15)


def test_bad_input_names_the_parameter():
    with pytest.raises(ValueError, match="magnetization_along"):
        coercive_fields([0.0, 1.0, 2.0], [1.0, 0.0])
    with pytest.raises(ValueError, match="field_along"):
        coercive_fields([0.0, np.nan], [1.0, 0.0])
