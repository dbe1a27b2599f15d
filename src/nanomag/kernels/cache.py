"""Whether numba's on-disk cache already holds compiled kernels (so a front end can warn
before a first-run compilation, and only then)."""

from __future__ import annotations

from collections.abc import Iterable


def compiled(dispatchers: Iterable) -> bool:
    """True when every ``cache=True`` dispatcher in ``dispatchers`` has a cache index that
    matches its current source file, i.e. a run loads machine code instead of compiling.

    The check reads numba's index files only; it does not load or compile anything.  A
    dispatcher whose cache cannot be inspected counts as not compiled.
    """
    for dispatcher in dispatchers:
        try:
            if not dispatcher._cache._cache_file._load_index():  # stale or missing: {}
                return False
        except (AttributeError, OSError, EOFError, ValueError):
            return False
    return True
