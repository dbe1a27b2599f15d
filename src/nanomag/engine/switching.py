"""Switching thresholds: the generalized Stoner-Wohlfarth (GSW) astroid and coercive fields vs width.

A bar with threshold ``hc`` (tesla) and astroid shape ``(b, c, beta, gamma)`` switches when the
field opposing it satisfies

    (h_par / (b hc))^(2/gamma) + (h_perp / (c hc))^(2/beta) > 1,   h_par < 0,

so ``b hc`` is the switching field along the easy axis and ``c hc`` the one across it.  The
classical Stoner-Wohlfarth astroid is ``b = c = 1, beta = gamma = 3``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq

from nanomag._validate import as_float_array, positive

#: 0 K micromagnetic switching fields of 600 x w x 20 nm permalloy bars with the field at
#: 45 deg to the axis (magnum.np quasi-static loops, 5 nm cells), width nm -> field T.
MICROMAGNETIC_45DEG_0K = {100.0: 0.067, 150.0: 0.051, 200.0: 0.038, 250.0: 0.031}

#: Room-temperature coercive fields used for the width-modulated spin-vortex ice
#: (thin 125 nm ~29.5 mT, wide 200 nm ~15.5 mT, field at 45 deg), width nm -> field T.
ROOM_TEMPERATURE_45DEG = {125.0: 0.0295, 200.0: 0.0155}

CALIBRATIONS = ("room_temperature", "micromagnetic_0K")


@dataclass(frozen=True)
class Astroid:
    """Shape of the GSW astroid (dimensionless).  Defaults: flatspin's fit of 20 nm thick
    permalloy stadia (b 0.41, c 1, beta 1.5, gamma 3.9)."""

    b: float = 0.41
    c: float = 1.0
    beta: float = 1.5
    gamma: float = 3.9

    def __post_init__(self) -> None:
        for name in ("b", "c", "beta", "gamma"):
            positive(getattr(self, name), f"Astroid.{name}")

    def reduced_switching_field(self, angle: float) -> float:
        """Field magnitude, in units of ``hc``, that switches a bar when applied against it at
        ``angle`` (rad) from the reversed easy axis (0 = straight against the moment)."""
        cos_a, sin_a = abs(np.cos(angle)), abs(np.sin(angle))
        if cos_a < 1e-15:
            return np.inf  # a purely transverse field never reverses the bar (h_par = 0)

        def excess(k: float) -> float:
            return (k * cos_a / self.b) ** (2 / self.gamma) + (k * sin_a / self.c) ** (2 / self.beta) - 1

        hi = self.b / cos_a  # the parallel term alone reaches 1 here
        return brentq(excess, 0.0, hi, xtol=1e-15, rtol=1e-14)

    def switching_field(self, hc: float, angle: float = np.pi / 4) -> float:
        """Switching field (T) of a bar with threshold ``hc`` (T), field at ``angle`` (rad)."""
        return hc * self.reduced_switching_field(angle)

    def threshold_for(self, switching_field: np.ndarray, angle: float = np.pi / 4) -> np.ndarray:
        """The ``hc`` (T) that makes a bar switch at ``switching_field`` (T) applied at ``angle``."""
        return np.asarray(switching_field) / self.reduced_switching_field(angle)


def coercive_field(width_nm, calibration: str = "room_temperature") -> np.ndarray:
    """Switching field (T) of 600 nm x ``width_nm`` x 20 nm permalloy bars, field at 45 deg.

    ``"micromagnetic_0K"`` interpolates :data:`MICROMAGNETIC_45DEG_0K` linearly in 1/width (the
    field scales roughly as 1/width) and extrapolates with the end segments.
    ``"room_temperature"`` is the power law through :data:`ROOM_TEMPERATURE_45DEG`.
    Thin bars switch at higher fields than wide ones in both.
    """
    w = as_float_array(width_nm, "width_nm")
    if np.any(w <= 0):
        raise ValueError(f"width_nm must be positive, got min {w.min()!r}")
    if calibration == "micromagnetic_0K":
        widths = np.array(sorted(MICROMAGNETIC_45DEG_0K))
        fields = np.array([MICROMAGNETIC_45DEG_0K[x] for x in widths])
        inv, inv_ref = 1.0 / w, 1.0 / widths[::-1]
        fields = fields[::-1]
        out = np.interp(inv, inv_ref, fields)
        lo = inv < inv_ref[0]
        hi = inv > inv_ref[-1]
        slope_lo = (fields[1] - fields[0]) / (inv_ref[1] - inv_ref[0])
        slope_hi = (fields[-1] - fields[-2]) / (inv_ref[-1] - inv_ref[-2])
        out = np.where(lo, fields[0] + slope_lo * (inv - inv_ref[0]), out)
        return np.where(hi, fields[-1] + slope_hi * (inv - inv_ref[-1]), out)
    if calibration == "room_temperature":
        (w1, b1), (w2, b2) = sorted(ROOM_TEMPERATURE_45DEG.items())
        exponent = np.log(b1 / b2) / np.log(w2 / w1)
        return b1 * (w / w1) ** (-exponent)
    raise ValueError(f"unknown calibration {calibration!r}; choose one of {CALIBRATIONS}")
