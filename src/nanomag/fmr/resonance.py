"""Geometry-true single-bar resonance: effective demagnetising factors fitted to micromagnetics.

The bulk (centre) mode of a micromagnetic bar is not the uniform Kittel mode of the prism: its
profile across the width is not uniform (the dynamic charges at the long edges stiffen it) and
the static internal field it feels is that of the bar's centre, not the prism average.  Both
enter a Kittel formula with *effective* anisotropy fields

    B1 = B + mu0 Ms (Ny - Nx) k_in,     B2 = B + mu0 Ms (Nz - Nx) k_out,
    k = c0 + c1 (t / w) + c2 (w / l) + c3 (t / w)^2 + c4 (w / l)^2,

(Ny - Nx, Nz - Nx: Aharoni's prism factors; l, w, t: length, width, thickness), i.e. effective
factors ``(Nx, Nx + k_in (Ny - Nx), Nx + k_out (Nz - Nx))``.  With ``k = 1`` this is plain
Kittel.  Ms enters through ``mu0 Ms``; the fit is for permalloy (Ms 800 kA/m, A 13 pJ/m).
The edge (end) mode is ``f_edge = e . (1, t / w, w / l, (t / w)^2, (w / l)^2) + slope B_tip``.

The coefficients are fitted to magnum.np ringdowns of a grid of permalloy bars
(``validation/magnumnp_geometry_grid.py``, ``validation/fit_resonance_model.py``,
``docs/fmr.md``); outside the sizes and fields of that grid :class:`OutsideValidatedRange` is
warned.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, replace

import numpy as np

from nanomag.fmr.demag import prism_demag_factors

N_FEATURES = 5


class OutsideValidatedRange(UserWarning):
    """A bar size or bias field lies outside the range the resonance model was validated on."""


@dataclass(frozen=True)
class BarResonanceModel:
    """Effective-factor resonance model of a single bar.

    Attributes:
        in_plane: (c0 .. c4) of ``k_in``, the factor on ``Ny - Nx``.
        out_of_plane: (c0 .. c4) of ``k_out``, the factor on ``Nz - Nx``.
        edge: (e0 .. e4) of the edge-mode frequency at zero tip field, Hz.
        edge_slope: d f_edge / d B_tip, Hz/T.
        lengths: validated (min, max) length, nm.
        widths: validated (min, max) width, nm.
        thicknesses: validated (min, max) thickness, nm.
        min_aspect: smallest validated length / width.
        fields: validated (min, max) field along the moment, T; the parallel branch only (the
            antiparallel branch softens ahead of reversal, see ``docs/fmr.md``), so a bias
            is warned when its magnitude exceeds ``max(|min|, |max|)``.
    """

    in_plane: tuple[float, ...] = (0.7494, 0.8565, 1.864, -2.5046, -3.305)
    out_of_plane: tuple[float, ...] = (1.0099, 0.8112, -0.3462, -0.4538, 1.2048)
    edge: tuple[float, ...] = (6.847e9, -5.012e9, -13.045e9, -4.277e9, 15.193e9)
    edge_slope: float = -9.4e9
    lengths: tuple[float, float] = (400.0, 800.0)
    widths: tuple[float, float] = (100.0, 300.0)
    thicknesses: tuple[float, float] = (10.0, 30.0)
    min_aspect: float = 2.5
    fields: tuple[float, float] = (0.0, 0.10)

    def __post_init__(self) -> None:
        for name in ("in_plane", "out_of_plane", "edge"):
            value = np.asarray(getattr(self, name), dtype=float)
            if value.shape != (N_FEATURES,) or not np.all(np.isfinite(value)):
                raise ValueError(f"{name} must be {N_FEATURES} finite numbers, got {value!r}")
        for name in ("lengths", "widths", "thicknesses", "fields"):
            lo, hi = getattr(self, name)
            if not lo <= hi:
                raise ValueError(f"{name} must be (min, max), got {(lo, hi)!r}")
        if not np.isfinite(self.edge_slope):
            raise ValueError(f"edge_slope must be finite, got {self.edge_slope!r}")

    @classmethod
    def plain_kittel(cls) -> BarResonanceModel:
        """The model with Aharoni's factors unchanged (``k_in = k_out = 1``)."""
        unit = (1.0,) + (0.0,) * (N_FEATURES - 1)
        return replace(cls(), in_plane=unit, out_of_plane=unit)

    @staticmethod
    def features(lengths, widths, thicknesses) -> np.ndarray:
        """(N, 5) features ``(1, t / w, w / l, (t / w)^2, (w / l)^2)`` of bar sizes."""
        length, w, t = np.broadcast_arrays(*(np.atleast_1d(np.asarray(v, dtype=float))
                                             for v in (lengths, widths, thicknesses)))
        p, q = t / w, w / length
        return np.stack([np.ones_like(length), p, q, p * p, q * q], axis=-1)

    def effective_demag_factors(self, lengths, widths, thicknesses) -> np.ndarray:
        """(N, 3) effective factors ``(Nx, Ny_eff, Nz_eff)`` of bars of the given sizes (nm)."""
        self.check_sizes(lengths, widths, thicknesses)
        factors = np.atleast_2d(prism_demag_factors(lengths, widths, thicknesses))
        phi = self.features(lengths, widths, thicknesses)
        nx = factors[:, 0]
        k_in = phi @ np.asarray(self.in_plane)
        k_out = phi @ np.asarray(self.out_of_plane)
        return np.stack([nx, nx + k_in * (factors[:, 1] - nx),
                         nx + k_out * (factors[:, 2] - nx)], axis=-1)

    def edge_frequency(self, lengths, widths, thicknesses) -> np.ndarray:
        """(N,) edge-mode frequency at zero tip field, Hz."""
        return self.features(lengths, widths, thicknesses) @ np.asarray(self.edge)

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

    def check_fields(self, fields) -> None:
        """Warn :class:`OutsideValidatedRange` for bias fields (T) outside the validated range."""
        b = np.atleast_1d(np.asarray(fields, dtype=float))
        lo, hi = self.fields
        if b.size and (np.abs(b).max() > max(abs(lo), abs(hi)) + 1e-12):
            warnings.warn(f"resonance model outside its validated range: bias field up to "
                          f"{np.abs(b).max() * 1e3:g} mT (validated {lo * 1e3:g} to "
                          f"{hi * 1e3:g} mT along the moment)", OutsideValidatedRange,
                          stacklevel=3)
