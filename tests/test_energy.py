"""Energy accounting against the worked numbers of the background notes (section 4) and
closed-form scaling laws."""

import math

import numpy as np
import pytest

from nanomag.energy import (
    SCENARIOS,
    EnergyBreakdown,
    EnergyModel,
    compare,
    esn_step_energy,
    spin_ice_step_energy,
)
from nanomag.substrates import EchoStateNetwork

BAR_150 = 600e-9 * 150e-9 * 20e-9  # m^3
BAR_250 = 600e-9 * 250e-9 * 20e-9


def step(**kw):
    args = dict(volumes_m3=BAR_150, field_amplitudes_T=[0.03], n_bars=3125, n_channels=100,
                flip_count=10, mean_switching_field_T=0.03)
    args.update(kw)
    return spin_ice_step_energy(**args)


def test_stripline_worked_example():
    # 10 x 100 um gold strip, 200 nm thick: about 1.2 Ohm; 30 mT needs 0.48 A; a 10 ns
    # pulse costs 2.7 nJ over about 3,100 bars, 0.9 pJ per bar
    model = EnergyModel()
    assert model.resistance == pytest.approx(1.2, rel=0.02)
    assert float(model.strip_current(0.03)) == pytest.approx(0.48, rel=0.01)
    assert model.bars_per_strip == pytest.approx(3100, rel=0.01)
    given = EnergyModel(strip_resistance=1.2)
    assert given.pulse_energy([0.03]) == pytest.approx(2.7e-9, rel=0.02)
    assert given.pulse_energy([0.03], n_bars=given.bars_per_strip) == pytest.approx(
        given.pulse_energy([0.03]), rel=1e-12)
    per_bar = model.pulse_energy([0.03], n_bars=1000) / 1000
    assert per_bar == pytest.approx(0.9e-12, rel=0.05)


def test_flip_work_and_landauer_floor():
    # 2 Ms Bsw V: 8.6e-17 J (600x150x20, 30 mT) and 9.6e-17 J (600x250x20, 20 mT);
    # kT ln 2 = 2.87e-21 J per flip at 300 K
    one = step(flip_count=1, mean_switching_field_T=0.03)
    assert one.terms["flip"] == pytest.approx(8.6e-17, rel=0.01)
    assert one.terms["landauer_floor"] == pytest.approx(2.87e-21, rel=0.001)
    two = step(flip_count=None, mean_switching_field_T=None, switching_fields_T=[0.03, 0.02],
               volumes_m3=[BAR_150, BAR_250])
    assert two.terms["flip"] == pytest.approx(8.6e-17 + 9.6e-17, rel=0.01)
    assert two.terms["landauer_floor"] == pytest.approx(2 * 2.87e-21, rel=0.001)
    same = step(flip_count=None, mean_switching_field_T=None, switching_fields_T=[0.03] * 10)
    assert same.terms["flip"] == pytest.approx(step().terms["flip"], rel=1e-12)
    assert step(flip_count=0).terms["flip"] == 0.0


def test_field_energy_scaling_laws():
    base = EnergyModel()
    e1 = base.pulse_energy([0.01])
    assert base.pulse_energy([0.03]) == pytest.approx(9 * e1, rel=1e-12)  # quadratic in B
    assert base.pulse_energy([-0.01]) == pytest.approx(e1, rel=1e-12)  # sign-independent
    assert base.pulse_energy([0.01, 0.02]) == pytest.approx(5 * e1, rel=1e-12)  # additive
    slow = EnergyModel(pulse_duration=3 * base.pulse_duration)
    assert slow.pulse_energy([0.01]) == pytest.approx(3 * e1, rel=1e-12)  # linear in tau
    # a vector pulse, one strip per component, costs |B|^2
    assert base.pulse_energy([[0.006, 0.008]]) == pytest.approx(e1, rel=1e-12)
    # at fixed strip width the energy is proportional to the covered area
    assert step(n_bars=6250).terms["field_on_chip"] == pytest.approx(
        2 * step().terms["field_on_chip"], rel=1e-12)
    assert step(field_amplitudes_T=[]).terms["field_on_chip"] == 0.0


def test_readout_terms():
    # VNA: 100 points at 10 kHz IF bandwidth take 10 ms; about 1 J at the wall, 10 uJ of RF
    e = step(n_channels=100)
    model = EnergyModel()
    assert model.sweep_time(100, model.vna_rbw) == pytest.approx(10e-3)
    assert e.terms["read_lab"] == pytest.approx(1.0, rel=0.01)
    assert model.vna_rf_power * model.sweep_time(100, model.vna_rbw) == pytest.approx(1e-5)
    assert 1e-7 < e.terms["read_on_chip"] < 1e-4  # "microjoules"
    assert e.terms["field_lab"] >= 100.0  # 0.1-1 kW for about 1 s
    # readout MACs: n_outputs x n_features
    r = step(n_features_readout=50, n_outputs=3)
    assert r.terms["readout_mac"] == pytest.approx(150 * 4.6e-12)
    assert r.terms["readout_memory"] == pytest.approx((150 + 3) * 10e-12)
    assert step(n_channels=200).terms["read_lab"] == pytest.approx(2 * e.terms["read_lab"])


