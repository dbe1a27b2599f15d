"""Reservoir substrates on one interface (:class:`Substrate`): software reference models
(echo-state network, dynamic memristors, spin-torque oscillator); the spin ice and recorded
measurements of a real device build on the same base class."""

from nanomag.substrates.base import Substrate, masked_drive, sign_mask
from nanomag.substrates.esn import EchoStateNetwork
from nanomag.substrates.memristor import MemristorReservoir
from nanomag.substrates.recorded import RecordedSubstrate
from nanomag.substrates.spin_ice import SpinIceReservoir
from nanomag.substrates.sto import SpinTorqueOscillator

__all__ = [
    "EchoStateNetwork",
    "MemristorReservoir",
    "RecordedSubstrate",
    "SpinIceReservoir",
    "SpinTorqueOscillator",
    "Substrate",
    "masked_drive",
    "sign_mask",
]
