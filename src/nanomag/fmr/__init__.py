"""Ferromagnetic-resonance readout: the spin-wave spectrum of a bar-array microstate.

``demag`` (Aharoni prism factors) and ``kittel`` (per-bar Smit-Beljers resonance).
"""

from nanomag.fmr.demag import prism_demag_factors
from nanomag.fmr.kittel import kittel_mode

__all__ = ["kittel_mode", "prism_demag_factors"]
