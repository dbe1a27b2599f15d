"""Collective FMR modes: uncoupled limit, two-bar closed form, KPM against diagonalisation,
spectral weight, bad input."""

import itertools

import numpy as np
import pytest
from scipy.signal import find_peaks

from nanomag.fmr.collective import CollectiveFMR, dynamic_matrix, pair_geometry
from nanomag.fmr.demag import prism_demag_factors
from nanomag.fmr.modes import ModeTable
from nanomag.fmr.resonance import BarResonanceModel
from nanomag.fmr.spectrum import FMRReadout
from nanomag.fmr.stray import face_charge_pair_fields
from nanomag.lattices import make_lattice
from nanomag.lattices.base import BarArray
from nanomag.materials import MU0, PERMALLOY

GAMMA = PERMALLOY.gamma_over_2pi
FREQS = np.linspace(2e9, 14e9, 400)
PLAIN = ModeTable(resonance=BarResonanceModel.plain_kittel(), edge_weight=0.0,
                  inhomogeneous_fwhm=0.0)


def square_ice(n: int, width: float = 150.0) -> BarArray:
    return make_lattice("square", size=(n, n), bar_width=width)


def random_state(n: int, seed: int, vortex_fraction: float = 0.0):
    rng = np.random.default_rng(seed)
    spin = rng.choice([-1, 1], n)
    vortex = np.where(rng.random(n) < vortex_fraction, rng.choice([-1, 1], n), 0)
    return spin, vortex


def test_uncoupled_limit_reproduces_independent_spectrum():
    # edges, vortex bars and bars past their switching field all present
    g = square_ice(4, width=200.0)
    spin, vortex = random_state(g.n_bars, 3, vortex_fraction=0.2)
    bias = [0.02, -0.09]  # at -90 mT some +1 bars have no stable branch left
    independent = FMRReadout(FREQS, bias_angle=0.3, method="direct").prepare(g)
    lines = independent.lines(spin, vortex, bias[1])
    assert np.any((vortex == 0) & (lines["weight"][:, 0] == 0))  # some branches are gone
    expected = independent.spectrum(spin, vortex, bias)
    for solver in ("dense", "kpm"):
        collective = CollectiveFMR(FREQS, bias_angle=0.3, solver=solver, n_moments=1024,
                                   coupling_scale=0.0, method="direct").prepare(g)
        got = collective.spectrum(spin, vortex, bias)
        tol = 1e-10 if solver == "dense" else 5e-4  # KPM: Jackson smoothing, error ~ 1/M^2
        assert np.max(np.abs(got.values - expected.values)) < tol * expected.values.max()
        assert got.dims == expected.dims and got.attrs["model"].startswith("collective")
    # the series path (reservoir observation) and dP/dH agree too
    spins = np.stack([spin, -spin])
    vortices = np.stack([vortex, vortex])
    dense = CollectiveFMR(FREQS, bias_angle=0.3, solver="dense", coupling_scale=0.0,
                          method="direct").prepare(g)
    for derivative in (False, True):
        want = independent.spectra(spins, vortices, [0.02, 0.03], derivative=derivative)
        got = dense.spectra(spins, vortices, [0.02, 0.03], derivative=derivative)
        assert np.allclose(got.values, want.values, rtol=1e-7,
                           atol=1e-9 * np.abs(want.values).max())


