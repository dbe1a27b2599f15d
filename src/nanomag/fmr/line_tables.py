"""Line tables: the mode solver's bulk and edge lines of one bar over a grid of fields, cached.

The FMR readout needs a bar's lines at the field along its moment, for every bar and bias.
:func:`line_table` solves the bar once per field of a grid
(:class:`nanomag.fmr.bar_modes.BarModeSolver`, each field relaxed from the same uniform tilt)
and the readout interpolates linearly between grid fields.  Tables are kept in memory and on
disk (``$NANOMAG_CACHE_DIR``, else ``$XDG_CACHE_HOME/nanomag``, else ``~/.cache/nanomag``),
keyed by everything they depend on; a file that cannot be read is recomputed (with a warning)
and replaced.  A cache that cannot be written only costs the recomputation.  The package
ships the tables of its lattices' default bars (:data:`SHIPPED_SIZES`, permalloy, the model's
default grid) in ``shipped_line_tables/``, so a first run does not solve them; they are
rewritten by :func:`ship_tables`, and a test holds them to the solver.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import warnings
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from numba import njit

from nanomag.fmr.bar_modes import BarModeSolver
from nanomag.materials import Material
from nanomag.progress import track

TABLE_VERSION = 2  # bump when the tables' columns or the solver's results change
SHIPPED = Path(__file__).with_name("shipped_line_tables")
#: (length, width, thickness) nm of the shipped tables: the bars of the square, width-modified
#: and pinwheel lattices' defaults.
SHIPPED_SIZES = ((600.0, 125.0, 20.0), (600.0, 150.0, 20.0), (600.0, 200.0, 20.0))


@njit(cache=True)
def table_value(values, lo, step, b):
    """Linear interpolation of ``values`` (on fields ``lo + k step``, T) at ``b`` (T), held
    at the ends of the grid; NaN between a NaN entry and its neighbours, the entry itself at
    a grid field (to 1e-9 of a step)."""
    x = min(max((b - lo) / step, 0.0), values.shape[0] - 1.0)
    k = round(x)
    if abs(x - k) <= 1e-9:
        return values[k]
    j = min(int(x), values.shape[0] - 2)
    t = x - j
    return (1.0 - t) * values[j] + t * values[j + 1]


@njit(cache=True)
def table_values(tables, rows, lo, step, b):
    """:func:`table_value` of row ``rows[i]`` of the (G, F) ``tables`` at ``b[i]``, (M,)."""
    out = np.empty(b.shape[0])
    for i in range(b.shape[0]):
        out[i] = table_value(tables[rows[i]], lo, step, b[i])
    return out


@dataclass(frozen=True)
class LineTable:
    """A bar's lines over a grid of fields along its moment.

    Attributes:
        fields: (F,) fields along the moment, T, evenly spaced (negative: antiparallel).
        bulk: (F,) bulk line as a ringdown shows it
            (:meth:`nanomag.fmr.bar_modes.BarModeSolver.ringdown_bulk`), Hz.
        edge: (F,) edge line (the fundamental end mode), Hz; NaN where the end mode is soft
            or unresolved.
        edge_b_sum: (F,) its ``B1 + B2``, T (linewidth ``damping * gamma/2pi * edge_b_sum``).
        mean_mx: (F,) the static state's mean ``m_x``.  Where it is below 0.8 the bar alone
            would have left its branch, and ``bulk`` and ``edge`` are NaN.
    """

    fields: np.ndarray
    bulk: np.ndarray
    edge: np.ndarray
    edge_b_sum: np.ndarray
    mean_mx: np.ndarray

    def interpolate(self, name: str, field_t) -> np.ndarray:
        """Column ``name`` at fields ``field_t`` (T), linear between grid fields and held at
        the grid's ends; NaN next to a NaN entry."""
        b = np.asarray(field_t, dtype=float)
        return table_values(np.asarray(getattr(self, name), dtype=float)[None],
                            np.zeros(b.size, np.int64), self.fields[0], self.step,
                            b.ravel()).reshape(b.shape)

    @property
    def step(self) -> float:
        """Field step of the grid, T."""
        return float(self.fields[1] - self.fields[0])


