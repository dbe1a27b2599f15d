"""Reading measured spectra: one labelled :class:`xarray.DataArray` per experiment.

A measured reservoir experiment records one spectrum per input step.  Every reader here
returns the same object, described in :func:`read_folder`: a 2-D DataArray with dimensions
``("step", axis)`` where ``axis`` is ``"frequency"`` (Hz) or ``"field"`` (T).

Layouts read:

* a folder of per-step text files (PRCpy's layout): :func:`read_folder`;
* one text matrix holding all steps: :func:`read_matrix`;
* one HDF5 file: :func:`read_hdf5`;
* a netCDF file or Zarr store written by :func:`nanomag.store.save`: :func:`read_store`;
* a background spectrum: :func:`read_background`.

Every problem with the input raises one :class:`MeasuredDataError` naming the file and,
where it applies, the line and column.
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import xarray as xr

from nanomag import progress
from nanomag.measured import _parsing
from nanomag.measured.errors import MeasuredDataError

#: Axis kinds and their SI unit.
AXIS_UNITS = {"frequency": "Hz", "field": "T"}

#: Unit names accepted for each axis kind, with their factor to SI.
UNIT_FACTORS = {
    "frequency": {"Hz": 1.0, "kHz": 1e3, "MHz": 1e6, "GHz": 1e9},
    "field": {"T": 1.0, "mT": 1e-3, "uT": 1e-6, "Oe": 1e-4, "G": 1e-4, "kOe": 1e-1},
}

#: Unit assumed for the axis column of a text file when none is given.
DEFAULT_TEXT_UNITS = {"frequency": "GHz", "field": "mT"}

#: Files read between two progress reports.
REPORT_EVERY = 32


def _unit_factor(axis: str, unit: str, what: str) -> float:
    try:
        return UNIT_FACTORS[axis][unit]
    except KeyError:
        choices = ", ".join(UNIT_FACTORS[axis])
        raise ValueError(f"{what}: unknown {axis} unit {unit!r}; choose one of {choices}") from None


def _axis_kind(axis: str | None, column: str) -> str:
    """The axis kind (``"frequency"`` or ``"field"``), given or detected from a column name."""
    if axis is not None:
        if axis not in AXIS_UNITS:
            raise ValueError(f"axis must be 'frequency' or 'field', got {axis!r}")
        return axis
    name = column.lower()
    if "freq" in name:
        return "frequency"
    if "field" in name:
        return "field"
    raise ValueError(
        f"cannot tell from the column name {column!r} whether the axis is a frequency or a "
        "field; pass axis='frequency' or axis='field'"
    )


# ----------------------------------------------------------------------------- file names

_FIELD_UNITS = "|".join(sorted(UNIT_FACTORS["field"], key=len, reverse=True))


def _name_pattern(prefix: str) -> re.Pattern[str]:
    """``<prefix>[_-]<step>[_-<field>(_<fraction>)<unit>]...``; the underscore in the field is
    its decimal point (``scan_1_174_923mT.txt``: step 1, 174.923 mT)."""
    return re.compile(
        rf"^{re.escape(prefix)}[_\-]?(?P<step>\d+)"
        rf"(?:[_\-](?P<field>-?\d+(?:[_.]\d+)?)\s*(?P<unit>{_FIELD_UNITS})(?![A-Za-z]))?"
    )


def parse_file_name(name: str, prefix: str = "scan") -> tuple[int, float] | None:
    """Step number and applied field (T; NaN where the name has none) from a file name.

    The step is the first integer after ``prefix``; an applied field follows it as
    ``<integer>[_<fraction>]<unit>`` with the underscore standing for the decimal point and a
    unit among T, mT, uT, Oe, G, kOe: ``scan_1_174_923mT.txt`` gives ``(1, 0.174923)``.
    Returns None when the name does not start with ``prefix`` followed by a step number.
    """
    match = _name_pattern(prefix).match(name)
    if match is None:
        return None
    field = np.nan
    if match["field"] is not None:
        field = float(match["field"].replace("_", ".")) * UNIT_FACTORS["field"][match["unit"]]
    return int(match["step"]), field


def list_step_files(folder: str | os.PathLike, prefix: str = "scan") -> list[Path]:
    """The per-step files in ``folder`` in natural order of their step number.

    Files count when their name starts with ``prefix`` followed by a step number (see
    :func:`parse_file_name`); hidden files and folders are ignored.

    Raises:
        MeasuredDataError: the folder is missing or empty, no file matches, or two files
            carry the same step number.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise MeasuredDataError(f"{folder}: no such folder")
    with os.scandir(folder) as entries:
        names = [e.name for e in entries if e.is_file() and not e.name.startswith(".")]
    if not names:
        raise MeasuredDataError(f"{folder}: the folder is empty")
    parsed = {n: parse_file_name(n, prefix) for n in names}
    steps = sorted((s[0], n) for n, s in parsed.items() if s is not None)
    if not steps:
        raise MeasuredDataError(
            f"{folder}: no file name starts with the prefix {prefix!r} and a step number "
            f"(found e.g. {min(names)!r})"
        )
    for (a, name_a), (b, name_b) in itertools.pairwise(steps):
        if a == b:
            raise MeasuredDataError(f"{folder}: {name_a} and {name_b} carry the same step {a}")
    return [folder / n for _, n in steps]