@pytest.mark.parametrize("offset, tensor_uu", [((0.0, 250.0), 2.0), ((700.0, 0.0), -1.0)])
def test_two_bars_acoustic_and_optic_modes(offset, tensor_uu):
    """Two identical bars along +x, side by side (separation along u = y) or head to tail
    (separation along the moment).  By symmetry the equilibrium is along x and
    A = [[B1, -k], [-k, B1]], C = B2 (diagonal), k = mu0 Ms V (u.T.u) / (4 pi r^3),
    u.T.u = 3 (u.r)^2 - 1: acoustic f = gamma sqrt(B2 (B1 - k)), optic sqrt(B2 (B1 + k))."""
    g = BarArray(positions=[[0.0, 0.0], list(offset)], angles=[0.0, 0.0], lengths=600.0,
                 widths=150.0, thickness=20.0, lattice_spacing=800.0)
    bias = 0.02
    nx, ny, nz = prism_demag_factors(600.0, 150.0, 20.0)
    stray = face_charge_pair_fields(g, PERMALLOY.Ms, [0], [1])[0, 0]  # (T) at bar 0 from 1
    assert abs(stray[1]) < 1e-12  # mirror symmetry: no transverse field
    mu0ms = MU0 * PERMALLOY.Ms
    b_along = bias + stray[0]
    b1 = b_along + mu0ms * (ny - nx)
    b2 = b_along + mu0ms * (nz - nx)
    r = np.hypot(*offset) * 1e-9
    k = mu0ms * g.volumes[0] * tensor_uu / (4 * np.pi * r**3)
    acoustic, optic = GAMMA * np.sqrt(b2 * (b1 - k)), GAMMA * np.sqrt(b2 * (b1 + k))

    readout = CollectiveFMR(FREQS, modes=PLAIN, solver="dense", cutoff=2.0).prepare(g)
    lines = readout.lines([1, 1], None, bias)
    order = np.argsort(lines["weight"])[::-1]
    assert lines["frequency"].size == 2
    assert lines["frequency"][order[0]] == pytest.approx(acoustic, rel=1e-9)
    assert lines["frequency"][order[1]] == pytest.approx(optic, rel=1e-9)
    # the uniform rf field (perpendicular to the bias) drives only the in-phase mode
    assert lines["weight"][order[0]] == pytest.approx(2.0, rel=1e-12)
    assert lines["weight"][order[1]] == pytest.approx(0.0, abs=1e-12)
    # the out-of-plane coupling left out of C, kz = -mu0 Ms V / (4 pi r^3): the full 2x2
    # problem, eig((B2 -+ kz)(B1 -+ k)), differs from the model by less than |kz| / B2
    kz = -mu0ms * g.volumes[0] / (4 * np.pi * r**3)
    full = GAMMA * np.sqrt((b2 - kz) * (b1 - k))
    assert abs(lines["frequency"][order[0]] / full - 1) < abs(kz) / b2


def test_coupling_is_the_mixed_derivative_of_the_dipolar_energy():
    """Off-diagonal S_ij = sqrt(B2_i B2_j) A_ij with A_ij the mixed second derivative of the
    point-dipole pair energy in the in-plane angles, per Ms sqrt(V_i V_j) (finite
    differences of E = -mu0 / (4 pi r^3) [3 (m_i . r^)(m_j . r^) - m_i . m_j])."""
    rng = np.random.default_rng(2)
    g = BarArray(positions=[[0.0, 0.0], [430.0, -310.0]], angles=[0.3, 1.9],
                 lengths=[600.0, 500.0], widths=[150.0, 250.0], thickness=20.0,
                 lattice_spacing=800.0)
    indptr, indices = np.array([0, 1, 2]), np.array([1, 0])
    rows, rhat, prefactor = pair_geometry(g, indptr, indices, PERMALLOY.Ms)
    theta = g.angles + rng.uniform(-0.4, 0.4, 2)  # canted equilibria
    b1, b2 = np.array([0.11, 0.14]), np.array([0.85, 0.8])
    s = dynamic_matrix(b1, b2, theta, rows, indices, rhat, prefactor).toarray()
    assert np.allclose(s, s.T) and np.allclose(np.diag(s), b1 * b2)

    vol = g.volumes
    r = (g.positions[0] - g.positions[1]) * 1e-9

    def energy(t0, t1):
        m0 = PERMALLOY.Ms * vol[0] * np.array([np.cos(t0), np.sin(t0)])
        m1 = PERMALLOY.Ms * vol[1] * np.array([np.cos(t1), np.sin(t1)])
        d = np.linalg.norm(r)
        return -MU0 / (4 * np.pi * d**3) * (3 * (m0 @ r) * (m1 @ r) / d**2 - m0 @ m1)

    h = 1e-4
    mixed = (energy(theta[0] + h, theta[1] + h) - energy(theta[0] + h, theta[1] - h)
             - energy(theta[0] - h, theta[1] + h) + energy(theta[0] - h, theta[1] - h)) / (4 * h * h)
    a01 = mixed / (PERMALLOY.Ms * np.sqrt(vol[0] * vol[1]))
    assert s[0, 1] == pytest.approx(np.sqrt(b2[0] * b2[1]) * a01, rel=1e-6)


