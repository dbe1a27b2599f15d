"""Face-charge pair fields against the point-dipole far field and computed near-field values."""

import numpy as np
import pytest

from nanomag.fmr.stray import (
    PairQuadrature,
    build_stray_kernel,
    face_charge_pair_fields,
    stray_fields,
)
from nanomag.lattices.base import BarArray
from nanomag.materials import MU0

MS = 800e3


def _pair(offset, source_angle, width=150.0):
    return BarArray(positions=[[0.0, 0.0], offset], angles=[0.0, source_angle], lengths=600.0,
                    widths=width, thickness=20.0, lattice_spacing=800.0)


def _point_dipole(geometry, target, source, at=0.0):
    """Point-dipole field (T) of ``source`` at ``at`` nm along the target's axis from its centre."""
    point = geometry.positions[target] + at * geometry.axes[target]
    r = (point - geometry.positions[source]) * 1e-9
    m = MS * geometry.volumes[source] * geometry.axes[source]
    d = np.linalg.norm(r)
    return MU0 / (4 * np.pi) * (3 * r * (m @ r) / d**5 - m / d**3)


@pytest.mark.parametrize("offset, angle", [((12000.0, 0.0), 0.0), ((0.0, 9000.0), 0.0),
                                           ((7000.0, 6000.0), np.pi / 2), ((-8000.0, 3000.0), 1.0)])
def test_far_field_is_point_dipole(offset, angle):
    g = _pair(offset, angle)
    got = face_charge_pair_fields(g, MS, [0], [1])[0]
    tip_centre = 300.0 * (1 - PairQuadrature().tip_fraction)
    for region, at in enumerate((0.0, tip_centre, -tip_centre)):
        expected = _point_dipole(g, 0, 1, at)
        np.testing.assert_allclose(got[region], expected, rtol=0.01,
                                   atol=2e-3 * np.abs(expected).max())


def test_square_ice_neighbours_match_computed_values_and_exceed_point_dipole():
    # square ice, a = 800 nm, w = 150 nm: perpendicular neighbour -2.30 mT, collinear +1.21 mT
    # bar-averaged along the target axis (physics background, section 1.3); point dipole -1.19 mT
    perp = _pair((-400.0, 400.0), np.pi / 2)
    coll = _pair((800.0, 0.0), 0.0)
    b_perp = face_charge_pair_fields(perp, MS, [0], [1])[0, 0]
    b_coll = face_charge_pair_fields(coll, MS, [0], [1])[0, 0]
    assert 1e3 * b_perp[0] == pytest.approx(-2.30, abs=0.05)
    assert 1e3 * b_coll[0] == pytest.approx(1.21, abs=0.05)
    ratio = b_perp[0] / _point_dipole(perp, 0, 1)[0]
    assert 1.6 < ratio < 2.4


def test_quadrature_converges():
    g = _pair((-400.0, 400.0), np.pi / 2)
    coarse = face_charge_pair_fields(g, MS, [0], [1])[0, 0]
    fine = face_charge_pair_fields(g, MS, [0], [1], PairQuadrature(12, 4, 32, 8))[0, 0]
    np.testing.assert_allclose(coarse, fine, atol=2e-5)


def test_tip_nearest_the_source_sees_the_stronger_field():
    g = _pair((800.0, 0.0), 0.0)  # collinear neighbour in front (+x) of the target
    bar, front, back = face_charge_pair_fields(g, MS, [0], [1])[0]
    assert front[0] > bar[0] > back[0] > 0


def test_pair_classes_reproduce_every_pair():
    a = 800.0
    i, j = np.meshgrid(np.arange(4), np.arange(4), indexing="ij")
    pos = np.concatenate([np.stack([(i + 0.5) * a, j * a], -1).reshape(-1, 2),
                          np.stack([i * a, (j + 0.5) * a], -1).reshape(-1, 2)])
    ang = np.r_[np.zeros(16), np.full(16, np.pi / 2)]
    g = BarArray(positions=pos, angles=ang, lengths=600.0, widths=150.0, thickness=20.0,
                 lattice_spacing=a)
    kernel = build_stray_kernel(g, MS, cutoff=1.0)
    rows = np.repeat(np.arange(g.n_bars), np.diff(kernel.indptr))
    direct = face_charge_pair_fields(g, MS, rows, kernel.indices)
    np.testing.assert_allclose(kernel.table[kernel.kind], direct, atol=1e-12)
    assert kernel.n_pair_classes < kernel.indices.size / 2
    # the summed field is linear in the source moments and ignores zero-moment (vortex) bars
    moment = np.random.default_rng(0).choice([-1.0, 0.0, 1.0], g.n_bars)
    total = stray_fields(kernel.indptr, kernel.indices, kernel.kind, kernel.table, moment)
    expected = np.zeros((g.n_bars, 3, 2))
    np.add.at(expected, rows, moment[kernel.indices, None, None] * direct)
    np.testing.assert_allclose(total, expected, atol=1e-12)


def test_bad_parameters_raise():
    with pytest.raises(ValueError, match="cutoff"):
        build_stray_kernel(_pair((800.0, 0.0), 0.0), MS, cutoff=-1.0)
    with pytest.raises(ValueError, match="tip_fraction"):
        PairQuadrature(tip_fraction=0.8)