# ----------------------------------------------------------------------------- assembling


def _spectra(
    values: np.ndarray,
    steps: Sequence[int],
    axis: str,
    axis_values: np.ndarray,
    *,
    applied_field: np.ndarray | None = None,
    source: Sequence[str] | None = None,
    name: str = "spectra",
    units: str = "arb. units",
    attrs: dict | None = None,
) -> xr.DataArray:
    """The reader's common result (see :func:`read_folder`)."""
    coords: dict = {
        "step": ("step", np.asarray(steps, dtype=np.int64)),
        axis: (axis, np.asarray(axis_values, dtype=np.float64),
               {"units": AXIS_UNITS[axis], "long_name": axis}),
    }
    if applied_field is not None and not np.all(np.isnan(applied_field)):
        coords["applied_field"] = ("step", np.asarray(applied_field, dtype=np.float64),
                                   {"units": "T", "long_name": "applied field"})
    if source is not None:
        coords["source"] = ("step", np.asarray(source, dtype=str))
    return xr.DataArray(
        np.asarray(values, dtype=np.float64),
        dims=("step", axis),
        coords=coords,
        name=name,
        attrs={"units": units, "long_name": "measured spectrum", **(attrs or {})},
    )


def read_folder(
    folder: str | os.PathLike,
    *,
    prefix: str = "scan",
    x: str = "Frequency",
    y: str = "Spectra",
    axis: str | None = None,
    x_unit: str | None = None,
    delimiter: str | None = None,
    units: str = "arb. units",
) -> xr.DataArray:
    """Read a folder holding one delimited text file per input step (PRCpy's layout).

    Each file is a table with one header line naming its columns (quotes around the names
    are dropped) and one row per axis point; the delimiter (comma, tab, semicolon or
    whitespace) is detected from the header line unless given.  Files are those whose name
    starts with ``prefix`` and a step number, in natural order of that number
    (``scan_2`` before ``scan_10``); the applied field is parsed from the name where present
    (``scan_1_174_923mT.txt``: step 1 at 174.923 mT, the underscore being the decimal point).
    Blank lines, a byte-order mark, Windows line ends and quotes around cells are accepted.
    Numbers are converted exactly as Python's ``float`` converts them (correctly rounded);
    all files are parsed in one compiled pass, and progress is reported as ``"reading"``
    through :mod:`nanomag.progress`.

    Args:
        folder: the folder.
        prefix: file-name prefix of the per-step files (other files, e.g. a background, are
            ignored).
        x: header name of the axis column (frequency or field).
        y: header name of the spectrum column.
        axis: ``"frequency"`` or ``"field"``; detected from ``x`` when None (a name holding
            "freq" or "field").
        x_unit: unit of the ``x`` column; None assumes GHz for a frequency and mT for a field.
            Frequencies are converted to Hz, fields to T.
        delimiter: column delimiter; None detects it.
        units: units of the spectrum values (stored in ``attrs["units"]``).

    Returns:
        A DataArray ``spectra`` of float64 with dims ``("step", axis)``, ``axis`` being
        ``"frequency"`` or ``"field"``, and coordinates

        * ``step`` (int64): the step number from each file name, increasing;
        * ``frequency`` (Hz) or ``field`` (T): the axis values of the first file (every file
          must have the same axis), attrs ``units``;
        * ``applied_field`` (T, along ``step``): the field parsed from each file name, present
          only when at least one name carries a field (NaN for those that do not);
        * ``source`` (str, along ``step``): each file's name.

        attrs: ``units`` (of the values), ``long_name``, ``folder`` (absolute path),
        ``x_column``, ``y_column``, ``prefix``.

    Raises:
        MeasuredDataError: naming the file (and line, column) for a missing or empty folder,
            no file with the prefix, a missing column (listing those found), a file whose
            axis (length or values, relative 1e-9) differs from the first file's, an empty
            cell, NaN or text in a numeric cell, or a row with another number of cells.
    """
    files = list_step_files(folder, prefix)
    kind = _axis_kind(axis, x)
    factor = _unit_factor(kind, x_unit or DEFAULT_TEXT_UNITS[kind], "x_unit")
    total = len(files)
    progress.report("reading", 0, total)
    chunks = []
    for start in range(0, total, REPORT_EVERY):
        chunk = files[start:start + REPORT_EVERY]
        chunks.append(_parsing.read_columns(chunk, (x, y), delimiter))
        progress.report("reading", start + len(chunk), total)
    rows = np.concatenate([r for _, r in chunks])
    _check_same_length(rows, files)
    values = np.concatenate([v[:, :, : rows[0]] for v, _ in chunks])
    axis_values = _common_axis(values[:, 0], files)
    parsed = [parse_file_name(f.name, prefix) for f in files]
    return _spectra(
        values[:, 1],
        [p[0] for p in parsed],
        kind,
        axis_values * factor,
        applied_field=np.array([p[1] for p in parsed]),
        source=[f.name for f in files],
        units=units,
        attrs={"folder": str(Path(folder).resolve()), "x_column": x, "y_column": y,
               "prefix": prefix},
    )


