"""Physical networks: parallel and series combinations of reservoirs."""

import numpy as np
import pytest
from sklearn.base import clone

from nanomag.encoders import RegionalFieldEncoder
from nanomag.experiments.networks import ParallelNetwork, SeriesNetwork, channel_scores
from nanomag.experiments.presets import preset
from nanomag.substrates import SpinIceReservoir

SIZE = (3, 3)
FREQS = np.linspace(4e9, 12e9, 16)


def arrays(*names, seed=0):
    return [preset(n, SIZE, seed=seed, frequencies=FREQS) for n in names]


def inputs(n=60, seed=1):
    return np.random.default_rng(seed).uniform(0, 1, n)


def test_parallel_channels_are_the_concatenated_channels_of_its_parts():
    parts = arrays("MS", "WM", "PW")
    net = ParallelNetwork(parts, names=["MS", "WM", "PW"])
    u = inputs()
    obs = net.fit_transform(u)
    expected = np.hstack([clone(p).fit_transform(u) for p in parts])
    np.testing.assert_array_equal(obs, expected)
    assert net.n_channels == 48 and len(net.channel_names) == 48
    assert net.channel_names[16].startswith("WM:")
    energy = net.energy_per_step()
    each = [p.reset() for p in parts]
    for p in each:
        p.drive(u)
    assert energy["flip"] == pytest.approx(sum(p.energy_per_step()["flip"] for p in each))


def test_series_input_of_array_two_is_the_scaled_chosen_channel_of_array_one():
    wm, pw = arrays("WM", "PW")
    net = SeriesNetwork(wm, pw, channel="memory", seed=3)
    u = inputs()
    obs = net.fit_transform(u)
    # manual two-step computation
    first = clone(wm).fit_transform(u)
    lo, hi = net.channel_range_
    assert hi > lo
    second = clone(pw).fit_transform((first[:, net.channel_] - lo) / (hi - lo))
    np.testing.assert_array_equal(obs, second)
    # the calibration: the chosen channel has the best memory score on a uniform drive
    u_cal = np.random.default_rng(3).uniform(0, 1, net.n_calibration)
    cal = clone(wm).fit_transform(u_cal)
    scores = channel_scores(cal, u_cal, "memory", washout=8)
    assert net.channel_ == int(np.argmax(scores))
    kept = SeriesNetwork(wm, pw, channel=net.channel_, keep_first=True, seed=3).fit_transform(u)
    np.testing.assert_array_equal(kept, np.hstack([first, second]))


def test_network_state_round_trip_equals_one_drive():
    net = ParallelNetwork([SeriesNetwork(*arrays("WM", "PW")), *arrays("MS")]).reset()
    u = inputs(40)
    whole = clone(net).reset().drive(u)
    parts = np.vstack([net.drive(u[:17]), net.drive(u[17:])])
    np.testing.assert_array_equal(parts, whole)
    assert net.state.size == sum(p.initial_state().size for p in net.parts_)


def test_channel_scores_pick_memory_and_nonlinearity():
    u = inputs(400, seed=4)
    noise = np.random.default_rng(5).normal(size=u.size)
    lag2 = np.roll(u, 2)
    product = u * np.roll(u, 1)  # not linear in the recent inputs
    present = 3.0 * u + 1.0
    x = np.column_stack([noise, lag2, product, present, np.ones(u.size)])
    mem = channel_scores(x, u, "memory", washout=10)
    # 1 from delay 2, plus about 1/T of chance correlation per other delay
    assert np.argmax(mem) == 1 and mem[1] == pytest.approx(1.0, abs=0.1)
    assert mem[3] < 0.05 and mem[4] == -np.inf  # the present input is not a past input
    nl = channel_scores(x, u, "nonlinearity", washout=10)
    assert nl[1] == pytest.approx(0.0, abs=1e-9) and nl[3] == pytest.approx(0.0, abs=1e-9)
    assert nl[0] > 0.9  # noise is unexplained; the product only in part
    assert 0.05 < nl[2] < 0.9 and nl[4] == -np.inf


@pytest.mark.parametrize("build, match", [
    (lambda: ParallelNetwork([]), "at least one"),
    (lambda: ParallelNetwork(arrays("WM"), names=["a", "b"]), "names"),
    (lambda: ParallelNetwork(arrays("WM") + [SpinIceReservoir(
        lattice_params={"size": SIZE}, encoder=RegionalFieldEncoder(n_inputs=2))]), "n_inputs"),
    (lambda: ParallelNetwork(["WM"]), "Substrate"),
    (lambda: SeriesNetwork(*arrays("WM", "PW"), channel="loud"), "channel"),
    (lambda: SeriesNetwork(*arrays("WM", "PW"), channel=99), "channel"),
    (lambda: SeriesNetwork(arrays("WM")[0], None), "second"),
])
def test_bad_networks_are_rejected(build, match):
    with pytest.raises(ValueError, match=match):
        build().reset()


def test_channel_scores_reject_bad_input():
    with pytest.raises(ValueError, match="criterion"):
        channel_scores(np.zeros((50, 2)), np.zeros(50), "chaos")
    with pytest.raises(ValueError, match="inputs"):
        channel_scores(np.zeros((50, 2)), np.zeros(49), "memory")