def test_esn_mac_counts():
    # N^2 + N d_in + N_out N MACs: N = 100 dense costs 5e-8 to 1.5e-7 J; N = 1000 about 5e-6 J
    e = esn_step_energy(100, 100 * 100, 1, 1)
    assert e.terms["reservoir_mac"] == pytest.approx((10_000 + 100) * 4.6e-12)
    assert e.terms["readout_mac"] == pytest.approx(100 * 4.6e-12)
    assert e.terms["reservoir_memory"] == pytest.approx((10_100 + 100) * 10e-12)
    assert 5e-8 <= e.total("on_chip") <= 1.5e-7
    big = esn_step_energy(1000, 1000 * 1000, 1, 1)
    assert big.terms["reservoir_mac"] + big.terms["readout_mac"] == pytest.approx(5e-6, rel=0.1)
    cheap = esn_step_energy(100, 100 * 100, 1, 1, e_mac=1e-12, e_mem=0.0)
    assert cheap.total("intrinsic") == pytest.approx(10_100e-12)


def test_esn_substrate_uses_the_same_formula():
    esn = EchoStateNetwork(n_units=30, connectivity=0.2, n_inputs=2, seed=0).reset()
    want = esn_step_energy(30, esn.w_.nnz, 2, 0)
    got = esn.energy_per_step()
    assert got["mac"] + got["memory"] == pytest.approx(want.total("intrinsic"), rel=1e-12)


def test_scenarios_sum_their_terms_and_compare():
    e = step(flip_count=1000, mean_switching_field_T=0.03, n_bars=10_000)
    t = e.terms
    assert e.total("intrinsic") == t["flip"]
    assert e.total("on_chip") == pytest.approx(t["flip"] + t["field_on_chip"] + t["read_on_chip"]
                                               + t["readout_mac"] + t["readout_memory"])
    assert e.total("lab") == pytest.approx(t["flip"] + t["field_lab"] + t["read_lab"]
                                           + t["readout_mac"] + t["readout_memory"])
    assert all(e.total(s) > t["landauer_floor"] for s in SCENARIOS)
    d = e.to_dict()
    assert d["total_lab"] == e.total("lab") and d["flip"] == t["flip"]
    ds = e.to_dataset()
    np.testing.assert_allclose(ds["total"].sel(scenario="on_chip"), e.total("on_chip"))
    assert not bool(ds["included"].sel(term="landauer_floor").any())
    # background 4.3: 1e3 flips x 1e-16 J against an N = 100 ESN step: 1e5-1e6x and more
    # intrinsically; orders of magnitude worse with laboratory instruments
    ratio = compare(e, esn_step_energy(100, 10_000, 1, 1))
    assert 1e5 < ratio["intrinsic"] < 1e7
    assert ratio["lab"] < 1e-6
    assert ratio["on_chip"] == pytest.approx(
        esn_step_energy(100, 10_000, 1, 1).total("on_chip") / e.total("on_chip"))


@pytest.mark.parametrize("kw, word", [
    (dict(magnet_power=-1.0), "magnet_power"), (dict(strip_width=0.0), "strip_width"),
    (dict(strip_resistance=-1.2), "strip_resistance"), (dict(e_mac=float("nan")), "e_mac"),
    (dict(chip_rbw=0.0), "chip_rbw"), (dict(pulse_duration=-1e-9), "pulse_duration"),
])
def test_bad_model_parameters(kw, word):
    with pytest.raises(ValueError, match=word):
        EnergyModel(**kw)


@pytest.mark.parametrize("kw, word", [
    (dict(field_amplitudes_T=[np.nan]), "field_amplitudes_T"),
    (dict(field_amplitudes_T=[[0.1, 0.2, 0.3]]), "field_amplitudes_T"),
    (dict(n_bars=0), "n_bars"), (dict(n_channels=-3), "n_channels"),
    (dict(n_outputs=-1), "n_outputs"), (dict(volumes_m3=-1e-21), "volumes_m3"),
    (dict(flip_count=-2), "flip_count"), (dict(mean_switching_field_T=-0.03), "mean_switching"),
    (dict(switching_fields_T=[0.03]), "switching_fields_T"),
    (dict(flip_count=None), "flip_count"), (dict(Ms=0.0), "Ms"),
    (dict(model="default"), "model"),
])
def test_bad_step_inputs(kw, word):
    with pytest.raises(ValueError, match=word):
        step(**kw)


def test_bad_breakdown_and_esn_inputs():
    with pytest.raises(ValueError, match="nnz_recurrent"):
        esn_step_energy(10, 101, 1, 1)
    with pytest.raises(ValueError, match="e_mem"):
        esn_step_energy(10, 10, 1, 1, e_mem=-1.0)
    with pytest.raises(ValueError, match="scenario"):
        step().total("cloud")
    with pytest.raises(ValueError, match="flip"):
        EnergyBreakdown({"flip": -1.0}, {"intrinsic": ("flip",)})
    with pytest.raises(ValueError, match="unknown"):
        EnergyBreakdown({"flip": 1.0}, {"intrinsic": ("field",)})
    assert math.isinf(compare(step(flip_count=0), esn_step_energy(10, 10, 1, 1))["intrinsic"])
