"""Detecting whether numba's on-disk cache holds a kernel (the CLI's compile notice)."""

import importlib
import sys

from nanomag.kernels.cache import compiled
from nanomag.kernels.variants import twin

SOURCE = '''
from numba import njit


@njit(cache=True)
def twice(x):
    return {factor} * x
'''


def _load(tmp_path, name, factor):
    (tmp_path / f"{name}.py").write_text(SOURCE.format(factor=factor))
    sys.modules.pop(name, None)
    importlib.invalidate_caches()
    return importlib.import_module(name).twice


def test_compiled_once_a_kernel_has_run_and_again_after_its_source_changes(tmp_path,
                                                                           monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    kernel = _load(tmp_path, "nanomag_cache_probe", 2)
    assert not compiled([kernel])
    assert kernel(3) == 6
    assert compiled([kernel])
    # a new process importing the same source finds the cache (the dispatcher is new)
    assert compiled([_load(tmp_path, "nanomag_cache_probe", 2)])
    # an edited source invalidates the cache: the next run compiles again
    edited = _load(tmp_path, "nanomag_cache_probe", 50)  # another size: a new stamp
    assert not compiled([edited])
    assert edited(3) == 150 and compiled([edited])


def test_anything_that_is_not_a_cached_dispatcher_counts_as_not_compiled():
    assert not compiled([len])
    assert compiled([])


SCALE = 2.0


def _scaled(x):
    return SCALE * x


def test_a_twin_is_cached_apart_and_sees_its_replaced_globals():
    tripled = twin(_scaled, "tripled", SCALE=3.0)
    assert tripled.__qualname__ == "_scaled_tripled"
    assert tripled(2.0) == 6.0 and _scaled(2.0) == 4.0  # the original keeps its globals
