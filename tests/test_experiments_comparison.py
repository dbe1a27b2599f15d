"""The array / network comparison of Stenning et al. (2024) on a tiny configuration."""

import numpy as np
import pytest
import xarray as xr

from nanomag.experiments.comparison import (
    RANK_SHARED,
    RANK_STREAMS,
    compare,
    default_systems,
    kernel_and_generalisation_rank,
    published_orderings,
)
from nanomag.experiments.experiment_like import EXPERIMENT_INSTRUMENT, TEMPERATURE
from nanomag.figures import save_comparison_figure
from nanomag.metrics import final_states, kernel_rank_streams, numerical_rank
from nanomag.substrates.base import Substrate

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


class MixedDelayLine(Substrate):
    """Observations: the last ``length`` inputs mixed into ``n_out`` channels by a fixed random
    matrix, plus white measurement noise of standard deviation ``noise`` (new at every drive)."""

    def __init__(self, length: int = 12, n_out: int = 30, noise: float = 0.0, n_inputs: int = 1,
                 seed: int | None = 0) -> None:
        self.length = length
        self.n_out = n_out
        self.noise = noise
        self.n_inputs = n_inputs
        self.seed = seed

    def _build(self, rng):
        self.mix_ = rng.normal(size=(self.length, self.n_out))
        self.noise_rng_ = np.random.default_rng(rng.integers(2**32))

    def initial_state(self):
        return np.zeros(self.length)

    def _run(self, inputs, state):
        obs = np.empty((inputs.shape[0], self.n_out))
        for t, u in enumerate(inputs[:, 0]):
            state[1:] = state[:-1].copy()
            state[0] = u
            obs[t] = state @ self.mix_
        return obs + self.noise_rng_.normal(0.0, self.noise, obs.shape)

    @property
    def n_channels(self):
        return self.n_out

    def energy_per_step(self):
        return {}


@pytest.mark.parametrize("noise", [0.0, 1e-3])
def test_ranks_of_a_delay_line_count_its_free_inputs_above_the_noise(noise):
    # r = 12 remembered inputs: kernel rank r over 40 independent streams; streams sharing
    # their last s = 10 inputs differ in r - s inputs, plus their common part: r - s + 1
    line = MixedDelayLine(length=12, noise=noise)
    assert kernel_and_generalisation_rank(line, seed=3) == (12, 12 - RANK_SHARED + 1)
    if noise:  # without the measured floor every noisy direction would count
        streams = kernel_rank_streams(RANK_STREAMS, 20, low=0.0, high=1.0, seed=3)
        assert numerical_rank(final_states(line.fit().transform, streams)) == 30


def test_comparison_reports_kernel_and_generalisation_rank(tiny):
    kr, gr = tiny.kernel_rank, tiny.generalisation_rank
    assert kr.dims == gr.dims == ("system", "repeat")
    assert np.all(gr <= kr) and np.all(gr >= 1)
    assert np.all(kr <= np.minimum(tiny.n_channels, RANK_STREAMS))
    line = compare({"line": ("array", lambda size, seed: MixedDelayLine(seed=seed))},
                   **{**TINY, "repeats": 1})
    assert (line.kernel_rank.item(), line.generalisation_rank.item()) == (12, 3)


def test_default_systems_under_the_experiment_and_longer_range_coupling():
    systems = default_systems(experiment=True, neighbor_distance=2.0)
    wm = systems["WM"][1]((3, 3), 0)
    assert wm.instrument == EXPERIMENT_INSTRUMENT
    assert wm.engine_params["temperature"] == TEMPERATURE
    network = systems["WM|PW"][1]((3, 3), 0)
    assert [p.engine_params["neighbor_distance"] for p in network.substrates] == [2.0, 2.0]
    exact = default_systems()["WM>PW"][1]((3, 3), 0)
    assert exact.first.instrument is None and exact.second.engine_params["neighbor_distance"] == 1
    assert "temperature" not in exact.first.engine_params
    with pytest.raises(ValueError, match="neighbor_distance"):
        default_systems(neighbor_distance=0.0)
    with pytest.raises(ValueError, match="experiment"):
        compare({"WM": systems["WM"]}, experiment=True, **TINY)


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
    assert not any(fails.values()) and len(fails) == 3  # no sine results: three orderings
    sine = _synthetic([1, 2, 1, 0], [0.1, 0.2, 0.3, 0], [0.5, 0.4, 0.6, 0.3]).assign(
        sine=(("system", "target", "repeat"), np.array([0.3, 0.2, 0.01, 0.1])[:, None, None]))
    sine = sine.assign_coords(target=["cos_double*sin_triple"])
    assert published_orderings(sine)["PW < MS on cos 2t sin 3t"]
    sine["sine"][:] = np.array([0.01, 0.2, 0.3, 0.1])[:, None, None]
    assert not published_orderings(sine)["PW < MS on cos 2t sin 3t"]
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
