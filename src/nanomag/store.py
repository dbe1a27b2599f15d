"""Results store: labelled :class:`xarray.Dataset` results on disk, Zarr or netCDF.

The format follows the path: a name ending in ``.nc`` is one netCDF-4 file (written with the
``h5netcdf`` engine); any other name is a Zarr directory store (format 2, consolidated
metadata).  Every saved result carries the nanomag version and, when given, the
configuration that produced it (a JSON string) in its attributes.

Nothing is lost, nothing is silently wrong:

* Writes are atomic: the data go to a hidden temporary sibling that is renamed onto the final
  name only once complete (a netCDF file replaces an old one in one rename; an old Zarr
  directory is moved aside, the new one moved in, and only then the old one deleted).
* Every result carries checksums, written last: a Zarr store holds ``.nanomag-manifest.json``
  (size and BLAKE2b digest of every file of the store); a netCDF file holds the global
  attribute ``nanomag_checksums`` (a BLAKE2b digest of each variable's values, dimensions and
  attributes, and one of the global attributes).  :func:`load` verifies them, so a missing,
  truncated, swapped or altered chunk, a deleted variable or a corrupt byte raises
  :class:`StoreError` naming the variable instead of loading wrong data.
* The checksums are also the mark of a result: ``overwrite=True`` replaces only a path that
  :func:`is_result`, never a directory or file that nanomag did not write.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import uuid
from collections.abc import Mapping
from pathlib import Path

import h5py
import numpy as np
import xarray as xr
from pydantic import BaseModel

from nanomag import __version__

#: Attribute names under which provenance is stored.
VERSION_ATTR = "nanomag_version"
CONFIG_ATTR = "config"
#: Zarr: file inside the store listing the size and digest of each of its files.
MANIFEST_FILE = ".nanomag-manifest.json"
#: netCDF: global attribute holding the digests of the variables and attributes (JSON).
CHECKSUM_ATTR = "nanomag_checksums"

NETCDF_SUFFIX = ".nc"
HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"
#: Name of a temporary sibling written by an unfinished :func:`save`.
_TEMPORARY = re.compile(r"^\..+\.[0-9a-f]{32}\.tmp$")


class StoreError(ValueError):
    """A result store that cannot be read: missing, damaged or not a result store."""


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


def is_result(path: str | os.PathLike) -> bool:
    """True when ``path`` holds a result written by :func:`save`: a Zarr directory with its
    checksum manifest, or an HDF5 file whose attributes include nanomag's checksums."""
    path = Path(path)
    if is_netcdf(path):
        if not path.is_file():
            return False
        with open(path, "rb") as fh:
            if fh.read(len(HDF5_SIGNATURE)) != HDF5_SIGNATURE:
                return False
        try:
            with h5py.File(path, "r") as f:
                return CHECKSUM_ATTR in f.attrs
        except OSError:
            return False
    return path.is_dir() and (path / MANIFEST_FILE).is_file()


def save(
    ds: xr.Dataset,
    path: str | os.PathLike,
    *,
    config: BaseModel | Mapping | None = None,
    overwrite: bool = False,
) -> Path:
    """Write ``ds`` to ``path`` (netCDF for ``.nc``, Zarr directory otherwise), atomically,
    with checksums.

    Args:
        ds: the result; its data are written as they are, with ``nanomag_version`` (and the
            ``config`` JSON string when ``config`` is given) added to the stored attributes.
        path: destination.
        config: the configuration that produced ``ds`` (provenance).
        overwrite: replace an existing result at ``path``.

    Returns:
        The path written.

    Raises:
        FileExistsError: ``path`` exists and ``overwrite`` is False, or ``path`` exists but is
            not a nanomag result (it is never deleted).
    """
    if not isinstance(ds, xr.Dataset):
        raise TypeError(f"ds must be an xarray.Dataset, got {type(ds).__name__}")
    path = Path(path)
    _check_replaceable(path, overwrite)
    if not path.parent.is_dir():
        raise FileNotFoundError(f"directory {path.parent} does not exist (saving {path.name})")
    out = ds.copy()
    out.attrs = {**ds.attrs, VERSION_ATTR: __version__}
    if config is not None:
        out.attrs[CONFIG_ATTR] = config_json(config)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        if is_netcdf(path):
            _write_netcdf(out, tmp)
        else:
            _write_zarr(out, tmp)
        _move_into_place(tmp, path, overwrite)
    finally:
        _remove(tmp)
    return path


def _check_replaceable(path: Path, overwrite: bool) -> None:
    """Raise unless ``path`` is free, or ``overwrite`` and ``path`` is a nanomag result."""
    if not os.path.lexists(path):
        return
    if not overwrite:
        raise FileExistsError(f"{path} already exists; pass overwrite=True to replace it")
    if path.is_symlink() or not is_result(path):
        raise FileExistsError(
            f"{path} exists and is not a nanomag result; refusing to replace it (move or "
            "remove it yourself, or choose another name)"
        )


