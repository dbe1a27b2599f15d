"""A binary max-heap of (key, bar) entries with lazy invalidation, for numba kernels.

The heap lives in three arrays (key, bar, stamp) plus a size; entries whose stamp no
longer matches the bar's current stamp are stale and skipped on pop.  Order: larger
key first, equal keys by lower bar index (numpy ``argmax`` order).
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, inline="always")
def _before(ka, ia, kb, ib):
    return ka > kb or (ka == kb and ia < ib)


@njit(cache=True)
def heap_new(capacity):
    """Empty heap arrays with room for ``capacity`` entries."""
    cap = max(capacity, 16)
    return np.empty(cap), np.empty(cap, np.int64), np.empty(cap, np.int64)


@njit(cache=True)
def heap_push(keys, bars, stamps, size, key, bar, stamp):
    """Push an entry; returns the (possibly reallocated) arrays and the new size."""
    if size == keys.shape[0]:
        new_keys = np.empty(2 * size)
        new_bars = np.empty(2 * size, np.int64)
        new_stamps = np.empty(2 * size, np.int64)
        new_keys[:size] = keys
        new_bars[:size] = bars
        new_stamps[:size] = stamps
        keys, bars, stamps = new_keys, new_bars, new_stamps
    pos = size
    while pos > 0:
        parent = (pos - 1) >> 1
        if not _before(key, bar, keys[parent], bars[parent]):
            break
        keys[pos] = keys[parent]
        bars[pos] = bars[parent]
        stamps[pos] = stamps[parent]
        pos = parent
    keys[pos] = key
    bars[pos] = bar
    stamps[pos] = stamp
    return keys, bars, stamps, size + 1


@njit(cache=True)
def heap_pop(keys, bars, stamps, size):
    """Remove the top entry; returns (key, bar, stamp, new_size).  ``size`` must be > 0."""
    top_key, top_bar, top_stamp = keys[0], bars[0], stamps[0]
    size -= 1
    if size > 0:
        key, bar, stamp = keys[size], bars[size], stamps[size]
        pos = 0
        while True:
            child = 2 * pos + 1
            if child >= size:
                break
            right = child + 1
            if right < size and _before(keys[right], bars[right], keys[child], bars[child]):
                child = right
            if not _before(keys[child], bars[child], key, bar):
                break
            keys[pos] = keys[child]
            bars[pos] = bars[child]
            stamps[pos] = stamps[child]
            pos = child
        keys[pos] = key
        bars[pos] = bar
        stamps[pos] = stamp
    return top_key, top_bar, top_stamp, size