def _solve(length: float, width: float, thickness: float, material: Material, cell_nm: float,
           fields: tuple[float, ...]) -> LineTable:
    solver = BarModeSolver(length, width, thickness, material=material, cell_nm=cell_nm)
    columns = {name: [] for name in ("bulk", "edge", "edge_b_sum", "mean_mx")}
    for b in track(fields, f"line table {length:g} x {width:g} x {thickness:g} nm"):
        angles = solver.relax(b)
        lines = solver.lines(b, angles)
        columns["bulk"].append(solver.ringdown_bulk(b, angles))
        columns["edge"].append(lines.edge)
        columns["edge_b_sum"].append(lines.edge_b_sum)
        columns["mean_mx"].append(lines.mean_mx)
    return LineTable(np.asarray(fields), **{k: np.asarray(v) for k, v in columns.items()})


def cache_dir() -> Path:
    """Folder of the cached tables."""
    if os.environ.get("NANOMAG_CACHE_DIR"):
        return Path(os.environ["NANOMAG_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "nanomag"


def _key(*parts) -> str:
    return hashlib.sha256(repr((TABLE_VERSION, *parts)).encode()).hexdigest()[:24]


def _read(path: Path) -> LineTable | None:
    try:
        with np.load(path) as saved:
            return LineTable(**{k: saved[k] for k in LineTable.__dataclass_fields__})
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
        # a truncated or foreign file: recompute and replace it
        warnings.warn(f"line table cache {path} unreadable ({exc}); recomputing", stacklevel=4)
        return None


def _write(path: Path, table: LineTable) -> None:
    """Write ``table`` to ``path`` atomically (a reader never sees half a file)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".npz")
    except OSError:
        return  # a read-only cache costs only the recomputation
    try:
        with os.fdopen(fd, "wb") as fh:
            np.savez(fh, **{k: getattr(table, k) for k in LineTable.__dataclass_fields__})
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError:
        Path(tmp).unlink(missing_ok=True)


def table_name(length: float, width: float, thickness: float, material: Material,
               cell_nm: float, fields: tuple[float, ...]) -> str:
    """File name of a table: a hash of everything it depends on."""
    return _key(length, width, thickness, material, cell_nm, fields) + ".npz"


@lru_cache(maxsize=64)
def line_table(length: float, width: float, thickness: float, material: Material,
               cell_nm: float, fields: tuple[float, ...]) -> LineTable:
    """The line table of a ``length`` x ``width`` x ``thickness`` nm bar of ``material`` at
    the evenly spaced ``fields`` (T), solved at ``cell_nm`` cells; from the shipped tables or
    the disk cache when they hold it."""
    name = table_name(length, width, thickness, material, cell_nm, fields)
    path = cache_dir() / "line_tables" / name
    table = _read(SHIPPED / name) if (SHIPPED / name).exists() else _read(path)
    if table is None:
        table = _solve(length, width, thickness, material, cell_nm, fields)
        _write(path, table)
    return table


def ship_tables(model=None) -> list[Path]:
    """Solve and write the shipped tables of :data:`SHIPPED_SIZES` for ``model`` (default:
    the default :class:`nanomag.fmr.resonance.BarResonanceModel`), permalloy; returns the
    files.  Run after a change to the solver or the model's grid, then commit the files."""
    from nanomag.fmr.resonance import BarResonanceModel
    from nanomag.materials import PERMALLOY

    model = BarResonanceModel() if model is None else model
    SHIPPED.mkdir(exist_ok=True)
    for old in SHIPPED.glob("*.npz"):
        old.unlink()
    paths = []
    for size in SHIPPED_SIZES:
        fields = model.table_fields()
        table = _solve(*size, PERMALLOY, model.cell_nm, fields)
        paths.append(SHIPPED / table_name(*size, PERMALLOY, model.cell_nm, fields))
        _write(paths[-1], table)
    return paths
