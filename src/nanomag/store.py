"""Results store: labelled :class:`xarray.Dataset` results on disk, Zarr or netCDF.

The format follows the path: a name ending in ``.nc`` is one netCDF-4 file (written with the
``h5netcdf`` engine); any other name is a Zarr directory store (format 2, consolidated
metadata).  Writes are atomic: the data go to a hidden temporary sibling that is renamed onto
the final name only once complete, so an interrupted write never leaves a half-written result
under that name.  Every saved result carries the nanomag version and, when given, the
configuration that produced it (a JSON string) in its attributes.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Mapping
from pathlib import Path

import xarray as xr
from pydantic import BaseModel

from nanomag import __version__

#: Attribute names under which provenance is stored.
VERSION_ATTR = "nanomag_version"
CONFIG_ATTR = "config"

NETCDF_SUFFIX = ".nc"


class StoreError(ValueError):
    """A result store that cannot be read: missing, truncated or not a result store."""


def is_netcdf(path: str | os.PathLike) -> bool:
    """True when ``path`` names a netCDF file (``.nc``), False for a Zarr directory."""
    return Path(path).suffix.lower() == NETCDF_SUFFIX


def config_json(config: BaseModel | Mapping) -> str:
    """A configuration (pydantic model or JSON-able mapping) as a JSON string."""
    if isinstance(config, BaseModel):
        return config.model_dump_json()
    if isinstance(config, Mapping):
        return json.dumps(config, sort_keys=True)
    raise TypeError(f"config must be a pydantic model or a mapping, got {type(config).__name__}")


def save(
    ds: xr.Dataset,
    path: str | os.PathLike,
    *,
    config: BaseModel | Mapping | None = None,
    overwrite: bool = False,
) -> Path:
    """Write ``ds`` to ``path`` (netCDF for ``.nc``, Zarr directory otherwise), atomically.

    Args:
        ds: the result; its data are written as they are, with ``nanomag_version`` (and the
            ``config`` JSON string when ``config`` is given) added to the stored attributes.
        path: destination.
        config: the configuration that produced ``ds`` (provenance).
        overwrite: replace an existing result at ``path``; without it an existing path raises
            ``FileExistsError``.

    Returns:
        The path written.
    """
    if not isinstance(ds, xr.Dataset):
        raise TypeError(f"ds must be an xarray.Dataset, got {type(ds).__name__}")
    path = Path(path)
    if path.exists() and not overwrite:
        raise FileExistsError(f"{path} already exists; pass overwrite=True to replace it")
    if not path.parent.is_dir():
        raise FileNotFoundError(f"directory {path.parent} does not exist (saving {path.name})")
    out = ds.copy()
    out.attrs = {**ds.attrs, VERSION_ATTR: __version__}
    if config is not None:
        out.attrs[CONFIG_ATTR] = config_json(config)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        if is_netcdf(path):
            out.to_netcdf(tmp, engine="h5netcdf")
        else:
            out.to_zarr(tmp, mode="w-", zarr_format=2, consolidated=True)
        _move_into_place(tmp, path, overwrite)
    finally:
        _remove(tmp)
    return path


def _move_into_place(tmp: Path, path: Path, overwrite: bool) -> None:
    """Rename ``tmp`` onto ``path``; an existing ``path`` is moved aside first and removed after."""
    old = None
    if path.exists():
        if not overwrite:
            raise FileExistsError(f"{path} already exists; pass overwrite=True to replace it")
        old = path.with_name(f".{path.name}.{uuid.uuid4().hex}.old")
        os.rename(path, old)
    os.rename(tmp, path)
    if old is not None:
        _remove(old)


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    elif path.exists():
        path.unlink()


def load(path: str | os.PathLike) -> xr.Dataset:
    """Read a result written by :func:`save` fully into memory.

    Raises:
        StoreError: naming ``path`` when it does not exist or is not a readable result
            (truncated or corrupt netCDF file, Zarr directory without metadata, ...).
    """
    path = Path(path)
    if not path.exists():
        raise StoreError(f"{path}: no such result store")
    netcdf = is_netcdf(path)
    if netcdf and not path.is_file():
        raise StoreError(f"{path}: expected a netCDF file, found a directory")
    if not netcdf and not path.is_dir():
        raise StoreError(f"{path}: expected a Zarr directory, found a file (netCDF needs .nc)")
    kind = "netCDF file" if netcdf else "Zarr store"
    try:
        if netcdf:
            with xr.open_dataset(path, engine="h5netcdf") as ds:
                return ds.load()
        with xr.open_zarr(path, consolidated=None) as ds:
            return ds.load()
    except Exception as exc:  # every backend failure becomes one error naming the path
        raise StoreError(
            f"{path}: not a readable {kind} (truncated, corrupt or missing metadata): {exc}"
        ) from exc


def stored_config(ds: xr.Dataset) -> dict | None:
    """The configuration stored with a result (decoded JSON), or None if it has none."""
    text = ds.attrs.get(CONFIG_ATTR)
    return None if text is None else json.loads(text)
