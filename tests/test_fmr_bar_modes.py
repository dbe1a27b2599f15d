"""The single-bar mode solver: its demagnetising tensor, limits it must reproduce, and the
line tables the readout interpolates."""

import warnings

import numpy as np
import pytest

from nanomag.fmr import line_tables
from nanomag.fmr.bar_modes import BarModeSolver, _even_norm, _even_to_full, _fold_rows
from nanomag.fmr.demag import cell_grid_tensor, prism_demag_factors
from nanomag.fmr.resonance import BarResonanceModel
from nanomag.materials import MU0, PERMALLOY

MODEL = BarResonanceModel()


@pytest.mark.parametrize("cell", [(10.0, 10.0, 20.0), (5.0, 12.5, 3.0)])
def test_cell_tensor_at_zero_offset_is_the_cells_own_factors(cell):
    t = cell_grid_tensor(1, 1, *cell)
    np.testing.assert_allclose([t[k][0, 0] for k in ("xx", "yy", "zz")],
                               prism_demag_factors(*cell), rtol=1e-10)
    assert t["xy"][0, 0] == 0.0


@pytest.mark.parametrize("nx, ny", [(12, 3), (7, 5)])
def test_cell_tensor_averaged_over_a_grid_is_the_prisms_factors(nx, ny):
    # the mean field in a uniformly magnetised prism is -N M with Aharoni's N, whatever the
    # cells it is cut into: (1 / n) sum_ij N(i - j) over all pairs of cells
    dx, dy, dz = 10.0, 8.0, 20.0
    t = cell_grid_tensor(nx, ny, dx, dy, dz)
    counts = np.outer(nx - np.abs(np.arange(1 - nx, nx)), ny - np.abs(np.arange(1 - ny, ny)))
    mean = {k: (counts * v).sum() / (nx * ny) for k, v in t.items()}
    np.testing.assert_allclose([mean[k] for k in ("xx", "yy", "zz")],
                               prism_demag_factors(nx * dx, ny * dy, dz), rtol=1e-9)
    assert abs(mean["xy"]) < 1e-12


def test_cell_tensor_far_away_is_the_point_dipole():
    # offset r along x: N_xx = -2 V / (4 pi r^3), N_yy = N_zz = V / (4 pi r^3); along the
    # diagonal N_xy = -3 V / (4 pi r^3) / 2
    dx, dz = 10.0, 20.0
    t = cell_grid_tensor(61, 61, dx, dx, dz)
    v = dx * dx * dz
    r = 60 * dx
    dipole = v / (4 * np.pi * r ** 3)
    assert t["xx"][120, 60] == pytest.approx(-2 * dipole, rel=1e-3)
    assert t["yy"][120, 60] == pytest.approx(dipole, rel=1e-3)
    assert t["zz"][120, 60] == pytest.approx(dipole, rel=1e-3)
    r_diag = np.hypot(r, r)
    assert t["xy"][120, 120] == pytest.approx(-1.5 * v / (4 * np.pi * r_diag ** 3), rel=1e-3)


@pytest.mark.parametrize("field", [-0.02, 0.0, 0.05])
def test_one_cell_bar_is_the_kittel_macrospin(field):
    # one cell: no exchange, uniform state, f = gamma/2pi sqrt((B + (Ny - Nx) mu0 Ms)
    # (B + (Nz - Nx) mu0 Ms)) with the cell's own factors
    solver = BarModeSolver(40.0, 20.0, 10.0, cell_nm=40.0)
    modes = solver.modes(field)
    nx, ny, nz = prism_demag_factors(40.0, 20.0, 10.0)
    mu0ms = MU0 * PERMALLOY.Ms
    b1, b2 = field + (ny - nx) * mu0ms, field + (nz - nx) * mu0ms
    assert modes.frequencies == pytest.approx([PERMALLOY.gamma_over_2pi * np.sqrt(b1 * b2)],
                                              rel=1e-9)
    assert modes.b_sum == pytest.approx([b1 + b2], rel=1e-9)
    np.testing.assert_allclose(modes.angles, 0.0, atol=1e-6)


