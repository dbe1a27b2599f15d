"""One BLAS thread for small dense linear algebra.

The package's dense matrices are small (a readout's few hundred channels, a bar's few
thousand cells), and BLAS / LAPACK threads only slow them down: their steps are memory-bound
and threads wait for one another (on two cores an eigendecomposition of a 256 x 256 Gram
matrix took 11 ms on one thread against 61 ms on two while another process was running; a
bar's 200 x 200 mode problem 0.02 s against 0.5 s).  :func:`one_blas_thread` runs a function
on one.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

from threadpoolctl import ThreadpoolController

F = TypeVar("F", bound=Callable)


@functools.cache
def _threadpools() -> ThreadpoolController:
    # built on first use, once numpy's and scipy's BLAS libraries are loaded
    return ThreadpoolController()


def one_blas_thread(func: F) -> F:
    """Decorator: run ``func`` with the BLAS libraries limited to one thread (restored after)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with _threadpools().limit(limits=1, user_api="blas"):
            return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]
