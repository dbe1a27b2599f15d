"""Fixtures shared by several test modules, and the compilation of the suite's kernels."""

import os

import pytest

from nanomag.experiments.warmups import SUITE
from nanomag.kernels.ahead import compile_ahead


def pytest_configure(config):
    """Edge tables go to a cache of the suite's own (kept between local runs), not the
    user's."""
    os.environ.setdefault("NANOMAG_CACHE_DIR", str(config.rootpath / ".pytest_cache" / "nanomag"))


def pytest_sessionstart(session):
    """From a cold numba cache, compile the suite's heaviest kernels in parallel processes
    before the first test (numba compiles one function at a time in a process); with a warm
    cache this only reads numba's index files."""
    compile_ahead(SUITE)


@pytest.fixture(scope="module")
def client():
    """A light in-process Dask cluster (two single-threaded workers) for sweep tests."""
    distributed = pytest.importorskip("distributed")
    with (distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                   dashboard_address=":0") as cluster,
          distributed.Client(cluster) as c):
        yield c
