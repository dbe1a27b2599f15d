"""Simulated spectra written in the per-step folder layout and read back as a recording score
exactly as the simulation itself."""

import numpy as np
import pytest
import xarray as xr
from sklearn.base import clone

from nanomag.encoders import FieldLoopEncoder
from nanomag.experiments.evaluation import Split, evaluate_task, forecast, scaled_inputs
from nanomag.measured import read_folder, write_folder
from nanomag.metrics import memory_capacity, nonlinearity
from nanomag.substrates import RecordedSubstrate, SpinIceReservoir
from nanomag.tasks import make_task

SPLIT = Split(washout=10, train_fraction=0.7)


@pytest.fixture(scope="module")
def simulation(tmp_path_factory):
    """A 4 x 4 spin-vortex ice driven by 70 Mackey-Glass samples, observed by FMR, and its
    spectra written with the applied field of each step in the file names."""
    encoder = FieldLoopEncoder()
    reservoir = SpinIceReservoir(lattice_params={"size": (4, 4)}, encoder=encoder,
                                 frequencies=np.linspace(3e9, 13e9, 48), seed=0)
    series = make_task("mackey_glass", n_samples=70).inputs
    scaled = scaled_inputs(series[:, None], SPLIT)[:, 0]
    observed = clone(reservoir).fit_transform(scaled)
    spectra = xr.DataArray(
        observed, dims=("step", "frequency"),
        coords={"step": np.arange(1, 71), "frequency": reservoir.frequencies,
                "applied_field": ("step", encoder.amplitudes(scaled))})
    folder = tmp_path_factory.mktemp("roundtrip") / "scans"
    write_folder(spectra, folder)
    return reservoir, series, observed, read_folder(folder)


def test_read_back_spectra_are_the_simulated_ones(simulation):
    _, _, observed, spectra = simulation
    np.testing.assert_array_equal(spectra.values, observed)
    assert spectra.dims == ("step", "frequency")


def test_metrics_agree_between_simulation_and_recording(simulation):
    reservoir, series, observed, spectra = simulation
    recording = RecordedSubstrate(spectra)  # inputs: the fields parsed from the file names
    live = forecast(reservoir, series, horizons=(1, 3), split=SPLIT)
    played = forecast(recording, series, horizons=(1, 3), split=SPLIT)
    np.testing.assert_allclose(played.nmse, live.nmse, rtol=1e-9)

    task = make_task("sine", target="sin_double", n_samples=70, period=9)
    with pytest.raises(ValueError, match="do not match the recording"):
        evaluate_task(recording, task, split=SPLIT)  # not the input the spectra were driven by

    states = recording.fit_transform(series)
    assert memory_capacity(states, series, 5, train_fraction=0.7).total == pytest.approx(
        memory_capacity(observed, series, 5, train_fraction=0.7).total, rel=1e-9)
    assert nonlinearity(states, series, n_channels=20) == pytest.approx(
        nonlinearity(observed, series, n_channels=20), rel=1e-9)
