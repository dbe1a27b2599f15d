"""Lattice generators: every one returns a :class:`BarArray` in physical units (nm)."""

from nanomag.lattices.base import BarArray
from nanomag.lattices.registry import available_lattices, lattice_description, make_lattice
from nanomag.lattices.vertices import vertex_counts, vertex_types

__all__ = ["BarArray", "available_lattices",
    "lattice_description", "make_lattice", "vertex_counts", "vertex_types"]
