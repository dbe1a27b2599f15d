"""The spin-ice engine against closed forms, the dipole formula and symmetries."""

import itertools

import numpy as np
import pytest

from nanomag import make_lattice
from nanomag.engine.protocols import hysteresis_loop
from nanomag.engine.spin_ice import SpinIce
from nanomag.engine.switching import Astroid, coercive_field
from nanomag.lattices import BarArray, vertex_types
from nanomag.materials import MU0, PERMALLOY

CLASSICAL_SW = Astroid(b=1.0, c=1.0, beta=3.0, gamma=3.0)


def single_bar(width=150.0):
    return BarArray(positions=[[0.0, 0.0]], angles=[0.0], lengths=600.0, widths=width,
                    thickness=20.0, lattice_spacing=800.0)


def stoner_wohlfarth_field(hc, theta):
    """Closed-form Stoner-Wohlfarth astroid: h_sw = hc / (cos^(2/3) + sin^(2/3))^(3/2)."""
    return hc / (abs(np.cos(theta)) ** (2 / 3) + abs(np.sin(theta)) ** (2 / 3)) ** 1.5


@pytest.mark.parametrize("theta_deg", [0.0, 10.0, 30.0, 45.0, 60.0, 80.0])
def test_single_bar_switches_on_the_classical_astroid(theta_deg):
    hc = 0.05
    theta = np.deg2rad(theta_deg)
    h_sw = stoner_wohlfarth_field(hc, theta)
    # field against the +x moment, tilted by theta
    direction = np.array([-np.cos(theta), np.sin(theta)])
    for factor, flips in ((1 - 1e-6, 0), (1 + 1e-6, 1)):
        model = SpinIce(single_bar(), hc=hc, astroid=CLASSICAL_SW)
        model.set_h_ext(factor * h_sw * direction)
        assert model.relax() == flips
    assert CLASSICAL_SW.switching_field(hc, theta) == pytest.approx(h_sw, rel=1e-10)


def test_generalized_astroid_threshold_matches_its_definition():
    shape = Astroid(b=0.41, c=1.0, beta=1.5, gamma=3.9)
    k = shape.reduced_switching_field(np.pi / 4)
    u = k * np.cos(np.pi / 4) / shape.b
    v = k * np.sin(np.pi / 4) / shape.c
    assert u ** (2 / shape.gamma) + v ** (2 / shape.beta) == pytest.approx(1.0, abs=1e-12)
    # along the easy axis the switching field is b * hc
    assert shape.switching_field(0.2, 0.0) == pytest.approx(0.41 * 0.2, rel=1e-12)


def test_threshold_from_width_reproduces_coercive_field_at_45_degrees():
    for width in (125.0, 200.0):
        model = SpinIce(single_bar(width))
        b_sw = float(coercive_field(width))
        for factor, flips in ((0.999, 0), (1.001, 1)):
            model.set_state([1])
            model.set_h_ext(-factor * b_sw * np.array([np.cos(np.pi / 4), np.sin(np.pi / 4)]))
            assert model.relax() == flips


def test_thin_bars_switch_at_higher_fields_than_wide_bars():
    for calibration in ("room_temperature", "micromagnetic_0K"):
        fields = coercive_field([100.0, 125.0, 150.0, 200.0, 250.0, 300.0], calibration)
        assert np.all(np.diff(fields) < 0)
    assert coercive_field(150.0, "micromagnetic_0K") == pytest.approx(0.051)


def test_pair_field_matches_the_si_dipole_formula():
    a_nm = 800.0
    arr = BarArray(positions=[[0.0, 0.0], [310.0, 170.0]], angles=[0.3, 1.9],
                   lengths=600.0, widths=[150.0, 250.0], thickness=20.0, lattice_spacing=a_nm)
    model = SpinIce(arr, hc=0.1, neighbor_distance=None, init=[1, -1])
    for target, source in ((0, 1), (1, 0)):
        r = (arr.positions[target] - arr.positions[source]) * 1e-9
        m = model.spin[source] * PERMALLOY.Ms * arr.volumes[source] * arr.axes[source]
        dist = np.linalg.norm(r)
        expected = MU0 / (4 * np.pi) * (3 * r * (m @ r) / dist**5 - m / dist**3)
        np.testing.assert_allclose(model.h_dip[target], expected, rtol=1e-12)


