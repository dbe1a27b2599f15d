"""Compile numba kernels ahead of a run, in several processes at once.

numba compiles one function at a time in a process, and a command's first run spends most of
its time there.  A :class:`Warmup` names a function that runs some kernels on tiny inputs of
the types a real run passes, so that numba compiles them and writes them to its on-disk cache,
and the kernels it compiles (to skip it once they are cached).  :func:`compile_ahead` runs the
first pending warm-up in this process and each other one at the same time in a fresh Python
process; the real run then loads every kernel from the cache.  Two warm-ups must not compile
the same kernel (each would compile it); a kernel a warm-up misses is simply compiled by the
run, as without warm-ups.
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from nanomag.kernels.cache import compiled


@dataclass(frozen=True)
class Warmup:
    """A function that compiles some kernels, and those kernels.

    Attributes:
        target: ``"module:function"``, importable in a fresh process; the function takes no
            arguments.
        kernels: the numba dispatchers it compiles (all ``cache=True``).
    """

    target: str
    kernels: tuple


class CompileAheadWarning(RuntimeWarning):
    """A warm-up process failed; its kernels are compiled by the run itself."""


def resolve(target: str) -> Callable[[], object]:
    """The function named by ``"module:function"``."""
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


def pending(warmups: Sequence[Warmup]) -> list[Warmup]:
    """The warm-ups whose kernels are not all in numba's cache."""
    return [w for w in warmups if not compiled(w.kernels)]


def compile_ahead(warmups: Sequence[Warmup], processes: int | None = None) -> int:
    """Run the pending ``warmups``: the first here, up to ``processes - 1`` others each in its
    own Python process at the same time (``processes`` defaults to the CPU count; with 1,
    all run here, one after another).  Returns how many ran.

    A warm-up process that fails is reported as a :class:`CompileAheadWarning` with the end of
    its error output; nothing else changes (the run compiles those kernels itself).  An error
    (or Ctrl-C) in this process's warm-ups ends the other processes and is raised.
    """
    todo = pending(warmups)
    if not todo:
        return 0
    n = max(1, min(len(todo), processes or os.cpu_count() or 1))
    groups = [todo[i::n] for i in range(n)]
    children = [subprocess.Popen([sys.executable, "-m", __name__, *(w.target for w in group)],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                for group in groups[1:]]
    try:
        for warmup in groups[0]:
            resolve(warmup.target)()
    except BaseException:  # an error or Ctrl-C here: do not leave the others compiling
        for child in children:
            child.kill()
            child.communicate()
        raise
    for child, group in zip(children, groups[1:], strict=True):
        _, err = child.communicate()
        if child.returncode != 0:
            tail = " ".join(err.strip().splitlines()[-1:]) or f"exit status {child.returncode}"
            warnings.warn(f"compiling {', '.join(w.target for w in group)} in another "
                          f"process failed ({tail}); the run compiles them itself",
                          CompileAheadWarning, stacklevel=2)
    return len(todo)


if __name__ == "__main__":
    for name in sys.argv[1:]:
        resolve(name)()
