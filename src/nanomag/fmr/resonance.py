"""Geometry-true single-bar resonance: bulk and edge lines fitted to micromagnetics.

Bulk (centre) mode.  The micromagnetic bulk mode of a bar is not the uniform Kittel mode of the
prism: its profile across the width is not uniform (the dynamic charges at the long edges
stiffen it, and so does exchange, ~ (pi / w)^2) and the static internal field it feels is that
of the bar's centre, not the prism average.  Both enter a Kittel formula
``f = gamma/2pi sqrt(B1 B2)`` with effective anisotropy fields

    B1 = B + mu0 Ms D_in,    D_in  = (Ny - Nx) k_in  + x_in  (pi l_ex / w)^2,
    B2 = B + mu0 Ms D_out,   D_out = (Nz - Nx) k_out + x_out (pi l_ex / w)^2,
    k = c0 + c1 ln(t / w) + c2 ln(w / l),

(Nx, Ny, Nz: Aharoni's prism factors; l, w, t: length, width, thickness; l_ex =
sqrt(2 A / (mu0 Ms^2)) the exchange length, 5.7 nm for permalloy), i.e. effective factors
``(Nx, Nx + D_in, Nx + D_out)``.  Plain Kittel is ``k = 1``, ``x = 0``.

Edge (end) mode.  The end charges lower the internal field near each end and turn the
magnetisation there into S-shaped end domains; the end mode is the spin wave bound in that
well.  It is not fitted: :class:`nanomag.fmr.bar_modes.BarModeSolver` solves the bar's linear
modes (10 nm cells, the exact demagnetising tensor, exchange) about its relaxed state, once per
field of a grid (:mod:`nanomag.fmr.line_tables`, cached on disk), and the edge line at the
field along the moment at a bar's end is interpolated from that table.  That solver
reproduces magnum.np's ringdowns of the whole grid (``docs/fmr.md``).

Ms and A enter the bulk line through ``mu0 Ms`` and ``l_ex``; its coefficients are fitted for
permalloy (Ms 800 kA/m, A 13 pJ/m) to magnum.np ringdowns of a grid of bars
(``validation/magnumnp_geometry_grid.py``, ``validation/fit_resonance_model.py``,
``docs/fmr.md``), on the parallel branch, and checked on both: -50 to +100 mT along the
moment.  Outside the sizes and
fields of that grid :class:`OutsideValidatedRange` is warned.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, replace

import numpy as np

from nanomag._validate import positive
from nanomag.fmr.demag import prism_demag_factors
from nanomag.fmr.kittel import kittel_mode
from nanomag.fmr.line_tables import LineTable, line_table, table_values
from nanomag.materials import MU0, PERMALLOY, Material

N_SHAPE = 3  # bulk features: (1, ln(t / w), ln(w / l))
N_BULK = N_SHAPE + 1  # shape coefficients and the exchange coefficient


def _sizes(lengths, widths, thicknesses) -> list[np.ndarray]:
    """Bar sizes as broadcast (N,) float arrays."""
    return np.broadcast_arrays(*(np.atleast_1d(np.asarray(v, dtype=float))
                                 for v in (lengths, widths, thicknesses)))


def exchange_length_nm(material: Material) -> float:
    """Exchange length ``sqrt(2 A / (mu0 Ms^2))`` of ``material``, nm."""
    return float(np.sqrt(2 * material.exchange / (MU0 * material.Ms ** 2)) * 1e9)


class OutsideValidatedRange(UserWarning):
    """A bar size or bias field lies outside the range the resonance model was validated on."""


@dataclass(frozen=True)
class BarResonanceModel:
    """Geometry-true resonance model of a single bar.

    Attributes:
        in_plane: (c0, c1, c2, x_in): ``k_in`` on ``(1, ln(t/w), ln(w/l))`` and the exchange
            coefficient of ``D_in``.
        out_of_plane: (c0, c1, c2, x_out), the same for ``D_out``.
        axial_correction: scale the bulk line, at the field along the moment, to the mode
            solver's (the formula then carries only its dependence on a transverse field);
            ``False``: the formula alone.
        cell_nm: cell size of the mode solver, nm.
        field_step: field step of its line tables, T.
        lengths: validated (min, max) length, nm.
        widths: validated (min, max) width, nm.
        thicknesses: validated (min, max) thickness, nm.
        min_aspect: smallest validated length / width.
        fields: validated (min, max) field along the moment, T (negative: the antiparallel
            branch).
    """

    in_plane: tuple[float, ...] = (1.2557, 0.0595, 0.1001, 0.3946)
    out_of_plane: tuple[float, ...] = (1.3706, 0.0685, 0.0708, -0.8383)
    axial_correction: bool = True
    cell_nm: float = 10.0
    field_step: float = 0.005
    lengths: tuple[float, float] = (400.0, 800.0)
    widths: tuple[float, float] = (100.0, 300.0)
    thicknesses: tuple[float, float] = (10.0, 30.0)
    min_aspect: float = 2.5
    fields: tuple[float, float] = (-0.05, 0.10)

    def __post_init__(self) -> None:
        for name, size in (("in_plane", N_BULK), ("out_of_plane", N_BULK)):
            value = np.asarray(getattr(self, name), dtype=float)
            if value.shape != (size,) or not np.all(np.isfinite(value)):
                raise ValueError(f"{name} must be {size} finite numbers, got {value!r}")
        for name in ("cell_nm", "field_step"):
            positive(getattr(self, name), name)
        for name in ("lengths", "widths", "thicknesses", "fields"):
            lo, hi = getattr(self, name)
            if not lo <= hi:
                raise ValueError(f"{name} must be (min, max), got {(lo, hi)!r}")

    @classmethod
    def plain_kittel(cls) -> BarResonanceModel:
        """The model with Aharoni's factors unchanged (``k_in = k_out = 1``, no exchange) and
        no axial correction: plain Kittel bulk lines."""
        unit = (1.0,) + (0.0,) * (N_BULK - 1)
        return replace(cls(), in_plane=unit, out_of_plane=unit, axial_correction=False)

    @staticmethod
    def shape_features(lengths, widths, thicknesses) -> np.ndarray:
        """(N, 3) bulk features ``(1, ln(t / w), ln(w / l))`` of bar sizes."""
        length, w, t = _sizes(lengths, widths, thicknesses)
        return np.stack([np.ones_like(w), np.log(t / w), np.log(w / length)], axis=-1)

    def effective_demag_factors(self, lengths, widths, thicknesses,
                                material: Material = PERMALLOY) -> np.ndarray:
        """(N, 3) effective factors ``(Nx, Nx + D_in, Nx + D_out)`` of bars of the given
        sizes (nm); ``material`` sets the exchange length."""
        self.check_sizes(lengths, widths, thicknesses)
        factors = np.atleast_2d(prism_demag_factors(lengths, widths, thicknesses))
        phi = self.shape_features(lengths, widths, thicknesses)
        exchange = (np.pi * exchange_length_nm(material) / _sizes(lengths, widths,
                                                                  thicknesses)[1]) ** 2
        nx = factors[:, 0]
        c_in, c_out = np.asarray(self.in_plane), np.asarray(self.out_of_plane)
        d_in = (phi @ c_in[:N_SHAPE]) * (factors[:, 1] - nx) + c_in[N_SHAPE] * exchange
        d_out = (phi @ c_out[:N_SHAPE]) * (factors[:, 2] - nx) + c_out[N_SHAPE] * exchange
        return np.stack([nx, nx + d_in, nx + d_out], axis=-1)

    def line_table(self, length: float, width: float, thickness: float,
                   material: Material = PERMALLOY) -> LineTable:
        """The line table (:mod:`nanomag.fmr.line_tables`) of one bar size (nm) over the
        validated fields."""
        return line_table(float(length), float(width), float(thickness), material,
                          float(self.cell_nm), self.table_fields())

    def table_fields(self) -> tuple[float, ...]:
        """Fields (T) of the line tables: the validated range in steps of ``field_step``."""
        lo, hi = self.fields
        count = round((hi - lo) / self.field_step) + 1
        return tuple(float(round(f, 9)) for f in np.linspace(lo, hi, count))

    def _per_size(self, name: str, lengths, widths, thicknesses, tip_field,
                  material: Material) -> np.ndarray:
        """Line-table column ``name`` at ``tip_field`` (T) for bars of the given sizes."""
        *sizes, b = np.broadcast_arrays(*_sizes(lengths, widths, thicknesses),
                                        np.atleast_1d(np.asarray(tip_field, dtype=float)))
        unique, row = np.unique(np.stack(sizes, axis=-1), axis=0, return_inverse=True)
        out = np.empty(b.shape)
        for k, size in enumerate(unique):
            mine = row.ravel() == k
            out[mine] = self.line_table(*size, material).interpolate(name, b[mine])
        return out

    def edge_frequency(self, lengths, widths, thicknesses, tip_field,
                       material: Material = PERMALLOY) -> np.ndarray:
        """(N,) edge-mode frequency (Hz) at the field ``tip_field`` (T) along the moment at the
        bar's end; NaN where the end mode is soft."""
        self.check_sizes(lengths, widths, thicknesses)
        return self._per_size("edge", lengths, widths, thicknesses, tip_field, material)

    def axial_ratio(self, length: float, width: float, thickness: float,
                    material: Material = PERMALLOY) -> np.ndarray:
        """(F,) ratio of the mode solver's bulk line to the formula's at the table fields
        (along the moment, no transverse field): the axial correction of one bar size (nm);
        ones without ``axial_correction``; NaN where the bar alone has left its branch."""
        fields = np.asarray(self.table_fields())
        if not self.axial_correction:
            return np.ones(fields.size)
        nx, ny, nz = self.effective_demag_factors(length, width, thickness, material)[0]
        mu0ms = MU0 * material.Ms
        b1, b2 = fields + mu0ms * (ny - nx), fields + mu0ms * (nz - nx)  # the axial Kittel mode
        formula = np.where((b1 > 0) & (b2 > 0), material.gamma_over_2pi
                           * np.sqrt(np.abs(b1 * b2)), np.nan)
        return self.line_table(length, width, thickness, material).bulk / formula

    def bulk_frequency(self, lengths, widths, thicknesses, field,
                       material: Material = PERMALLOY) -> np.ndarray:
        """(N,) bulk line (Hz) of bars of the given sizes (nm) in a field ``field`` (T) along
        the moment: the formula with the axial correction, as the readout gives it; NaN where
        there is no stable state."""
        *sizes, b = np.broadcast_arrays(*_sizes(lengths, widths, thicknesses),
                                        np.atleast_1d(np.asarray(field, dtype=float)))
        factors = self.effective_demag_factors(*sizes, material=material)
        out = kittel_mode(b, 0.0, 1, factors, material)["frequency"]
        unique, row = np.unique(np.stack(sizes, axis=-1), axis=0, return_inverse=True)
        lo, step = self.fields[0], self.field_step
        for k, size in enumerate(unique):
            mine = row.ravel() == k
            ratio = self.axial_ratio(*size, material)
            scale = table_values(ratio[None], np.zeros(mine.sum(), np.int64), lo, step, b[mine])
            out[mine] *= np.where(np.isnan(scale), 1.0, scale)
        return out

    def check_sizes(self, lengths, widths, thicknesses) -> None:
        """Warn :class:`OutsideValidatedRange` for sizes outside the validated grid."""
        length, w, t = (np.atleast_1d(np.asarray(v, dtype=float))
                        for v in (lengths, widths, thicknesses))
        tol = 1e-9
        outside = [
            f"{name} {arr.min():g}-{arr.max():g} nm (validated {lo:g}-{hi:g})"
            for name, arr, (lo, hi) in (("length", length, self.lengths), ("width", w, self.widths),
                                        ("thickness", t, self.thicknesses))
            if arr.min() < lo - tol or arr.max() > hi + tol
        ]
        aspect = np.min(length / w) if length.size and w.size else np.inf
        if aspect < self.min_aspect - tol:
            outside.append(f"length / width {aspect:.2f} (validated >= {self.min_aspect:g})")
        if outside:
            warnings.warn("resonance model outside its validated range: " + "; ".join(outside),
                          OutsideValidatedRange, stacklevel=3)

    def check_fields(self, fields, left_branch=None) -> None:
        """Warn :class:`OutsideValidatedRange` for fields along the moment (T; negative on
        the antiparallel branch) outside the validated range, and where ``left_branch``
        (bool, broadcast with ``fields``) marks bars still on a branch that the bar alone, in
        the mode solver, has left: their lines are the formula's, uncorrected, and no edge
        line."""
        b = np.atleast_1d(np.asarray(fields, dtype=float))
        lo, hi = self.fields
        if b.size and (b.min() < lo - 1e-12 or b.max() > hi + 1e-12):
            warnings.warn(f"resonance model outside its validated range: field along the "
                          f"moment {b.min() * 1e3 + 0.0:g} to {b.max() * 1e3 + 0.0:g} mT "
                          f"(validated {lo * 1e3:g} to {hi * 1e3:g} mT; negative: antiparallel)",
                          OutsideValidatedRange, stacklevel=4)
        if left_branch is None:
            return
        b, past = np.broadcast_arrays(b, np.asarray(left_branch, dtype=bool))
        if past.any():
            warnings.warn(f"resonance model outside its validated range: {int(past.sum())} "
                          f"bar(s) held on a branch the bar alone leaves (field along the "
                          f"moment down to {b[past].min() * 1e3 + 0.0:g} mT): bulk line from "
                          f"the formula alone, no edge line", OutsideValidatedRange,
                          stacklevel=4)
