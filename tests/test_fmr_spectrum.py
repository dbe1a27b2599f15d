"""FMR spectra: lines in -> peaks out, symmetry, microstate sensitivity, labels, bad input."""

import numpy as np
import pytest

from nanomag.fmr.demag import prism_demag_factors
from nanomag.fmr.lines import bin_lines, lorentzian_direct
from nanomag.fmr.modes import ModeTable
from nanomag.fmr.resonance import BarResonanceModel
from nanomag.fmr.spectrum import FMRReadout
from nanomag.lattices import make_lattice
from nanomag.lattices.base import BarArray
from nanomag.materials import MU0, PERMALLOY

GAMMA = PERMALLOY.gamma_over_2pi
DPDH_BINNED_TOL = 0.02  # of the peak: the binned dP/dH accuracy stated in docs/fmr.md
PLAIN = ModeTable(resonance=BarResonanceModel.plain_kittel(), edge_weight=0.0,
                  inhomogeneous_fwhm=0.0)


def square_ice(n: int, width: float = 150.0) -> BarArray:
    return make_lattice("square", size=(n, n), bar_width=width)


def single_bar(width: float = 150.0) -> BarArray:
    return BarArray(positions=[[0.0, 0.0]], angles=[0.0], lengths=600.0, widths=width,
                    thickness=20.0, lattice_spacing=800.0)


def _peak(freqs, power):
    """Peak position by parabolic interpolation, and full width at half maximum."""
    k = int(np.argmax(power))
    a, b, c = power[k - 1:k + 2]
    top = freqs[k] + 0.5 * (a - c) / (a - 2 * b + c) * (freqs[1] - freqs[0])
    above = freqs[power >= power.max() / 2]
    return top, above[-1] - above[0]


def test_lorentzian_sum_places_peaks_widths_and_areas():
    freqs = np.linspace(0.0, 20e9, 20001)
    f0 = np.array([5e9, 9e9, 13e9])
    fwhm = np.array([0.2e9, 0.3e9, 0.5e9])
    amp = np.array([1.0, 2.0, 0.5])
    power = lorentzian_direct(f0, fwhm, amp, freqs)
    for f, w in zip(f0, fwhm):
        window = np.abs(freqs - f) < 1.2e9
        top, width = _peak(freqs[window], power[window])
        assert top == pytest.approx(f, abs=5e6)
        assert width == pytest.approx(w, rel=0.05)  # other lines' tails broaden slightly
    # area over the grid against the closed-form integral of each Lorentzian
    expected = sum(a / np.pi * (np.arctan((20e9 - f) / (w / 2)) - np.arctan(-f / (w / 2)))
                   for f, w, a in zip(f0, fwhm, amp))
    assert np.trapezoid(power, freqs) == pytest.approx(expected, rel=1e-6)


def test_binned_sum_matches_direct_sum():
    rng = np.random.default_rng(1)
    f0 = rng.uniform(3e9, 12e9, 50000)
    fwhm = rng.uniform(0.15e9, 0.6e9, 50000)
    amp = rng.uniform(0.0, 1.0, 50000)
    freqs = np.linspace(2e9, 14e9, 256)
    exact = lorentzian_direct(f0, fwhm, amp, freqs)
    cells = bin_lines(f0, fwhm, amp, 0.1, 1.05)
    assert cells[0].size < f0.size
    assert cells[2].sum() == pytest.approx(amp.sum(), rel=1e-12)
    binned = lorentzian_direct(*cells, freqs)
    assert np.abs(binned - exact).max() < 3e-3 * exact.max()


