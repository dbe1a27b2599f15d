"""Task-adaptive reconfiguration: training loops per input hold a vortex population; the state
is chosen per task by validation."""

import numpy as np
import pytest

from nanomag.encoders import FieldLoopEncoder
from nanomag.experiments import preset
from nanomag.experiments.presets import FIELD_WINDOWS
from nanomag.experiments.reconfiguration import TASKS, TrainingLoopEncoder, task_adaptive
from nanomag.lattices import make_lattice

ARRAY = make_lattice("square", size=(2, 2))


def test_without_training_loops_the_encoder_is_the_field_loop_encoder():
    u = np.array([0.0, 0.3, 1.0])
    ours = TrainingLoopEncoder(0.016, 0.030, 45.0, n_train=0).encode(u, ARRAY)
    loop = FieldLoopEncoder(0.016, 0.030, 45.0).encode(u, ARRAY)
    np.testing.assert_allclose(ours.fields, loop.fields, rtol=0, atol=1e-15)
    np.testing.assert_array_equal(ours.observe, loop.observe)
    np.testing.assert_array_equal(ours.readout_bias, loop.readout_bias)


def test_training_loops_precede_every_input_loop():
    enc = TrainingLoopEncoder(0.016, 0.030, 0.0, n_train=2, h_train=0.02)
    protocol = enc.encode(np.array([0.0, 1.0]), ARRAY)
    expected = [0.02, -0.02, 0.02, -0.02, 0.016, -0.016, 0.02, -0.02, 0.02, -0.02, 0.030, -0.030]
    np.testing.assert_allclose(protocol.fields[:, 0], expected)
    np.testing.assert_allclose(protocol.fields[:, 1], 0.0, atol=1e-18)
    np.testing.assert_array_equal(protocol.observe, [5, 11])
    np.testing.assert_allclose(protocol.readout_bias, [-0.016, -0.030])
    with pytest.raises(ValueError, match="n_train"):
        TrainingLoopEncoder(n_train=-1).encode([0.5], ARRAY)
    with pytest.raises(ValueError, match="h_train"):
        TrainingLoopEncoder(h_train=0.0).encode([0.5], ARRAY)


def _held_population(n_train: int) -> float:
    """Mean vortex count of a 6 x 6 WM array after each of inputs 21-100."""
    h_min, h_max, angle = FIELD_WINDOWS["WM"]
    res = preset("WM", (6, 6), seed=0,
                 encoder=TrainingLoopEncoder(h_min, h_max, angle, n_train=n_train)).reset()
    n = res.array_.n_bars
    counts = []
    for u in np.random.default_rng(1).uniform(0.0, 1.0, 100):
        res.step(u)
        counts.append(np.count_nonzero(res.state_[n:2 * n]))
    return float(np.mean(counts[20:]))


def test_more_training_loops_hold_a_larger_vortex_population():
    populations = [_held_population(k) for k in (0, 2, 4)]
    assert populations[0] < populations[1] < populations[2]


def test_the_state_is_chosen_per_task_by_validation_and_compared_with_one_fixed_state():
    ds = task_adaptive("WM", (0, 2), size=(3, 3), n_inputs=120, seed=1,
                       frequencies=np.linspace(3e9, 13e9, 32))
    assert list(ds.task.values) == list(TASKS)
    for task in TASKS:
        val = ds.validation_nmse.sel(task=task)
        chosen = int(ds.chosen.sel(task=task))
        assert chosen == int(val.idxmin("n_train"))
        adaptive = float(ds.test_nmse.sel(task=task, n_train=chosen))
        assert float(ds.adaptive_nmse.sel(task=task)) == adaptive
        fixed = float(ds.test_nmse.sel(task=task, n_train=int(ds.fixed)))
        assert float(ds.gain.sel(task=task)) == pytest.approx(fixed / adaptive)
    mean_log = np.log(ds.validation_nmse).mean("task")
    assert int(ds.fixed) == int(mean_log.idxmin("n_train"))
    with pytest.raises(ValueError, match="n_train_values"):
        task_adaptive("WM", ())
