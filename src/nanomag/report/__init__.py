"""One self-contained HTML page showing one or more results.

The page holds, for each result, every section its variables allow (:mod:`.sections`): the
set-up, the microstate, the drive, observed spectra, prediction against target, metric
tables next to the linear baseline, the energy table, a hysteresis loop, sweep heat maps, and
the variables no section showed.  Several results sharing metrics also get a table side by
side.  Figures are embedded PNGs; the page loads nothing from anywhere and opens from disk.
Results are read only through :func:`nanomag.store.load`.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Sequence
from html import escape
from pathlib import Path

import xarray as xr

from nanomag.progress import track
from nanomag.report.html import Section, page, table
from nanomag.report.sections import (
    entry_label,
    is_metric,
    positions,
    result_sections,
    value_cell,
)
from nanomag.store import load

__all__ = ["build_report", "shared_metrics_table", "write_report"]


def build_report(results: Sequence[tuple[str, xr.Dataset]], *, steps: Sequence[int] | None = None,
                 title: str = "nanomag report") -> str:
    """The HTML page for ``results``, (name, Dataset) pairs, one part per result.

    ``steps``: input steps whose microstate to draw (default: up to four recorded ones); a
    step a result did not record raises ValueError naming the result.
    """
    if not results:
        raise ValueError("results must hold at least one (name, Dataset) pair")
    parts = []
    for name, ds in track(results, "report"):
        try:
            parts.append((name, result_sections(ds, steps)))
        except ValueError as exc:
            raise ValueError(f"{name}: {exc}") from None
    shared = shared_metrics_table(results) if len(results) > 1 else None
    return page(title, parts, preamble=[] if shared is None else _blocks(shared))


def _blocks(section: Section) -> list[str]:
    return [f"<h2>{escape(section.title)}</h2>", *section.blocks]


def shared_metrics_table(results: Sequence[tuple[str, xr.Dataset]]) -> Section | None:
    """Metrics (``nmse``, ``memory_capacity``, ...) that every result holds with the same
    coordinates, one row per entry and one column per result."""
    first = results[0][1]
    names = [n for n in first.data_vars if is_metric(first[n])
             and all(n in ds.data_vars and _same_layout(ds[n], first[n]) for _, ds in results)]
    blocks = []
    for n in names:
        da = first[n]
        dims = [d for d in da.dims if d != "repeat"]
        rows = []
        for at in positions(da, dims):
            rows.append((", ".join(entry_label(da, d, i) for d, i in at.items()) or n,
                         *(value_cell(ds[n].isel(at)) for _, ds in results)))
        blocks.append(table(("", *(name for name, _ in results)), rows, caption=n))
    return Section("Metrics side by side", blocks) if blocks else None


def _same_layout(a: xr.DataArray, b: xr.DataArray) -> bool:
    """Same dimensions, sizes and index values (so entries line up row by row)."""
    return (a.sizes == b.sizes and set(a.indexes) == set(b.indexes)
            and all(a.indexes[k].equals(b.indexes[k]) for k in a.indexes))


def write_report(paths: Sequence[str | os.PathLike], out: str | os.PathLike, *,
                 steps: Sequence[int] | None = None, overwrite: bool = False) -> Path:
    """Load each result in ``paths`` (:func:`nanomag.store.load`) and write their report to
    ``out`` (atomically; an existing ``out`` raises ``FileExistsError`` unless
    ``overwrite``).  Returns ``out``."""
    out = Path(out)
    if out.exists() and not overwrite:
        raise FileExistsError(f"{out} already exists; pass overwrite=True to replace it")
    if not out.parent.is_dir():
        raise FileNotFoundError(f"directory {out.parent} does not exist (writing {out.name})")
    results = [(str(p), load(p)) for p in paths]
    text = build_report(results, steps=steps, title=_title(paths))
    tmp = out.with_name(f".{out.name}.{uuid.uuid4().hex}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return out


def _title(paths: Sequence[str | os.PathLike]) -> str:
    names = [Path(p).name for p in paths]
    return "nanomag report: " + (names[0] if len(names) == 1 else f"{len(names)} results")
