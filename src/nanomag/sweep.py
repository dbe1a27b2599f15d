"""Parameter sweeps on Dask distributed, resumable, combined into one labelled Dataset.

Every grid point is one task ``func(**point) -> xarray.Dataset``, stored in
``out_dir/point-<hash>.nc`` (the hash being a stable digest of the point's parameter values);
points whose file already exists are not computed again, so a sweep that was interrupted
resumes where it stopped and a grid can be extended.  When all points are present they are
combined into one Dataset whose dimensions include the swept parameters.

Surviving interruptions:

* The worker that computed a point writes it (atomically, :func:`nanomag.store.save`) before
  the task ends, so a killed client loses no finished point.  This assumes the workers see
  ``out_dir`` (always true for the default local cluster; for a remote scheduler, a shared
  file system at the same path).  A worker that cannot see it - it does not find this
  sweep's lock in ``out_dir`` - sends the result back and the client writes it.
* A lock, ``out_dir/.nanomag-sweep.lock`` (an ``fcntl.flock`` on a file naming the holder's
  PID and host), keeps two sweeps from writing into one directory; the operating system
  frees it when its holder dies, so a killed sweep's lock never blocks a resume.
* Outstanding tasks are cancelled when the sweep stops, also on an error or interrupt.
* Nothing is written before the scheduler has been reached.
"""

from __future__ import annotations

import contextlib
import datetime
import fcntl
import hashlib
import itertools
import json
import math
import os
import socket
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import xarray as xr
from pydantic import BaseModel

from nanomag.progress import report
from nanomag.store import CONFIG_ATTR, StoreError, config_json, load, remove_temporaries, save

#: Attribute of a point file holding its parameter values (JSON).
POINT_ATTR = "sweep_point"
#: Attribute of the combined Dataset holding the grid (JSON).
GRID_ATTR = "sweep_grid"
#: Attributes of the combined Dataset: points computed by this run / found from earlier runs.
COMPUTED_ATTR = "sweep_computed"
REUSED_ATTR = "sweep_reused"
#: File in ``out_dir`` recording the configuration the points were computed with.
MANIFEST = "sweep-config.json"
#: Lock file in ``out_dir`` held while a sweep writes into it.
LOCK_FILE = ".nanomag-sweep.lock"
#: Seconds to wait for a scheduler before giving up.
DEFAULT_CONNECT_TIMEOUT = 10.0
#: Label of the sweep's progress reports (:mod:`nanomag.progress`).
PROGRESS_LABEL = "sweep points"

_LOCK_POLL_S = 0.1


class SweepError(RuntimeError):
    """Some grid points failed, ``out_dir`` holds points of a different sweep, or the
    scheduler cannot be reached."""


class SweepLocked(SweepError):
    """Another sweep is writing into the same directory."""


def grid_points(grid: Mapping[str, Sequence[Any]]) -> list[dict[str, Any]]:
    """All points of the Cartesian product of ``grid`` (first key varies slowest)."""
    if not isinstance(grid, Mapping) or not grid:
        raise ValueError("grid must be a non-empty mapping of parameter name -> list of values")
    for name, values in grid.items():
        if isinstance(values, (str, bytes)) or not isinstance(values, Sequence) or not values:
            raise ValueError(f"grid[{name!r}] must be a non-empty list of values")
        if len(set(map(_canonical, values))) != len(values):
            raise ValueError(f"grid[{name!r}] has repeated values")
    keys = list(grid)
    return [dict(zip(keys, combo)) for combo in itertools.product(*grid.values())]


def _canonical(value: Any) -> str:
    value = value.item() if hasattr(value, "item") else value
    return json.dumps(value, sort_keys=True)


def _plain(point: Mapping[str, Any]) -> dict[str, Any]:
    """The point with numpy scalars turned into plain JSON values."""
    return {k: json.loads(_canonical(v)) for k, v in point.items()}