def _write_netcdf(ds: xr.Dataset, tmp: Path) -> None:
    ds.to_netcdf(tmp, engine="h5netcdf")
    with xr.open_dataset(tmp, engine="h5netcdf") as written:
        digests = _netcdf_digests(written.load())
    with h5py.File(tmp, "r+") as f:
        f.attrs[CHECKSUM_ATTR] = json.dumps(digests, sort_keys=True)


def _write_zarr(ds: xr.Dataset, tmp: Path) -> None:
    ds.to_zarr(tmp, mode="w-", zarr_format=2, consolidated=True)
    manifest = {"files": _zarr_file_digests(tmp)}
    (tmp / MANIFEST_FILE).write_text(json.dumps(manifest, sort_keys=True))


def _move_into_place(tmp: Path, path: Path, overwrite: bool) -> None:
    """Rename ``tmp`` onto ``path``: a file is replaced in one rename; an old directory is
    moved aside, ``tmp`` moved in, and only then the old one removed."""
    _check_replaceable(path, overwrite)  # again: the path may have appeared meanwhile
    if tmp.is_file() and (path.is_file() or not os.path.lexists(path)):
        os.replace(tmp, path)
        return
    old = None
    if os.path.lexists(path):
        old = path.with_name(f".{path.name}.{uuid.uuid4().hex}.old")
        os.rename(path, old)
    try:
        os.rename(tmp, path)
    except BaseException:
        if old is not None:
            os.rename(old, path)
        raise
    if old is not None:
        _remove(old)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    elif os.path.lexists(path):
        path.unlink()


def remove_temporaries(directory: str | os.PathLike) -> int:
    """Delete the temporaries that interrupted :func:`save` calls left in ``directory``; call
    it only while nothing else is saving into ``directory``.  Returns how many were removed."""
    leftovers = [p for p in Path(directory).iterdir() if _TEMPORARY.match(p.name)]
    for path in leftovers:
        _remove(path)
    return len(leftovers)


def load(path: str | os.PathLike, *, verify: bool = True) -> xr.Dataset:
    """Read a result written by :func:`save` fully into memory, verifying its checksums.

    Args:
        path: the result (a Zarr directory, or a ``.nc`` file).
        verify: check every checksum (the default).  ``verify=False`` reads a store without
            checksums (one written before nanomag kept them, or by another program) or salvages
            what is readable of a damaged one; its data are then not known to be intact.

    Raises:
        StoreError: naming ``path`` when it does not exist or is not a readable result, and
            naming the variable whose data are missing, truncated or altered.
    """
    path = Path(path)
    if not path.exists():
        raise StoreError(f"{path}: no such result store")
    netcdf = is_netcdf(path)
    if netcdf and not path.is_file():
        raise StoreError(f"{path}: expected a netCDF file, found a directory")
    if not netcdf and not path.is_dir():
        raise StoreError(f"{path}: expected a Zarr directory, found a file (netCDF needs .nc)")
    if netcdf:
        return _load_netcdf(path, verify)
    return _load_zarr(path, verify)


def _load_netcdf(path: Path, verify: bool) -> xr.Dataset:
    try:
        opened = xr.open_dataset(path, engine="h5netcdf")
    except Exception as exc:  # every backend failure becomes one error naming the path
        raise StoreError(f"{path}: not a readable netCDF file (truncated or corrupt): "
                         f"{_first_line(exc)}") from exc
    with opened as ds:
        _load_variables(ds, path)
    text = ds.attrs.pop(CHECKSUM_ATTR, None)
    if not verify:
        return ds
    if text is None:
        raise StoreError(f"{path}: no checksums ({CHECKSUM_ATTR}); not a result saved by "
                         f"this nanomag, or its attributes are damaged{_UNVERIFIED_HINT}")
    try:
        expected = json.loads(text)
        stored_vars, stored_attrs = dict(expected["variables"]), expected["attrs"]
    except (ValueError, KeyError, TypeError) as exc:
        raise StoreError(f"{path}: damaged checksum attribute {CHECKSUM_ATTR}") from exc
    found = _netcdf_digests(ds)
    for name in sorted(stored_vars.keys() | found["variables"].keys(), key=str):
        if name not in found["variables"]:
            raise StoreError(f"{path}: variable {name!r} is missing")
        if name not in stored_vars:
            raise StoreError(f"{path}: variable {name!r} is not part of the saved result")
        if found["variables"][name] != stored_vars[name]:
            raise StoreError(f"{path}: variable {name!r} is damaged (checksum mismatch)")
    if found["attrs"] != stored_attrs:
        raise StoreError(f"{path}: the global attributes are damaged (checksum mismatch)")
    return ds


