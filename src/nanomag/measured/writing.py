"""Writing spectra in the per-step folder layout that :func:`~nanomag.measured.read_folder`
(and PRCpy) read, so simulated and measured spectra go through one pipeline."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import xarray as xr

from nanomag import progress
from nanomag.measured.reading import AXIS_UNITS, DEFAULT_TEXT_UNITS, UNIT_FACTORS

#: Files written between two progress reports.
REPORT_EVERY = 64


def step_file_name(prefix: str, step: int, field: float | None = None) -> str:
    """``<prefix>_<step>[_<field in mT, decimal point as underscore>mT].txt``.

    ``step_file_name("scan", 1, 0.174923)`` is ``"scan_1_174_923mT.txt"``; the field is
    written with up to 12 significant digits.
    """
    if field is None or not np.isfinite(field):
        return f"{prefix}_{int(step)}.txt"
    millitesla = format(float(field) / UNIT_FACTORS["field"]["mT"], ".12g")
    if "e" in millitesla:
        raise ValueError(f"applied field {field} T cannot be written in a file name")
    return f"{prefix}_{int(step)}_{millitesla.replace('.', '_')}mT.txt"


def _in_unit(values: np.ndarray, unit: float) -> np.ndarray:
    """``values / unit``, nudged by one ulp where that makes ``result * unit == values``
    exactly (so that reading the text back reproduces ``values``)."""
    scaled = values / unit
    for candidate in (np.nextafter(scaled, -np.inf), np.nextafter(scaled, np.inf)):
        scaled = np.where((scaled * unit != values) & (candidate * unit == values),
                          candidate, scaled)
    return scaled


def _column(values: np.ndarray) -> list[str]:
    """Shortest text that reads back to each float exactly."""
    return [repr(v) for v in values.tolist()]


def write_folder(
    data: xr.DataArray,
    folder: str | os.PathLike,
    *,
    prefix: str = "scan",
    x: str | None = None,
    y: str | None = None,
) -> list[Path]:
    """Write one comma-separated file per step, in the layout :func:`read_folder` reads.

    ``data`` is a reader's DataArray (dims ``("step", "frequency")`` or ``("step",
    "field")``).  Each file is named by :func:`step_file_name` from the step number and the
    ``applied_field`` coordinate where present, and holds a header line of quoted column
    names and one row per axis point: ``"Field"`` (the applied field in mT, when known),
    ``x`` (the axis, in GHz for a frequency, mT for a field: the units ``read_folder``
    assumes) and ``y`` (the values), all written exactly (shortest round-trip text).
    ``x`` and ``y`` default to the DataArray's ``x_column``/``y_column`` attributes, else
    ``"Frequency"``/``"Field"`` and ``"Spectra"``.  Reading the folder back with the same
    prefix and column names gives the same values and coordinates.

    The folder is created when missing; existing files are never overwritten: when any
    target file exists, nothing is written.

    Returns:
        The paths written, in step order.

    Raises:
        FileExistsError: naming the first target file that already exists.
        ValueError: ``data`` is not 2-D with a ``step`` and a frequency or field axis, holds
            non-finite values, or its steps are not distinct non-negative integers.
    """
    if not isinstance(data, xr.DataArray) or data.ndim != 2 or data.dims[0] != "step" \
            or data.dims[1] not in AXIS_UNITS:
        raise ValueError("data must be a DataArray with dims ('step', 'frequency') or "
                         "('step', 'field')")
    values = np.asarray(data.values, dtype=np.float64)
    if not np.all(np.isfinite(values)):
        raise ValueError("data holds NaN or infinite values; they cannot be written")
    axis = data.dims[1]
    x = x or data.attrs.get("x_column") or ("Frequency" if axis == "frequency" else "Field")
    y = y or data.attrs.get("y_column") or "Spectra"
    unit = UNIT_FACTORS[axis][DEFAULT_TEXT_UNITS[axis]]
    axis_text = _column(_in_unit(np.asarray(data[axis].values, dtype=np.float64), unit))
    steps = data["step"].values
    fields = (data["applied_field"].values if "applied_field" in data.coords
              else np.full(steps.size, np.nan))
    folder = Path(folder)
    if not np.issubdtype(steps.dtype, np.integer) or np.any(steps < 0) \
            or np.unique(steps).size != steps.size:
        raise ValueError("data must have distinct non-negative integer step numbers")
    paths = [folder / step_file_name(prefix, s, f) for s, f in zip(steps, fields, strict=True)]
    existing = next((p for p in paths if p.exists()), None)
    if existing is not None:
        raise FileExistsError(f"{existing} already exists; nothing was written")
    folder.mkdir(parents=True, exist_ok=True)
    progress.report("writing", 0, len(paths))
    for k, (path, field) in enumerate(zip(paths, fields, strict=True)):
        columns = [axis_text, _column(values[k])]
        names = [x, y]
        if np.isfinite(field) and x != "Field":
            names.insert(0, "Field")
            columns.insert(0, [repr(float(field) / UNIT_FACTORS["field"]["mT"])] * len(axis_text))
        lines = [",".join(f'"{n}"' for n in names)]
        lines.extend(",".join(row) for row in zip(*columns, strict=True))
        with open(path, "x", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")
        if (k + 1) % REPORT_EVERY == 0 or k + 1 == len(paths):
            progress.report("writing", k + 1, len(paths))
    return paths
