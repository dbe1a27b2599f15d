"""A small counter-free random generator (xorshift64*) whose whole state is one uint64 in an
array, so that kernels stay reproducible per model and need no global RNG state."""

from __future__ import annotations

import numpy as np
from numba import njit


def rng_state(seed: int | None) -> np.ndarray:
    """A (1,) uint64 state from ``seed`` (``None``: from fresh OS entropy)."""
    value = np.random.SeedSequence(seed).generate_state(1, np.uint64)
    value[0] |= np.uint64(1)  # xorshift needs a non-zero state
    return value


@njit(cache=True)
def uniform(state):
    """A float in (0, 1); advances ``state``."""
    x = state[0]
    x ^= x >> np.uint64(12)
    x ^= x << np.uint64(25)
    x ^= x >> np.uint64(27)
    state[0] = x
    r = (x * np.uint64(2685821657736338717)) >> np.uint64(11)
    return (float(r) + 0.5) * (1.0 / 9007199254740992.0)