@pytest.mark.parametrize("spin, field", [(1, 0.02), (-1, 0.02), (1, 0.05)])
def test_isolated_bar_peak_is_kittel_with_damping_width(spin, field):
    readout = FMRReadout(np.linspace(4e9, 14e9, 4001), modes=PLAIN, rf_angle=np.pi / 2)
    readout.prepare(single_bar())
    spec = readout.spectrum([spin], None, [field]).isel(bias=0)
    nx, ny, nz = prism_demag_factors(600, 150, 20)
    b = spin * field
    b1, b2 = b + MU0 * PERMALLOY.Ms * (ny - nx), b + MU0 * PERMALLOY.Ms * (nz - nx)
    top, width = _peak(spec.frequency.values, spec.values)
    assert top == pytest.approx(GAMMA * np.sqrt(b1 * b2), abs=3e6)
    assert width == pytest.approx(PERMALLOY.damping * GAMMA * (b1 + b2), rel=0.02)


def test_calibrated_default_raises_the_bulk_line_by_the_micromagnetic_offset():
    # magnum.np bulk mode 9.75 GHz for 600x150x20 nm at 20 mT (physics background, 2.3); the
    # geometry-true default was fitted on other bars (validation/magnumnp_geometry_grid.py)
    readout = FMRReadout(np.linspace(4e9, 14e9, 4001), rf_angle=np.pi / 2).prepare(single_bar())
    assert readout.lines([1], None, 0.02)["frequency"][0, 0] == pytest.approx(9.75e9, rel=0.01)


def test_switched_branch_contributes_nothing():
    readout = FMRReadout(np.linspace(1e9, 14e9, 64), modes=PLAIN, rf_angle=np.pi / 2)
    readout.prepare(single_bar())
    spec = readout.spectrum([-1], None, [0.0, 0.2])  # 200 mT exceeds the anisotropy field
    assert spec.isel(bias=0).max() > 0 and float(spec.isel(bias=1).max()) == 0.0


@pytest.mark.parametrize("method", ["direct", "binned"])
def test_flipping_all_spins_and_the_bias_leaves_the_spectrum_unchanged(method):
    g = square_ice(4)
    rng = np.random.default_rng(2)
    spin = rng.choice([-1, 1], g.n_bars)
    vortex = np.where(rng.random(g.n_bars) < 0.2, 1, 0)
    readout = FMRReadout(np.linspace(2e9, 14e9, 128), bias_angle=0.3, method=method).prepare(g)
    fields = np.array([-0.03, 0.0, 0.015])
    a = readout.spectrum(spin, vortex, fields)
    b = readout.spectrum(-spin, vortex, -fields)
    np.testing.assert_allclose(a.values, b.values, rtol=1e-9, atol=1e-12 * a.values.max())
    assert np.abs(a.values[0] - a.values[2]).max() > 0.01 * a.values.max()  # bias matters


def test_a_single_neighbour_flip_changes_the_spectrum():
    g = square_ice(4)
    spin = np.ones(g.n_bars)
    readout = FMRReadout(np.linspace(2e9, 14e9, 256), bias_angle=np.pi / 4).prepare(g)
    flipped = spin.copy()
    flipped[5] = -1
    a = readout.spectrum(spin, None, 0.02).values
    b = readout.spectrum(flipped, None, 0.02).values
    assert np.abs(a - b).max() > 0.01 * a.max()
    # bars that are not neighbours of bar 5 keep their lines
    k = readout.stray_kernel
    near = set(k.indices[k.indptr[5]:k.indptr[6]]) | {5}
    far = np.array([i for i in range(g.n_bars) if i not in near])
    la, lb = readout.lines(spin, None, 0.02), readout.lines(flipped, None, 0.02)
    np.testing.assert_allclose(la["frequency"][far], lb["frequency"][far], rtol=1e-12)
    assert not np.allclose(la["frequency"][sorted(near - {5}), 0],
                           lb["frequency"][sorted(near - {5}), 0])


