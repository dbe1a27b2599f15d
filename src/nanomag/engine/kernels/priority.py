"""An indexed binary max-heap of bars keyed by a float, for numba kernels.

The heap lives in preallocated arrays: ``keys`` and ``bars`` (heap order), ``where`` (N,)
(heap slot of each bar, -1 if absent) and ``size`` (1,).  Each bar appears at most once, so
``N`` slots always suffice and nothing is reallocated.  Order: larger key first, equal keys by
lower bar index (numpy ``argmax`` order).
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def heap_arrays(n):
    """Empty heap for bars ``0..n-1``: ``(keys, bars, where, size)``."""
    return np.empty(n), np.empty(n, np.int64), np.full(n, -1, np.int64), np.zeros(1, np.int64)


@njit(cache=True, inline="always")
def _before(keys, bars, a, b):
    """Whether heap slot ``a`` ranks above slot ``b``."""
    return keys[a] > keys[b] or (keys[a] == keys[b] and bars[a] < bars[b])


@njit(cache=True, inline="always")
def _swap(keys, bars, where, a, b):
    keys[a], keys[b] = keys[b], keys[a]
    bars[a], bars[b] = bars[b], bars[a]
    where[bars[a]] = a
    where[bars[b]] = b


@njit(cache=True)
def _sift(keys, bars, where, size, slot):
    """Restore heap order around ``slot`` (up, then down)."""
    while slot > 0:
        parent = (slot - 1) >> 1
        if not _before(keys, bars, slot, parent):
            break
        _swap(keys, bars, where, slot, parent)
        slot = parent
    while True:
        child = 2 * slot + 1
        if child >= size:
            break
        if child + 1 < size and _before(keys, bars, child + 1, child):
            child += 1
        if not _before(keys, bars, child, slot):
            break
        _swap(keys, bars, where, slot, child)
        slot = child


@njit(cache=True)
def heap_set(keys, bars, where, size, bar, key):
    """Insert ``bar`` with ``key``, or change its key if present."""
    slot = where[bar]
    if slot < 0:
        slot = size[0]
        size[0] += 1
        bars[slot] = bar
        where[bar] = slot
    keys[slot] = key
    _sift(keys, bars, where, size[0], slot)


@njit(cache=True)
def heap_remove(keys, bars, where, size, bar):
    """Remove ``bar`` if present."""
    slot = where[bar]
    if slot < 0:
        return
    last = size[0] - 1
    size[0] = last
    where[bar] = -1
    if slot != last:
        keys[slot] = keys[last]
        bars[slot] = bars[last]
        where[bars[slot]] = slot
        _sift(keys, bars, where, last, slot)


@njit(cache=True)
def heap_pop(keys, bars, where, size):
    """Remove and return the top bar (``size`` must be > 0)."""
    top = bars[0]
    heap_remove(keys, bars, where, size, top)
    return top
