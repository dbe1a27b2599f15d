"""Array presets of Stenning et al. (2024): MS, WM, PW."""

import numpy as np
import pytest

from nanomag.engine.vortices import VortexModel
from nanomag.experiments.presets import FIELD_WINDOWS, PRESETS, preset
from nanomag.substrates import SpinIceReservoir

SIZE = (4, 4)


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_presets_build_spectrum_reservoirs_whose_window_spans_their_switching_fields(name):
    res = preset(name, SIZE, seed=1).reset()
    assert isinstance(res, SpinIceReservoir)
    assert res.n_channels == 128 and res.observation == "spectrum"
    h_min, h_max, angle = FIELD_WINDOWS[name]
    assert res.encoder_.angle_deg == angle
    # each bar's isolated switching field at the angle the field makes with it
    to_axis = np.rad2deg(np.abs(res.array_.angles - np.deg2rad(angle))) % 180.0
    fields = res.model_.switching_fields(np.median(np.minimum(to_axis, 180.0 - to_axis)))
    assert h_min <= np.median(fields) <= h_max


def test_array_geometries():
    ms, wm, pw = (preset(n, SIZE).reset().array_ for n in ("MS", "WM", "PW"))
    min_width = VortexModel().min_width
    assert np.all(ms.widths < min_width)  # macrospin only
    for arr in (wm, pw):
        assert set(np.unique(arr.widths)) == {125.0, 200.0}
        assert np.any(arr.widths >= min_width)
    # square arrays: bars at 0 and 90 deg; pinwheel: about +-45 deg with angle disorder
    np.testing.assert_allclose(np.sort(np.unique(np.round(np.rad2deg(ms.angles)))), [0, 90])
    off = np.rad2deg(pw.angles) % 90.0 - 45.0
    assert np.all(np.abs(off) < 25.0) and np.std(off) > 1.0


def test_macrospin_array_never_forms_a_vortex_while_wm_does():
    u = np.random.default_rng(0).uniform(0, 1, 150)
    counts = {}
    for name in ("MS", "WM"):
        res = preset(name, SIZE, seed=3).reset()
        res.drive(u)
        counts[name] = int(np.count_nonzero(res.model_.vortex))
    assert counts["MS"] == 0
    wm = preset("WM", SIZE, seed=3).reset()
    seen = wm.model_.run(np.tile([[0.014, 0.014], [-0.014, -0.014]], (20, 1)))
    assert seen.n_vortex.values.max() > 0  # 20 mT loops below annihilation inject vortices


def test_unknown_preset_is_rejected():
    with pytest.raises(ValueError, match="array must be one of"):
        preset("XX")


def test_preset_engine_can_be_replaced():
    from nanomag.experiments.presets import preset

    res = preset("WM", size=(3, 3), engine_params={"coupling": "face_charge"}).reset()
    assert res.model_.coupling == "face_charge"
    assert res.model_.vortex_model is None  # the caller's engine replaces the preset's whole
