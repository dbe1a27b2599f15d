"""Demagnetising factors and single-bar resonance against closed forms and published numbers."""

import numpy as np
import pytest
from scipy import integrate

from nanomag.fmr.demag import prism_demag_factors
from nanomag.fmr.kittel import kittel_mode
from nanomag.materials import MU0, PERMALLOY, Material

GAMMA = PERMALLOY.gamma_over_2pi
MU0MS = MU0 * PERMALLOY.Ms


def _strip_demag_y(width: float, thickness: float) -> float:
    """In-plane factor of an infinitely long rod (cross-section width x thickness) by quadrature
    of the face-charge field: the 2-D limit, computed independently of Aharoni's formula."""
    b, c = width / 2, thickness / 2

    def hy(z, y):
        total = 0.0
        for y0, q in ((b, 1.0), (-b, -1.0)):
            d = y - y0
            total += q / (2 * np.pi) * (np.arctan((c - z) / d) + np.arctan((c + z) / d))
        return total

    value, _ = integrate.dblquad(hy, -b, b, -c, c, epsabs=1e-10)
    return -value / (4 * b * c)


@pytest.mark.parametrize("dims", [(1, 1, 1), (600, 150, 20), (600, 250, 20), (50, 3, 700)])
def test_factors_sum_to_one(dims):
    assert prism_demag_factors(*dims).sum() == pytest.approx(1.0, abs=1e-10)


def test_cube_is_one_third_by_symmetry():
    np.testing.assert_allclose(prism_demag_factors(7.0, 7.0, 7.0), 1 / 3, atol=1e-12)


def test_thin_film_limit():
    nx, ny, nz = prism_demag_factors(1e5, 1e5, 1.0)
    assert nz > 0.9999 and nx == pytest.approx(ny)


def test_long_rod_limit_matches_two_dimensional_quadrature():
    nx, ny, nz = prism_demag_factors(1e6, 30.0, 10.0)
    assert nx < 1e-4
    assert ny == pytest.approx(_strip_demag_y(30.0, 10.0), rel=1e-3)
    assert nz == pytest.approx(1 - _strip_demag_y(30.0, 10.0), rel=1e-3)


def test_square_rod_limit_is_one_half():
    _, ny, nz = prism_demag_factors(1e7, 10.0, 10.0)
    assert ny == pytest.approx(0.5, abs=1e-5) and nz == pytest.approx(0.5, abs=1e-5)


@pytest.mark.parametrize(
    "width, expected",  # Nx, Ny, Nz for 600 x w x 20 nm (physics background, section 2.2)
    [(100, (0.0295, 0.1887, 0.7818)), (150, (0.0332, 0.1397, 0.8271)),
     (250, (0.0376, 0.0933, 0.8692))],
)
def test_published_bar_factors(width, expected):
    np.testing.assert_allclose(prism_demag_factors(600, width, 20), expected, atol=1.5e-4)


def test_bad_sizes_raise_naming_the_parameter():
    with pytest.raises(ValueError, match="width"):
        prism_demag_factors(600, -1, 20)
    with pytest.raises(ValueError, match="thickness"):
        prism_demag_factors(600, 150, np.nan)


@pytest.mark.parametrize("width", [150, 200, 250])
@pytest.mark.parametrize("field", [0.0, 0.02, 0.05])
def test_axial_field_both_branches_match_kittel(width, field):
    nx, ny, nz = prism_demag_factors(600, width, 20)
    parallel = GAMMA * np.sqrt((field + MU0MS * (ny - nx)) * (field + MU0MS * (nz - nx)))
    anti = GAMMA * np.sqrt((MU0MS * (ny - nx) - field) * (MU0MS * (nz - nx) - field))
    got = kittel_mode([field, field], 0.0, [1, -1], (nx, ny, nz))["frequency"]
    np.testing.assert_allclose(got, [parallel, anti], rtol=1e-10)
    # the antiparallel bar sees the reversed field: same as a +1 bar in -field
    flipped = kittel_mode(-field, 0.0, 1, (nx, ny, nz))["frequency"]
    np.testing.assert_allclose(flipped, anti, rtol=1e-10)