def _load_zarr(path: Path, verify: bool) -> xr.Dataset:
    if verify:
        _verify_zarr(path)
    try:
        opened = xr.open_zarr(path, consolidated=True)
    except Exception as exc:
        raise StoreError(f"{path}: not a readable Zarr store: {_first_line(exc)}") from exc
    with opened as ds:
        return _load_variables(ds, path)


def _verify_zarr(path: Path) -> None:
    """Compare every file of the Zarr store ``path`` with its checksum manifest."""
    try:
        manifest = json.loads((path / MANIFEST_FILE).read_text())["files"]
    except FileNotFoundError:
        raise StoreError(f"{path}: no checksum manifest ({MANIFEST_FILE}); not a result saved "
                         f"by this nanomag, or the manifest was deleted{_UNVERIFIED_HINT}") from None
    except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
        raise StoreError(f"{path}: damaged checksum manifest {MANIFEST_FILE}") from exc
    found = _zarr_file_digests(path)
    for rel in sorted(manifest.keys() | found.keys()):
        problem = _file_problem(found.get(rel), manifest.get(rel))
        if problem:
            raise StoreError(f"{path}: {_zarr_owner(rel)} is damaged: {rel} {problem}")


#: How to read a store whose checksums are absent, said where they are.
_UNVERIFIED_HINT = "; nanomag.store.load(path, verify=False) reads it unverified"


def _file_problem(found: list | None, expected: list | None) -> str | None:
    """What is wrong with one file of a Zarr store, ``[size, digest]`` as found against its
    manifest entry (None: nothing)."""
    if found is None:
        return "is missing"
    if expected is None:
        return "is not part of the saved result"
    if found[0] != expected[0]:
        return f"has {found[0]} bytes instead of {expected[0]}"
    if found[1] != expected[1]:
        return "does not match its checksum"
    return None


def _load_variables(ds: xr.Dataset, path: Path) -> xr.Dataset:
    """Read every variable of the open ``ds`` into memory, naming the one that fails."""
    for name, variable in ds.variables.items():
        try:
            variable.load()
        except Exception as exc:
            raise StoreError(f"{path}: variable {name!r} cannot be read (truncated or "
                             f"corrupt): {_first_line(exc)}") from exc
    return ds


def _zarr_file_digests(root: Path) -> dict[str, list]:
    """``relative path -> [size in bytes, digest]`` of every file of a Zarr store except the
    manifest."""
    digests = {}
    for folder, _, names in os.walk(root):
        for name in names:
            full = Path(folder, name)
            rel = full.relative_to(root).as_posix()
            if rel != MANIFEST_FILE:
                data = full.read_bytes()
                digests[rel] = [len(data), _digest(data)]
    return digests


def _zarr_owner(rel: str) -> str:
    """The variable a file of a Zarr store belongs to (or the store's metadata)."""
    head, sep, _ = rel.partition("/")
    return f"variable {head!r}" if sep else "the store's metadata"


def _netcdf_digests(ds: xr.Dataset) -> dict:
    """Digests of each variable (values, dimensions, attributes) and of the global
    attributes (except the checksum attribute itself)."""
    attrs = {k: v for k, v in ds.attrs.items() if k != CHECKSUM_ATTR}
    return {"variables": {str(name): _variable_digest(var) for name, var in
                          ds.variables.items()},
            "attrs": _digest(_attrs_json(attrs).encode())}


def _variable_digest(var: xr.Variable) -> str:
    values = np.asarray(var.values)
    head = json.dumps([list(var.dims), values.dtype.str, list(values.shape)])
    if values.dtype.kind == "O":
        body = json.dumps(values.tolist(), default=str).encode()
    else:
        body = np.ascontiguousarray(values).tobytes()
    return _digest(head.encode() + b"\0" + _attrs_json(var.attrs).encode() + b"\0" + body)


def _attrs_json(attrs: Mapping) -> str:
    return json.dumps({str(k): _plain(v) for k, v in attrs.items()}, sort_keys=True,
                      default=repr)


def _plain(value):
    """An attribute value as JSON-able data (numpy scalars and arrays as lists)."""
    if isinstance(value, np.ndarray | np.generic):
        return [np.asarray(value).dtype.str, np.asarray(value).tolist()]
    if isinstance(value, bytes):
        return value.decode("utf-8", "backslashreplace")
    return value


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}"


def stored_config(ds: xr.Dataset) -> dict | None:
    """The configuration stored with a result (decoded JSON), or None if it has none."""
    text = ds.attrs.get(CONFIG_ATTR)
    return None if text is None else json.loads(text)
