"""Input encoders: the field protocols they write."""

import numpy as np
import pytest
from sklearn.base import clone

from nanomag import make_lattice
from nanomag.encoders import (
    DriveHistory,
    FieldLoopEncoder,
    RegionalFieldEncoder,
    RotatingFieldEncoder,
    WaveformEncoder,
)

ARRAY = make_lattice("square", size=(4, 4))


def test_field_loop_writes_plus_then_minus_h_and_observes_at_minus_h():
    enc = FieldLoopEncoder(h_min=0.01, h_max=0.03, angle_deg=30.0, input_range=(-1.0, 1.0))
    u = np.array([-1.0, 0.0, 1.0, 5.0])
    p = enc.encode(u, ARRAY)
    h = np.array([0.01, 0.02, 0.03, 0.03])  # affine map, clipped above the range
    direction = np.array([np.cos(np.pi / 6), np.sin(np.pi / 6)])
    np.testing.assert_allclose(p.fields, np.stack([h, -h], 1).reshape(-1, 1) * direction)
    np.testing.assert_array_equal(p.observe, [1, 3, 5, 7])
    np.testing.assert_allclose(p.readout_bias, -h)
    np.testing.assert_allclose(p.fields[p.observe] @ direction, p.readout_bias)


def test_ramped_loop_ends_each_half_on_its_target():
    p = FieldLoopEncoder(steps_per_half=4, angle_deg=0.0).encode([0.0, 1.0], ARRAY)
    x = p.fields[:, 0]
    assert x.size == 16
    np.testing.assert_allclose(x[[3, 7, 11, 15]], [0.016, -0.016, 0.030, -0.030])
    assert np.all(np.abs(np.diff(x)) <= 0.030 * 2 / 4 + 1e-15)


def test_rotating_field_turns_at_constant_amplitude():
    p = RotatingFieldEncoder(angle_step_deg=90.0, steps_per_input=4).encode([0.5, 1.0], ARRAY)
    np.testing.assert_allclose(np.linalg.norm(p.fields, axis=1), [0.023] * 4 + [0.030] * 4)
    np.testing.assert_allclose(p.fields[1] @ p.fields[0], 0.0, atol=1e-15)
    np.testing.assert_array_equal(p.observe, [3, 7])


@pytest.mark.parametrize("shape", ["sine", "pulse"])
def test_waveforms_have_the_input_amplitude(shape):
    p = WaveformEncoder(shape=shape, steps_per_input=8, angle_deg=0.0).encode([0.0, 1.0], ARRAY)
    per_input = p.fields[:, 0].reshape(2, 8)
    np.testing.assert_allclose(np.abs(per_input).max(axis=1), [0.016, 0.030])
    assert np.all(per_input[:, -1] == 0)


def test_regional_encoder_drives_each_stripe_with_its_own_input():
    enc = RegionalFieldEncoder(n_inputs=2, angle_deg=0.0)
    u = np.array([[0.0, 1.0]])
    p = enc.encode(u, ARRAY)
    region = enc.regions(ARRAY)
    assert set(region) == {0, 1}
    np.testing.assert_allclose(p.fields[0, region == 0, 0], 0.016)
    np.testing.assert_allclose(p.fields[0, region == 1, 0], 0.030)
    np.testing.assert_allclose(p.fields[1], -p.fields[0])


def test_encoders_are_scikit_learn_parameters():
    enc = clone(FieldLoopEncoder(h_max=0.05))
    assert enc.get_params()["h_max"] == 0.05


@pytest.mark.parametrize(
    "enc, inputs, match",
    [
        (FieldLoopEncoder(), [0.1, np.nan], "NaN"),
        (FieldLoopEncoder(), np.zeros((3, 2)), "inputs"),
        (FieldLoopEncoder(h_min=0.04, h_max=0.03), [0.1], "h_max"),
        (FieldLoopEncoder(input_range=(1.0, 1.0)), [0.1], "input_range"),
        (FieldLoopEncoder(steps_per_half=0), [0.1], "steps_per_half"),
        (WaveformEncoder(shape="triangle"), [0.1], "shape"),
        (RegionalFieldEncoder(n_inputs=2), np.zeros((3, 3)), "inputs"),
    ],
)
def test_bad_input_is_named(enc, inputs, match):
    with pytest.raises(ValueError, match=match):
        enc.encode(inputs, ARRAY)


def test_history_continues_the_ramp_and_the_turn():
    loop = FieldLoopEncoder(steps_per_half=2, angle_deg=0.0)
    both = loop.encode([0.0, 1.0], ARRAY).fields
    second = loop.encode([1.0], ARRAY, DriveHistory(field=tuple(both[3]), steps=4)).fields
    np.testing.assert_allclose(second, both[4:])  # ramps from -H(0), not from zero
    turning = RotatingFieldEncoder(angle_step_deg=50.0, steps_per_input=3)
    all_steps = turning.encode([0.5, 0.5, 0.5], ARRAY).fields
    later = turning.encode([0.5], ARRAY, DriveHistory(steps=6)).fields
    np.testing.assert_allclose(later, all_steps[6:])