@pytest.mark.parametrize(
    "width, fields_mt, expected_ghz",  # issue P2 magnitudes, isolated bars along the long axis
    [(150, (0, 20, 50), (8.2, 9.0, 10.2)), (250, (0, 20, 50), (6.1, 7.1, 8.6))],
)
def test_issue_magnitudes(width, fields_mt, expected_ghz):
    f = kittel_mode(np.array(fields_mt) * 1e-3, 0.0, 1, prism_demag_factors(600, width, 20))
    np.testing.assert_allclose(f["frequency"] / 1e9, expected_ghz, atol=0.06)


def test_hard_axis_field_above_saturation():
    nx, ny, nz = prism_demag_factors(600, 150, 20)
    bk = MU0MS * (ny - nx)
    field = 1.5 * bk  # along the bar's +y: moment saturates along +y (phi = 90 deg)
    expected = GAMMA * np.sqrt((field - bk) * (field + MU0MS * (nz - ny)))
    got = kittel_mode(0.0, field, 1, (nx, ny, nz))
    assert got["phi"][0] == pytest.approx(np.pi / 2, abs=1e-8)
    assert got["frequency"][0] == pytest.approx(expected, rel=1e-9)


def test_hard_axis_field_below_saturation_gives_stoner_wohlfarth_angle():
    nx, ny, nz = prism_demag_factors(600, 150, 20)
    bk = MU0MS * (ny - nx)
    field = 0.4 * bk
    got = kittel_mode(0.0, field, [1, -1], (nx, ny, nz))
    np.testing.assert_allclose(np.sin(got["phi"]), 0.4, atol=1e-10)
    # B1 = Bk cos^2(phi) for the canted state (closed form of the SW stiffness)
    np.testing.assert_allclose(got["b1"], bk * (1 - 0.4**2), rtol=1e-9)


def test_antiparallel_branch_vanishes_beyond_switching_field():
    factors = prism_demag_factors(600, 150, 20)
    bk = MU0MS * (factors[1] - factors[0])
    got = kittel_mode([0.9 * bk, 1.1 * bk], 0.0, -1, factors)["frequency"]
    assert np.isfinite(got[0]) and np.isnan(got[1])


def test_linewidth_matches_linearised_gilbert_dynamics():
    material = Material(damping=0.02)
    f = kittel_mode(0.03, 0.01, 1, prism_demag_factors(600, 200, 20), material)
    b1, b2 = f["b1"][0], f["b2"][0]
    gamma, alpha = 2 * np.pi * material.gamma_over_2pi, material.damping
    # (1 + alpha J) dv/dt = K v for v = (x, y) with Gilbert damping; eigenvalues -G +- i w
    lhs = np.array([[1.0, alpha], [-alpha, 1.0]])
    rhs = np.array([[0.0, gamma * b2], [-gamma * b1, 0.0]])
    lam = np.linalg.eigvals(np.linalg.solve(lhs, rhs))
    fwhm = 2 * abs(lam[0].real) / (2 * np.pi)
    assert f["fwhm"][0] == pytest.approx(fwhm, rel=2 * alpha**2)
    assert f["frequency"][0] == pytest.approx(abs(lam[0].imag) / (2 * np.pi), rel=2 * alpha**2)


def test_field_at_45_degrees_matches_background_value():
    b = 0.02 / np.sqrt(2)
    f = kittel_mode(b, b, 1, prism_demag_factors(600, 150, 20))["frequency"][0]
    assert f / 1e9 == pytest.approx(8.74, abs=0.01)


def test_bad_spin_raises():
    with pytest.raises(ValueError, match="spin"):
        kittel_mode(0.0, 0.0, 0, prism_demag_factors(600, 150, 20))
