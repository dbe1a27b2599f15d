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

Edge (end) mode.  The end charges turn the magnetisation at each end across the bar (the
end domains of the S / flower state); the field along the bar pulls it back.  The end mode is
the resonance of the end as a macrospin whose easy direction is across the bar
(:func:`nanomag.fmr.kittel.end_mode`): in the axial field ``h = B_tip + mu0 Ms b_e`` with a
transverse anisotropy field ``mu0 Ms a_e`` and an out-of-plane one ``mu0 Ms n_e``, each
factor a second-order expansion in the two ratios of the end's cross-section, ``e . (1, t / w,
l_ex / w, (t / w)^2, l_ex t / w^2)`` (the end mode is local: its factors do not depend on the
bar's length), the anisotropy growing with the field along the moment as
``exp(kappa B_tip / mu0 Ms)``.  Below ``|h| = h_k`` the end is canted and the line
falls with the field; it is soft at that field (the end saturates) and rises above it, as a
Kittel line in ``h``.  ``B_tip`` is the field along the moment at the bar's end (the bias,
plus neighbours' stray field in an array).

Ms and A enter through ``mu0 Ms`` and ``l_ex``; the coefficients are fitted for permalloy (Ms
800 kA/m, A 13 pJ/m) to magnum.np ringdowns of a grid of bars
(``validation/magnumnp_geometry_grid.py``, ``validation/fit_resonance_model.py``,
``docs/fmr.md``), both branches: -50 to +100 mT along the moment.  Outside the sizes and
fields of that grid :class:`OutsideValidatedRange` is warned.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, replace

import numpy as np

from nanomag.fmr.demag import prism_demag_factors
from nanomag.fmr.kittel import end_modes
from nanomag.materials import MU0, PERMALLOY, Material

N_SHAPE = 3  # bulk features: (1, ln(t / w), ln(w / l))
N_BULK = N_SHAPE + 1  # shape coefficients and the exchange coefficient
N_EDGE = 5  # edge features: (1, t / w, l_ex / w, (t / w)^2, l_ex t / w^2)


def _sizes(lengths, widths, thicknesses) -> list[np.ndarray]:
    """Bar sizes as broadcast (N,) float arrays."""
    return np.broadcast_arrays(*(np.atleast_1d(np.asarray(v, dtype=float))
                                 for v in (lengths, widths, thicknesses)))


def exchange_length_nm(material: Material) -> float:
    """Exchange length ``sqrt(2 A / (mu0 Ms^2))`` of ``material``, nm."""
    return float(np.sqrt(2 * material.exchange / (MU0 * material.Ms ** 2)) * 1e9)


def end_fields(tip_field, offset, anisotropy, growth, fields) -> tuple[np.ndarray, np.ndarray]:
    """A bar end's axial field ``h = B_tip + offset`` and transverse anisotropy field
    ``h_k = anisotropy exp(growth clip(B_tip, *fields))`` (T; ``growth`` in 1/T; the growth
    held at its value at the ends of the validated ``fields``), broadcast."""
    b = np.asarray(tip_field, dtype=float)
    return b + offset, anisotropy * np.exp(growth * np.clip(b, *fields))


def end_cosines(tip_field, offset, anisotropy, growth, fields) -> np.ndarray:
    """Cosine of a bar end's angle from the bar axis, ``clip(h / h_k, -1, 1)`` of
    :func:`end_fields`: 1 for a saturated end, -1 for one turned against the moment."""
    h, h_k = end_fields(tip_field, offset, anisotropy, growth, fields)
    return np.clip(h / h_k, -1.0, 1.0)


class OutsideValidatedRange(UserWarning):
    """A bar size or bias field lies outside the range the resonance model was validated on."""


@dataclass(frozen=True)
class BarResonanceModel:
    """Geometry-true resonance model of a single bar.

    Attributes:
        in_plane: (c0, c1, c2, x_in): ``k_in`` on ``(1, ln(t/w), ln(w/l))`` and the exchange
            coefficient of ``D_in``.
        out_of_plane: (c0, c1, c2, x_out), the same for ``D_out``.
        edge_field: (e0, ..., e4) of the end's axial field offset ``b_e`` (units of mu0 Ms)
            on ``(1, t/w, l_ex/w, (t/w)^2, l_ex t/w^2)``.
        edge_anisotropy: the same for its transverse anisotropy ``a_e`` (units of mu0 Ms).
        edge_factor: the same for its out-of-plane anisotropy ``n_e`` (units of mu0 Ms).
        edge_growth: ``kappa``: the transverse anisotropy field grows with the field along
            the moment at the end, ``mu0 Ms a_e exp(kappa B_tip / (mu0 Ms))`` (the end domain
            shortens as the field pushes it out, and lengthens ahead of reversal); outside
            ``fields`` it stays at its value at the nearer end of the range.
        lengths: validated (min, max) length, nm.
        widths: validated (min, max) width, nm.
        thicknesses: validated (min, max) thickness, nm.
        min_aspect: smallest validated length / width.
        fields: validated (min, max) field along the moment, T (negative: the antiparallel
            branch).
        min_end_cosine: smallest validated cosine of the end's canting angle
            (:meth:`end_cosine`).  Below it, on the antiparallel branch, the end domains have
            grown ahead of reversal and the bulk line softens faster than the model's.
    """

    in_plane: tuple[float, ...] = (1.2557, 0.0595, 0.1001, 0.3946)
    out_of_plane: tuple[float, ...] = (1.3706, 0.0685, 0.0708, -0.8383)
    edge_field: tuple[float, ...] = (-0.0232, 0.0115, 0.542, 0.1417, 1.4047)
    edge_anisotropy: tuple[float, ...] = (0.0428, 0.1227, -0.2461, -0.3343, 2.1561)
    edge_factor: tuple[float, ...] = (0.1174, -2.356, 15.798, 3.4015, -23.336)
    edge_growth: float = 5.5383
    lengths: tuple[float, float] = (400.0, 800.0)
    widths: tuple[float, float] = (100.0, 300.0)
    thicknesses: tuple[float, float] = (10.0, 30.0)
    min_aspect: float = 2.5
    fields: tuple[float, float] = (-0.05, 0.10)
    min_end_cosine: float = -0.55

    def __post_init__(self) -> None:
        for name, size in (("in_plane", N_BULK), ("out_of_plane", N_BULK),
                           ("edge_field", N_EDGE), ("edge_anisotropy", N_EDGE),
                           ("edge_factor", N_EDGE)):
            value = np.asarray(getattr(self, name), dtype=float)
            if value.shape != (size,) or not np.all(np.isfinite(value)):
                raise ValueError(f"{name} must be {size} finite numbers, got {value!r}")
        if not np.isfinite(self.edge_growth):
            raise ValueError(f"edge_growth must be finite, got {self.edge_growth!r}")
        for name in ("lengths", "widths", "thicknesses", "fields"):
            lo, hi = getattr(self, name)
            if not lo <= hi:
                raise ValueError(f"{name} must be (min, max), got {(lo, hi)!r}")

    @classmethod
    def plain_kittel(cls) -> BarResonanceModel:
        """The model with Aharoni's factors unchanged (``k_in = k_out = 1``, no exchange)."""
        unit = (1.0,) + (0.0,) * (N_BULK - 1)
        return replace(cls(), in_plane=unit, out_of_plane=unit)

    @staticmethod
    def shape_features(lengths, widths, thicknesses) -> np.ndarray:
        """(N, 3) bulk features ``(1, ln(t / w), ln(w / l))`` of bar sizes."""
        length, w, t = _sizes(lengths, widths, thicknesses)
        return np.stack([np.ones_like(w), np.log(t / w), np.log(w / length)], axis=-1)

    @staticmethod
    def edge_features(lengths, widths, thicknesses, material: Material = PERMALLOY
                      ) -> np.ndarray:
        """(N, 5) edge features ``(1, t / w, l_ex / w, (t / w)^2, l_ex t / w^2)`` of bar
        sizes."""
        _, w, t = _sizes(lengths, widths, thicknesses)
        aspect, exchange = t / w, exchange_length_nm(material) / w
        return np.stack([np.ones_like(w), aspect, exchange, aspect ** 2, aspect * exchange],
                        axis=-1)

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

    def edge_factors(self, lengths, widths, thicknesses,
                     material: Material = PERMALLOY) -> np.ndarray:
        """(N, 3) end-mode factors ``(b_e, a_e, n_e)`` in units of mu0 Ms (see the module
        docstring).  No range check (:meth:`effective_demag_factors` and
        :meth:`edge_frequency` warn)."""
        phi = self.edge_features(lengths, widths, thicknesses, material)
        coefs = np.array([self.edge_field, self.edge_anisotropy, self.edge_factor])
        return phi @ coefs.T

    def edge_frequency(self, lengths, widths, thicknesses, tip_field,
                       material: Material = PERMALLOY) -> np.ndarray:
        """(N,) edge-mode frequency (Hz) at the field ``tip_field`` (T) along the moment at the
        bar's end; NaN where the end mode is soft."""
        self.check_sizes(lengths, widths, thicknesses)
        fields = MU0 * material.Ms * self.edge_factors(lengths, widths, thicknesses, material)
        h, h_k = end_fields(tip_field, fields[:, 0], fields[:, 1],
                            self.edge_growth_per_tesla(material), self.fields)
        h, h_k, m_z = (np.ascontiguousarray(v, dtype=float)
                       for v in np.broadcast_arrays(h, h_k, fields[:, 2]))
        b1, b2 = np.empty_like(h), np.empty_like(h)
        end_modes(h, h_k, m_z, b1, b2)
        with np.errstate(invalid="ignore"):
            return np.where(b1 > 0, material.gamma_over_2pi * np.sqrt(b1 * b2), np.nan)

    def end_cosine(self, lengths, widths, thicknesses, tip_field,
                   material: Material = PERMALLOY) -> np.ndarray:
        """(N,) cosine of the end's angle from the bar axis, ``clip(h / h_k, -1, 1)`` with
        ``h`` the end's axial field at ``tip_field`` (T) and ``h_k`` its transverse
        anisotropy field: 1 for a saturated end, near -1 for an end turned against the moment
        (ahead of reversal)."""
        b_e, a_e, _ = (self.edge_factors(lengths, widths, thicknesses, material).T
                       * MU0 * material.Ms)
        return end_cosines(tip_field, b_e, a_e, self.edge_growth_per_tesla(material),
                           self.fields)

    def edge_growth_per_tesla(self, material: Material = PERMALLOY) -> float:
        """``kappa / (mu0 Ms)``, 1/T: the rate at which the end's anisotropy field grows
        with the field along the moment."""
        return float(self.edge_growth / (MU0 * material.Ms))

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

    def check_fields(self, fields, end_cosines=None) -> None:
        """Warn :class:`OutsideValidatedRange` for fields along the moment (T; negative on
        the antiparallel branch) outside the validated range, and for end cosines
        (:meth:`end_cosine`) below ``min_end_cosine``."""
        b = np.atleast_1d(np.asarray(fields, dtype=float))
        lo, hi = self.fields
        if b.size and (b.min() < lo - 1e-12 or b.max() > hi + 1e-12):
            warnings.warn(f"resonance model outside its validated range: field along the "
                          f"moment {b.min() * 1e3 + 0.0:g} to {b.max() * 1e3 + 0.0:g} mT "
                          f"(validated {lo * 1e3:g} to {hi * 1e3:g} mT; negative: antiparallel)",
                          OutsideValidatedRange, stacklevel=4)
        c = np.atleast_1d(np.asarray([] if end_cosines is None else end_cosines, dtype=float))
        if c.size and c.min() < self.min_end_cosine:
            warnings.warn(f"resonance model outside its validated range: bar ends turned "
                          f"ahead of reversal (end cosine down to {c.min():.2f}, validated >= "
                          f"{self.min_end_cosine:g})", OutsideValidatedRange, stacklevel=4)