def test_vortex_bar_has_its_own_lines_and_no_stray_field():
    g = square_ice(3, width=250.0)
    spin = np.ones(g.n_bars)
    vortex = np.zeros(g.n_bars, np.int8)
    vortex[4] = 1
    modes = ModeTable()
    readout = FMRReadout(np.linspace(2e9, 14e9, 64), modes=modes).prepare(g)
    lines = readout.lines(spin, vortex, 0.01)
    np.testing.assert_allclose(lines["frequency"][4, :3], modes.vortex_frequencies)
    # the other bars see the same lines as in the array without bar 4
    others = np.delete(np.arange(g.n_bars), 4)
    sub = FMRReadout(np.linspace(2e9, 14e9, 64), modes=modes).prepare(g.subset(others))
    np.testing.assert_allclose(sub.lines(spin[others], None, 0.01)["frequency"],
                               lines["frequency"][others], rtol=1e-12)


def test_field_derivative_matches_the_numerical_gradient():
    g = square_ice(2)
    spin = np.array([1, -1, 1, 1, -1, 1, 1, 1, -1, 1, 1, -1])
    readout = FMRReadout(np.linspace(5e9, 12e9, 64), bias_angle=0.2, method="direct").prepare(g)
    fields = np.linspace(0.010, 0.012, 21)
    power = readout.spectrum(spin, None, fields).values
    deriv = readout.spectrum(spin, None, fields[10], derivative=True).values[0]
    numeric = np.gradient(power, fields, axis=0)[10]
    np.testing.assert_allclose(deriv, numeric, atol=1e-3 * np.abs(numeric).max())


def test_spectrum_is_labelled():
    g = square_ice(2)
    readout = FMRReadout(np.linspace(2e9, 14e9, 16), bias_angle=0.5).prepare(g)
    spec = readout.spectrum(np.ones(g.n_bars), None, [0.0, 0.02])
    assert spec.dims == ("bias", "frequency")
    assert spec.frequency.attrs["units"] == "Hz" and spec.bias.attrs["units"] == "T"
    np.testing.assert_allclose(spec.bias_x, [0.0, 0.02 * np.cos(0.5)])
    dp = readout.spectrum(np.ones(g.n_bars), None, 0.02, derivative=True)
    assert dp.name == "dP_dH" and dp.attrs["units"] == "1/(Hz T)"


def test_bad_input_raises_naming_the_parameter():
    g = square_ice(2)
    with pytest.raises(ValueError, match="frequencies"):
        FMRReadout([3e9, 2e9])
    with pytest.raises(ValueError, match="method"):
        FMRReadout([1e9, 2e9], method="fast")
    readout = FMRReadout(np.linspace(2e9, 14e9, 16))
    with pytest.raises(ValueError, match="prepare"):
        readout.spectrum(np.ones(g.n_bars))
    readout.prepare(g)
    with pytest.raises(ValueError, match="spin"):
        readout.spectrum(np.ones(3))
    with pytest.raises(ValueError, match="vortex"):
        readout.spectrum(np.ones(g.n_bars), np.full(g.n_bars, 2))
    with pytest.raises(ValueError, match="bias_fields"):
        readout.spectrum(np.ones(g.n_bars), None, [np.nan])
    with pytest.raises(TypeError, match="resonance"):
        ModeTable(resonance=(1.0, 1.0, 1.0))


