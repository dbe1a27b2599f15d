"""nanomag: nanomagnetic physical reservoir computing.

Data flows one way: signal -> encoder (field protocol) -> substrate (physical state)
-> observation (spectrum / magnetization) -> readout (ridge) -> metrics, energy
-> results store -> report.  See ``docs/architecture.md``.

The names below are imported on first use (PEP 562), so that ``import nanomag.<module>``
loads only what that module needs (the command line and worker processes start faster).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

__version__ = "0.1.0"

#: Public name -> the module that defines it.
_EXPORTS = {
    "Astroid": "nanomag.engine.switching",
    "BarArray": "nanomag.lattices",
    "EchoStateNetwork": "nanomag.substrates",
    "FMRReadout": "nanomag.fmr",
    "Material": "nanomag.materials",
    "PERMALLOY": "nanomag.materials",
    "RidgeReadout": "nanomag.readout",
    "SpinIce": "nanomag.engine.spin_ice",
    "SpinIceReservoir": "nanomag.substrates",
    "VortexModel": "nanomag.engine.vortices",
    "available_lattices": "nanomag.lattices",
    "hysteresis_loop": "nanomag.engine.protocols",
    "make_lattice": "nanomag.lattices",
    "make_task": "nanomag.tasks",
}

__all__ = [
    "PERMALLOY",
    "Astroid",
    "BarArray",
    "EchoStateNetwork",
    "FMRReadout",
    "Material",
    "RidgeReadout",
    "SpinIce",
    "SpinIceReservoir",
    "VortexModel",
    "__version__",
    "available_lattices",
    "hysteresis_loop",
    "make_lattice",
    "make_task",
]

if TYPE_CHECKING:
    from nanomag.engine.protocols import hysteresis_loop
    from nanomag.engine.spin_ice import SpinIce
    from nanomag.engine.switching import Astroid
    from nanomag.engine.vortices import VortexModel
    from nanomag.fmr import FMRReadout
    from nanomag.lattices import BarArray, available_lattices, make_lattice
    from nanomag.materials import PERMALLOY, Material
    from nanomag.readout import RidgeReadout
    from nanomag.substrates import EchoStateNetwork, SpinIceReservoir
    from nanomag.tasks import make_task


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'nanomag' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
