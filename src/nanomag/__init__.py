"""nanomag: nanomagnetic physical reservoir computing.

Data flows one way: signal -> encoder (field protocol) -> substrate (physical state)
-> observation (spectrum / magnetization) -> readout (ridge) -> metrics, energy
-> results store -> report.  See ``docs/architecture.md``.
"""

from nanomag.lattices import BarArray, available_lattices, make_lattice
from nanomag.materials import PERMALLOY, Material

__version__ = "0.1.0"

__all__ = [
    "BarArray",
    "Material",
    "PERMALLOY",
    "available_lattices",
    "make_lattice",
    "__version__",
]
