"""Vortex states of wide bars in the engine."""

import numpy as np
import pytest

from nanomag import make_lattice
from nanomag.engine.protocols import field_vectors
from nanomag.engine.spin_ice import SpinIce
from nanomag.engine.vortices import VortexModel
from nanomag.lattices import BarArray

MINOR_LOOPS = field_vectors(np.tile([0.020, -0.020], 12), 45.0)


def trained(seed=1, vortex=VortexModel(), lattice="asvi_width_modulated"):
    model = SpinIce(make_lattice(lattice, size=(8, 8)), disorder=0.05, seed=seed, vortex=vortex)
    model.set_h_ext([0.1, 0.1])
    model.relax()
    return model, model.run(MINOR_LOOPS)


def test_vortex_bars_carry_no_stray_field():
    arr = BarArray(positions=[[0.0, 0.0], [400.0, 400.0]], angles=[0.0, np.pi / 2],
                   lengths=600.0, widths=250.0, thickness=20.0, lattice_spacing=800.0)
    model = SpinIce(arr, hc=0.05, vortex=VortexModel())
    assert np.linalg.norm(model.h_dip[0]) > 1e-4
    model.set_state([1, 1], vortex=[0, 1])  # bar 1 is a vortex
    np.testing.assert_array_equal(model.h_dip[0], 0.0)
    assert np.linalg.norm(model.h_dip[1]) > 1e-4  # the macrospin still acts on the vortex bar
    np.testing.assert_allclose(model.magnetization(),
                               0.5 * np.array([1.0, 0.0]))  # only bar 0 carries moment


def test_minor_loops_raise_the_population_and_saturation_resets_it():
    model, ds = trained()
    after_each_loop = ds.n_vortex.values[1::2]
    assert after_each_loop[-1] > after_each_loop[0] > 0 or after_each_loop[-1] > 5
    assert np.all(np.diff(after_each_loop) >= -2)  # a ratchet: it climbs, loop after loop
    wide = model.array.widths >= VortexModel().min_width
    assert np.all(model.vortex[~wide] == 0)  # only wide bars hold vortices
    reset = model.run(field_vectors([0.05, -0.05, 0.05], 45.0))
    assert reset.n_vortex.values[-1] == 0


def test_vortices_annihilate_along_the_field():
    model, _ = trained()
    had_vortex = model.vortex != 0
    model.set_h_ext(0.05 * np.array([np.cos(np.pi / 4), np.sin(np.pi / 4)]))
    model.relax()
    assert np.all(model.vortex == 0)
    along = model.array.axes[had_vortex] @ np.array([1.0, 1.0])
    np.testing.assert_array_equal(np.sign(along) * model.spin[had_vortex], 1)


def test_macrospin_only_array_never_forms_a_vortex():
    _, ds = trained(lattice="square")  # 150 nm bars: below the vortex width
    assert ds.n_vortex.values.max() == 0


def test_same_seed_same_population_history():
    a = trained(seed=4)[1].n_vortex.values
    b = trained(seed=4)[1].n_vortex.values
    c = trained(seed=5)[1].n_vortex.values
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_certain_nucleation_turns_every_reversal_into_a_vortex():
    rules = VortexModel(p_plus=1.0, p_minus=1.0, neighbor_gain=0.0)
    model = SpinIce(make_lattice("asvi_width_modulated", size=(8, 8)), disorder=0.05, seed=2,
                    vortex=rules)
    model.set_h_ext([0.1, 0.1])
    model.relax()
    saturated = model.spin.copy()
    ds = model.run(MINOR_LOOPS)
    wide = model.array.widths >= rules.min_width
    # below the annihilation field a vortex stays a vortex, so every wide bar is either a
    # vortex or has never reversed
    macrospin_wide = wide & (model.vortex == 0)
    np.testing.assert_array_equal(model.spin[macrospin_wide], saturated[macrospin_wide])
    assert ds.n_vortex.values[-1] > 0
    assert np.all(np.diff(ds.n_vortex.values) >= 0)


@pytest.mark.parametrize("kwargs", [{"p_plus": 1.5}, {"neighbor_gain": -0.1},
                                    {"annihilation_field": 0.0}, {"min_width": -5.0}])
def test_bad_vortex_parameters(kwargs):
    with pytest.raises(ValueError):
        VortexModel(**kwargs)
