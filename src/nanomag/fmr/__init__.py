"""Ferromagnetic-resonance readout: the spin-wave spectrum of a bar-array microstate.

* ``demag``: Aharoni demagnetising factors of a rectangular prism.
* ``kittel``: per-bar Smit-Beljers/Kittel resonance, both branches.
* ``stray``: finite-size (face-charge) pair fields, precomputed per geometry.
* ``resonance``: geometry-true single-bar resonance (effective factors fitted to magnum.np).
* ``modes``: the per-state mode table.
* ``lines``: numba kernels for per-bar lines and the Lorentzian sum.
* ``spectrum``: ``FMRReadout``, the public readout object (independent bars, the default).
* ``instrument``: ``FMRInstrument``, noise, jitter and averaging of a measured spectrum.
* ``kpm``: numba Chebyshev (kernel-polynomial) moments of a projected spectral density.
* ``collective``: ``CollectiveFMR``, the optional model with the coupled array's collective modes.
"""

from nanomag.fmr.collective import CollectiveFMR
from nanomag.fmr.demag import prism_demag_factors
from nanomag.fmr.instrument import FMRInstrument
from nanomag.fmr.kittel import kittel_mode
from nanomag.fmr.modes import ModeTable
from nanomag.fmr.resonance import BarResonanceModel, OutsideValidatedRange
from nanomag.fmr.spectrum import FMRReadout
from nanomag.fmr.stray import PairQuadrature, StrayKernel, build_stray_kernel

__all__ = [
    "BarResonanceModel",
    "CollectiveFMR",
    "FMRInstrument",
    "FMRReadout",
    "ModeTable",
    "OutsideValidatedRange",
    "PairQuadrature",
    "StrayKernel",
    "build_stray_kernel",
    "kittel_mode",
    "prism_demag_factors",
]
