"""Sweep tasks for the sweep tests: module-level functions (so that Dask can pickle them)
that are slow enough to be interrupted and log every computation, and :func:`main`, a whole
sweep for another process to run (that the tests kill or race).
"""

import functools
import json
import time

import numpy as np
import xarray as xr
from distributed import Client, LocalCluster

from nanomag.sweep import run_sweep

#: 12 points.
GRID = {"a": [0, 1, 2, 3, 4, 5], "b": [0, 1]}


def logged_point(a: int, b: int, *, log: str, delay: float = 0.0) -> xr.Dataset:
    """``y = 10 a + b`` over ``t = 0..2`` after ``delay`` seconds; appends ``[a, b]`` to the
    file ``log`` once computed."""
    time.sleep(delay)
    with open(log, "a") as fh:
        fh.write(json.dumps([a, b]) + "\n")
    t = np.arange(3)
    return xr.Dataset({"y": (("t",), 10.0 * a + b + 0.0 * t)}, coords={"t": t})


def task(log, delay: float = 0.0):
    """:func:`logged_point` bound to its log file and delay (picklable)."""
    return functools.partial(logged_point, log=str(log), delay=delay)


def computed(log) -> list[tuple[int, int]]:
    """The points computed so far, in the order logged (empty when none)."""
    try:
        with open(log) as fh:
            return [tuple(json.loads(line)) for line in fh]
    except FileNotFoundError:
        return []


def main(out_dir: str, log: str, delay: float) -> None:
    """The sweep of :data:`GRID` into ``out_dir`` on an in-process cluster of two threads."""
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                      dashboard_address=":0") as cluster, Client(cluster) as client:
        run_sweep(task(log, delay), GRID, out_dir, client=client)
