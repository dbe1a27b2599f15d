"""Lattice generators and vertex statistics, checked against geometry worked out by hand."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy.spatial import cKDTree

from nanomag.lattices import available_lattices, make_lattice, vertex_counts, vertex_types

SQ2 = np.sqrt(2.0)
SQ3 = np.sqrt(3.0)


def _pair_distances(points: np.ndarray) -> np.ndarray:
    d = np.linalg.norm(points[:, None] - points[None], axis=-1)
    return d[np.triu_indices(len(points), 1)]


def _neighbour_counts(points: np.ndarray, r: float) -> np.ndarray:
    """Number of other points within r (+tiny) of each point."""
    tree = cKDTree(points)
    return np.array([len(n) - 1 for n in tree.query_ball_point(points, r * (1 + 1e-9))])


def _complete(table: np.ndarray, k: int) -> np.ndarray:
    return table[np.count_nonzero(table >= 0, axis=1) == k]


# ---------------------------------------------------------------- bar and vertex counts


@pytest.mark.parametrize("nx, ny", [(1, 1), (2, 3), (4, 4), (5, 2)])
def test_square_counts_follow_euler(nx, ny):
    arr = make_lattice("square", size=(nx, ny))
    # Euler for the planar grid graph: E = V + F - 1 with V = (nx+1)(ny+1), F = nx ny
    assert arr.n_bars == (nx + 1) * (ny + 1) + nx * ny - 1
    assert arr.vertices.shape[0] == (nx + 1) * (ny + 1)
    degree = np.count_nonzero(arr.vertices >= 0, axis=1)
    assert np.count_nonzero(degree == 4) == (nx - 1) * (ny - 1)
    assert np.count_nonzero(degree == 2) == 4  # the corners
    assert degree.sum() == 2 * arr.n_bars  # every bar has two ends


@pytest.mark.parametrize("nx, ny", [(1, 1), (2, 2), (3, 2), (2, 5)])
def test_kagome_counts(nx, ny):
    arr = make_lattice("kagome", size=(nx, ny))
    # 6 edges per hexagon, minus edges shared inside a row (nx - 1 per row) and between
    # neighbouring (offset) rows (2 nx - 1 per pair of rows)
    assert arr.n_bars == 6 * nx * ny - ny * (nx - 1) - (ny - 1) * (2 * nx - 1)
    # Euler: V - E + F = 1 with F = nx ny hexagons
    assert arr.vertices.shape[0] == arr.n_bars - nx * ny + 1
    degree = np.count_nonzero(arr.vertices >= 0, axis=1)
    assert degree.max() == (2 if nx * ny == 1 else 3)
    assert degree.sum() == 2 * arr.n_bars


@pytest.mark.parametrize("nx, ny", [(1, 1), (3, 3), (4, 5)])
def test_square_open_counts(nx, ny):
    arr = make_lattice("square_open", size=(nx, ny))
    assert arr.n_bars == nx * ny
    # turned square ice: vertices and plaquettes alternate on the (nx-1)(ny-1) cell centres
    full = _complete(arr.vertices, 4)
    assert full.shape[0] == ((nx - 1) * (ny - 1) + 1) // 2
    assert np.all(np.count_nonzero(arr.vertices >= 0, axis=1) < 5)


def test_all_builtins_build_with_defaults():
    for name in available_lattices():
        if name == "custom":
            continue
        arr = make_lattice(name)
        assert arr.name == name
        assert np.all(np.isfinite(arr.positions))
        assert arr.lengths.max() < 2 * arr.lattice_spacing


# ---------------------------------------------------------------- geometry


def test_square_reduced_geometry_and_neighbours():
    a = 800.0
    arr = make_lattice("square", size=(4, 3), lattice_spacing=a)
    red = arr.reduced_positions
    # bar centres on half-integer points between integer vertices, one coordinate integer
    frac = np.mod(red, 1.0)
    horizontal = np.isclose(arr.angles, 0.0)
    assert np.allclose(frac[horizontal], [0.5, 0.0])
    assert np.allclose(frac[~horizontal], [0.0, 0.5])
    assert np.allclose(arr.angles[~horizontal], np.pi / 2)
    # nearest neighbours are perpendicular bars at a / sqrt 2; a bulk bar has four of them
    assert np.isclose(_pair_distances(arr.positions).min(), a / SQ2)
    counts = _neighbour_counts(arr.positions, a / SQ2)
    assert counts.max() == 4
    assert set(np.unique(counts)) <= {1, 2, 3, 4}


def test_square_scales_with_lattice_spacing():
    small = make_lattice("square", size=(3, 3), lattice_spacing=700.0, bar_length=500.0)
    big = make_lattice("square", size=(3, 3), lattice_spacing=1400.0, bar_length=500.0)
    assert np.allclose(big.positions, 2.0 * small.positions)
    assert np.allclose(big.reduced_positions, small.reduced_positions)


def _vertex_offsets(arr, k):
    full = _complete(arr.vertices, k)
    pos = arr.positions[full]
    return full, pos - pos.mean(axis=1, keepdims=True)


@pytest.mark.parametrize(
    "name, k, r_over_a",
    [("square", 4, 0.5), ("pinwheel", 4, 0.5), ("square_open", 4, SQ2 / 2), ("kagome", 3, 1 / SQ3)],
)
def test_vertex_bars_equidistant(name, k, r_over_a):
    arr = make_lattice(name, size=(4, 4))
    full, off = _vertex_offsets(arr, k)
    assert full.shape[0] > 0
    dist = np.linalg.norm(off, axis=-1)
    assert np.allclose(dist, r_over_a * arr.lattice_spacing)
    # the bars of a vertex point in k different directions, evenly spread around it
    ang = np.sort(np.mod(np.arctan2(off[..., 1], off[..., 0]), 2 * np.pi), axis=1)
    gaps = np.diff(np.concatenate([ang, ang[:, :1] + 2 * np.pi], axis=1), axis=1)
    assert np.allclose(gaps, 2 * np.pi / k)


@pytest.mark.parametrize("name", ["square", "square_open", "kagome"])
def test_bar_axes_point_at_their_vertices(name):
    arr = make_lattice(name, size=(3, 3))
    full, off = _vertex_offsets(arr, 4 if name != "kagome" else 3)
    cos = np.abs(np.sum(arr.axes[full] * off, axis=-1)) / np.linalg.norm(off, axis=-1)
    assert np.allclose(cos, 1.0)


def test_kagome_neighbours_and_angles():
    a = 500.0
    arr = make_lattice("kagome", size=(3, 3), lattice_spacing=a, bar_length=400.0)
    assert np.isclose(_pair_distances(arr.positions).min(), a)
    assert _neighbour_counts(arr.positions, a).max() == 4
    deg = np.rad2deg(arr.angles)
    assert set(np.round(deg).astype(int)) == {-30, 30, 90}


def test_square_open_is_turned_square_ice():
    a = 600.0
    arr = make_lattice("square_open", size=(4, 4), lattice_spacing=a, bar_length=500.0)
    assert np.allclose(arr.reduced_positions, np.round(arr.reduced_positions))
    assert np.isclose(_pair_distances(arr.positions).min(), a)
    # neighbouring bars (distance a) are perpendicular
    dist = np.linalg.norm(arr.positions[:, None] - arr.positions, axis=-1)
    i, j = np.nonzero(np.isclose(dist, a))
    assert np.allclose(np.cos(arr.angles[i] - arr.angles[j]), 0.0)
    assert set(np.round(np.rad2deg(arr.angles)).astype(int)) == {45, 135}


def test_pinwheel_is_square_with_bars_turned_45deg():
    sq = make_lattice("square", size=(3, 4))
    pw = make_lattice("pinwheel", size=(3, 4))
    assert np.allclose(pw.positions, sq.positions)
    assert np.array_equal(pw.vertices, sq.vertices)
    # flatspin's convention: each bar turned clockwise by 45 deg
    assert np.allclose(np.cos(pw.angles - (sq.angles - np.pi / 4)), 1.0)
    turned = make_lattice("pinwheel", size=(3, 4), spin_angle=-45.0)
    assert np.allclose(np.cos(turned.angles - (sq.angles + np.pi / 4)), 1.0)


# ---------------------------------------------------------------- width layouts


def _offsets_lookup(arr):
    grid = np.rint(2 * arr.reduced_positions).astype(int)
    return {tuple(g): i for i, g in enumerate(grid)}, grid


def test_asvi_staircase_half_wide_and_diagonal_chains():
    arr = make_lattice("asvi_width_modulated", size=(6, 6))
    wide = np.isclose(arr.widths, 200.0)
    assert np.all(wide | np.isclose(arr.widths, 125.0))
    assert wide.sum() * 2 == arr.n_bars
    lookup, grid = _offsets_lookup(arr)
    along, across = 0, 0
    for i in np.flatnonzero(wide):
        for step, same in (((1, 1), True), ((-1, -1), True), ((1, -1), False), ((-1, 1), False)):
            j = lookup.get((grid[i, 0] + step[0], grid[i, 1] + step[1]))
            if j is not None:
                assert wide[j] == same
                along += same
                across += not same
    assert along > 0 and across > 0
    # one wide horizontal and one wide vertical bar at every 4-bar vertex
    full = _complete(arr.vertices, 4)
    horizontal = np.isclose(arr.angles, 0.0)
    assert np.all(np.sum(wide[full] & horizontal[full], axis=1) == 1)
    assert np.all(np.sum(wide[full] & ~horizontal[full], axis=1) == 1)


def test_asvi_checkerboard_is_mirrored_staircase():
    arr = make_lattice("asvi_width_modulated", size=(4, 4), layout="checkerboard")
    wide = arr.widths > 150.0
    lookup, grid = _offsets_lookup(arr)
    for i in np.flatnonzero(wide):
        j = lookup.get((grid[i, 0] + 1, grid[i, 1] - 1))
        if j is not None:
            assert wide[j]
        j = lookup.get((grid[i, 0] + 1, grid[i, 1] + 1))
        if j is not None:
            assert not wide[j]


def test_asvi_rows_and_random_layouts():
    rows = make_lattice("asvi_width_modulated", size=(3, 3), layout="rows", wide_width=220.0)
    assert np.array_equal(np.isclose(rows.widths, 220.0), np.isclose(rows.angles, 0.0))
    r1 = make_lattice("asvi_width_modulated", size=(5, 4), layout="random", seed=3)
    r2 = make_lattice("asvi_width_modulated", size=(5, 4), layout="random", seed=3)
    r3 = make_lattice("asvi_width_modulated", size=(5, 4), layout="random", seed=4)
    assert np.array_equal(r1.widths, r2.widths)
    assert not np.array_equal(r1.widths, r3.widths)
    assert np.count_nonzero(r1.widths == 200.0) == r1.n_bars // 2


def test_pinwheel_disordered_angles_and_widths():
    base = make_lattice("pinwheel", size=(20, 20))
    clean = make_lattice("pinwheel_disordered", size=(20, 20), angle_disorder=0.0)
    assert np.allclose(clean.angles, base.angles)
    dis = make_lattice("pinwheel_disordered", size=(20, 20), angle_disorder=4.0, seed=1)
    dev = np.rad2deg(dis.angles - base.angles)
    # sample std of 840 normal draws: relative error ~ 1/sqrt(2N) = 2.4 %
    assert abs(dev.std() / 4.0 - 1.0) < 0.1
    assert abs(dev.mean()) < 4.0 * 4.0 / np.sqrt(dev.size)
    assert np.count_nonzero(dis.widths == 200.0) == dis.n_bars // 2
    again = make_lattice("pinwheel_disordered", size=(20, 20), angle_disorder=4.0, seed=1)
    assert np.array_equal(again.angles, dis.angles)
    assert np.array_equal(again.widths, dis.widths)


# ---------------------------------------------------------------- vertex types


def _single_vertex():
    a = 800.0
    pos = np.array([[-a / 2, 0], [a / 2, 0], [0, -a / 2], [0, a / 2]])  # left, right, bottom, top
    return make_lattice("custom", positions=pos, angles=[0, 0, np.pi / 2, np.pi / 2],
                        vertices=[[0, 1, 2, 3]])


def _expected_type(inward):
    """Textbook classification from which of (left, right, bottom, top) point in."""
    n_in = sum(inward)
    if n_in in (0, 4):
        return 4
    if n_in in (1, 3):
        return 3
    opposite = inward[0] == inward[1]  # both horizontals in (or both out)
    return 1 if opposite else 2


def test_vertex_types_single_vertex_all_16_states():
    arr = _single_vertex()
    found = {t: 0 for t in range(1, 5)}
    for spin in itertools.product((-1, 1), repeat=4):
        # left bar points in along +x, right along -x, bottom along +y, top along -y
        inward = (spin[0] == 1, spin[1] == -1, spin[2] == 1, spin[3] == -1)
        t = int(vertex_types(arr, np.array(spin))[0])
        assert t == _expected_type(inward)
        found[t] += 1
    assert found == {1: 2, 2: 4, 3: 8, 4: 2}  # multiplicities of the 16 square-ice vertex states


def test_all_in_is_type_iv_and_all_out_too():
    arr = _single_vertex()
    assert vertex_types(arr, np.array([1, -1, 1, -1]))[0] == 4
    assert vertex_types(arr, np.array([-1, 1, -1, 1]))[0] == 4


def test_saturated_square_is_type_ii_and_ground_state_is_type_i():
    arr = make_lattice("square", size=(5, 4))
    full = np.count_nonzero(arr.vertices >= 0, axis=1) == 4
    sat = np.where(arr.axes @ np.array([1.0, 1.0]) > 0, 1, -1)
    types = vertex_types(arr, sat)
    assert np.all(types[full] == 2) and np.all(types[~full] == 0)
    assert vertex_counts(arr, sat) == {1: 0, 2: full.sum(), 3: 0, 4: 0}
    # antiferromagnetic ground state: H(i, j) spin (-1)^(i+j), V(i, j) spin -(-1)^(i+j)
    red = arr.reduced_positions
    i, j = np.floor(red[:, 0]), np.floor(red[:, 1])
    horizontal = np.isclose(arr.angles, 0.0)
    ground = np.where(horizontal, 1, -1) * (-1) ** (i + j).astype(int)
    assert vertex_counts(arr, ground) == {1: full.sum(), 2: 0, 3: 0, 4: 0}


def test_saturated_open_square_and_pinwheel_vertices():
    arr = make_lattice("square_open", size=(5, 5))
    sat = np.where(arr.axes @ np.array([1.0, 0.0]) > 0, 1, -1)
    counts = vertex_counts(arr, sat)
    assert counts[2] == 8 and counts[1] == counts[3] == counts[4] == 0
    pw = make_lattice("pinwheel_disordered", size=(4, 4), angle_disorder=3.0)
    pw_sat = np.where(pw.axes @ np.array([1.0, 0.0]) > 0, 1, -1)
    # along x: H bars (-45 deg) point (1,-1)/sqrt2, V bars (+45 deg) (1,1)/sqrt2; left and
    # bottom bars point in, right and top out: 2 adjacent in, net moment (2 sqrt 2, 0): type II
    assert vertex_counts(pw, pw_sat)[2] == 9


def test_vertex_types_ignore_kagome_three_bar_vertices():
    arr = make_lattice("kagome", size=(2, 2))
    assert np.all(vertex_types(arr, np.ones(arr.n_bars, dtype=np.int8)) == 0)


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize(
    "kwargs, word",
    [
        (dict(size=(-1, 3)), "size"),
        (dict(size=(0, 3)), "size"),
        (dict(size=(3,)), "size"),
        (dict(size=(2.5, 3)), "size"),
        (dict(size=(float("nan"), 3)), "size"),
        (dict(lattice_spacing=-800.0), "lattice_spacing"),
        (dict(lattice_spacing=float("nan")), "lattice_spacing"),
        (dict(bar_length=900.0), "bar_length"),
        (dict(bar_width=0.0), "bar_width"),
        (dict(thickness=-2.0), "thickness"),
    ],
)
def test_square_bad_parameters(kwargs, word):
    with pytest.raises(ValueError, match=word):
        make_lattice("square", **kwargs)


@pytest.mark.parametrize(
    "kwargs, word",
    [
        (dict(layout="zigzag"), "layout"),
        (dict(thin_width=-1.0), "thin_width"),
        (dict(wide_width=float("nan")), "wide_width"),
    ],
)
def test_asvi_bad_parameters(kwargs, word):
    with pytest.raises(ValueError, match=word):
        make_lattice("asvi_width_modulated", **kwargs)


def test_other_bad_parameters():
    with pytest.raises(ValueError, match="angle_disorder"):
        make_lattice("pinwheel_disordered", angle_disorder=-1.0)
    with pytest.raises(ValueError, match="spin_angle"):
        make_lattice("pinwheel", spin_angle=float("nan"))
    with pytest.raises(ValueError, match="unknown lattice 'hexagonal'"):
        make_lattice("hexagonal")


def test_custom_errors():
    pos = np.array([[0.0, 0.0], [1000.0, 0.0], [0.0, 1000.0]])
    with pytest.raises(ValueError, match="angles"):
        make_lattice("custom", positions=pos, angles=[0.0, 1.0])
    with pytest.raises(ValueError, match="widths"):
        make_lattice("custom", positions=pos, angles=[0.0, 1.0, 2.0], widths=[100.0, 120.0])
    bad = pos.copy()
    bad[1, 0] = np.nan
    with pytest.raises(ValueError, match="positions"):
        make_lattice("custom", positions=bad, angles=[0.0, 1.0, 2.0])
    with pytest.raises(ValueError, match="distinct"):
        make_lattice("custom", positions=pos[[0, 0, 1]], angles=[0.0, 1.0, 2.0])
    arr = make_lattice("custom", positions=pos, angles=[0.0, 1.0, 2.0], widths=[100, 120, 140])
    assert np.allclose(arr.volumes, np.array([100, 120, 140]) * 600 * 20 * 1e-27)
    with pytest.raises(ValueError, match="vertices"):
        vertex_types(arr, np.ones(3))


def test_vertex_types_bad_spin():
    arr = make_lattice("square", size=(2, 2))
    with pytest.raises(ValueError, match="spin"):
        vertex_types(arr, np.ones(arr.n_bars - 1))
    with pytest.raises(ValueError, match="spin"):
        vertex_types(arr, np.zeros(arr.n_bars))


# ---------------------------------------------------------------- flatspin (peer)


@pytest.mark.peer
@pytest.mark.parametrize(
    "name, cls",
    [
        ("square", "SquareSpinIceClosed"),
        ("square_open", "SquareSpinIceOpen"),
        ("kagome", "KagomeSpinIce"),
        ("pinwheel", "PinwheelSpinIceDiamond"),
    ],
)
@pytest.mark.parametrize("size", [(1, 1), (3, 2), (4, 5)])
def test_matches_flatspin_reduced_geometry(name, cls, size):
    model = pytest.importorskip("flatspin.model")
    ref = getattr(model, cls)(size=size)
    ours = make_lattice(name, size=size)
    assert ours.n_bars == ref.spin_count
    # same bars in the same order, with the same +1 direction
    assert np.allclose(ours.reduced_positions, np.asarray(ref.pos))
    assert np.allclose(np.cos(ours.angles - np.asarray(ref.angle)), 1.0)
