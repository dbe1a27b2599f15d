"""Several builds of one kernel, each compiled and cached on its own.

A ``parallel=True`` build costs several seconds more to compile than a serial one and only
pays for large arrays (waking the thread pool costs more than small arrays take).  Kernels
that also serve large arrays are therefore written once, with ``prange`` loops, and built
twice by :func:`serial_and_parallel`: small inputs (every reservoir run, the tests) use the
serial build and never compile the parallel one.  :func:`twin` also gives a kernel a build
that calls other helpers (e.g. one without the thermal machinery), so that a run compiles
only what it calls.
"""

from __future__ import annotations

import types
from collections.abc import Callable

from numba import njit

#: Work items (bars, or pairs of bars) from which the parallel build is used.
PARALLEL_MIN_ITEMS = 50_000


def twin(func: Callable, suffix: str, **globals_) -> Callable:
    """A copy of the Python function ``func`` named ``<name>_<suffix>`` (so numba caches it
    apart from ``func``) that sees the module globals of ``func`` with ``globals_`` replaced."""
    name = f"{func.__name__}_{suffix}"
    copy = types.FunctionType(func.__code__, {**func.__globals__, **globals_} if globals_
                              else func.__globals__, name, func.__defaults__, func.__closure__)
    copy.__qualname__ = f"{func.__qualname__}_{suffix}"
    copy.__module__, copy.__doc__ = func.__module__, func.__doc__
    return copy


def serial_and_parallel(func: Callable, **options) -> tuple:
    """``(serial, parallel)`` numba dispatchers of ``func``, each with ``cache=True`` and its
    own on-disk cache (the parallel build under the name ``<name>_parallel``) and numpy's
    error model.  ``options`` go to both builds (e.g. ``fastmath=True``)."""
    # numba runs parallel loop bodies with numpy's error model (division by zero gives inf or
    # nan, no check in the loop); the serial build does the same, so both builds compute the
    # same values and the serial inner loops vectorise like the parallel ones
    options = {"error_model": "numpy", **options}
    return (njit(cache=True, **options)(func),
            njit(cache=True, parallel=True, **options)(twin(func, "parallel")))


def pick(builds: tuple, n_items: int):
    """The serial build of ``builds`` for fewer than :data:`PARALLEL_MIN_ITEMS` items, else
    the parallel one."""
    return builds[1] if n_items >= PARALLEL_MIN_ITEMS else builds[0]
