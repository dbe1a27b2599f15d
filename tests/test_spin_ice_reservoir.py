"""The spin ice as a reservoir substrate."""

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.pipeline import Pipeline

from nanomag.encoders import FieldLoopEncoder, RegionalFieldEncoder, RotatingFieldEncoder
from nanomag.fmr import FMRReadout, ModeTable
from nanomag.readout import RidgeReadout
from nanomag.substrates import SpinIceReservoir

SMALL = {"size": (4, 4)}


def reservoir(**kw):
    kw.setdefault("lattice_params", SMALL)
    kw.setdefault("engine_params", {"disorder": 0.05})
    kw.setdefault("frequencies", np.linspace(4e9, 12e9, 24))
    return SpinIceReservoir(**kw)


def inputs(n=40, seed=0):
    return np.random.default_rng(seed).uniform(0, 1, n)


def test_chunked_drive_equals_one_drive():
    u = inputs()
    whole = reservoir().reset().drive(u)
    res = reservoir().reset()
    parts = np.concatenate([res.drive(u[:15]), res.drive(u[15:])])
    np.testing.assert_array_equal(parts, whole)


def test_spectrum_observation_reads_each_microstate_at_its_loop_end_field():
    res = reservoir().reset()
    u = inputs(10)
    obs = res.drive(u)
    assert obs.shape == (10, 24)
    # the last observation is the spectrum of the final microstate at bias -H(u_last)
    h_last = res.encoder_.amplitudes(u[-1:])[0]
    spin, vortex = res.model_.spin, res.model_.vortex
    expected = res.readout_.spectrum(spin, vortex, -h_last, derivative=True).values[0]
    np.testing.assert_allclose(obs[-1], expected, rtol=1e-12)


def test_spectrum_observation_uses_the_given_mode_table():
    table = ModeTable(vortex_frequencies=(6e9,), vortex_weights=(1.0,))
    u = inputs(30)
    res = reservoir(engine_params=None, modes=table, derivative=False).reset()  # vortices on
    obs = res.drive(u)
    k = np.flatnonzero(res.last_vortices_.any(axis=1))[-1]  # an input that left vortices
    own = FMRReadout(res.readout_.frequencies, modes=table,
                     bias_angle=res.readout_.bias_angle).prepare(res.array_)
    h = res.encoder_.amplitudes(u[k:k + 1])[0]
    expected = own.spectrum(res.last_spins_[k], res.last_vortices_[k], -h).values[0]
    # a series of spectra against one spectrum: equal to rounding of the spectrum's scale
    np.testing.assert_allclose(obs[k], expected, rtol=0, atol=1e-9 * np.abs(expected).max())
    default = reservoir(engine_params=None, derivative=False).reset().drive(u)
    assert not np.allclose(obs[k], default[k])  # same microstate, other vortex lines
    with pytest.raises(TypeError, match="modes"):
        reservoir(modes={"vortex_weights": (1.0,)}).reset()


def test_magnetization_observation_is_the_engine_magnetization():
    res = reservoir(observation="magnetization").reset()
    obs = res.drive(inputs(12))
    np.testing.assert_allclose(obs[-1], res.model_.magnetization(), atol=1e-12)
    assert res.channel_names == ["mx", "my"]


def test_regional_magnetizations_average_to_the_global_one():
    res = reservoir(observation="regions", n_regions=2).reset()
    obs = res.drive(inputs(8))
    arr = res.array_
    k = 2
    cell = np.floor((arr.positions - arr.positions.min(0)) / np.ptp(arr.positions, 0) * k)
    block = (np.clip(cell, 0, k - 1) @ np.array([1, k])).astype(int)
    volume = np.bincount(block, weights=arr.volumes, minlength=k * k)
    mx = obs[-1, 0::2] @ volume / volume.sum()
    my = obs[-1, 1::2] @ volume / volume.sum()
    np.testing.assert_allclose([mx, my], res.model_.magnetization(), atol=1e-12)


def test_state_round_trip_and_explicit_state_run():
    res = reservoir().reset()
    res.drive(inputs(5))
    saved = res.state
    later = res.drive(inputs(6, seed=1))
    res.set_state(saved)
    np.testing.assert_array_equal(res.drive(inputs(6, seed=1)), later)
    obs, final = res.run(inputs(6, seed=1), state=saved)
    np.testing.assert_array_equal(obs, later)


def test_multi_input_regional_encoder():
    res = reservoir(encoder=RegionalFieldEncoder(n_inputs=2), observation="magnetization")
    obs = res.fit_transform(np.random.default_rng(0).uniform(0, 1, (7, 2)))
    assert obs.shape == (7, 2)


def test_clone_and_pipeline():
    res = reservoir(encoder=FieldLoopEncoder(h_max=0.03))
    twin = clone(res)
    assert twin.get_params()["encoder__h_max"] == 0.03
    u = inputs(60)
    y = np.roll(u, 1)
    pipe = Pipeline([("reservoir", twin), ("readout", RidgeReadout())]).fit(u[:, None], y)
    assert pipe.predict(u[:, None]).shape == (60,)


def test_energy_terms_are_positive_and_labelled():
    res = reservoir().reset()
    res.drive(inputs(10))
    energy = res.energy_per_step()
    for key in ("flip", "field_on_chip", "read_lab", "total_on_chip"):
        assert energy[key] > 0
    assert energy["total_lab"] > energy["total_on_chip"] > energy["total_intrinsic"]


def test_bad_parameters():
    with pytest.raises(ValueError, match="observation"):
        reservoir(observation="phase").reset()
    with pytest.raises(ValueError, match="lattice"):
        reservoir(lattice="triangular").reset()
    with pytest.raises(ValueError, match="seed"):
        reservoir(engine_params={"seed": 3}).reset()
    with pytest.raises(TypeError, match="lattice_params"):
        reservoir(lattice="square", lattice_params={"disorder": 0.1}).reset()
    with pytest.raises(ValueError, match="NaN"):
        reservoir().fit_transform(np.array([0.1, np.nan]))


def test_runs_with_random_vortex_nucleation_are_functions_of_the_state():
    res = reservoir(engine_params=None).reset()  # the default engine: vortex states on
    u = inputs(30)
    first = res.transform(u)
    np.testing.assert_array_equal(res.transform(u), first)  # transform starts from reset
    res.drive(u)
    saved = res.state
    a = res.drive(u)
    res.set_state(saved)
    np.testing.assert_array_equal(res.drive(u), a)  # the generator state travels with it
    assert res.model_.vortex.any()  # nucleation really drew random numbers


@pytest.mark.parametrize("encoder", [FieldLoopEncoder(steps_per_half=3),
                                     RotatingFieldEncoder(angle_step_deg=50.0, steps_per_input=3)],
                         ids=["ramped loop", "rotating field"])
def test_a_drive_split_in_two_calls_equals_one_call(encoder):
    # the state carries the field history: the ramp and the turn continue across calls
    u = np.random.default_rng(0).random(30)
    reservoir = SpinIceReservoir(lattice_params={"size": (3, 3)}, encoder=encoder,
                                 observation="magnetization", seed=1).fit()
    whole, end = reservoir.run(u)
    first, middle = reservoir.run(u[:11])
    second, split_end = reservoir.run(u[11:], middle)
    np.testing.assert_allclose(np.concatenate([first, second]), whole, atol=1e-12)
    np.testing.assert_array_equal(split_end, end)