def test_series_spectra_equal_one_spectrum_per_state():
    from nanomag import make_lattice

    arr = make_lattice("asvi_width_modulated", size=(4, 4))
    readout = FMRReadout(np.linspace(3e9, 13e9, 48), bias_angle=np.pi / 4).prepare(arr)
    rng = np.random.default_rng(0)
    spins = rng.choice([-1, 1], size=(4, arr.n_bars))
    vortices = np.zeros_like(spins)
    vortices[:, :3] = 1
    bias = np.linspace(-0.02, 0.02, 4)
    for derivative in (False, True):
        series = readout.spectra(spins, vortices, bias, derivative=derivative)
        assert series.dims == ("time", "frequency")
        one_by_one = np.stack([
            readout.spectrum(spins[t], vortices[t], bias[t], derivative=derivative).values[0]
            for t in range(4)
        ])
        # equal to rounding: dP/dH is a difference of nearly equal sums, so its small values
        # carry the sums' rounding (1e-14 of the spectrum's scale), whatever the summation order
        scale = np.abs(one_by_one).max()
        np.testing.assert_allclose(series.values, one_by_one, rtol=1e-12, atol=1e-12 * scale)
        np.testing.assert_array_equal(
            readout.spectra_array(spins, vortices, bias, derivative=derivative), series.values)
    for method in (readout.spectra, readout.spectra_array):
        with pytest.raises(ValueError, match="spins"):
            method(spins[:, :-1])


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("method", ["auto", "binned"])
def test_binned_dp_dh_follows_the_direct_sum_in_mixed_states(method, seed):
    # dP/dH is a difference of the spectra at bias +- step: both sides are binned on one grid,
    # so the vortex lines (which the step does not move) cancel instead of leaving their
    # binning error behind (the exact cancellation is asserted at the end); what is left is
    # the binning of the lines the step moves, which depends on where they fall on the grid:
    # over 20 random states of this array 0.8-1.6 % of the peak (0.7-1.2 % with the edge
    # lines of the former end-macrospin model; a bound of 1 % held for one state only), the
    # accuracy docs/fmr.md states for binned dP/dH
    from nanomag import make_lattice

    arr = make_lattice("asvi_width_modulated", size=(6, 6))
    freqs = np.linspace(3e9, 13e9, 128)
    rng = np.random.default_rng(seed)
    spins = rng.choice([-1.0, 1.0], size=(3, arr.n_bars))
    vortices = np.zeros(spins.shape, np.int8)
    vortices[:, ::2] = 1
    bias = np.array([-0.02, 0.0, 0.02])
    exact = FMRReadout(freqs, method="direct").prepare(arr).spectra_array(
        spins, vortices, bias, derivative=True)
    readout = FMRReadout(freqs, method=method).prepare(arr)
    series = readout.spectra_array(spins, vortices, bias, derivative=True)
    np.testing.assert_allclose(series, exact, atol=DPDH_BINNED_TOL * np.abs(exact).max())
    one_by_one = np.stack([readout.spectrum(spins[t], vortices[t], bias[t],
                                            derivative=True).values[0] for t in range(3)])
    np.testing.assert_allclose(one_by_one, series, rtol=1e-12, atol=1e-12 * np.abs(series).max())
    # with every bar a vortex nothing moves with the field: dP/dH vanishes
    still = readout.spectra_array(spins, np.ones(spins.shape, np.int8), bias, derivative=True)
    assert np.abs(still).max() < 1e-12 * np.abs(exact).max()


@pytest.mark.parametrize("parallel", [False, True])
def test_lorentzian_sum_adds_each_channels_lines_in_order(parallel):
    # the compiled sum is the plain sequential one to the last bit (no reassociation), so a
    # kernel compiled in the running process and one loaded from numba's cache agree
    from nanomag.fmr.lines import lorentzian_direct, lorentzian_direct_parallel

    rng = np.random.default_rng(3)
    f0, fwhm, amp = rng.uniform(2e9, 14e9, 150), rng.uniform(0.1e9, 0.5e9, 150), rng.random(150)
    freqs = np.linspace(1e9, 15e9, 130)  # more than two blocks of channels
    kernel = lorentzian_direct_parallel if parallel else lorentzian_direct
    got = kernel(f0, fwhm, amp, freqs)
    want = np.zeros(freqs.size)
    for c, f in enumerate(freqs):
        acc = 0.0
        for line in range(f0.size):
            hw = 0.5 * fwhm[line]
            d = f - f0[line]
            acc += amp[line] * hw / (d * d + hw * hw)
        want[c] = acc / np.pi
    np.testing.assert_array_equal(got, want)
