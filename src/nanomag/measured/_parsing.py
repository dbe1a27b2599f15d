"""Delimited text tables to float arrays, with errors that name file, line and column."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

#: Delimiters tried, in order, on a header line; None means runs of whitespace.
DELIMITERS = (",", "\t", ";")


def detect_delimiter(line: str) -> str | None:
    """The delimiter of a header line: the first of comma, tab, semicolon found; else None
    (whitespace)."""
    for d in DELIMITERS:
        if d in line:
            return d
    return None


def split_header(line: str, delimiter: str | None) -> list[str]:
    """Column names of a header line, surrounding quotes and blanks removed."""
    return [c.strip().strip('"').strip("'").strip() for c in line.split(delimiter)]


def _error(path, line, column, message):
    from nanomag.measured.reading import MeasuredDataError

    where = f"{path}: line {line}" + (f", column {column}" if column is not None else "")
    return MeasuredDataError(f"{where}: {message}")


def _parse_rows(path: Path, lines: list[str], first_line: int, delimiter: str | None,
                ncols: int) -> np.ndarray:
    """Rows of ``lines`` as a (rows, ncols) float array; lines numbered from ``first_line``."""
    rows = [ln.split(delimiter) for ln in lines]
    for k, cells in enumerate(rows):
        if len(cells) != ncols:
            raise _error(path, first_line + k, None,
                         f"{len(cells)} cells where the header has {ncols}")
    try:
        table = np.array(rows, dtype=np.float64)
    except ValueError:
        for k, cells in enumerate(rows):
            for j, cell in enumerate(cells):
                try:
                    float(cell)
                except ValueError:
                    raise _error(path, first_line + k, j + 1,
                                 f"{cell.strip()!r} is not a number") from None
        raise
    bad = np.isnan(table)
    if bad.any():
        k, j = np.argwhere(bad)[0]
        raise _error(path, first_line + int(k), int(j) + 1, "NaN in a numeric cell")
    return table


def _lines(path: Path) -> list[str]:
    text = Path(path).read_text(encoding="utf-8-sig")
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if not lines:
        raise _error(path, 1, None, "the file is empty")
    return lines


def read_columns(paths: Sequence[os.PathLike], names: Sequence[str],
                 delimiter: str | None) -> list[tuple[np.ndarray, ...]]:
    """For each file, the columns ``names`` (chosen by header name) as float arrays."""
    out = []
    for path in paths:
        lines = _lines(path)
        delim = delimiter if delimiter is not None else detect_delimiter(lines[0])
        header = split_header(lines[0], delim)
        missing = [n for n in names if n not in header]
        if missing:
            from nanomag.measured.reading import MeasuredDataError

            raise MeasuredDataError(
                f"{path}: no column {missing[0]!r} in the header (found: {', '.join(header)})"
            )
        if len(lines) < 2:
            raise _error(path, 2, None, "no data rows after the header")
        table = _parse_rows(Path(path), lines[1:], 2, delim, len(header))
        out.append(tuple(table[:, header.index(n)] for n in names))
    return out


def read_matrix(path: Path, delimiter: str | None) -> tuple[np.ndarray, np.ndarray]:
    """A matrix file: its first row's values after the label cell, and the rows below."""
    lines = _lines(path)
    delim = delimiter if delimiter is not None else detect_delimiter(lines[0])
    first = lines[0].split(delim)
    if len(lines) < 2:
        raise _error(path, 2, None, "no data rows after the axis row")
    header = _parse_rows(path, [delim.join(first[1:]) if delim else " ".join(first[1:])], 1,
                         delim, len(first) - 1)[0]
    return header, _parse_rows(path, lines[1:], 2, delim, len(first))
