"""Per-state mode table: which lines each bar contributes, and their calibration.

Defaults (600 x W x 20 nm permalloy bars):

* Macrospin bulk line: Smit-Beljers/Kittel with the in-plane anisotropy field
  ``mu0 Ms (Ny - Nx)`` scaled by ``anisotropy_scale`` (interpolated in width).  The scales are
  fitted so that the model's bulk line matches magnum.np single-bar ringdowns at 20 mT
  (``validation/magnumnp_single_bar.py``; table in ``docs/fmr.md``): the micromagnetic bulk
  mode is localised in the bar centre, where the internal field is stiffer than the uniform
  macrospin average, and sits 0.6-0.7 GHz above plain Kittel.
* Edge line (one per bar end): ``f = edge_frequency + edge_slope (B_tip - edge_field)``, with
  ``B_tip`` the total field along the moment averaged over the tip region; from the same
  magnum.np runs (150-250 nm: 4.30-4.42 GHz at 20 mT; 150-200 nm: 3.00-3.19 GHz at 50 mT).
* Vortex bar: fixed lines (``vortex_frequencies``/``vortex_weights``; magnum.np 250 nm bar at
  0 mT) and no stray field.  The vortex weights are placeholders to be fitted to data.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nanomag._validate import as_float_array, positive, real


@dataclass(frozen=True)
class ModeTable:
    """Lines per bar state.  Frequencies Hz, fields T, widths nm, weights relative to the
    bulk line of a macrospin bar of the same volume.

    Attributes:
        bulk_weight: weight of the macrospin bulk line.
        calibration_widths: bar widths (nm, increasing) at which ``anisotropy_scale`` is given.
        anisotropy_scale: factor on ``Ny - Nx`` per calibration width (linear interpolation,
            constant beyond the ends); 1 everywhere gives plain Kittel.
        edge_weight: total weight of the two edge lines of a macrospin bar (0 disables them).
        edge_frequency: edge-line frequency at tip field ``edge_field``, Hz.
        edge_field: reference tip field along the moment, T.
        edge_slope: d f_edge / d B_tip, Hz/T.
        vortex_frequencies: lines of a vortex bar, Hz.
        vortex_weights: their weights.
        inhomogeneous_fwhm: extra full width added to every line, Hz.
    """

    bulk_weight: float = 1.0
    calibration_widths: tuple[float, ...] = (150.0, 200.0, 250.0)
    anisotropy_scale: tuple[float, ...] = (1.197, 1.225, 1.273)
    edge_weight: float = 0.15
    edge_frequency: float = 4.34e9
    edge_field: float = 0.020
    edge_slope: float = -42.5e9
    vortex_frequencies: tuple[float, ...] = (4.88e9, 7.59e9, 11.19e9)
    vortex_weights: tuple[float, ...] = (0.5, 0.15, 0.1)
    inhomogeneous_fwhm: float = 0.1e9

    def __post_init__(self) -> None:
        widths = as_float_array(self.calibration_widths, "calibration_widths", (None,))
        scales = as_float_array(self.anisotropy_scale, "anisotropy_scale", (None,))
        if widths.size == 0 or widths.shape != scales.shape:
            raise ValueError("calibration_widths and anisotropy_scale must be equal-length 1-D")
        if np.any(np.diff(widths) <= 0) or np.any(widths <= 0):
            raise ValueError("calibration_widths must be positive and increasing")
        if np.any(scales <= 0):
            raise ValueError("anisotropy_scale must be positive")
        freqs = as_float_array(self.vortex_frequencies, "vortex_frequencies", (None,))
        weights = as_float_array(self.vortex_weights, "vortex_weights", freqs.shape)
        if np.any(freqs <= 0):
            raise ValueError("vortex_frequencies must be positive")
        if np.any(weights < 0):
            raise ValueError("vortex_weights must be >= 0")
        for name in ("bulk_weight", "edge_weight", "inhomogeneous_fwhm"):
            positive(getattr(self, name), name, allow_zero=True)
        for name in ("edge_frequency", "edge_field", "edge_slope"):
            real(getattr(self, name), name)

    def scale_for_width(self, widths_nm: np.ndarray) -> np.ndarray:
        """Anisotropy scale for bars of the given widths (nm)."""
        return np.interp(widths_nm, self.calibration_widths, self.anisotropy_scale)

    @property
    def lines_per_bar(self) -> int:
        """Line slots per bar: bulk + two edges, or the vortex lines, whichever is more."""
        return max(3, len(self.vortex_frequencies))
