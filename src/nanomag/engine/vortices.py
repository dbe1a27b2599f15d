"""Vortex states of wide bars: the fourth state of artificial spin-vortex ice.

Wide bars can relax into a flux-closing vortex instead of a single-domain macrospin (Gartside
et al., Nat. Nanotechnol. 17, 460 (2022)): two macrospin directions and two vortex chiralities.
A vortex has almost no moment and no stray field.  The rules (see
:mod:`nanomag.engine.kernels.vortex`) are phenomenological; every rate is a parameter here:

* a bar at least ``min_width`` wide that reverses ends as a vortex with probability
  ``p_plus`` (reversal towards +axis) or ``p_minus`` (towards -axis), plus ``neighbor_gain`` per
  vortex among its coupling neighbours (capped at 1);
* a vortex returns to a macrospin, along the field, once the field on it exceeds
  ``annihilation_field``.

Defaults: the annihilation field is the 22-26 mT vortex switching field reported for the
width-modulated spin-vortex ice (room temperature; micromagnetics of a 600 x 250 x 20 nm bar at
0 K gives about 20 mT); the nucleation probabilities are illustrative and should be fitted to a
measured vortex population.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nanomag._validate import in_range, positive


@dataclass(frozen=True)
class VortexModel:
    """Vortex nucleation and annihilation rules.

    Attributes:
        min_width: narrowest bar that can hold a vortex, nm.
        p_plus: vortex probability per reversal towards +axis.
        p_minus: vortex probability per reversal towards -axis.
        neighbor_gain: added probability per vortex neighbour.
        annihilation_field: field magnitude above which a vortex becomes a macrospin, T.
    """

    min_width: float = 180.0
    p_plus: float = 0.05
    p_minus: float = 0.05
    neighbor_gain: float = 0.05
    annihilation_field: float = 0.024

    def __post_init__(self) -> None:
        positive(self.min_width, "VortexModel.min_width")
        positive(self.annihilation_field, "VortexModel.annihilation_field")
        for name in ("p_plus", "p_minus", "neighbor_gain"):
            in_range(getattr(self, name), f"VortexModel.{name}", 0.0, 1.0)

    def per_bar(self, widths_nm: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(p_plus, p_minus, annihilation_field) arrays for bars of ``widths_nm``; bars
        narrower than ``min_width`` get probability 0 and an infinite annihilation field."""
        capable = np.asarray(widths_nm) >= self.min_width
        return (np.where(capable, self.p_plus, 0.0), np.where(capable, self.p_minus, 0.0),
                np.where(capable, self.annihilation_field, np.inf))
