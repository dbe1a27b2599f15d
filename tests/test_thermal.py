"""Thermally activated switching against the Neel-Brown (Arrhenius) law."""

import numpy as np
import pytest

from nanomag.engine.kernels.protocol import protocol_kernel, thermal_active
from nanomag.engine.kernels.thermal import Thermal
from nanomag.engine.spin_ice import SpinIce
from nanomag.engine.switching import Astroid
from nanomag.lattices import BarArray
from nanomag.materials import K_B, PERMALLOY

CLASSICAL_SW = Astroid(b=1.0, c=1.0, beta=3.0, gamma=3.0)


def isolated_small_bars(n=4000):
    """Tiny bars far apart (no neighbour within the cutoff)."""
    side = int(np.ceil(np.sqrt(n)))
    grid = np.stack(np.meshgrid(np.arange(side), np.arange(side)), -1).reshape(-1, 2)[:n]
    return BarArray(positions=grid * 8000.0, angles=np.zeros(n), lengths=50.0, widths=20.0,
                    thickness=4.0, lattice_spacing=800.0)


def switched_fraction(temperature, h_over_hk, duration, seed):
    hc = 0.05
    arr = isolated_small_bars()
    model = SpinIce(arr, hc=hc, astroid=CLASSICAL_SW, temperature=temperature,
                    step_duration=duration, attempt_frequency=1e9, seed=seed)
    model.run(np.array([[-h_over_hk * hc, 0.0]]))
    return np.mean(model.spin == -1), model


def test_switched_fraction_follows_the_arrhenius_law():
    temperature, h, duration = 300.0, 0.5, 1e-7
    fraction, model = switched_fraction(temperature, h, duration, seed=11)
    volume = model.array.volumes[0]
    e0 = 0.5 * PERMALLOY.Ms * volume * 0.05  # zero-field barrier, J (b = 1)
    barrier = e0 * (1 - h) ** 2
    rate = 1e9 * np.exp(-barrier / (K_B * temperature))
    expected = 1 - np.exp(-rate * duration)
    sigma = np.sqrt(expected * (1 - expected) / model.n_bars)
    assert 0.05 < expected < 0.95  # the test probes the activated regime
    assert abs(fraction - expected) < 4 * sigma


def test_same_seed_same_history_and_other_seed_differs():
    a, model_a = switched_fraction(300.0, 0.5, 1e-7, seed=3)
    b, model_b = switched_fraction(300.0, 0.5, 1e-7, seed=3)
    c, model_c = switched_fraction(300.0, 0.5, 1e-7, seed=4)
    np.testing.assert_array_equal(model_a.spin, model_b.spin)
    assert not np.array_equal(model_a.spin, model_c.spin)


def test_cold_limit_is_the_athermal_model():
    fraction, _ = switched_fraction(1e-3, 0.5, 1.0, seed=0)
    assert fraction == 0.0


def test_hotter_arrays_switch_earlier():
    fractions = [switched_fraction(t, 0.5, 1e-7, seed=1)[0] for t in (150.0, 300.0, 600.0)]
    assert fractions[0] < fractions[1] < fractions[2]


def test_bad_thermal_parameters():
    with pytest.raises(ValueError, match="temperature"):
        SpinIce(isolated_small_bars(4), hc=0.1, temperature=-1.0)
    with pytest.raises(ValueError, match="step_duration"):
        SpinIce(isolated_small_bars(4), hc=0.1, step_duration=0.0)


def test_only_a_finite_temperature_held_for_a_positive_time_runs_the_thermal_build():
    def thermal(inv_kt, duration):
        return Thermal(np.ones(1), inv_kt, 1e9, duration, np.ones(1, np.uint64))

    assert thermal_active(thermal(1e20, 1.0))
    # 0 K (inv_kt 0), kT underflowing to 0 J (inv_kt inf) and no hold time are athermal
    assert not thermal_active(thermal(0.0, 1.0))
    assert not thermal_active(thermal(np.inf, 1.0))
    assert not thermal_active(thermal(1e20, 0.0))
    assert protocol_kernel(True) is not protocol_kernel(False)