def test_a_bar_small_against_the_exchange_length_rings_as_the_kittel_macrospin():
    # exchange (l_ex 5.7 nm) holds a small element uniform: its strongest mode tends to
    # Kittel's with the prism's factors as the element shrinks
    nx, ny, nz = prism_demag_factors(12.0, 6.0, 3.0)
    mu0ms = MU0 * PERMALLOY.Ms
    kittel = PERMALLOY.gamma_over_2pi * np.sqrt((0.3 + (ny - nx) * mu0ms)
                                                * (0.3 + (nz - nx) * mu0ms))
    small = BarModeSolver(12.0, 6.0, 3.0, cell_nm=1.0).lines(0.3).bulk
    larger = BarModeSolver(20.0, 10.0, 5.0, cell_nm=1.0).lines(0.3).bulk
    nx, ny, nz = prism_demag_factors(20.0, 10.0, 5.0)
    kittel_larger = PERMALLOY.gamma_over_2pi * np.sqrt((0.3 + (ny - nx) * mu0ms)
                                                       * (0.3 + (nz - nx) * mu0ms))
    assert small == pytest.approx(kittel, rel=0.004)
    assert abs(small / kittel - 1) < abs(larger / kittel_larger - 1)


@pytest.mark.parametrize("n", [1, 6, 7])
def test_fold_is_the_matrix_in_the_even_basis(n):
    rng = np.random.default_rng(n)
    a = rng.random((n, n))
    a = a + a.T
    a = a + a[::-1, ::-1]  # invariant under the 180-degree rotation i -> n - 1 - i
    basis = _even_to_full(np.diag(_even_norm(n)), n)
    np.testing.assert_allclose(basis.T @ basis, np.eye((n + 1) // 2), atol=1e-14)
    np.testing.assert_allclose(_fold_rows(a[:(n + 1) // 2]), basis.T @ a @ basis, atol=1e-13)


def test_relaxed_bar_is_symmetric_under_rotation():
    solver = BarModeSolver(400.0, 130.0, 20.0)
    angles = solver.relax(0.0)
    np.testing.assert_allclose(angles, angles[::-1, ::-1], atol=1e-6)
    assert 0.9 < np.cos(angles).mean() < 1.0  # end domains, bar along +x


def test_solver_rejects_bad_sizes():
    with pytest.raises(ValueError, match="width"):
        BarModeSolver(600.0, -1.0, 20.0)
    with pytest.raises(ValueError, match="cells"):
        BarModeSolver(3000.0, 400.0, 20.0, cell_nm=5.0)


def test_table_holds_the_solver_at_its_fields_and_interpolates_between(tmp_path, monkeypatch):
    monkeypatch.setenv("NANOMAG_CACHE_DIR", str(tmp_path))
    line_tables.line_table.cache_clear()
    fields = (0.0, 0.02, 0.04)
    table = line_tables.line_table(400.0, 100.0, 20.0, PERMALLOY, 10.0, fields)
    solver = BarModeSolver(400.0, 100.0, 20.0)
    for k, field in enumerate(fields):
        angles = solver.relax(field)
        assert table.edge[k] == solver.lines(field, angles).edge
        assert table.bulk[k] == solver.ringdown_bulk(field, angles)
    mid = table.interpolate("edge", [0.01, -0.1, 0.5])
    assert mid[0] == pytest.approx(table.edge[:2].mean(), rel=1e-12)
    assert mid[1] == table.edge[0] and mid[2] == table.edge[-1]  # held at the ends
    assert len(list((tmp_path / "line_tables").glob("*.npz"))) == 1


def test_table_is_read_back_from_disk_and_a_corrupt_file_recomputed(tmp_path, monkeypatch):
    monkeypatch.setenv("NANOMAG_CACHE_DIR", str(tmp_path))
    args = (400.0, 100.0, 10.0, PERMALLOY, 10.0, (0.0, 0.05))
    line_tables.line_table.cache_clear()
    first = line_tables.line_table(*args)
    (path,) = (tmp_path / "line_tables").glob("*.npz")
    line_tables.line_table.cache_clear()
    monkeypatch.setattr(line_tables, "_solve", lambda *a: pytest.fail("not read from disk"))
    np.testing.assert_array_equal(line_tables.line_table(*args).edge, first.edge)
    monkeypatch.undo()
    monkeypatch.setenv("NANOMAG_CACHE_DIR", str(tmp_path))
    path.write_bytes(b"not a table")
    line_tables.line_table.cache_clear()
    with pytest.warns(UserWarning, match="unreadable"):
        again = line_tables.line_table(*args)
    np.testing.assert_array_equal(again.edge, first.edge)
    with warnings.catch_warnings():  # the file was replaced by a good one
        warnings.simplefilter("error")
        line_tables.line_table.cache_clear()
        line_tables.line_table(*args)
    line_tables.line_table.cache_clear()


def test_model_edge_frequency_is_its_table():
    fields = np.array([-0.05, 0.0125, 0.1])
    table = MODEL.line_table(600.0, 150.0, 20.0)
    np.testing.assert_array_equal(MODEL.edge_frequency(600.0, 150.0, 20.0, fields),
                                  table.interpolate("edge", fields))
    assert np.all(np.isfinite(table.edge[table.fields <= 0.05]))


@pytest.mark.parametrize("size", line_tables.SHIPPED_SIZES)
def test_shipped_tables_are_the_solvers(size):
    # each shipped table is the one the default model asks for, and holds the solver's lines
    fields = MODEL.table_fields()
    path = line_tables.SHIPPED / line_tables.table_name(*size, PERMALLOY, MODEL.cell_nm, fields)
    assert path.exists(), "run nanomag.fmr.line_tables.ship_tables() and commit the files"
    table = line_tables._read(path)
    np.testing.assert_array_equal(table.fields, fields)
    solver = BarModeSolver(*size)
    for k in (0, 10, len(fields) - 1):  # -50, 0 and +100 mT; to the relaxation's tolerance
        angles = solver.relax(fields[k])
        np.testing.assert_allclose(table.edge[k], solver.lines(fields[k], angles).edge,
                                   rtol=1e-6)
        np.testing.assert_allclose(table.bulk[k], solver.ringdown_bulk(fields[k], angles),
                                   rtol=1e-6)
    assert len(list(line_tables.SHIPPED.glob("*.npz"))) == len(line_tables.SHIPPED_SIZES)


def test_an_unwritable_cache_costs_only_the_recomputation(tmp_path, monkeypatch):
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("NANOMAG_CACHE_DIR", str(blocker))
    line_tables.line_table.cache_clear()
    table = line_tables.line_table(400.0, 100.0, 10.0, PERMALLOY, 10.0, (0.0, 0.05))
    assert np.isfinite(table.edge[0]) and blocker.read_text() == "not a folder"
    line_tables.line_table.cache_clear()


def test_readout_refuses_a_geometry_of_too_many_bar_sizes():
    from nanomag.fmr.spectrum import MAX_BAR_SIZES, FMRReadout
    from nanomag.lattices.base import BarArray

    n = MAX_BAR_SIZES + 1
    bars = BarArray(positions=np.c_[np.arange(n) * 1000.0, np.zeros(n)], angles=np.zeros(n),
                    lengths=500.0 + np.arange(n), widths=150.0, thickness=20.0,
                    lattice_spacing=1000.0)
    with pytest.raises(ValueError, match=f"{n} distinct bar sizes"):
        FMRReadout(np.linspace(2e9, 14e9, 8)).prepare(bars)


def test_solver_names_a_bad_field_or_state():
    solver = BarModeSolver(400.0, 100.0, 10.0)
    with pytest.raises(ValueError, match="field_t"):
        solver.lines(float("nan"))
    with pytest.raises(ValueError, match="angles"):
        solver.modes(0.0, np.zeros((3, 3)))
    with pytest.raises(ValueError, match="start"):
        solver.relax(0.0, np.full(solver.cells, np.inf))