def test_square_ice_vertex_energies_order_type_one_lowest():
    # one isolated 4-bar vertex, all 16 states, full dipolar sum
    arr = BarArray(positions=[[400.0, 0.0], [-400.0, 0.0], [0.0, 400.0], [0.0, -400.0]],
                   angles=[0.0, 0.0, np.pi / 2, np.pi / 2], lengths=600.0, widths=150.0,
                   thickness=20.0, lattice_spacing=800.0, vertices=[[0, 1, 2, 3]])
    model = SpinIce(arr, hc=0.1, neighbor_distance=None)
    energy = {1: [], 2: [], 3: [], 4: []}
    for spins in itertools.product([-1, 1], repeat=4):
        model.set_state(np.array(spins))
        energy[int(vertex_types(arr, model.spin)[0])].append(model.dipolar_energy())
    assert [len(energy[t]) for t in (1, 2, 3, 4)] == [2, 4, 8, 2]
    for lower, higher in ((1, 2), (2, 3), (3, 4)):
        assert max(energy[lower]) < min(energy[higher])


@pytest.mark.parametrize("lattice", ["square", "kagome", "pinwheel"])
def test_hysteresis_is_odd_under_field_reversal(lattice):
    arr = make_lattice(lattice, size=(6, 6))
    fields = hysteresis_loop(0.1, 200)
    up = SpinIce(arr, hc=0.05, disorder=0.05, seed=3, init=1).run(fields)
    down = SpinIce(arr, hc=0.05, disorder=0.05, seed=3, init=-1).run(-fields)
    np.testing.assert_array_equal(up.flips.values, down.flips.values)
    np.testing.assert_allclose(up.magnetization.values, -down.magnetization.values, atol=1e-12)


@pytest.mark.parametrize("lattice", ["square", "kagome", "asvi_width_modulated"])
def test_every_bar_flips_exactly_twice_in_a_full_loop_from_saturation(lattice):
    arr = make_lattice(lattice, size=(8, 8))
    model = SpinIce(arr, disorder=0.05, seed=1, init="random")
    loop = hysteresis_loop(0.2, 400)
    model.set_h_ext(loop[0])
    model.relax()  # saturate
    saturated = model.spin.copy()
    twin = SpinIce(arr, disorder=0.05, seed=1, init="random")
    twin.set_h_ext(loop[0])
    twin.relax()
    ds = model.run(loop, record_states=True)
    record = twin.run_arrays(loop, record_states=True)  # the same run, unlabelled
    for name in ("magnetization", "flips", "n_vortex", "spin", "vortex"):
        np.testing.assert_array_equal(getattr(record, name), ds[name].values)
    states = np.concatenate([saturated[None], ds.spin.values])
    flips_per_bar = np.count_nonzero(np.diff(states, axis=0), axis=0)
    np.testing.assert_array_equal(flips_per_bar, 2)
    assert int(ds.flips.sum()) == 2 * arr.n_bars
    np.testing.assert_array_equal(model.spin, saturated)


def test_incremental_fields_equal_fields_recomputed_from_scratch():
    arr = make_lattice("square", size=(10, 10))
    model = SpinIce(arr, disorder=0.1, seed=2, init="random", neighbor_distance=2.0)
    model.run(hysteresis_loop(0.05, 60, angle_deg=30.0))
    incremental = model.h_dip.copy()
    model.set_state(model.spin)
    np.testing.assert_allclose(incremental, model.h_dip, atol=1e-12)


def test_relaxation_never_raises_the_energy():
    arr = make_lattice("square", size=(8, 8))
    model = SpinIce(arr, hc=0.01, disorder=0.3, seed=4, init="random", neighbor_distance=None)
    h = np.array([0.004, -0.002])

    def energy():  # Zeeman + dipolar, J
        moment = PERMALLOY.Ms * arr.volumes * model.spin
        return model.dipolar_energy() - float(np.sum(moment * (arr.axes @ h)))

    model.set_h_ext(h)
    before = energy()
    previous = before
    while model.step() >= 0:
        now = energy()
        assert now < previous
        previous = now
    assert previous < before


def test_step_picks_the_largest_switching_energy():
    arr = make_lattice("square", size=(5, 5))
    model = SpinIce(arr, hc=0.05, disorder=0.2, seed=5)
    model.set_h_ext([-0.04, -0.04])
    energies = model.switching_energies()
    assert energies.max() > 0
    assert model.step() == int(np.argmax(energies))


