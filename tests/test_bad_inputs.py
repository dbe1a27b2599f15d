"""Known bad inputs to the Python API: each gives one clear error naming its parameter, or a
correct result."""

import numpy as np
import pytest

from nanomag import FMRReadout, Material, SpinIce, make_lattice, make_task
from nanomag.engine.protocols import hysteresis_loop
from nanomag.lattices import BarArray
from nanomag.metrics import memory_capacity
from nanomag.readout import RidgeReadout
from nanomag.substrates import (
    EchoStateNetwork,
    MemristorReservoir,
    SpinIceReservoir,
    SpinTorqueOscillator,
)

FREQS = np.linspace(3e9, 13e9, 8)


def tiny_array():
    return make_lattice("square", size=(2, 2))


def loop():
    return hysteresis_loop(0.1, 8)


def two_bars(gap_nm):
    return BarArray(positions=[[0.0, 0.0], [0.0, gap_nm]], angles=[0.0, 0.0], lengths=600.0,
                    widths=150.0, thickness=20.0, lattice_spacing=800.0)


# (id, call, error type, words the one-line message must hold)
ERRORS = [
    ("ridge_zero_targets", lambda: RidgeReadout().fit(np.ones((100, 3)), np.zeros((100, 0))),
     ValueError, ["y"]),
    ("task_infinite_samples", lambda: make_task("sine", n_samples=float("inf")),
     ValueError, ["n_samples"]),
    ("mackey_glass_huge_sample_time", lambda: make_task("mackey_glass", sample_time=1e217),
     ValueError, ["sample_time", "would need"]),
    ("mackey_glass_nan_x0", lambda: make_task("mackey_glass", x0=float("nan")),
     ValueError, ["x0"]),
    ("spin_ice_material_none", lambda: SpinIce(tiny_array(), material=None),
     TypeError, ["material", "Material"]),
    ("fmr_modes_none", lambda: FMRReadout(FREQS, modes=None), TypeError, ["modes", "ModeTable"]),
    ("reservoir_encoder_string", lambda: SpinIceReservoir(encoder="x").fit(),
     TypeError, ["encoder", "FieldEncoder"]),
    ("huge_lattice", lambda: make_lattice("square", size=(10**7, 10**7)),
     ValueError, ["size", "2.0e+14 bars", "would need", "limit"]),
    ("huge_protocol", lambda: hysteresis_loop(0.1, 10**10),
     ValueError, ["n_steps", "would need", "limit"]),
    ("hot_spin_ice", lambda: SpinIce(tiny_array(), hc=0.02, temperature=1e30),
     ValueError, ["temperature"]),
    ("memristor_nan_g0", lambda: MemristorReservoir(g0=float("nan")).fit(),
     ValueError, ["g0"]),
    ("sto_nan_input_current", lambda: SpinTorqueOscillator(input_current=float("nan")).fit(),
     ValueError, ["input_current"]),
    ("material_infinite_ms", lambda: Material(Ms=float("inf")), ValueError, ["Ms"]),
    ("esn_huge_spectral_radius", lambda: EchoStateNetwork(spectral_radius=1e308).fit(),
     ValueError, ["spectral_radius"]),
    ("ridge_zero_alpha_constant_channel",
     lambda: RidgeReadout(alphas=0.0).fit(np.column_stack([np.linspace(0, 1, 50), np.ones(50),
                                                           np.ones(50)]), np.linspace(0, 2, 50)),
     ValueError, ["alphas"]),
    ("overlapping_bars", lambda: SpinIce(two_bars(1e-300), hc=0.02),
     ValueError, ["overlap", "positions"]),
    ("spin_ice_hc_string", lambda: SpinIce(tiny_array(), hc="x"), TypeError, ["hc"]),
    ("spin_ice_negative_seed", lambda: SpinIce(tiny_array(), seed=-1), ValueError, ["seed"]),
]


@pytest.mark.parametrize("call, error, words", [e[1:] for e in ERRORS],
                         ids=[e[0] for e in ERRORS])
def test_bad_input_gives_one_line_error_naming_the_parameter(call, error, words):
    with pytest.raises(error) as info:
        call()
    message = str(info.value)
    assert "\n" not in message
    for word in words:
        assert word in message


def test_tiny_positive_temperature_is_the_athermal_limit():
    # kT underflows to 0 J: the Arrhenius rates exp(-E / kT) are exactly 0, as at T = 0
    results = [SpinIce(tiny_array(), hc=0.02, temperature=t, seed=1).run(loop())
               for t in (0.0, 5e-324)]
    np.testing.assert_array_equal(results[0].flips, results[1].flips)
    np.testing.assert_array_equal(results[0].magnetization, results[1].magnetization)


def test_spin_torque_oscillator_clips_inputs_to_its_input_range():
    sto = SpinTorqueOscillator(n_virtual=5, seed=0)
    out = sto.transform(np.full(5, 100.0))
    assert np.all(np.isfinite(out))
    np.testing.assert_array_equal(out, sto.transform(np.ones(5)))


def test_memory_capacity_is_scale_invariant():
    rng = np.random.default_rng(0)
    u = rng.uniform(-1, 1, 600)
    # a delay line with a tanh: channel k holds tanh(u(t - k)), recall of u(t - k) is high
    states = np.tanh(np.column_stack([np.roll(u, k) for k in range(4)]))
    reference = memory_capacity(states, u, 6).total
    assert 2.5 < reference < 4.0
    for factor in (1e-200, 1e200):
        assert memory_capacity(states * factor, u, 6).total == pytest.approx(reference, rel=1e-9)
    assert memory_capacity(states, u * 1e200, 6).total == pytest.approx(reference, rel=1e-9)


@pytest.mark.parametrize("types, wanted", [(int, "must be an int"), (float, "must be a float"),
                                           ((int, float), "must be an int or float")])
def test_type_errors_name_the_parameter_and_the_wanted_type(types, wanted):
    from nanomag._validate import instance_of

    with pytest.raises(TypeError, match=f"count {wanted}, got str"):
        instance_of("x", types, "count")