def point_key(point: Mapping[str, Any]) -> str:
    """Stable 16-hex-digit digest of a point's parameter names and values."""
    text = json.dumps(_plain(point), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def point_path(out_dir: str | os.PathLike, point: Mapping[str, Any]) -> Path:
    """Where the result of ``point`` is stored in ``out_dir``."""
    return Path(out_dir) / f"point-{point_key(point)}.nc"


def run_sweep(
    func: Callable[..., xr.Dataset],
    grid: Mapping[str, Sequence[Any]],
    out_dir: str | os.PathLike,
    *,
    config: BaseModel | Mapping | None = None,
    client=None,
    scheduler_address: str | None = None,
    n_workers: int | None = None,
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
    lock_timeout: float | None = 0.0,
) -> xr.Dataset:
    """Run ``func(**point)`` for every grid point not yet in ``out_dir`` and combine all points.

    Args:
        func: the task; takes the swept parameters as keyword arguments and returns a Dataset
            (picklable when the workers are processes).
        grid: parameter name -> list of values (scalars: they become coordinates).
        out_dir: directory of the per-point results (created if needed).
        config: the sweep's configuration.  Recorded in ``out_dir`` on the first run; a later
            run with a different configuration raises :class:`SweepError` instead of mixing
            results.  Stored in the combined Dataset's ``config`` attribute.
        client: an existing ``distributed.Client`` to run on (left open).
        scheduler_address: address of a running Dask scheduler (``"tcp://host:8786"``); its
            workers should see ``out_dir`` (see the module notes).
        n_workers: worker processes of the local cluster started when neither ``client`` nor
            ``scheduler_address`` is given (default: up to 2, one thread each).
        connect_timeout: seconds to wait for ``scheduler_address`` to answer.
        lock_timeout: seconds to wait while another sweep is writing into ``out_dir`` (0: do
            not wait, None: wait as long as it takes).

    Returns:
        The combined Dataset: each point's variables with the swept parameters as leading
        dimensions (points with different lengths along a dimension are NaN-padded); the
        attributes ``sweep_computed`` and ``sweep_reused`` count the points computed by this
        call and those found from earlier runs.

    Raises:
        SweepError: when any point failed (the others are kept on disk; a rerun computes only
            the missing ones), or the scheduler cannot be reached within ``connect_timeout``.
        SweepLocked: when another sweep holds ``out_dir`` for longer than ``lock_timeout``.
    """
    _check_options(client, scheduler_address, n_workers, connect_timeout, lock_timeout)
    points = grid_points(grid)
    out_dir = Path(out_dir)
    config_text = None if config is None else config_json(config)
    _check_manifest(out_dir, config_text)
    computed = 0
    if _missing(out_dir, points):
        with (_connect(client, scheduler_address, n_workers, connect_timeout) as c,
              sweep_lock(out_dir, lock_timeout) as token):
            _check_manifest(out_dir, config_text, record=True)
            remove_temporaries(out_dir)
            todo = _missing(out_dir, points)
            computed, failures = _compute(c, func, todo, out_dir, token, len(points))
        if failures:
            lines = "; ".join(f"{p}: {type(e).__name__}: {e}" for p, e in failures)
            raise SweepError(f"{len(failures)} of {len(points)} point(s) failed: {lines}")
    combined = combine(out_dir, grid)
    if config_text is not None:
        combined.attrs[CONFIG_ATTR] = config_text
    combined.attrs[COMPUTED_ATTR] = computed
    combined.attrs[REUSED_ATTR] = len(points) - computed
    return combined


def _check_options(client, scheduler_address, n_workers, connect_timeout, lock_timeout) -> None:
    if client is not None and scheduler_address is not None:
        raise ValueError("give either client or scheduler_address, not both")
    if n_workers is not None and (isinstance(n_workers, bool) or not isinstance(n_workers, int)
                                  or n_workers < 1):
        raise ValueError(f"n_workers must be a positive integer, got {n_workers!r}")
    if not _positive(connect_timeout):
        raise ValueError(f"connect_timeout must be a positive number of seconds, "
                         f"got {connect_timeout!r}")
    if lock_timeout is not None and not (_positive(lock_timeout) or lock_timeout == 0):
        raise ValueError(f"lock_timeout must be None or a non-negative number of seconds, "
                         f"got {lock_timeout!r}")


def _positive(value) -> bool:
    return (isinstance(value, int | float) and not isinstance(value, bool)
            and math.isfinite(value) and value > 0)


def _missing(out_dir: Path, points: list[dict]) -> list[dict]:
    return [p for p in points if not point_path(out_dir, p).exists()]


def _compute(client, func, todo, out_dir: Path, token: str,
             total: int) -> tuple[int, list[tuple[dict, BaseException]]]:
    """Run the ``todo`` points; returns the number computed and the failures.  Tasks still
    outstanding when this returns or raises are cancelled."""
    from distributed import as_completed

    pending = {client.submit(_run_point, func, p, str(out_dir), token, pure=False): p
               for p in todo}
    done = total - len(todo)
    report(PROGRESS_LABEL, done, total)
    failures = []
    try:
        for future in as_completed(list(pending), loop=client.loop):
            point = pending.pop(future)
            try:
                returned = future.result()
            except Exception as exc:  # noqa: BLE001  a failing point must not lose the others
                failures.append((point, exc))
                continue
            if returned is not None:  # the worker could not see out_dir
                _save_point(returned, point, out_dir)
            done += 1
            report(PROGRESS_LABEL, done, total)
    finally:
        if pending:
            client.cancel(list(pending))
    return len(todo) - len(failures), failures


def _run_point(func: Callable[..., xr.Dataset], point: dict[str, Any], out_dir: str,
               token: str) -> xr.Dataset | None:
    """The task: compute ``point``; store it when this worker sees the sweep's ``out_dir``
    (returns None), else return the Dataset for the client to store."""
    ds = func(**point)
    if not isinstance(ds, xr.Dataset):
        raise TypeError(f"func returned {type(ds).__name__}, not an xarray.Dataset")
    ds = ds.copy()
    ds.attrs[POINT_ATTR] = json.dumps(_plain(point))
    if _lock_holder(Path(out_dir) / LOCK_FILE).get("token") != token:
        return ds
    _save_point(ds, point, Path(out_dir))
    return None


def _save_point(ds: xr.Dataset, point: dict[str, Any], out_dir: Path) -> None:
    with contextlib.suppress(FileExistsError):  # stored meanwhile by an abandoned task
        save(ds, point_path(out_dir, point))


def _check_manifest(out_dir: Path, text: str | None, record: bool = False) -> None:
    """Refuse ``out_dir`` when it records another configuration; with ``record``, record
    ``text`` if none is recorded yet."""
    manifest = out_dir / MANIFEST
    if text is None:
        return
    if manifest.exists():
        try:
            recorded = json.loads(manifest.read_text())
        except (OSError, ValueError) as exc:
            raise SweepError(f"{manifest} is unreadable ({exc}); use another output "
                             "directory") from None
        if recorded != json.loads(text):
            raise SweepError(
                f"{out_dir} holds points of a sweep with a different configuration "
                f"(see {manifest}); use another output directory"
            )
    elif record:
        tmp = manifest.with_name(f".{MANIFEST}.{uuid.uuid4().hex}.tmp")
        tmp.write_text(text)
        os.replace(tmp, manifest)


@contextlib.contextmanager
def sweep_lock(out_dir: str | os.PathLike, timeout: float | None = 0.0) -> Iterator[str]:
    """Hold ``out_dir``'s sweep lock inside the ``with`` block (``out_dir`` is created if
    needed); yields this holder's token.

    Args:
        out_dir: the sweep's directory.
        timeout: seconds to wait for another holder to finish (None: no limit).

    Raises:
        SweepLocked: naming the holder's PID and host when the lock stays taken.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / LOCK_FILE
    fd = _acquire(path, timeout)
    token = uuid.uuid4().hex
    try:
        holder = {"pid": os.getpid(), "host": socket.gethostname(), "token": token,
                  "since": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")}
        os.ftruncate(fd, 0)
        os.write(fd, json.dumps(holder).encode())
        yield token
    finally:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()  # while still locked, so that no waiter locks a removed file
        os.close(fd)


def _acquire(path: Path, timeout: float | None) -> int:
    """A descriptor of ``path`` with an exclusive ``flock`` on it."""
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            if deadline is not None and time.monotonic() >= deadline:
                raise SweepLocked(f"{path.parent} is in use by another sweep "
                                  f"({_describe(_lock_holder(path))}); try again when it has "
                                  "finished") from None
            time.sleep(_LOCK_POLL_S)
            continue
        if _same_file(fd, path):
            return fd
        os.close(fd)  # the previous holder removed the file we locked: lock the new one


def _same_file(fd: int, path: Path) -> bool:
    try:
        now = os.stat(path)
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (held.st_dev, held.st_ino) == (now.st_dev, now.st_ino)


def _lock_holder(path: Path) -> dict:
    """What a lock file says about its holder (empty when unreadable)."""
    try:
        holder = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return holder if isinstance(holder, dict) else {}


def _describe(holder: dict) -> str:
    if not holder:
        return "holder unknown"
    return (f"pid {holder.get('pid')} on host {holder.get('host')}, "
            f"since {holder.get('since')}")


@contextlib.contextmanager
def _connect(client, scheduler_address: str | None, n_workers: int | None,
             connect_timeout: float) -> Iterator:
    if client is not None:
        yield client
        return
    from distributed import Client, LocalCluster

    if scheduler_address is not None:
        try:
            remote = Client(scheduler_address, timeout=connect_timeout, set_as_default=False)
        except (OSError, ValueError) as exc:
            reason = " ".join(str(exc).split()) or type(exc).__name__
            raise SweepError(f"cannot reach the Dask scheduler at {scheduler_address!r} "
                             f"within {connect_timeout:g} s: {reason}") from None
        with remote:
            yield remote
        return
    workers = n_workers if n_workers is not None else min(2, os.cpu_count() or 1)
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      dashboard_address=":0") as cluster, Client(cluster) as c:
        yield c


def combine(out_dir: str | os.PathLike, grid: Mapping[str, Sequence[Any]]) -> xr.Dataset:
    """Load every point of ``grid`` from ``out_dir`` into one Dataset with the swept
    parameters as dimensions (coordinates sorted).

    Raises:
        SweepError: a point file is damaged (naming it: remove it and rerun the sweep to
            compute the point again) or holds another point.
    """
    points = grid_points(grid)
    keys = list(grid)
    parts = []
    for point in points:
        path = point_path(out_dir, point)
        try:
            ds = load(path)
        except StoreError as exc:
            raise SweepError(f"{exc}; remove {path.name} and rerun the sweep to compute "
                             "that point again") from None
        stored = json.loads(ds.attrs.get(POINT_ATTR, "null"))
        if stored != _plain(point):
            raise SweepError(f"{path} holds point {stored}, expected {point}")
        parts.append(ds)
    stacked = xr.concat(parts, dim="point", data_vars="all", coords="minimal",
                        compat="override", join="outer", combine_attrs="drop_conflicts")
    stacked = stacked.assign_coords({k: ("point", [p[k] for p in points]) for k in keys})
    if len(keys) == 1:
        combined = stacked.swap_dims({"point": keys[0]}).sortby(keys[0])
    else:
        combined = stacked.set_index(point=keys).unstack("point")
    combined.attrs.pop(POINT_ATTR, None)
    combined.attrs.pop(CONFIG_ATTR, None)
    combined.attrs[GRID_ATTR] = json.dumps({k: [json.loads(_canonical(v)) for v in vals]
                                            for k, vals in grid.items()})
    return combined.transpose(*keys, ...)