def _kpm_error(g, spin, n_moments):
    kwargs = {"bias_angle": np.pi / 4, "modes": ModeTable(inhomogeneous_fwhm=0.05e9),
              "method": "direct"}
    dense = CollectiveFMR(FREQS, solver="dense", **kwargs).prepare(g)
    kpm = CollectiveFMR(FREQS, solver="kpm", n_moments=n_moments, **kwargs).prepare(g)
    exact = dense.spectrum(spin, None, 0.02).values[0]
    approx = kpm.spectrum(spin, None, 0.02).values[0]
    return exact, approx, np.max(np.abs(approx - exact)) / exact.max()


def test_kpm_converges_to_dense_diagonalisation():
    g = square_ice(5)
    spin, _ = random_state(g.n_bars, 7)
    errors = [_kpm_error(g, spin, m)[2] for m in (64, 128, 256, 1024)]
    assert all(a > b for a, b in itertools.pairwise(errors))
    assert errors[-1] < 2e-3  # floor ~1e-3: one (mean) width per node, not per mode
    exact, approx, _ = _kpm_error(g, spin, 1024)
    # peak positions: every clear peak of the exact spectrum (prominence 1 % of the maximum)
    # is one of the KPM spectrum, to a channel
    peaks, _ = find_peaks(exact, height=0.1 * exact.max(), prominence=0.01 * exact.max())
    assert peaks.size
    approx_peaks, _ = find_peaks(approx)
    for k in peaks:
        assert np.min(np.abs(approx_peaks - k)) <= 1


@pytest.mark.parametrize("solver", ["dense", "kpm"])
def test_total_spectral_weight_is_conserved(solver):
    """Sum over modes of (e_k . b)^2 = |b|^2 = the independent model's total line weight."""
    g = square_ice(4)
    spin, vortex = random_state(g.n_bars, 11, vortex_fraction=0.1)
    independent = FMRReadout(FREQS, rf_angle=0.4).prepare(g)
    collective = CollectiveFMR(FREQS, rf_angle=0.4, solver=solver,
                               coupling_scale=3.0).prepare(g)  # strong coupling
    want = independent.lines(spin, vortex, 0.03)["weight"].sum()
    got = collective.lines(spin, vortex, 0.03)
    assert got["weight"].sum() == pytest.approx(want, rel=1e-9)
    assert np.all(got["weight"] >= 0) and np.all(got["fwhm"] > 0)


def test_coupling_shifts_lines_but_keeps_array_symmetry():
    """Reversing every spin with the bias reversed is a symmetry of the coupled problem."""
    g = square_ice(4)
    spin, _ = random_state(g.n_bars, 5)
    readout = CollectiveFMR(FREQS, solver="dense").prepare(g)
    forward = readout.spectrum(spin, None, 0.02).values
    reverse = readout.spectrum(-spin, None, -0.02).values
    assert np.allclose(forward, reverse, rtol=1e-8, atol=1e-12 * forward.max())
    uncoupled = CollectiveFMR(FREQS, solver="dense", coupling_scale=0.0).prepare(g)
    assert np.max(np.abs(forward - uncoupled.spectrum(spin, None, 0.02).values)) > 1e-3 * forward.max()


def test_bad_input_is_named():
    g = square_ice(2)
    with pytest.raises(ValueError, match="solver"):
        CollectiveFMR(FREQS, solver="lanczos")
    with pytest.raises(ValueError, match="n_moments"):
        CollectiveFMR(FREQS, n_moments=0)
    with pytest.raises(ValueError, match="coupling_scale"):
        CollectiveFMR(FREQS, coupling_scale=-1.0)
    with pytest.raises(ValueError, match="coupling_scale"):
        CollectiveFMR(FREQS, coupling_scale=float("nan"))
    with pytest.raises(ValueError, match="frequencies"):
        CollectiveFMR([3e9, 2e9])
    with pytest.raises(ValueError, match="prepare"):
        CollectiveFMR(FREQS).spectrum(np.ones(g.n_bars))
    readout = CollectiveFMR(FREQS).prepare(g)
    with pytest.raises(ValueError, match="spin"):
        readout.spectrum(np.ones(g.n_bars + 1))
    with pytest.raises(TypeError, match="geometry"):
        CollectiveFMR(FREQS).prepare("square")
    with pytest.raises(ValueError, match="solver"):  # refused before any O(N^3) work
        CollectiveFMR(FREQS, solver="dense").prepare(square_ice(101))
