"""Wide / thin width classes on square-type lattices (width-modified spin-vortex ice).

All layouts act on the bar centres of the closed square ice in reduced units: horizontal
bar ``H(i, j)`` at ``(i + 1/2, j)`` and vertical bar ``V(i, j)`` at ``(i, j + 1/2)``, with
``p = (i + j) mod 2`` for either.  (Rotating bars about their centres, as pinwheel ice does,
leaves the layouts unchanged.)

* ``"staircase"``: ``H`` wide where ``p = 0``, ``V`` wide where ``p = 1``.  Every vertex then
  has exactly one wide horizontal and one wide vertical bar, and the wide bars join into
  continuous staircases running along the (1, 1) diagonal: right, up, right, up, ...
  A wide bar's neighbours displaced by ``+-(1/2, 1/2)`` are wide, those displaced by
  ``+-(1/2, -1/2)`` are thin.  On a square (nx = ny) array exactly half of the bars are wide
  (the mirror in the diagonal swaps wide H with thin V).
* ``"checkerboard"``: wide where ``p = 0`` for both orientations, i.e. each orientation's bars
  alternate wide / thin along rows and columns like the squares of a chessboard.  The wide
  bars again form staircases, but along the (1, -1) diagonal: the mirror image of
  ``"staircase"``.
* ``"rows"``: every horizontal bar wide, every vertical bar thin.
* ``"random"``: ``floor(N / 2)`` bars, drawn without replacement with the given seed, wide.
"""

from __future__ import annotations

import numpy as np

LAYOUTS = ("staircase", "checkerboard", "rows", "random")


def wide_mask(
    reduced_positions: np.ndarray, layout: str, seed: int | np.random.Generator | None = 0
) -> np.ndarray:
    """(N,) bool: which bars are wide for ``layout`` (see the module docstring).

    Args:
        reduced_positions: (N, 2) bar centres of a closed square ice, lattice units.
        layout: one of :data:`LAYOUTS`.
        seed: seed (or generator) of the ``"random"`` layout; ignored by the others.
    """
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {', '.join(LAYOUTS)}; got {layout!r}")
    n = reduced_positions.shape[0]
    if layout == "random":
        mask = np.zeros(n, dtype=bool)
        mask[np.random.default_rng(seed).permutation(n)[: n // 2]] = True
        return mask
    grid = np.rint(2.0 * reduced_positions).astype(np.int64)
    horizontal = grid[:, 1] % 2 == 0
    if layout == "rows":
        return horizontal
    # i + j for H(i, j) at grid (2i + 1, 2j) and for V(i, j) at grid (2i, 2j + 1)
    even = ((grid[:, 0] + grid[:, 1] - 1) // 2) % 2 == 0
    if layout == "checkerboard":
        return even
    return even == horizontal
