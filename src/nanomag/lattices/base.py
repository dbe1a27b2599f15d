"""The geometry of a nanobar array: where each bar sits, which way it points, how big it is.

Units: lengths in nm at the API.  The physics kernels work in *reduced* lengths,
``r / lattice_spacing`` (flatspin's convention, lattice spacing 1), so that the
point-dipole coupling of bar ``j`` is ``alpha_j = mu0 Ms V_j / (4 pi a^3)`` in tesla.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from nanomag._validate import as_float_array, in_range, instance_of

#: Accepted range of every length (positions, bar sizes, lattice spacing), nm: from far below
#: an atom (reduced-unit geometries use bars of 0.02 "nm") to a kilometre, so that squared
#: distances and volumes stay finite.
MIN_LENGTH_NM = 1e-6
MAX_LENGTH_NM = 1e12


def _lengths(value, name: str, n: int, *, signed: bool = False) -> np.ndarray:
    """``value`` (scalar or (n,) / (n, 2) array) as finite lengths in the accepted range, nm."""
    arr = as_float_array(np.full(n, value, dtype=np.float64) if np.ndim(value) == 0 else value,
                         name, (n, 2) if signed else (n,))
    magnitude = np.abs(arr) if signed else arr
    low = 0.0 if signed else MIN_LENGTH_NM
    if arr.size and (magnitude.min() < low or magnitude.max() > MAX_LENGTH_NM):
        raise ValueError(f"{name} must lie within [{low:g}, {MAX_LENGTH_NM:g}] nm in magnitude; "
                         f"got values in [{magnitude.min():g}, {magnitude.max():g}]")
    return arr


@dataclass(frozen=True, eq=False)
class BarArray:
    """An array of rectangular nanobars (macrospins) in the plane.

    Attributes:
        positions: (N, 2) bar centres, nm.
        angles: (N,) easy-axis angle, rad, counter-clockwise from +x.  A bar with spin +1
            points along ``(cos angle, sin angle)``.
        lengths: (N,) bar lengths along the easy axis, nm.
        widths: (N,) bar widths (in-plane, across the axis), nm.
        thickness: (N,) bar thicknesses, nm.
        lattice_spacing: the reduced length unit ``a``, nm (the vertex-to-vertex period
            of a square ice; see each lattice's docstring).
        name: which generator made it (``"custom"`` for user arrays).
        params: the generator's parameters, for provenance.
        vertices: optional (V, k) bar indices meeting at each vertex, ``-1`` padded.
    """

    positions: np.ndarray
    angles: np.ndarray
    lengths: np.ndarray
    widths: np.ndarray
    thickness: np.ndarray
    lattice_spacing: float
    name: str = "custom"
    params: dict = field(default_factory=dict)
    vertices: np.ndarray | None = None

    def __post_init__(self) -> None:
        n = as_float_array(self.positions, "positions", (None, 2)).shape[0]
        if n == 0:
            raise ValueError("positions must hold at least one bar")
        set_ = object.__setattr__
        set_(self, "positions", _lengths(self.positions, "positions", n, signed=True))
        set_(self, "angles", as_float_array(self.angles, "angles", (n,)))
        for name in ("lengths", "widths", "thickness"):
            set_(self, name, _lengths(getattr(self, name), name, n))
        set_(self, "lattice_spacing", in_range(self.lattice_spacing, "lattice_spacing",
                                               MIN_LENGTH_NM, MAX_LENGTH_NM))
        instance_of(self.name, str, "name")
        instance_of(self.params, dict, "params")
        if self.vertices is not None:
            v = np.asarray(self.vertices, dtype=np.int64)
            if v.ndim != 2 or v.size and (v.min() < -1 or v.max() >= n):
                raise ValueError("vertices must be a (V, k) array of bar indices in [-1, N)")
            set_(self, "vertices", v)
        for arr in (self.positions, self.angles, self.lengths, self.widths, self.thickness):
            arr.setflags(write=False)

    @property
    def n_bars(self) -> int:
        """Number of bars N."""
        return self.positions.shape[0]

    def __len__(self) -> int:
        return self.n_bars

    @property
    def axes(self) -> np.ndarray:
        """(N, 2) unit vectors along each bar's easy axis (direction of spin +1)."""
        return np.stack([np.cos(self.angles), np.sin(self.angles)], axis=1)

    @property
    def reduced_positions(self) -> np.ndarray:
        """(N, 2) positions in units of the lattice spacing."""
        return self.positions / self.lattice_spacing

    @property
    def volumes(self) -> np.ndarray:
        """(N,) bar volumes, m^3."""
        return self.lengths * self.widths * self.thickness * 1e-27

    def check_separated(self, indptr: np.ndarray, indices: np.ndarray) -> None:
        """Refuse overlapping bars among the neighbour pairs of the CSR list ``(indptr,
        indices)``: bars whose centres are closer than their mean width overlap, and the field
        between them diverges.  Raises ``ValueError`` naming ``positions`` and the two bars."""
        rows = np.repeat(np.arange(self.n_bars), np.diff(indptr))
        dist = np.hypot(*(self.positions[rows] - self.positions[indices]).T)
        reach = 0.5 * (self.widths[rows] + self.widths[indices])
        close = np.flatnonzero(dist < reach)
        if close.size:
            k = close[0]
            raise ValueError(
                f"positions: bars {rows[k]} and {indices[k]} overlap (centres {dist[k]:.3g} nm "
                f"apart, less than their mean width {reach[k]:.3g} nm)"
            )

    def subset(self, index) -> "BarArray":
        """A new array holding only the bars selected by ``index`` (vertices dropped)."""
        idx = np.asarray(index)
        return BarArray(
            positions=self.positions[idx],
            angles=self.angles[idx],
            lengths=self.lengths[idx],
            widths=self.widths[idx],
            thickness=self.thickness[idx],
            lattice_spacing=self.lattice_spacing,
            name=self.name,
            params=dict(self.params),
        )

    def __repr__(self) -> str:
        widths = np.unique(np.round(self.widths, 3))
        wtxt = ", ".join(f"{w:g}" for w in widths[:4]) + (", ..." if widths.size > 4 else "")
        return (
            f"BarArray(name={self.name!r}, n_bars={self.n_bars}, "
            f"lattice_spacing={self.lattice_spacing:g} nm, widths=[{wtxt}] nm)"
        )
