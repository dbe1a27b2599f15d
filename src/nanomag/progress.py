"""Progress of long computations, reported to whoever is watching.

Library code (experiments, the sweep runner, readers of measured data) says how far it is
with :func:`report` or by iterating through :func:`track`; it never draws anything.  A
front end (the command line draws rich progress bars) installs a callback for the duration
of a call with :func:`reporting`.  Without a callback, reporting costs one context-variable
look-up.

The callback receives ``(label, done, total)``: a short description of the stage, the units
of work finished and the units in all (``total`` may grow as a stage learns its size).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from typing import TypeVar

#: Signature of a progress callback: ``(label, done, total)``.
ProgressCallback = Callable[[str, int, int], None]

T = TypeVar("T")

_callback: ContextVar[ProgressCallback | None] = ContextVar("nanomag_progress", default=None)


@contextlib.contextmanager
def reporting(callback: ProgressCallback | None) -> Iterator[None]:
    """Send progress reports made inside the ``with`` block to ``callback``."""
    token = _callback.set(callback)
    try:
        yield
    finally:
        _callback.reset(token)


def report(label: str, done: int, total: int) -> None:
    """Report ``done`` of ``total`` units finished in stage ``label``."""
    callback = _callback.get()
    if callback is not None:
        callback(label, int(done), int(total))


def track(items: Iterable[T], label: str, total: int | None = None) -> Iterator[T]:
    """Yield ``items``, reporting after each one (``total`` defaults to ``len(items)``)."""
    n = len(items) if total is None else int(total)  # type: ignore[arg-type]
    report(label, 0, n)
    for done, item in enumerate(items, start=1):
        yield item
        report(label, done, n)
