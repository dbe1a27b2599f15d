"""Fixtures shared by several test modules."""

import pytest


@pytest.fixture(scope="module")
def client():
    """A light in-process Dask cluster (two single-threaded workers) for sweep tests."""
    distributed = pytest.importorskip("distributed")
    with (distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                   dashboard_address=":0") as cluster,
          distributed.Client(cluster) as c):
        yield c