def _check_same_length(rows: np.ndarray, files: Sequence[Path]) -> None:
    """Every file has as many rows as the first; else name the first that differs."""
    differ = np.flatnonzero(rows != rows[0])
    if differ.size:
        k = int(differ[0])
        raise MeasuredDataError(
            f"{files[k]}: {rows[k]} axis points where {files[0].name} has {rows[0]}; "
            "all files must share one axis"
        )


def _common_axis(xs: np.ndarray, files: Sequence[Path]) -> np.ndarray:
    """The axis ``xs[0]`` shared by all files (rows of ``xs``, relative 1e-9); else name the
    first file that differs from the first."""
    first = xs[0]
    same = np.isclose(xs, first, rtol=1e-9, atol=0.0)
    bad = np.flatnonzero(~same.all(axis=1))
    if bad.size:
        f = int(bad[0])
        k = int(np.argmin(same[f]))
        raise MeasuredDataError(
            f"{files[f]}: axis differs from {files[0].name} at data row {k + 1} "
            f"({xs[f, k]!r} vs {first[k]!r}); all files must share one axis"
        )
    return first


# ----------------------------------------------------------------------------- single files


def read_background(
    path: str | os.PathLike,
    *,
    x: str = "Frequency",
    y: str = "Spectra",
    axis: str | None = None,
    x_unit: str | None = None,
    delimiter: str | None = None,
    like: xr.DataArray | None = None,
) -> xr.DataArray:
    """Read a background spectrum: a 1-D DataArray ``background`` along the axis.

    The file is a delimited table as in :func:`read_folder` (columns chosen by header name,
    units as there).  With ``like`` (a DataArray from a reader), the background must have
    as many axis points as ``like`` and the same axis values.

    Raises:
        MeasuredDataError: naming the file, for the cases of :func:`read_folder` and a
            background whose length or axis differs from ``like``'s.
    """
    path = Path(path)
    if not path.is_file():
        raise MeasuredDataError(f"{path}: no such file")
    kind = _axis_kind(axis, x)
    factor = _unit_factor(kind, x_unit or DEFAULT_TEXT_UNITS[kind], "x_unit")
    values, rows = _parsing.read_columns([path], (x, y), delimiter)
    xv, yv = values[0, 0, : rows[0]] * factor, values[0, 1, : rows[0]]
    if like is not None:
        other = like[like.dims[-1]].values
        if like.dims[-1] != kind:
            raise MeasuredDataError(f"{path}: a {kind} axis, the data have a {like.dims[-1]} axis")
        if xv.size != other.size:
            raise MeasuredDataError(
                f"{path}: background has {xv.size} points, the data have {other.size}"
            )
        if not np.allclose(xv, other, rtol=1e-9, atol=0.0):
            raise MeasuredDataError(f"{path}: background axis differs from the data's axis")
    return xr.DataArray(
        yv,
        dims=(kind,),
        coords={kind: (kind, xv, {"units": AXIS_UNITS[kind], "long_name": kind})},
        name="background",
        attrs={"units": like.attrs.get("units", "arb. units") if like is not None
               else "arb. units", "long_name": "background spectrum", "source": str(path)},
    )


