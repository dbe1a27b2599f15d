"""Vertex-type statistics of square-type (4-bar) vertices.

A bar's moment ``spin * axis`` points *in* to a vertex when it points towards the vertex
centre, i.e. when ``spin * axis . (bar centre - vertex) < 0``; the vertex centre is the
centroid of its four bar centres.  With every bar counted as one unit moment:

* type 1 (I): 2 in / 2 out, in-bars opposite, zero net moment (the square-ice ground state);
* type 2 (II): 2 in / 2 out, in-bars adjacent, net moment ``2 sqrt 2``;
* type 3 (III): 3 in / 1 out or 1 in / 3 out (net moment 2, a magnetic charge);
* type 4 (IV): 4 in or 4 out (net moment 0, double charge).

Types I and II are told apart by the net moment, split at ``sqrt 2`` (half of type II's), which
keeps the classification right for rotated or slightly disordered bars.  Vertices that do
not hold exactly four bars get type 0.
"""

from __future__ import annotations

import numpy as np

from nanomag.lattices.base import BarArray

_SPLIT_I_II = np.sqrt(2.0)


def _spin(spin, n: int) -> np.ndarray:
    s = np.asarray(spin)
    if s.shape != (n,):
        raise ValueError(f"spin must have shape ({n},), got {s.shape}")
    if not np.all((s == 1) | (s == -1)):
        raise ValueError("spin must hold only +1 and -1")
    return s.astype(np.float64)


def vertex_types(array: BarArray, spin) -> np.ndarray:
    """(V,) int8 type 1..4 of each vertex in ``array.vertices`` (0 where it has not 4 bars).

    Args:
        array: a bar array with ``vertices``.
        spin: (N,) +1 / -1 per bar (moment along +axis / -axis).
    """
    if array.vertices is None:
        raise ValueError(f"array has no vertices (lattice {array.name!r})")
    s = _spin(spin, array.n_bars)
    table = array.vertices
    types = np.zeros(table.shape[0], dtype=np.int8)
    full = np.count_nonzero(table >= 0, axis=1) == 4
    if not np.any(full):
        return types
    idx = np.sort(table[full], axis=1)[:, -4:]
    pos = array.positions[idx]
    offset = pos - pos.mean(axis=1, keepdims=True)
    moment = s[idx][..., None] * array.axes[idx]
    n_in = np.count_nonzero(np.sum(moment * offset, axis=-1) < 0, axis=1)
    net = np.hypot(*moment.sum(axis=1).T)
    two_in = np.where(net < _SPLIT_I_II, 1, 2)
    types[full] = np.where(n_in % 4 == 0, 4, np.where(n_in % 2 == 1, 3, two_in))
    return types


def vertex_counts(array: BarArray, spin) -> dict[int, int]:
    """Number of 4-bar vertices of each type, ``{1: n_I, 2: n_II, 3: n_III, 4: n_IV}``."""
    counts = np.bincount(vertex_types(array, spin), minlength=5)
    return {t: int(counts[t]) for t in range(1, 5)}
