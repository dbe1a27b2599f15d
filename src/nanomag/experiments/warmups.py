"""Warm-ups for :func:`nanomag.kernels.ahead.compile_ahead`: tiny runs that compile the
kernels of a command, each with the argument types the real run passes.

Each warm-up compiles a set of kernels no other warm-up compiles (two processes compiling the
same kernel would both pay for it); :data:`SUITE` orders them so that two processes share the
work about equally (``compile_ahead`` deals them out in turn).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np

from nanomag.engine.kernels.protocol import RUN_PROTOCOL_ATHERMAL, RUN_PROTOCOL_THERMAL
from nanomag.fmr.lines import series_spectra
from nanomag.fmr.stray import stray_fields
from nanomag.kernels.ahead import Warmup
from nanomag.measured import _kernels as measured_kernels
from nanomag.measured.reading import read_folder
from nanomag.substrates import (
    EchoStateNetwork,
    MemristorReservoir,
    SpinIceReservoir,
    SpinTorqueOscillator,
)
from nanomag.substrates.kernels import esn_run, memristor_run, sto_run
from nanomag.substrates.spin_ice import DEFAULT_ENGINE
from nanomag.tasks import mackey_glass_series
from nanomag.tasks.kernels import mackey_glass

INPUTS = np.array([0.2, 0.8])


def _tiny_spin_ice(**params) -> SpinIceReservoir:
    """The demo's spin-vortex ice on a 2 x 2 lattice, with ``params``."""
    return SpinIceReservoir(lattice="asvi_width_modulated", lattice_params={"size": (2, 2)},
                            seed=0, **params)


def spin_ice_readout() -> None:
    """The engine's dipolar set-up, the Mackey-Glass generator and FMR spectra of a series
    (with the stray-field set-up), without the field protocol.

    The engine is built first: run beside :func:`protocol`, whose process is still importing,
    this process compiles the set-up kernels that both need and the other loads them."""
    reservoir = _tiny_spin_ice(saturation_field=None).reset()
    mackey_glass_series(10)
    spins = np.ones((2, reservoir.array_.n_bars))
    reservoir.readout_.spectra_array(spins, np.zeros(spins.shape, np.int8), 0.0,
                                     derivative=reservoir.derivative)


def protocol() -> None:
    """The athermal field protocol: two inputs observed by the magnetisation (no FMR)."""
    _tiny_spin_ice(observation="magnetization").fit_transform(INPUTS)


def thermal_protocol() -> None:
    """The field protocol at room temperature."""
    _tiny_spin_ice(observation="magnetization",
                   engine_params={**DEFAULT_ENGINE, "temperature": 300.0}).fit_transform(INPUTS)


def software_substrates() -> None:
    """The echo-state network, memristor network and spin-torque oscillator kernels."""
    for substrate in (EchoStateNetwork(n_units=4, seed=0), MemristorReservoir(seed=0),
                      SpinTorqueOscillator(seed=0)):
        substrate.fit_transform(INPUTS)


def measured_reading() -> None:
    """The text parser of measured spectra: a folder of two one-row files."""
    with tempfile.TemporaryDirectory() as folder:
        for step in (1, 2):
            Path(folder, f"scan_{step}.txt").write_text("Frequency,Spectra\n1e9,0.5\n")
        read_folder(folder)


def _warmup(function, *kernels) -> Warmup:
    return Warmup(f"{__name__}:{function.__name__}", kernels)


SPIN_ICE_READOUT = _warmup(spin_ice_readout, mackey_glass, series_spectra, stray_fields)
PROTOCOL = _warmup(protocol, RUN_PROTOCOL_ATHERMAL)
THERMAL_PROTOCOL = _warmup(thermal_protocol, RUN_PROTOCOL_THERMAL)
SOFTWARE_SUBSTRATES = _warmup(software_substrates, esn_run, memristor_run, sto_run)
MEASURED_READING = _warmup(measured_reading, measured_kernels.parse_columns)

#: Every warm-up, in an order that ``compile_ahead`` deals out evenly to two processes: the
#: two protocol builds (they share their helpers) in one, the rest in the other.
SUITE = (PROTOCOL, SPIN_ICE_READOUT, THERMAL_PROTOCOL, MEASURED_READING, SOFTWARE_SUBSTRATES)
