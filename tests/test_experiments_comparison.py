"""The array / network comparison of Stenning et al. (2024) on a tiny configuration."""

import numpy as np
import pytest
import xarray as xr

from nanomag.experiments.comparison import compare, default_systems, published_orderings
from nanomag.figures import save_comparison_figure

TINY = dict(size=(3, 3), n_inputs=90, repeats=2, horizons=(1, 7), washout=10,
            sine_targets=("sin2", "cos"))


@pytest.fixture(scope="module")
def tiny():
    systems = {k: v for k, v in default_systems().items() if k in ("MS", "WM", "PW", "WM|PW",
                                                                   "WM>PW")}
    return compare(systems, **TINY)


def test_comparison_has_the_documented_layout(tiny):
    assert dict(tiny.sizes) == {"system": 5, "repeat": 2, "horizon": 2, "target": 2, "delay": 8}
    assert list(tiny.kind.values) == ["array", "array", "array", "parallel", "series"]
    assert tiny.memory_capacity.dims == ("system", "repeat")
    assert tiny.mackey_glass.dims == ("system", "horizon", "repeat")
    assert tiny.sine.dims == ("system", "target", "repeat")
    np.testing.assert_array_equal(tiny.n_channels.values, [128, 128, 128, 256, 128])
    # MC is a sum of squared correlations, one per delay
    per_delay = tiny.memory_per_delay.values
    assert np.all((per_delay >= 0) & (per_delay <= 1))
    np.testing.assert_allclose(tiny.memory_capacity, tiny.memory_per_delay.sum("delay"))
    assert np.all((tiny.nonlinearity >= 0) & (tiny.nonlinearity <= 1))
    assert np.all(tiny.mackey_glass > 0)


def test_linear_baseline_cannot_square_a_sine(tiny):
    # sin^2 is uncorrelated with sin over whole periods: a linear map of the input scores
    # about the target variance (NMSE near 1), while the reservoirs learn it
    assert np.all(tiny.sine_linear.sel(target="sin2") > 0.9)
    assert np.all(tiny.sine.sel(target="sin2", system="WM") < 0.5)


def test_repeats_are_independent_draws_and_runs_are_reproducible(tiny):
    assert not np.allclose(tiny.memory_capacity.isel(repeat=0), tiny.memory_capacity.isel(repeat=1))
    again = compare({"WM": default_systems()["WM"]}, **{**TINY, "repeats": 1})
    np.testing.assert_array_equal(again.mackey_glass.sel(system="WM").values,
                                  tiny.mackey_glass.sel(system="WM").isel(repeat=[0]).values)


def _synthetic(mc, nl, mg7):
    names = ["MS", "WM", "PW", "net"]
    return xr.Dataset(
        {"memory_capacity": (("system", "repeat"), np.array(mc)[:, None]),
         "nonlinearity": (("system", "repeat"), np.array(nl)[:, None]),
         "mackey_glass": (("system", "horizon", "repeat"), np.array(mg7)[:, None, None])},
        coords={"system": names, "kind": ("system", ["array"] * 3 + ["parallel"]),
                "horizon": [7], "repeat": [0]})


def test_published_orderings_read_the_means():
    holds = published_orderings(_synthetic([1, 2, 1, 0], [0.1, 0.2, 0.3, 0], [0.5, 0.4, 0.6, 0.3]))
    assert all(holds.values())
    fails = published_orderings(_synthetic([2, 1, 1, 0], [0.1, 0.3, 0.2, 0], [0.5, 0.4, 0.6, 0.45]))
    assert not any(fails.values())
    with pytest.raises(ValueError, match="horizon"):
        published_orderings(_synthetic([1, 2, 1, 0], [0, 0, 0, 0], [1, 1, 1, 1]), horizon=3)


def test_comparison_figure(tiny, tmp_path):
    path = save_comparison_figure(tiny, tmp_path / "cmp.png")
    assert path.stat().st_size > 10_000


@pytest.mark.parametrize("kwargs, match", [
    ({"n_inputs": 30}, "too short"),
    ({"repeats": 0}, "repeats"),
    ({"horizons": (0,)}, "horizons"),
    ({"sine_targets": ()}, "sine_targets"),
    ({"sine_targets": ("tan",)}, "target"),
    ({"washout": 4}, "washout"),
    ({"systems": {}}, "systems"),
])
def test_bad_comparisons_are_rejected(kwargs, match):
    args = {**TINY, "repeats": 1, "systems": {"WM": default_systems()["WM"]}, **kwargs}
    systems = args.pop("systems")
    with pytest.raises(ValueError, match=match):
        compare(systems, **args)
