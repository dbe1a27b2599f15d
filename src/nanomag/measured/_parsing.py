"""Delimited text tables to float arrays, with errors that name file, line and column.

The bytes of every file are read into one buffer and parsed in one pass by
:func:`nanomag.measured._kernels.parse_columns`; this module reads the header lines, picks
the columns, and turns the kernel's status into :class:`MeasuredDataError`.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np

from nanomag.measured import _kernels
from nanomag.measured.errors import MeasuredDataError

#: Delimiters tried, in order, on a header line; None means runs of blanks (space, tab).
DELIMITERS = (",", "\t", ";")

_BOM = b"\xef\xbb\xbf"


def detect_delimiter(line: str) -> str | None:
    """The delimiter of a header line: the first of comma, tab, semicolon in it; else None
    (runs of blanks)."""
    for d in DELIMITERS:
        if d in line:
            return d
    return None


def split_header(line: str, delimiter: str | None) -> list[str]:
    """Column names of a header line, surrounding blanks and quotes removed."""
    return [c.strip().strip("\"'").strip() for c in line.split(delimiter)]


def read_buffer(paths: Sequence[os.PathLike]) -> tuple[np.ndarray, np.ndarray]:
    """The bytes of all ``paths`` in one uint8 array, and each file's start offset (with the
    total size appended)."""
    sizes = [os.stat(p).st_size for p in paths]
    offsets = np.zeros(len(paths) + 1, dtype=np.int64)
    np.cumsum(sizes, out=offsets[1:])
    buf = np.empty(int(offsets[-1]), dtype=np.uint8)
    view = memoryview(buf)
    for path, start, size in zip(paths, offsets[:-1].tolist(), sizes, strict=True):
        with open(path, "rb", buffering=0) as handle:
            got = handle.readinto(view[start:start + size])
        if got != size:
            raise MeasuredDataError(f"{path}: changed while being read")
    return buf, offsets


def _header(path: os.PathLike, buf: np.ndarray, start: int,
            end: int) -> tuple[str, int, int, int]:
    """The first non-blank line of ``buf[start:end]`` (decoded), its start offset, the
    offset past its newline, and its line number."""
    if bytes(buf[start:start + 3]) == _BOM:
        start += 3
    line = 1
    while start < end:
        window = 4096
        while True:
            head = bytes(buf[start:min(start + window, end)])
            stop = head.find(b"\n")
            if stop >= 0 or start + window >= end:
                break
            window *= 4
        stop = len(head) if stop < 0 else stop
        text = head[:stop].decode("utf-8", errors="replace").strip()
        if text:
            return text, start, start + stop + 1, line
        start, line = start + stop + 1, line + 1
    raise MeasuredDataError(f"{path}: the file is empty")


def _raise_status(path: os.PathLike, status: np.ndarray, buf: np.ndarray, ncols: int) -> None:
    code, line, column, a, b = status[:5].tolist()
    cell = bytes(buf[a:b]).decode("utf-8", errors="replace")
    where = f"{path}: line {line}"
    if code == _kernels.CELL_COUNT:
        raise MeasuredDataError(f"{where}: {column} cells where the header has {ncols}")
    where += f", column {column}"
    if code == _kernels.EMPTY_CELL:
        raise MeasuredDataError(f"{where}: empty cell")
    if code == _kernels.NAN_CELL:
        raise MeasuredDataError(f"{where}: NaN in a numeric cell")
    raise MeasuredDataError(f"{where}: {cell!r} is not a number")


def parse(paths: Sequence[os.PathLike], buf: np.ndarray, bodies: np.ndarray,
          slots: np.ndarray, ncols: np.ndarray, delimiter: str | None) -> tuple:
    """Parse the rows of each file in one kernel call.

    ``bodies[f] = (start, end, first_line)`` is the byte range in ``buf`` of file ``f``'s
    rows and the line number of its first byte; ``slots[f, c]`` the output slot of column
    ``c`` (-1: skipped).

    Returns:
        ``values`` float64 ``(files, slots, rows)`` (rows beyond a file's count are
        undefined) and ``rows`` per file.
    """
    starts, ends = bodies[:, 0].copy(), bodies[:, 1].copy()
    n_slots = int(slots.max()) + 1
    # room for the first file's line count; more only when some file needs it
    capacity = int(np.count_nonzero(buf[starts[0]:ends[0]] == 10)) + 1
    delim = 0 if delimiter is None else ord(delimiter)
    while True:
        values = np.empty((len(paths), n_slots, capacity), dtype=np.float64)
        fallback = np.empty((len(paths), capacity * n_slots, 4), dtype=np.int64)
        status = np.zeros((len(paths), 7), dtype=np.int64)
        _kernels.parse_columns(buf, starts, ends, bodies[:, 2].copy(), slots, ncols, delim,
                               values, fallback, status)
        if not np.any(status[:, 0] == _kernels.ROWS_FULL):
            break
        capacity = 1 + max(int(np.count_nonzero(buf[a:b] == 10)) for a, b in zip(
            starts.tolist(), ends.tolist(), strict=True))
    failed = np.flatnonzero(status[:, 0] != _kernels.OK)
    if failed.size:
        f = int(failed[0])
        _raise_status(paths[f], status[f], buf, int(ncols[f]))
    rows = status[:, 6].copy()
    empty = np.flatnonzero(rows == 0)
    if empty.size:
        raise MeasuredDataError(f"{paths[empty[0]]}: no data rows after the header")
    for f in np.flatnonzero(status[:, 5]).tolist():
        for slot, row, a, b in fallback[f, : status[f, 5]].tolist():
            values[f, slot, row] = float(bytes(buf[a:b]))
    return values, rows


def read_columns(paths: Sequence[os.PathLike], names: Sequence[str],
                 delimiter: str | None) -> tuple[np.ndarray, np.ndarray]:
    """The columns ``names`` (by header name) of every file.

    Returns:
        ``values`` float64 ``(files, len(names), rows)`` (rows beyond a file's count are
        undefined) and the row count of each file.
    """
    buf, offsets = read_buffer(paths)
    bodies = np.empty((len(paths), 3), dtype=np.int64)
    headers: dict[str, list[str]] = {}
    slot_rows, ncols = [], []
    first = None
    for f, path in enumerate(paths):
        text, _, start, line = _header(path, buf, int(offsets[f]), int(offsets[f + 1]))
        delim = delimiter if delimiter is not None else detect_delimiter(text)
        if f == 0:
            first = delim
        elif delim != first:
            raise MeasuredDataError(f"{path}: delimiter {delim!r} differs from {first!r} in "
                                    f"{paths[0]}")
        columns = headers.setdefault(text, split_header(text, delim))
        missing = [n for n in names if n not in columns]
        if missing:
            raise MeasuredDataError(f"{path}: no column {missing[0]!r} in the header "
                                    f"(found: {', '.join(columns)})")
        slot_rows.append([columns.index(n) for n in names])
        bodies[f] = start, offsets[f + 1], line + 1
        ncols.append(len(columns))
    slots = np.full((len(paths), max(ncols)), -1, dtype=np.int64)
    for f, picked in enumerate(slot_rows):
        slots[f, picked] = np.arange(len(names))
    return parse(paths, buf, bodies, slots, np.asarray(ncols, dtype=np.int64), first)


def read_matrix(path: os.PathLike, delimiter: str | None) -> tuple[np.ndarray, np.ndarray]:
    """A matrix file: the values after the label cell of its first row, and the rows below
    (one array ``(rows, columns)``)."""
    buf, offsets = read_buffer([path])
    text, start, end, line = _header(path, buf, 0, int(offsets[1]))
    delim = delimiter if delimiter is not None else detect_delimiter(text)
    n = len(text.split(delim))
    if n < 2:
        raise MeasuredDataError(f"{path}: line {line}: the axis row has no values")
    bodies = np.array([[start, end, line], [end, offsets[1], line + 1]], dtype=np.int64)
    slots = np.stack([np.arange(-1, n - 1), np.arange(n)]).astype(np.int64)
    values, rows = parse([path, path], buf, bodies, slots, np.array([n, n]), delim)
    return values[0, : n - 1, 0], values[1, :, : rows[1]].T
