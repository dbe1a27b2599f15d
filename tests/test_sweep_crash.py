"""Sweeps that survive anything: a killed sweep loses no finished point and a resume
recomputes none; two sweeps never write into one directory at once; an interrupted sweep
cancels its outstanding tasks."""

import json
import multiprocessing
import os
import signal
import time

import numpy as np
import pytest
import sweep_tasks

from nanomag.progress import reporting
from nanomag.sweep import (
    LOCK_FILE,
    SweepLocked,
    grid_points,
    point_path,
    run_sweep,
    sweep_lock,
)

pytest.importorskip("distributed")

POINTS = grid_points(sweep_tasks.GRID)
PATIENCE_S = 120  # only a bound against hanging; nothing is timed


# Sweeps in other processes are forked from a server that has imported nanomag and Dask once.
PROCESSES = multiprocessing.get_context("forkserver")
PROCESSES.set_forkserver_preload(["sweep_tasks"])


def start_sweep(out, log, delay):
    """The sweep of ``sweep_tasks.GRID`` in another process."""
    proc = PROCESSES.Process(target=sweep_tasks.main, args=(str(out), str(log), delay))
    proc.start()
    return proc


def wait_until(condition, proc=None):
    deadline = time.monotonic() + PATIENCE_S
    while not condition():
        assert proc is None or proc.exitcode is None, f"sweep stopped ({proc.exitcode})"
        assert time.monotonic() < deadline, "gave up waiting"
        time.sleep(0.02)


def present(out):
    return {tuple(p.values()) for p in POINTS if point_path(out, p).exists()}


def test_killed_sweep_resumes_without_recomputing_a_point(tmp_path, client):
    out = tmp_path / "sweep"
    for run, kill_after in enumerate((2, 6)):
        before = present(out)
        proc = start_sweep(out, tmp_path / f"run{run}.log", delay=0.15)
        wait_until(lambda: len(present(out)) >= kill_after, proc)  # noqa: B023
        proc.kill()
        proc.join()
        assert proc.exitcode == -signal.SIGKILL  # killed, not finished
        # no point stored before this run was computed again
        assert not before & set(sweep_tasks.computed(tmp_path / f"run{run}.log"))
    before = present(out)
    assert 6 <= len(before) < len(POINTS)
    log = tmp_path / "resume.log"
    ds = run_sweep(sweep_tasks.task(log), sweep_tasks.GRID, out, client=client)
    resumed = sweep_tasks.computed(log)
    assert sorted(resumed) == sorted(set(map(tuple, map(dict.values, POINTS))) - before)
    assert ds.attrs["sweep_computed"] == len(resumed)
    assert ds.attrs["sweep_reused"] == len(before)
    a, b = np.meshgrid(sweep_tasks.GRID["a"], sweep_tasks.GRID["b"], indexing="ij")
    np.testing.assert_array_equal(ds["y"].isel(t=0), 10.0 * a + b)
    # each point stored once, no temporary or lock left behind
    names = sorted(os.listdir(out))
    assert names == sorted(point_path(out, p).name for p in POINTS)


def test_two_sweeps_into_one_directory(tmp_path, client):
    out = tmp_path / "sweep"
    first_log, second_log = tmp_path / "first.log", tmp_path / "second.log"
    proc = start_sweep(out, first_log, delay=0.3)
    wait_until(lambda: f'"pid": {proc.pid},' in _read(out / LOCK_FILE), proc)
    second = sweep_tasks.task(second_log)
    with pytest.raises(SweepLocked, match=rf"in use by another sweep \(pid {proc.pid} on host"):
        run_sweep(second, sweep_tasks.GRID, out, client=client)
    ds = run_sweep(second, sweep_tasks.GRID, out, client=client, lock_timeout=None)  # waits
    proc.join()
    assert proc.exitcode == 0
    assert sweep_tasks.computed(second_log) == []
    assert sorted(sweep_tasks.computed(first_log)) == sorted(tuple(p.values()) for p in POINTS)
    assert (ds.attrs["sweep_computed"], ds.attrs["sweep_reused"]) == (0, len(POINTS))
    a, b = np.meshgrid(sweep_tasks.GRID["a"], sweep_tasks.GRID["b"], indexing="ij")
    np.testing.assert_array_equal(ds["y"].isel(t=2), 10.0 * a + b)


def _read(path):
    try:
        return path.read_text()
    except FileNotFoundError:
        return ""


def test_lock_names_its_holder_and_is_released(tmp_path, client):
    out = tmp_path / "sweep"
    with sweep_lock(out) as token:
        holder = json.loads((out / LOCK_FILE).read_text())
        assert holder["pid"] == os.getpid() and holder["token"] == token
        with pytest.raises(SweepLocked, match=f"pid {os.getpid()}"):
            run_sweep(sweep_tasks.task(tmp_path / "log"), {"a": [1], "b": [2]}, out,
                      client=client, lock_timeout=0.2)
    assert os.listdir(out) == []
    assert sweep_tasks.computed(tmp_path / "log") == []


def test_lock_left_by_a_dead_sweep_is_taken_over(tmp_path, client):
    out = tmp_path / "sweep"
    out.mkdir()
    (out / LOCK_FILE).write_text(json.dumps({"pid": 2**22 + 17, "host": "here", "token": "x"}))
    ds = run_sweep(sweep_tasks.task(tmp_path / "log"), {"a": [1], "b": [2]}, out, client=client)
    assert float(ds["y"].sel(a=1, b=2, t=0)) == 12.0
    assert not (out / LOCK_FILE).exists()


def unfinished_tasks(dask_scheduler):
    return sum(ts.state not in ("memory", "erred", "released", "forgotten")
               for ts in dask_scheduler.tasks.values())


def test_interrupted_sweep_cancels_its_outstanding_tasks(tmp_path, client):
    out = tmp_path / "sweep"
    log = tmp_path / "log"

    def interrupt(label, done, total):
        if done == 1:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt) as excinfo, reporting(interrupt):
        run_sweep(sweep_tasks.task(log, delay=0.05), sweep_tasks.GRID, out, client=client)
    # the sweep's futures are still referenced (by the traceback), yet the scheduler has
    # dropped every task not finished
    assert excinfo.traceback
    wait_until(lambda: client.run_on_scheduler(unfinished_tasks) == 0)
    wait_until(lambda: sum(client.run(lambda dask_worker: dask_worker.state.executing_count)
                           .values()) == 0)
    assert len(sweep_tasks.computed(log)) < len(POINTS)
    assert not (out / LOCK_FILE).exists()
