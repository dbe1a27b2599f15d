"""Parameter sweeps on Dask distributed, resumable, combined into one labelled Dataset.

Every grid point is one task ``func(**point) -> xarray.Dataset``.  As each task completes its
result is written (atomically, :mod:`nanomag.store`) to ``out_dir/point-<hash>.nc``, the hash
being a stable digest of the point's parameter values; points whose file already exists are
not computed again, so a sweep that was interrupted resumes where it stopped and a grid can be
extended.  When all points are present they are combined into one Dataset whose dimensions
include the swept parameters.

Workers run ``func``; the results travel back to the process that called :func:`run_sweep`,
which writes them, so a remote scheduler does not need a shared file system.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import xarray as xr
from pydantic import BaseModel

from nanomag.store import CONFIG_ATTR, config_json, load, save

#: Attribute of a point file holding its parameter values (JSON).
POINT_ATTR = "sweep_point"
#: Attribute of the combined Dataset holding the grid (JSON).
GRID_ATTR = "sweep_grid"
#: File in ``out_dir`` recording the configuration the points were computed with.
MANIFEST = "sweep-config.json"


class SweepError(RuntimeError):
    """Some grid points failed, or ``out_dir`` holds points of a different sweep."""


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
        scheduler_address: address of a running Dask scheduler (``"tcp://host:8786"``).
        n_workers: worker processes of the local cluster started when neither ``client`` nor
            ``scheduler_address`` is given (default: up to 2, one thread each).

    Returns:
        The combined Dataset: each point's variables with the swept parameters as leading
        dimensions (points with different lengths along a dimension are NaN-padded).

    Raises:
        SweepError: when any point failed (the others are kept on disk; a rerun computes only
            the missing ones).
    """
    if client is not None and scheduler_address is not None:
        raise ValueError("give either client or scheduler_address, not both")
    points = grid_points(grid)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    if config is not None:
        _check_manifest(out_dir, config_json(config))
    todo = [p for p in points if not point_path(out_dir, p).exists()]
    if todo:
        with _connect(client, scheduler_address, n_workers) as c:
            failures = _compute(c, func, todo, out_dir)
        if failures:
            lines = "; ".join(f"{p}: {type(e).__name__}: {e}" for p, e in failures)
            raise SweepError(f"{len(failures)} of {len(points)} point(s) failed: {lines}")
    combined = combine(out_dir, grid)
    if config is not None:
        combined.attrs[CONFIG_ATTR] = config_json(config)
    return combined


def _compute(client, func, todo, out_dir: Path) -> list[tuple[dict, BaseException]]:
    from distributed import as_completed

    futures = {client.submit(_call, func, p, pure=False): p for p in todo}
    failures = []
    for future in as_completed(futures):
        point = futures[future]
        try:
            ds = future.result()
        except Exception as exc:  # a failing point must not lose the others
            failures.append((point, exc))
            continue
        if not isinstance(ds, xr.Dataset):
            failures.append((point, TypeError(f"func returned {type(ds).__name__}, not Dataset")))
            continue
        ds = ds.copy()
        ds.attrs[POINT_ATTR] = json.dumps(_plain(point))
        save(ds, point_path(out_dir, point))
    return failures


def _call(func: Callable[..., xr.Dataset], point: dict[str, Any]) -> xr.Dataset:
    return func(**point)


def _check_manifest(out_dir: Path, text: str) -> None:
    manifest = out_dir / MANIFEST
    if manifest.exists():
        if json.loads(manifest.read_text()) != json.loads(text):
            raise SweepError(
                f"{out_dir} holds points of a sweep with a different configuration "
                f"(see {manifest}); use another out_dir"
            )
    else:
        manifest.write_text(text)


@contextlib.contextmanager
def _connect(client, scheduler_address: str | None, n_workers: int | None) -> Iterator:
    if client is not None:
        yield client
        return
    from distributed import Client, LocalCluster

    if scheduler_address is not None:
        with Client(scheduler_address) as c:
            yield c
        return
    workers = n_workers if n_workers is not None else min(2, os.cpu_count() or 1)
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      dashboard_address=":0") as cluster, Client(cluster) as c:
        yield c


def combine(out_dir: str | os.PathLike, grid: Mapping[str, Sequence[Any]]) -> xr.Dataset:
    """Load every point of ``grid`` from ``out_dir`` into one Dataset with the swept
    parameters as dimensions (coordinates sorted)."""
    points = grid_points(grid)
    keys = list(grid)
    parts = []
    for point in points:
        path = point_path(out_dir, point)
        ds = load(path)
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
