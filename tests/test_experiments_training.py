"""Training protocols: the vortex population per minor loop and its reset by saturation."""

import numpy as np
import pytest

from nanomag.engine.vortices import VortexModel
from nanomag.experiments.presets import preset
from nanomag.experiments.training import train, training_fields, training_spectra
from nanomag.fmr.modes import ModeTable
from nanomag.substrates import SpinIceReservoir


def test_protocol_layout():
    mags, ends, phase = training_fields(3, 0.02, 0.1, n_blocks=2)
    block = [0.02, -0.02] * 3 + [0.1]
    np.testing.assert_array_equal(mags, block * 2)
    np.testing.assert_array_equal(ends, [1, 3, 5, 6, 8, 10, 12, 13])
    assert list(phase) == ["train"] * 3 + ["saturate"] + ["train"] * 3 + ["saturate"]


def test_uncoupled_bars_follow_the_binomial_ratchet():
    # no coupling, no disorder, no neighbour gain: each wide bar reverses twice per loop (once
    # in the first loop, which starts saturated along +H) and each reversal nucleates a vortex
    # with probability p, so after k loops a fraction 1 - (1 - p)^(2k - 1) are vortices.
    p, k = 0.1, 6
    res = SpinIceReservoir(
        "asvi_width_modulated", lattice_params={"size": (16, 16)},
        engine_params={"alpha": 0.0, "disorder": 0.0,
                       "vortex": VortexModel(p_plus=p, p_minus=p, neighbor_gain=0.0)},
        seed=5)
    ds = train(res, n_cycles=k, h_train=0.020, h_saturation=0.1, n_blocks=1)
    n_wide = ds.attrs["vortex_capable_bars"]
    loops = np.arange(1, k + 1)
    expected = n_wide * (1 - (1 - p) ** (2 * loops - 1))
    sd = np.sqrt(n_wide * 0.25)
    got = ds.n_vortex.values[:k]
    assert np.all(np.abs(got - expected) < 4.5 * sd)
    assert ds.n_vortex.values[k] == 0  # saturation erases every vortex


def test_wm_population_rises_loop_by_loop_then_saturation_resets_it():
    ds = train(preset("WM", (6, 6), seed=2), n_cycles=8, n_blocks=2)
    for b in range(2):
        block = ds.where(ds.block == b, drop=True)
        trained = block.n_vortex.values[block.phase.values == "train"]
        assert trained[-1] > trained[0]
        assert np.all(np.diff(trained) >= -2)  # a ratchet (a rare annihilation aside)
        assert block.n_vortex.values[-1] == 0
    assert np.all(ds.vortex_fraction.values <= 1.0)


def test_ms_array_is_never_trained():
    ds = train(preset("MS", (4, 4)), n_cycles=5, n_blocks=1)
    assert ds.n_vortex.values.max() == 0 and ds.attrs["vortex_capable_bars"] == 0
    assert np.all(np.isnan(ds.vortex_fraction.values))


def test_same_seed_same_history():
    a = train(preset("PW", (5, 5), seed=4), n_cycles=6).n_vortex.values
    b = train(preset("PW", (5, 5), seed=4), n_cycles=6).n_vortex.values
    c = train(preset("PW", (5, 5), seed=7), n_cycles=6).n_vortex.values
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_vortex_line_grows_with_the_population():
    line = ModeTable().vortex_frequencies[0]
    res = preset("WM", (6, 6), seed=1, frequencies=np.array([line, 8.5e9]))
    ds = train(res, n_cycles=8, n_blocks=1)
    spectra = training_spectra(res, ds, [1, 8, 9])
    vortex_line = spectra.sel(frequency=line).values
    assert spectra.n_vortex.values[1] > spectra.n_vortex.values[0] > spectra.n_vortex.values[2]
    assert vortex_line[1] > vortex_line[0] > vortex_line[2]


@pytest.mark.parametrize("kwargs, match", [
    ({"n_cycles": 0}, "n_cycles"),
    ({"h_train": -0.01}, "h_train"),
    ({"h_saturation": 0.01}, "h_saturation"),
    ({"n_blocks": 0}, "n_blocks"),
])
def test_bad_protocols_are_rejected(kwargs, match):
    with pytest.raises(ValueError, match=match):
        train(preset("WM", (3, 3)), **kwargs)


def test_train_needs_a_spin_ice_reservoir():
    with pytest.raises(ValueError, match="reservoir"):
        train("WM")
