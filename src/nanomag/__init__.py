"""nanomag: nanomagnetic physical reservoir computing.

Data flows one way: signal -> encoder (field protocol) -> substrate (physical state)
-> observation (spectrum / magnetization) -> readout (ridge) -> metrics, energy
-> results store -> report.  See ``docs/architecture.md``.
"""

from nanomag.fmr import FMRReadout
from nanomag.lattices import BarArray, available_lattices, make_lattice
from nanomag.materials import PERMALLOY, Material
from nanomag.protocols import hysteresis_loop
from nanomag.readout import RidgeReadout
from nanomag.spin_ice import SpinIce
from nanomag.substrates import EchoStateNetwork, SpinIceReservoir
from nanomag.switching import Astroid
from nanomag.tasks import make_task
from nanomag.vortices import VortexModel

__version__ = "0.1.0"

__all__ = [
    "Astroid",
    "BarArray",
    "EchoStateNetwork",
    "FMRReadout",
    "Material",
    "PERMALLOY",
    "RidgeReadout",
    "SpinIce",
    "SpinIceReservoir",
    "VortexModel",
    "available_lattices",
    "hysteresis_loop",
    "make_lattice",
    "make_task",
    "__version__",
]
