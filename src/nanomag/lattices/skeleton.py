"""Reduced lattice skeletons: bars on the edges of a vertex lattice, in exact integer coordinates.

A skeleton holds every bar as the midpoint of a lattice edge plus the half-edge vector from
that midpoint to one of the edge's two end vertices.  Both are stored as integers on a fine
grid whose step is ``unit`` (in reduced lengths, i.e. units of the lattice spacing), so that
shared edges and shared vertices are found exactly, with no floating-point tolerance.

The reduced geometries follow flatspin's conventions (lattice spacing 1):

* :func:`square_closed` -- flatspin's ``SquareSpinIceClosed``: vertices on the integer points
  ``(0..nx, 0..ny)``, horizontal bars at ``(i + 1/2, j)``, vertical bars at ``(i, j + 1/2)``;
  ``2 nx ny + nx + ny`` bars.
* :func:`square_open` -- flatspin's ``SquareSpinIceOpen``: an ``nx`` by ``ny`` grid of bars on
  the integer points, at 45 deg where ``row + col`` is even and 135 deg where it is odd
  (square ice turned by 45 deg, vertices at the cell centres, vertex period ``sqrt 2``).
* :func:`kagome` -- flatspin's ``KagomeSpinIce``: bars on the edges of ``ny`` rows of ``nx``
  hexagons (odd rows shifted right by one), nearest bar centres 1 apart, honeycomb edge
  ``2 / sqrt 3``.

Bars are ordered as flatspin orders them: by row (``y``), then by ``x``; their angles (the
direction of spin +1) are flatspin's: 0 / 90 deg (closed square), 45 / 135 deg (open square),
-30 / 30 / 90 deg (kagome).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Skeleton:
    """Bars on lattice edges in integer grid coordinates.

    Attributes:
        mid: (N, 2) int64 bar centres, grid steps.
        half: (N, 2) int64 offset from a bar centre to one end vertex of its edge, grid steps.
        unit: reduced length of one grid step along x and along y.
    """

    mid: np.ndarray
    half: np.ndarray
    unit: tuple[float, float]

    @property
    def positions(self) -> np.ndarray:
        """(N, 2) bar centres in reduced units."""
        return self.mid * np.asarray(self.unit)

    @property
    def angles(self) -> np.ndarray:
        """(N,) directions of the half-edge vectors, rad (the +1 spin direction of each bar)."""
        vec = self.half * np.asarray(self.unit)
        return np.arctan2(vec[:, 1], vec[:, 0])

    def vertices(self, min_bars: int = 2) -> np.ndarray:
        """(V, k) indices of the bars meeting at each vertex, ``-1`` padded.

        Vertices touched by fewer than ``min_bars`` bars are left out.  Vertices are sorted by
        ``y`` then ``x``; the bars of a vertex in ascending index order; ``k`` is the largest
        number of bars at any vertex.
        """
        n = self.mid.shape[0]
        ends = np.concatenate([self.mid + self.half, self.mid - self.half])
        bar = np.concatenate([np.arange(n), np.arange(n)])
        # unique over (y, x) sorts the vertices row by row
        _, vid, count = np.unique(_row_keys(ends[:, ::-1]), return_inverse=True, return_counts=True)
        order = np.lexsort((bar, vid))
        vid, bar = vid[order], bar[order]
        first = np.concatenate([[0], np.cumsum(count)[:-1]])
        slot = np.arange(vid.size) - first[vid]
        table = np.full((count.size, count.max()), -1, dtype=np.int64)
        table[vid, slot] = bar
        return table[count >= min_bars]


def _row_keys(cols: np.ndarray) -> np.ndarray:
    """One int64 per row of a small-integer (M, k) array, ordered as the rows are
    lexicographically (a fast stand-in for ``np.unique(..., axis=0)``)."""
    shifted = cols - cols.min(axis=0)
    spans = shifted.max(axis=0) + 1
    if np.sum(np.log2(spans.astype(np.float64))) > 62:
        raise ValueError("lattice too large for integer edge keys")
    keys = np.zeros(cols.shape[0], dtype=np.int64)
    for col, span in zip(shifted.T, spans):  # k columns, not bars
        keys = keys * span + col
    return keys


def _sorted_unique(mid: np.ndarray, half: np.ndarray, unit: tuple[float, float]) -> Skeleton:
    """Drop repeated edges and order bars by row (y) then x."""
    cols = np.column_stack([mid[:, 1], mid[:, 0], half])
    _, first = np.unique(_row_keys(cols), return_index=True)
    rows = cols[first]
    return Skeleton(mid=rows[:, 1::-1].copy(), half=rows[:, 2:].copy(), unit=unit)


def _grid(nx: int, ny: int) -> tuple[np.ndarray, np.ndarray]:
    """Integer (x, y) index arrays of an nx by ny grid, flattened row by row."""
    y, x = np.meshgrid(np.arange(ny), np.arange(nx), indexing="ij")
    return x.ravel(), y.ravel()


def square_closed(nx: int, ny: int) -> Skeleton:
    """Square ice with closed edges, ``nx`` by ``ny`` cells; grid step 1/2."""
    hx, hy = _grid(nx, ny + 1)
    vx, vy = _grid(nx + 1, ny)
    mid = np.concatenate(
        [np.column_stack([2 * hx + 1, 2 * hy]), np.column_stack([2 * vx, 2 * vy + 1])]
    )
    half = np.concatenate([np.tile([1, 0], (hx.size, 1)), np.tile([0, 1], (vx.size, 1))])
    return _sorted_unique(mid, half, (0.5, 0.5))


def square_open(nx: int, ny: int) -> Skeleton:
    """Square ice turned by 45 deg, ``nx`` by ``ny`` bars on the integer points; grid step 1/2."""
    x, y = _grid(nx, ny)
    mid = np.column_stack([2 * x, 2 * y])
    half = np.column_stack([np.where((x + y) % 2 == 0, 1, -1), np.ones_like(x)])
    return _sorted_unique(mid, half, (0.5, 0.5))


# Hexagon (flat sides left and right, apothem 1) in grid steps of (1/2, 1/(2 sqrt 3)):
# the six edge midpoints, at 0, 60, ..., 300 deg from the centre, and their half-edge vectors.
_HEX_MID = np.array([[2, 0], [1, 3], [-1, 3], [-2, 0], [-1, -3], [1, -3]])
# Signs chosen so that bars point at 90, -30 and +30 deg, as in flatspin.
_HEX_HALF = np.array([[0, 2], [1, -1], [1, 1], [0, 2], [1, -1], [1, 1]])


def kagome(nx: int, ny: int) -> Skeleton:
    """Kagome ice: edges of ``ny`` rows of ``nx`` hexagons; grid step (1/2, 1/(2 sqrt 3))."""
    i, j = _grid(nx, ny)
    centre = np.column_stack([2 * (1 + 2 * i + j % 2), 3 * (1 + 2 * j)])
    mid = (centre[:, None, :] + _HEX_MID[None]).reshape(-1, 2)
    half = np.broadcast_to(_HEX_HALF, (centre.shape[0], 6, 2)).reshape(-1, 2)
    return _sorted_unique(mid, half, (0.5, 0.5 / np.sqrt(3.0)))
