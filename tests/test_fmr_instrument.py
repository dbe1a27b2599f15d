"""FMR instrument model: SNR by its definition, averaging, jitter statistics, exactness when off."""

import numpy as np
import pytest

from nanomag.fmr import FMRInstrument, FMRReadout
from nanomag.lattices import make_lattice
from nanomag.substrates import SpinIceReservoir

FREQS = np.linspace(3e9, 13e9, 64)
N_STEPS = 400
Z = 5.0  # tolerance in standard errors


@pytest.fixture(scope="module")
def readout():
    return FMRReadout(FREQS, bias_angle=np.pi / 4).prepare(make_lattice("square", size=(2, 2)))


def series(readout, n_steps=N_STEPS, seed=0):
    rng = np.random.default_rng(seed)
    n = readout.geometry.n_bars
    spins = rng.choice(np.array([-1, 1], np.int8), size=(n_steps, n))
    return spins, rng.uniform(-0.03, -0.016, n_steps)


def to_db(ratio):
    return 20 * np.log10(ratio)


@pytest.mark.parametrize("derivative", [False, True])
def test_instrument_off_returns_the_exact_spectra_bit_for_bit(readout, derivative):
    spins, bias = series(readout, 20)
    exact = readout.spectra(spins, None, bias, derivative=derivative)
    measured = FMRInstrument().measure(readout, spins, None, bias, derivative=derivative,
                                       rng=np.random.default_rng(3))
    assert np.array_equal(measured.values, exact.values)


def test_reservoir_with_an_instrument_that_adds_nothing_is_exact():
    u = np.random.default_rng(0).uniform(0, 1, 12)
    params = {"lattice_params": {"size": (2, 2)}, "seed": 4}
    exact = SpinIceReservoir(**params).fit_transform(u)
    off = SpinIceReservoir(instrument=FMRInstrument(), **params).fit_transform(u)
    assert np.array_equal(off, exact)


@pytest.mark.parametrize("snr_db", [10.0, 20.0, 40.0])
def test_measured_snr_over_the_spectrum_matches_its_definition(readout, snr_db):
    spins, bias = series(readout)
    exact = readout.spectra(spins, None, bias, derivative=True).values
    noisy = FMRInstrument(snr_db=snr_db).measure(readout, spins, None, bias, derivative=True,
                                                 rng=np.random.default_rng(1))
    noise = noisy.values - exact
    k = noise.size
    sigma = np.sqrt(np.mean(exact**2)) / 10 ** (snr_db / 20)
    assert noisy.attrs["noise_std"] == pytest.approx(sigma, rel=1e-12)
    assert abs(noise.mean()) < Z * sigma / np.sqrt(k)
    # std of a sample std: sigma / sqrt(2K); in dB: 20 / ln 10 times the relative error
    estimated = to_db(np.sqrt(np.mean(exact**2)) / noise.std())
    assert estimated == pytest.approx(snr_db, abs=Z * 20 / np.log(10) / np.sqrt(2 * k))


def test_measured_snr_per_channel_matches_its_definition(readout):
    spins, bias = series(readout)
    exact = readout.spectra(spins, None, bias).values
    noisy = FMRInstrument(snr_db=20.0, snr_reference="channel").measure(
        readout, spins, None, bias, rng=np.random.default_rng(2))
    per_channel = to_db(np.sqrt(np.mean(exact**2, axis=0)) / (noisy.values - exact).std(axis=0))
    tolerance = Z * 20 / np.log(10) / np.sqrt(2 * N_STEPS)
    assert np.all(np.abs(per_channel - 20.0) < tolerance)


def test_averaging_n_sweeps_divides_the_noise_by_sqrt_n(readout):
    spins, bias = series(readout)
    exact = readout.spectra(spins, None, bias).values

    def noise_std(n):
        noisy = FMRInstrument(snr_db=20.0, n_averages=n).measure(
            readout, spins, None, bias, rng=np.random.default_rng(n))
        return (noisy.values - exact).std()

    ratio = noise_std(16) / noise_std(1)
    # relative standard error of a ratio of two independent sample stds: 1 / sqrt(K)
    assert ratio == pytest.approx(0.25, rel=Z / np.sqrt(exact.size))


def test_field_jitter_has_the_stated_statistics_and_reads_at_the_jittered_field(readout):
    spins, bias = series(readout, 4000)
    jitter = 2e-4
    measured = FMRInstrument(field_jitter=jitter).measure(readout, spins, None, bias,
                                                          rng=np.random.default_rng(5))
    shifts = measured.field_jitter.values
    assert abs(shifts.mean()) < Z * jitter / np.sqrt(shifts.size)
    assert shifts.std() == pytest.approx(jitter, rel=Z / np.sqrt(2 * shifts.size))
    assert np.array_equal(measured.bias.values, bias)
    assert np.all(measured.frequency_shift.values == 0)
    expected = readout.spectra(spins[:30], None, bias[:30] + shifts[:30]).values
    np.testing.assert_allclose(measured.values[:30], expected, rtol=1e-12, atol=0)


@pytest.mark.parametrize("derivative", [False, True])
def test_frequency_jitter_shifts_each_steps_axis(readout, derivative):
    spins, bias = series(readout, 4000)
    jitter = 50e6
    measured = FMRInstrument(frequency_jitter=jitter).measure(
        readout, spins, None, bias, derivative=derivative, rng=np.random.default_rng(6))
    shifts = measured.frequency_shift.values
    assert abs(shifts.mean()) < Z * jitter / np.sqrt(shifts.size)
    assert shifts.std() == pytest.approx(jitter, rel=Z / np.sqrt(2 * shifts.size))
    # each step equals the exact spectrum on its shifted channels (to the interpolation error)
    for t in range(5):
        shifted = FMRReadout(FREQS + shifts[t], bias_angle=np.pi / 4).prepare(readout.geometry)
        exact = shifted.spectra(spins[t:t + 1], None, bias[t:t + 1],
                                derivative=derivative).values[0]
        assert np.max(np.abs(measured.values[t] - exact)) < 5e-3 * np.max(np.abs(exact))


def test_draws_are_reproducible_from_the_generator(readout):
    spins, bias = series(readout, 50)
    inst = FMRInstrument(snr_db=20.0, field_jitter=1e-4, frequency_jitter=10e6)

    def measure(seed):
        return inst.measure(readout, spins, None, bias, rng=np.random.default_rng(seed))

    first = measure(7)
    assert np.array_equal(first.values, measure(7).values)
    # the unlabelled values are the same draws
    assert np.array_equal(first.values, inst.measure_array(readout, spins, None, bias,
                                                           rng=np.random.default_rng(7)))
    # independent noise in both: the difference has about sqrt(2) times the noise std
    assert np.std(first.values - measure(8).values) > first.attrs["noise_std"]


def test_bad_instrument_settings_raise_errors_naming_them(readout):
    for kwargs, name in [({"snr_reference": "band"}, "snr_reference"),
                         ({"n_averages": 0}, "n_averages"),
                         ({"field_jitter": -1e-4}, "field_jitter"),
                         ({"frequency_jitter": -1.0}, "frequency_jitter"),
                         ({"snr_db": float("inf")}, "snr_db")]:
        with pytest.raises(ValueError, match=name):
            FMRInstrument(**kwargs)
    spins, bias = series(readout, 3)
    with pytest.raises(TypeError, match="rng"):
        FMRInstrument(snr_db=10.0).measure(readout, spins, None, bias, rng=0)
    with pytest.raises(ValueError, match="observation"):
        SpinIceReservoir(observation="magnetization", instrument=FMRInstrument()).reset()