def read_matrix(
    path: str | os.PathLike,
    *,
    axis: str = "frequency",
    x_unit: str | None = None,
    delimiter: str | None = None,
    units: str = "arb. units",
) -> xr.DataArray:
    """Read one delimited text matrix holding all steps, one step per row.

    Layout: the first row holds a label cell (any text, e.g. ``step``) then the axis values;
    every following row holds the step number then that step's spectrum::

        step,1.0,1.003125,...
        1,-0.91,-0.87,...
        2,-0.92,-0.88,...

    Rows are returned in file order.  ``x_unit`` is the unit of the axis values (None: GHz
    for a frequency, mT for a field).  The result is as described in :func:`read_folder`
    (``source`` holds the file name on every step; no ``applied_field``).

    Raises:
        MeasuredDataError: naming the file, line and column of an empty, NaN or text cell or
            a row of another length.
    """
    path = Path(path)
    if not path.is_file():
        raise MeasuredDataError(f"{path}: no such file")
    axis = _axis_kind(axis, "")
    factor = _unit_factor(axis, x_unit or DEFAULT_TEXT_UNITS[axis], "x_unit")
    header, table = _parsing.read_matrix(path, delimiter)
    steps = table[:, 0]
    if not np.all(steps == np.round(steps)):
        k = int(np.argmax(steps != np.round(steps)))
        raise MeasuredDataError(f"{path}: data row {k + 1}, column 1: step {steps[k]!r} is "
                                "not an integer")
    return _spectra(table[:, 1:], steps.astype(np.int64), axis, header * factor,
                    source=[path.name] * len(steps), units=units,
                    attrs={"file": str(path.resolve())})


