"""nanomag reproduces flatspin (the reference spin-ice simulator) flip for flip.

Runs only where flatspin is installed (it is a peer for validation, never a dependency).
"""

import numpy as np
import pytest

flatspin_model = pytest.importorskip("flatspin.model")

from nanomag.engine.protocols import hysteresis_loop  # noqa: E402
from nanomag.engine.spin_ice import SpinIce  # noqa: E402

pytestmark = pytest.mark.peer

CASES = [
    ("SquareSpinIceClosed", {"size": (8, 8)}, 0.001, 1),
    ("KagomeSpinIce", {"size": (5, 4)}, 0.002, 1),
    ("PinwheelSpinIceDiamond", {"size": (6, 6)}, 0.003, 2),
]


def flatspin_run(model, fields):
    """Flip order, flips per step and spins per step of a flatspin run."""
    order = []
    flip = model.flip
    model.flip = lambda i: (order.append(int(i)), flip(i))
    flips, spins = [], []
    for h in fields:
        model.set_h_ext(h)
        flips.append(model.relax())
        spins.append(model.spin.copy())
    return np.array(order), np.array(flips), np.array(spins)


@pytest.mark.parametrize("cls_name, geometry, alpha, neighbor_distance", CASES)
def test_hysteresis_loop_flip_for_flip(cls_name, geometry, alpha, neighbor_distance):
    fs = getattr(flatspin_model, cls_name)(
        **geometry, alpha=alpha, hc=0.2, disorder=0.05, neighbor_distance=neighbor_distance,
        random_seed=7,
    )
    spin0 = fs.spin.copy()

    def ours():
        return SpinIce.from_flatspin_parameters(
            fs.pos, fs.angle, fs.threshold, alpha=fs.alpha, sw_b=0.41, sw_c=1.0, sw_beta=1.5,
            sw_gamma=3.9, lattice_spacing=fs.lattice_spacing,
            neighbor_distance=neighbor_distance, init=spin0,
        )

    fields = hysteresis_loop(0.1, 300, angle_deg=30.0)
    order, flips, spins = flatspin_run(fs, fields)
    assert flips.sum() > fs.spin_count  # the loop really reverses the array

    ds = ours().run(fields, record_states=True)
    np.testing.assert_array_equal(ds.flips.values, flips)
    np.testing.assert_array_equal(ds.spin.values, spins)

    # the same flips in the same order, one flip at a time
    model = ours()
    our_order = []
    for h in fields:
        model.set_h_ext(h)
        while (i := model.step()) >= 0:
            our_order.append(i)
    np.testing.assert_array_equal(our_order, order)


def test_thresholds_drawn_like_flatspin():
    fs = flatspin_model.SquareSpinIceClosed(size=(6, 6), hc=0.2, disorder=0.05, random_seed=3)
    from nanomag import make_lattice

    ours = SpinIce(make_lattice("square", size=(6, 6)), hc=0.2, disorder=0.05, seed=3)
    np.testing.assert_array_equal(ours.threshold, fs.threshold)
