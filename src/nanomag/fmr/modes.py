"""Per-state mode table: which lines each bar contributes, and their weights.

* Macrospin bulk line and edge lines (one per bar end): the geometry-true single-bar model
  :class:`nanomag.fmr.resonance.BarResonanceModel` (effective demagnetising factors, and the
  end field and factor of a Kittel-like end mode, as functions of length, width and thickness,
  fitted to magnum.np ringdowns; ``docs/fmr.md``).  The edge line is driven by ``B_tip``, the
  total field along the moment averaged over the tip region.
* Vortex bar: fixed lines (``vortex_frequencies``/``vortex_weights``) and no stray field: the
  three strongest lines of a 600 x 250 x 20 nm vortex-state bar at 20 mT from magnum.np
  (``validation/magnumnp_vortex_modes.py``), weights relative to the macrospin bulk line of
  the same bar under the same uniform transverse drive.  Their dependence on width and
  field is tabulated in ``docs/fmr.md``, not modelled.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from nanomag._validate import as_float_array, instance_of, positive
from nanomag.fmr.resonance import BarResonanceModel


@dataclass(frozen=True)
class ModeTable:
    """Lines per bar state.  Frequencies Hz, fields T, widths nm, weights relative to the
    bulk line of a macrospin bar of the same volume.

    Attributes:
        bulk_weight: weight of the macrospin bulk line.
        resonance: the single-bar model of the bulk and edge frequencies;
            ``BarResonanceModel.plain_kittel()`` gives Aharoni factors unchanged.
        edge_weight: total weight of the two edge lines of a macrospin bar (0 disables them).
        vortex_frequencies: lines of a vortex bar, Hz.
        vortex_weights: their weights.
        inhomogeneous_fwhm: extra full width added to every line, Hz.
    """

    bulk_weight: float = 1.0
    resonance: BarResonanceModel = field(default_factory=BarResonanceModel)
    edge_weight: float = 0.15
    vortex_frequencies: tuple[float, ...] = (5.41e9, 7.67e9, 10.06e9)
    vortex_weights: tuple[float, ...] = (0.38, 0.16, 0.07)
    inhomogeneous_fwhm: float = 0.1e9

    def __post_init__(self) -> None:
        instance_of(self.resonance, BarResonanceModel, "resonance")
        freqs = as_float_array(self.vortex_frequencies, "vortex_frequencies", (None,))
        weights = as_float_array(self.vortex_weights, "vortex_weights", (None,))
        if weights.shape != freqs.shape:
            raise ValueError(f"vortex_frequencies ({freqs.size}) and vortex_weights "
                             f"({weights.size}) must have equal length")
        if np.any(freqs <= 0):
            raise ValueError("vortex_frequencies must be positive")
        if np.any(weights < 0):
            raise ValueError("vortex_weights must be >= 0")
        for name in ("bulk_weight", "edge_weight", "inhomogeneous_fwhm"):
            positive(getattr(self, name), name, allow_zero=True)

    @property
    def lines_per_bar(self) -> int:
        """Line slots per bar: bulk + two edges, or the vortex lines, whichever is more."""
        return max(3, len(self.vortex_frequencies))