def read_hdf5(
    path: str | os.PathLike,
    *,
    data: str = "spectra",
    axis_values: str = "frequency",
    steps: str | None = None,
    axis: str = "frequency",
    x_unit: str | None = None,
    units: str = "arb. units",
) -> xr.DataArray:
    """Read an HDF5 file holding a 2-D dataset (steps x axis points) and its axis.

    Args:
        data: name of the 2-D dataset (one row per step).
        axis_values: name of the 1-D dataset of axis values.
        steps: name of a 1-D integer dataset of step numbers; None numbers the rows 0, 1, ...
        axis: ``"frequency"`` or ``"field"``.
        x_unit: unit of the axis values; None uses the dataset's ``units`` attribute when
            present, otherwise Hz for a frequency and T for a field.

    Returns:
        The DataArray described in :func:`read_folder` (``source`` holds the file name).

    Raises:
        MeasuredDataError: naming the file and dataset when a dataset is missing, has the
            wrong shape, or holds NaN.
    """
    import h5py

    path = Path(path)
    if not path.is_file():
        raise MeasuredDataError(f"{path}: no such file")
    _axis_kind(axis, "")
    with h5py.File(path, "r") as f:
        def dataset(name: str, ndim: int) -> np.ndarray:
            if name not in f:
                found = ", ".join(sorted(f.keys()))
                raise MeasuredDataError(f"{path}: no dataset {name!r} (found: {found})")
            values = np.asarray(f[name][()])
            if values.ndim != ndim:
                raise MeasuredDataError(f"{path}: dataset {name!r} has {values.ndim} "
                                        f"dimensions, expected {ndim}")
            return values

        table = dataset(data, 2).astype(np.float64)
        xv = dataset(axis_values, 1).astype(np.float64)
        unit = x_unit or f[axis_values].attrs.get("units", AXIS_UNITS[axis])
        if isinstance(unit, bytes):
            unit = unit.decode()
        numbers = dataset(steps, 1) if steps is not None else np.arange(table.shape[0])
    if table.shape[1] != xv.size:
        raise MeasuredDataError(f"{path}: dataset {data!r} has {table.shape[1]} columns, "
                                f"{axis_values!r} has {xv.size} values")
    if numbers.size != table.shape[0]:
        raise MeasuredDataError(f"{path}: dataset {steps!r} has {numbers.size} values, "
                                f"{data!r} has {table.shape[0]} rows")
    _check_finite(table, f"{path}: dataset {data!r}")
    _check_finite(xv, f"{path}: dataset {axis_values!r}")
    return _spectra(table, numbers.astype(np.int64), axis,
                    xv * _unit_factor(axis, str(unit), "x_unit"),
                    source=[path.name] * table.shape[0], units=units,
                    attrs={"file": str(path.resolve())})


def read_store(path: str | os.PathLike, variable: str = "spectra") -> xr.DataArray:
    """Read spectra saved by :func:`nanomag.store.save` (netCDF ``.nc`` or Zarr).

    The stored variable must have dims ``("step", "frequency")`` or ``("step", "field")``,
    as written from a reader's DataArray (``data.to_dataset()``).

    Raises:
        MeasuredDataError: naming the path when it is not a readable store or lacks the
            variable or its dimensions.
    """
    from nanomag import store

    try:
        ds = store.load(path)
    except store.StoreError as exc:
        raise MeasuredDataError(str(exc)) from exc
    if variable not in ds:
        found = ", ".join(sorted(map(str, ds.data_vars)))
        raise MeasuredDataError(f"{path}: no variable {variable!r} (found: {found})")
    da = ds[variable]
    if len(da.dims) != 2 or da.dims[0] != "step" or da.dims[1] not in AXIS_UNITS:
        raise MeasuredDataError(f"{path}: variable {variable!r} has dims {da.dims}, expected "
                                "('step', 'frequency') or ('step', 'field')")
    _check_finite(da.values, f"{path}: variable {variable!r}")
    return da


def _check_finite(values: np.ndarray, where: str) -> None:
    bad = ~np.isfinite(values)
    if bad.any():
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        raise MeasuredDataError(f"{where}: non-finite value at index {index}")