def test_magnetization_of_saturated_square_ice():
    arr = make_lattice("square", size=(4, 4))
    model = SpinIce(arr, hc=0.1)
    # equal numbers of horizontal and vertical bars of equal volume, all +1
    np.testing.assert_allclose(model.magnetization(), [0.5, 0.5])


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"hc": -0.1}, "hc"),
        ({"hc": np.nan}, "hc"),
        ({"disorder": -1.0}, "disorder"),
        ({"neighbor_distance": -1.0}, "neighbor_distance"),
        ({"alpha": np.inf}, "alpha"),
        ({"init": [1, 0, 1]}, "init"),
        ({"init": "sideways"}, "init"),
        ({"astroid": {"b": -1.0}}, "astroid.b"),
        ({"astroid": {"delta": 1.0}}, "delta"),
        ({"hc": [0.1, 0.2]}, "hc"),
    ],
)
def test_bad_parameters_name_the_parameter(kwargs, message):
    arr = make_lattice("square", size=(2, 2))
    with pytest.raises(ValueError, match=message):
        SpinIce(arr, **kwargs)


def test_bad_fields_name_the_problem():
    model = SpinIce(make_lattice("square", size=(2, 2)), hc=0.1)
    with pytest.raises(ValueError, match="fields"):
        model.run(np.zeros((5, 3)))
    with pytest.raises(ValueError, match="NaN"):
        model.run(np.array([[0.0, np.nan]]))
    with pytest.raises(ValueError, match="h_ext"):
        model.set_h_ext(np.zeros(3))


def test_vertex_counts_of_the_saturated_state():
    arr = make_lattice("square", size=(4, 4))
    model = SpinIce(arr, hc=0.1)
    four_bar = int(np.sum(np.all(arr.vertices >= 0, axis=1)))
    assert four_bar == 9  # the 3 x 3 interior vertices
    # all spins +1 point along +x and +y: two in, two out, with a net moment (type II)
    assert model.vertex_counts() == {1: 0, 2: four_bar, 3: 0, 4: 0}


def test_face_charge_coupling_tends_to_the_point_dipole_far_away_and_exceeds_it_close_by():
    far = BarArray(positions=[[0.0, 0.0], [8000.0, 3000.0]], angles=[0.3, 1.0], lengths=600.0,
                   widths=150.0, thickness=20.0, lattice_spacing=800.0)
    dipole = SpinIce(far, hc=0.1, neighbor_distance=None)
    charges = SpinIce(far, hc=0.1, neighbor_distance=None, coupling="face_charge")
    np.testing.assert_allclose(charges.h_dip, dipole.h_dip, rtol=0.01, atol=1e-9)
    # square ice, a = 800 nm: the bar-averaged field of a perpendicular nearest neighbour is
    # about twice the point dipole's (finite bars put their charges closer to the target)
    arr = make_lattice("square", size=(1, 1))  # 4 bars around one plaquette
    model = {c: SpinIce(arr, hc=0.1, coupling=c, init=[1, 1, 1, 1])
             for c in ("point_dipole", "face_charge")}
    ratio = np.linalg.norm(model["face_charge"].h_dip, axis=1) / np.linalg.norm(
        model["point_dipole"].h_dip, axis=1)
    assert np.all(ratio > 1.5)


def test_face_charge_loop_keeps_the_loop_properties():
    arr = make_lattice("square", size=(6, 6))
    fields = hysteresis_loop(0.1, 200)
    up = SpinIce(arr, hc=0.03, disorder=0.05, seed=3, coupling="face_charge").run(fields)
    down = SpinIce(arr, hc=0.03, disorder=0.05, seed=3, coupling="face_charge",
                   init=-1).run(-fields)
    np.testing.assert_allclose(up.magnetization.values, -down.magnetization.values, atol=1e-12)
    assert int(up.flips.sum()) == 2 * arr.n_bars


def test_coupling_choice_is_checked():
    arr = make_lattice("square", size=(2, 2))
    with pytest.raises(ValueError, match="coupling"):
        SpinIce(arr, hc=0.1, coupling="exchange")
    with pytest.raises(ValueError, match="alpha"):
        SpinIce(arr, hc=0.1, coupling="face_charge", alpha=0.001)
