import numpy as np
import pytest
import xarray as xr
from sklearn.base import clone

from nanomag.experiments.evaluation import Split, evaluate_task, forecast, scaled_inputs
from nanomag.metrics import kernel_rank, memory_capacity
from nanomag.substrates import EchoStateNetwork
from nanomag.substrates.recorded import RecordedSubstrate, RecordingMismatch
from nanomag.tasks import make_task

RNG = np.random.default_rng(3)
OBS = RNG.normal(size=(30, 4))
INPUTS = RNG.uniform(0.1, 0.2, 30)  # e.g. applied fields in tesla


def test_plays_back_recorded_rows_in_order():
    sub = RecordedSubstrate(OBS, INPUTS)
    np.testing.assert_array_equal(sub.fit_transform(INPUTS), OBS)
    sub.reset()
    parts = [sub.drive(INPUTS[:7]), sub.step(INPUTS[7])[None], sub.drive(INPUTS[8:])]
    np.testing.assert_array_equal(np.vstack(parts), OBS)
    assert sub.state[0] == 30
    rows, end = sub.run(INPUTS[10:20], state=[10, 0, 0])
    np.testing.assert_array_equal(rows, OBS[10:20])
    assert end[0] == 20


def test_accepts_affinely_rescaled_inputs():
    sub = RecordedSubstrate(OBS, INPUTS)
    for a, b in ((1.0 / np.ptp(INPUTS), -INPUTS.min() / np.ptp(INPUTS)), (-3.0, 7.0)):
        np.testing.assert_array_equal(sub.transform(a * INPUTS + b), OBS)


@pytest.mark.parametrize("given", [INPUTS[::-1], np.roll(INPUTS, 1), INPUTS[1:],
                                   np.full(30, 0.15)], ids=["reversed", "shifted", "late", "flat"])
def test_refuses_inputs_other_than_the_recorded(given):
    with pytest.raises(RecordingMismatch, match="do not match the recording"):
        RecordedSubstrate(OBS, INPUTS).transform(given)


def test_refuses_running_past_the_end():
    sub = RecordedSubstrate(OBS, INPUTS)
    with pytest.raises(RecordingMismatch, match=r"past the end of the recording \(30 steps\)"):
        sub.transform(np.r_[INPUTS, INPUTS[:1]])
    with pytest.raises(RecordingMismatch, match="past the end"):
        sub.run(INPUTS[:5], state=[28, 0, 0])
    with pytest.raises(RecordingMismatch, match="not a position"):
        sub.run(INPUTS[:1], state=[2.5, 0, 0])


def test_keeps_the_input_map_found_on_the_first_run():
    sub = RecordedSubstrate(OBS, INPUTS).reset()
    sub.drive(2.0 * INPUTS[:10] + 1.0)
    np.testing.assert_allclose(sub.state[1:], [2.0, 1.0], rtol=1e-9)
    np.testing.assert_array_equal(sub.step(2.0 * INPUTS[10] + 1.0), OBS[10])
    with pytest.raises(RecordingMismatch, match="steps 11..11"):
        sub.step(INPUTS[11])  # the right value, but not through the map of the earlier runs


def test_inputs_from_files_and_from_file_names(tmp_path):
    np.save(tmp_path / "u.npy", INPUTS)
    np.savetxt(tmp_path / "u.csv", np.r_[INPUTS, 9.0], delimiter=",")  # longer: first N used
    np.savetxt(tmp_path / "u.txt", INPUTS, header="field (T)")
    for name in ("u.npy", "u.csv", "u.txt"):
        sub = RecordedSubstrate(OBS, tmp_path / name).reset()
        np.testing.assert_allclose(sub.recorded_inputs_, INPUTS, rtol=1e-15)
    spectra = xr.DataArray(OBS, dims=("step", "frequency"),
                           coords={"applied_field": ("step", INPUTS)})
    np.testing.assert_array_equal(RecordedSubstrate(spectra).fit_transform(INPUTS), OBS)
    with pytest.raises(ValueError, match="applied_field"):
        RecordedSubstrate(OBS).reset()
    with pytest.raises(ValueError, match="holds 5 values for 30"):
        RecordedSubstrate(OBS, INPUTS[:5]).reset()
    with pytest.raises(ValueError, match=r"u\.dat must end in one of"):
        RecordedSubstrate(OBS, tmp_path / "u.dat").reset()
    (tmp_path / "bad.txt").write_text("0.1\nabc\n")
    with pytest.raises(ValueError, match=r"bad\.txt: not a numeric series"):
        RecordedSubstrate(OBS, tmp_path / "bad.txt").reset()


def test_clone_and_energy():
    sub = clone(RecordedSubstrate(OBS, INPUTS, step_time=2.0, magnet_power=50.0))
    np.testing.assert_array_equal(sub.fit_transform(INPUTS), OBS)
    energy = sub.energy_per_step()
    assert energy["field_lab"] == 100.0
    assert np.isnan(energy["flip"]) and np.isnan(energy["read_lab"])


def test_evaluation_runs_unchanged_on_a_recording_of_another_substrate():
    """A recording of an echo-state network's observations scores exactly as the network."""
    esn = EchoStateNetwork(n_units=20, leak_rate=0.5, seed=2)
    split = Split(washout=20, train_fraction=0.7)
    task = make_task("sine", target="square", n_samples=200, period=20)
    inputs = task.inputs[:, None]
    observed = clone(esn).fit_transform(scaled_inputs(inputs, split)[:, 0])
    recording = RecordedSubstrate(observed, task.inputs)
    live = evaluate_task(esn, task, split=split)
    played = evaluate_task(recording, task, split=split)
    np.testing.assert_allclose(played.nmse, live.nmse, rtol=1e-12)

    series = make_task("mackey_glass", n_samples=160).inputs
    observed = clone(esn).fit_transform(scaled_inputs(series[:, None], split)[:, 0])
    live = forecast(esn, series, horizons=(1, 5), split=split)
    played = forecast(RecordedSubstrate(observed, series), series, horizons=(1, 5), split=split)
    np.testing.assert_allclose(played.nmse, live.nmse, rtol=1e-12)
    mc_live = memory_capacity(observed, series, 5, train_fraction=0.7)
    mc_played = memory_capacity(RecordedSubstrate(observed, series).fit_transform(series),
                                series, 5, train_fraction=0.7)
    assert mc_played.total == mc_live.total


def test_kernel_rank_is_refused_on_a_recording():
    with pytest.raises(RecordingMismatch):
        kernel_rank(RecordedSubstrate(OBS, INPUTS).fit(None).transform, 10, 20, seed=0)
