"""The experiment preset: room-temperature switching at the stated sweep, a noisy readout,
seeded and reproducible."""

from dataclasses import replace

import numpy as np
import pytest

from nanomag.experiments import experiment_preset, preset
from nanomag.experiments.experiment_like import (
    EXPERIMENT_INSTRUMENT,
    STEP_DURATION,
    STEPS_PER_HALF,
    TEMPERATURE,
)
from nanomag.experiments.presets import FIELD_WINDOWS

SIZE = (3, 3)
INPUTS = np.random.default_rng(0).uniform(0.0, 1.0, 40)


@pytest.mark.parametrize("name", ["MS", "WM", "PW"])
def test_same_seed_same_observations_other_seed_other_observations(name):
    first = experiment_preset(name, SIZE, seed=3).fit_transform(INPUTS)
    again = experiment_preset(name, SIZE, seed=3).fit_transform(INPUTS)
    other = experiment_preset(name, SIZE, seed=4).fit_transform(INPUTS)
    assert np.array_equal(first, again)
    assert not np.array_equal(first, other)


def test_refitting_restarts_the_measurement_sequence():
    res = experiment_preset("WM", SIZE, seed=3)
    first = res.fit_transform(INPUTS)
    second_drive = res.transform(INPUTS)  # a repeated measurement: new noise
    assert not np.array_equal(first, second_drive)
    assert np.array_equal(res.fit_transform(INPUTS), first)


def test_preset_runs_at_room_temperature_with_one_second_loops_and_the_stated_instrument():
    res = experiment_preset("WM", SIZE, seed=0).reset()
    assert res.model_.temperature == TEMPERATURE == 300.0
    assert res.model_.step_duration == STEP_DURATION
    protocol = res.encoder_.encode(INPUTS[:3], res.array_)
    # two half loops of STEPS_PER_HALF held steps per input, ending at -H(u)
    assert np.array_equal(np.diff(protocol.observe), [2 * STEPS_PER_HALF] * 2)
    assert 2 * STEPS_PER_HALF * STEP_DURATION == pytest.approx(1.0)
    h_min, h_max, angle = FIELD_WINDOWS["WM"]
    amplitude = h_min + (h_max - h_min) * INPUTS[0]
    np.testing.assert_allclose(np.linalg.norm(protocol.fields[STEPS_PER_HALF - 1]), amplitude)
    assert protocol.readout_angle == pytest.approx(np.deg2rad(angle))
    assert res.instrument == EXPERIMENT_INSTRUMENT and res.instrument.snr_db == 30.0


def test_noise_free_athermal_experiment_preset_is_the_ramped_exact_preset():
    exact = preset("MS", SIZE, seed=2, encoder=experiment_preset("MS").encoder)
    cold = experiment_preset("MS", SIZE, seed=2, temperature=0.0, instrument=None)
    assert np.array_equal(cold.fit_transform(INPUTS), exact.fit_transform(INPUTS))


def test_the_instrument_noise_is_at_the_stated_snr():
    no_jitter = replace(EXPERIMENT_INSTRUMENT, field_jitter=0.0)
    noisy = experiment_preset("MS", SIZE, seed=2, temperature=0.0, instrument=no_jitter)
    exact = experiment_preset("MS", SIZE, seed=2, temperature=0.0, instrument=None)
    clean = exact.fit_transform(INPUTS)
    noise = noisy.fit_transform(INPUTS) - clean
    snr = 20 * np.log10(np.sqrt(np.mean(clean**2)) / noise.std())
    # five standard errors of a sample std over K samples, in dB
    assert snr == pytest.approx(EXPERIMENT_INSTRUMENT.snr_db,
                                abs=5 * 20 / np.log(10) / np.sqrt(2 * clean.size))


def test_thermal_switching_changes_the_microstates():
    cold = experiment_preset("WM", SIZE, seed=5, temperature=0.0, instrument=None)
    warm = experiment_preset("WM", SIZE, seed=5, instrument=None)
    cold.fit_transform(INPUTS)
    warm.fit_transform(INPUTS)
    assert warm.last_flips_.sum() != cold.last_flips_.sum()
