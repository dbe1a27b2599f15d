"""Ferromagnetic-resonance readout: the spin-wave spectrum of a bar-array microstate.

* ``demag``: Aharoni demagnetising factors of a rectangular prism; Newell's cell tensor.
* ``kittel``: per-bar Smit-Beljers/Kittel resonance, both branches.
* ``stray``: finite-size (face-charge) pair fields, precomputed per geometry.
* ``bar_modes``: ``BarModeSolver``, linearised micromagnetic modes of a single bar.
* ``ringdown``: reading lines from a ringdown (the rules of the magnum.np references).
* ``line_tables``: the solver's bulk and edge lines over a grid of fields, cached on disk.
* ``resonance``: geometry-true single-bar resonance (a bulk formula fitted to magnum.np,
  scaled along the moment to the mode solver's; the solver's edge line).
* ``modes``: the per-state mode table.
* ``lines``: numba kernels for per-bar lines and the Lorentzian sum.
* ``spectrum``: ``FMRReadout``, the public readout object (independent bars, the default).
* ``instrument``: ``FMRInstrument``, noise, jitter and averaging of a measured spectrum.
* ``kpm``: numba Chebyshev (kernel-polynomial) moments of a projected spectral density.
* ``collective``: ``CollectiveFMR``, the optional model with the coupled array's collective modes.
"""

from nanomag.fmr.bar_modes import BarModeSolver
from nanomag.fmr.collective import CollectiveFMR
from nanomag.fmr.demag import prism_demag_factors
from nanomag.fmr.instrument import FMRInstrument
from nanomag.fmr.kittel import kittel_mode
from nanomag.fmr.modes import ModeTable
from nanomag.fmr.resonance import BarResonanceModel, OutsideValidatedRange
from nanomag.fmr.spectrum import FMRReadout
from nanomag.fmr.stray import PairQuadrature, StrayKernel, build_stray_kernel

__all__ = [
    "BarModeSolver",
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
