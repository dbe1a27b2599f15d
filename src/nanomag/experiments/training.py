"""Training protocols: minor field loops raise the vortex population, saturation resets it.

In a spin-vortex ice (Gartside et al., Nat. Nanotechnol. 17, 460 (2022)) a field loop
``+H_train``, ``-H_train`` whose amplitude lies above the wide-bar switching field but below
the vortex annihilation field reverses the wide macrospin bars, and each reversal can leave a
vortex that the loop cannot remove: the vortex population climbs loop by loop (a ratchet).
A field above the annihilation field (``H_saturation``) turns every vortex back into a
macrospin and so resets the population.

A protocol is ``n_blocks`` blocks, each of ``n_cycles`` minor loops followed by one saturating
step ``+H_saturation``.  The array starts saturated along ``+H`` (its reservoir reset state),
so the first half of the first loop of every block reverses nothing and a block of ``k``
loops holds ``2 k - 1`` reversals of each wide macrospin bar.
"""

from __future__ import annotations

import numpy as np
import xarray as xr
from sklearn.base import clone

from nanomag._validate import positive, positive_int
from nanomag.engine.protocols import field_vectors
from nanomag.substrates.spin_ice import SpinIceReservoir


def training_fields(n_cycles: int, h_train: float, h_saturation: float, *,
                    n_blocks: int = 2) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Signed field magnitudes of a training protocol.

    Returns ``(magnitudes (S,) T, cycle_end (C,) step index at which each cycle ends,
    phase (C,) "train" or "saturate")`` with ``C = n_blocks (n_cycles + 1)`` cycles.
    """
    k = positive_int(n_cycles, "n_cycles")
    blocks = positive_int(n_blocks, "n_blocks")
    h = positive(h_train, "h_train")
    h_sat = positive(h_saturation, "h_saturation")
    if h_sat <= h:
        raise ValueError(f"h_saturation ({h_sat}) must exceed h_train ({h})")
    block = np.concatenate([np.tile([h, -h], k), [h_sat]])
    magnitudes = np.tile(block, blocks)
    ends_in_block = np.concatenate([np.arange(1, k + 1) * 2 - 1, [2 * k]])
    cycle_end = (np.arange(blocks)[:, None] * block.size + ends_in_block).ravel()
    phase = np.tile(np.array(["train"] * k + ["saturate"]), blocks)
    return magnitudes, cycle_end, phase


def train(reservoir: SpinIceReservoir, *, n_cycles: int = 10, h_train: float = 0.020,
          h_saturation: float = 0.1, n_blocks: int = 2,
          angle_deg: float | None = None) -> xr.Dataset:
    """Run a training protocol on a fresh copy of ``reservoir``'s array (its reset state).

    Args:
        reservoir: a :class:`SpinIceReservoir` (e.g. a preset); it is cloned, not changed.
        n_cycles: minor loops per block.
        h_train: minor-loop amplitude, T.
        h_saturation: reset field, T (above the vortex annihilation field to reset).
        n_blocks: number of (train, saturate) blocks.
        angle_deg: field direction, deg from +x (default: the reservoir encoder's angle).

    Returns:
        Dataset over ``cycle``: ``n_vortex`` (vortex bars after the cycle), ``vortex_fraction``
        (of the vortex-capable bars, NaN when there are none), ``phase``, ``block``, and the
        microstate ``spin``/``vortex`` (cycle, bar) after each cycle; attrs give the fields.
    """
    if not isinstance(reservoir, SpinIceReservoir):
        raise ValueError(f"reservoir must be a SpinIceReservoir, got {type(reservoir).__name__}")
    res = clone(reservoir).reset()
    angle = float(res.encoder_.angle_deg if angle_deg is None else angle_deg)
    magnitudes, cycle_end, phase = training_fields(n_cycles, h_train, h_saturation,
                                                   n_blocks=n_blocks)
    ds = res.model_.run(field_vectors(magnitudes, angle), record_states=cycle_end)
    n_vortex = ds.n_vortex.values[cycle_end]
    model = res.model_.vortex_model
    capable = 0 if model is None else int(np.count_nonzero(res.array_.widths >= model.min_width))
    fraction = n_vortex / capable if capable else np.full(n_vortex.size, np.nan)
    return xr.Dataset(
        {
            "n_vortex": (("cycle",), n_vortex,
                         {"units": "1", "long_name": "bars in the vortex state after the cycle"}),
            "vortex_fraction": (("cycle",), fraction,
                                {"units": "1", "long_name": "vortex bars / vortex-capable bars"}),
            "phase": (("cycle",), phase, {"long_name": "protocol phase (train / saturate)"}),
            "block": (("cycle",), np.repeat(np.arange(positive_int(n_blocks, "n_blocks")),
                                            positive_int(n_cycles, "n_cycles") + 1),
                      {"units": "1", "long_name": "(train, saturate) block"}),
            "spin": (("cycle", "bar"), ds.spin.values, ds.spin.attrs),
            "vortex": (("cycle", "bar"), ds.vortex.values, ds.vortex.attrs),
        },
        coords={"cycle": np.arange(1, cycle_end.size + 1)},
        attrs={"lattice": res.array_.name, "n_bars": res.array_.n_bars,
               "vortex_capable_bars": capable, "h_train_T": float(h_train),
               "h_saturation_T": float(h_saturation), "angle_deg": angle},
    )


def training_spectra(reservoir: SpinIceReservoir, training: xr.Dataset, cycles=None, *,
                     bias_field: float = 0.0) -> xr.DataArray:
    """FMR absorption spectra (cycle, frequency) of the microstates of a :func:`train` result,
    read with ``reservoir``'s FMR readout at ``bias_field`` (T, along the readout direction).
    ``cycles`` selects cycles by their label (default: all)."""
    if not isinstance(reservoir, SpinIceReservoir) or reservoir.observation != "spectrum":
        raise ValueError("reservoir must be a SpinIceReservoir with observation='spectrum'")
    res = clone(reservoir).reset()
    chosen = training if cycles is None else training.sel(cycle=np.atleast_1d(cycles))
    spectra = res.readout_.spectra(chosen.spin.values, chosen.vortex.values, bias_field)
    return spectra.rename(time="cycle").assign_coords(
        cycle=chosen.cycle.values, n_vortex=("cycle", chosen.n_vortex.values))
