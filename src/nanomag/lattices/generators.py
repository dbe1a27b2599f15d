"""Built-in lattice generators, registered by name for :func:`make_lattice`.

Every generator returns a :class:`BarArray` in nm.  ``positions / lattice_spacing`` is the
reduced geometry of the matching flatspin lattice (see :mod:`nanomag.lattices.skeleton` for
the exact conventions and the bar order, row by row in ``y`` then ``x``).  ``vertices`` lists,
for every lattice vertex touched by two or more bars, the indices of its bars (``-1`` padded).

Physical defaults are those of the Gartside et al. (2022) spin-vortex ice: 600 nm long,
20 nm thick Permalloy bars whose ends sit 100 nm from the vertex centre (an 800 nm
vertex-to-vertex period on the square lattices).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from nanomag._validate import as_float_array, check_memory, in_range, positive_int
from nanomag._validate import seed as checked_seed
from nanomag.lattices import skeleton as sk
from nanomag.lattices.base import MAX_LENGTH_NM, MIN_LENGTH_NM, BarArray
from nanomag.lattices.registry import register
from nanomag.lattices.widths import wide_mask

SQUARE_SPACING_NM = 800.0
BAR_LENGTH_NM = 600.0
BAR_WIDTH_NM = 150.0
THICKNESS_NM = 20.0
THIN_WIDTH_NM = 125.0
WIDE_WIDTH_NM = 200.0
#: Estimated memory per bar of a simulated array (geometry, engine state, neighbour lists and
#: pair fields, FMR stray-field table), bytes: the basis of the size limit.
BYTES_PER_BAR = 512


def _size(size: Sequence[int], bars_per_cell: int = 2) -> tuple[int, int]:
    """Validate a (nx, ny) lattice size; refuse one whose ``bars_per_cell nx ny`` bars would
    need more than the memory limit (:func:`nanomag._validate.check_memory`)."""
    if isinstance(size, (str, bytes)) or np.ndim(size) != 1 or len(size) != 2:
        raise ValueError(f"size must be a pair (nx, ny) of positive integers, got {size!r}")
    nx, ny = positive_int(size[0], "size[0]"), positive_int(size[1], "size[1]")
    check_memory(bars_per_cell * nx * ny, BYTES_PER_BAR, "size", "bars")
    return nx, ny


def _length(value, name: str) -> float:
    """A length parameter, nm, within the range every bar array accepts."""
    return in_range(value, name, MIN_LENGTH_NM, MAX_LENGTH_NM)


def _build(
    skel: sk.Skeleton,
    name: str,
    params: dict,
    widths,
    angles: np.ndarray | None = None,
) -> BarArray:
    """Scale a reduced skeleton to nm (``params`` holds ``lattice_spacing``, ``bar_length`` and
    ``thickness``, and is kept as the array's provenance), checking that the bars fit on their
    edges."""
    extent = max(float(np.max(np.abs(skel.positions), initial=1.0)), 1.0)
    a = in_range(params["lattice_spacing"], "lattice_spacing", MIN_LENGTH_NM,
                 MAX_LENGTH_NM / extent)
    length = _length(params["bar_length"], "bar_length")
    edge = 2.0 * a * float(np.min(np.hypot(*(skel.half * np.asarray(skel.unit)).T)))
    if length >= edge:
        raise ValueError(
            f"bar_length ({length:g} nm) must be shorter than the vertex-to-vertex edge "
            f"({edge:g} nm) set by lattice_spacing"
        )
    return BarArray(
        positions=skel.positions * a,
        angles=skel.angles if angles is None else angles,
        lengths=length,
        widths=widths,
        thickness=_length(params["thickness"], "thickness"),
        lattice_spacing=a,
        name=name,
        params=params,
        vertices=skel.vertices(),
    )


def _single_width(name: str, skel: sk.Skeleton, size: tuple[int, int], lattice_spacing: float,
                  bar_length: float, bar_width: float, thickness: float,
                  angles: np.ndarray | None = None, **extra) -> BarArray:
    """A lattice whose bars all have one width; ``extra`` joins the provenance parameters."""
    params = dict(size=size, lattice_spacing=lattice_spacing, bar_length=bar_length,
                  bar_width=bar_width, thickness=thickness, **extra)
    return _build(skel, name, params, _length(bar_width, "bar_width"), angles)


def _two_widths(mask: np.ndarray, thin_width: float, wide_width: float) -> np.ndarray:
    thin = _length(thin_width, "thin_width")
    wide = _length(wide_width, "wide_width")
    return np.where(mask, wide, thin)


@register("square")
def square(
    size: Sequence[int] = (10, 10),
    lattice_spacing: float = SQUARE_SPACING_NM,
    bar_length: float = BAR_LENGTH_NM,
    bar_width: float = BAR_WIDTH_NM,
    thickness: float = THICKNESS_NM,
) -> BarArray:
    """Square artificial spin ice with closed edges (flatspin's ``SquareSpinIceClosed``).

    ``size = (nx, ny)`` cells; vertices on the integer points ``(0..nx, 0..ny)`` (reduced), bars
    on the ``2 nx ny + nx + ny`` edges between them: horizontal (angle 0) at ``(i + 1/2, j)``,
    vertical (angle pi/2) at ``(i, j + 1/2)``.  Interior vertices hold 4 bars, edge vertices 3,
    corners 2.

    Args:
        size: (nx, ny) number of cells along x and y.
        lattice_spacing: vertex-to-vertex period ``a``, nm.
        bar_length, bar_width, thickness: bar dimensions, nm.
    """
    nx, ny = _size(size)
    return _single_width("square", sk.square_closed(nx, ny), (nx, ny), lattice_spacing,
                         bar_length, bar_width, thickness)


@register("square_open")
def square_open(
    size: Sequence[int] = (10, 10),
    lattice_spacing: float = SQUARE_SPACING_NM / np.sqrt(2.0),
    bar_length: float = BAR_LENGTH_NM,
    bar_width: float = BAR_WIDTH_NM,
    thickness: float = THICKNESS_NM,
) -> BarArray:
    """Square artificial spin ice with open edges (flatspin's ``SquareSpinIceOpen``).

    The square ice turned by 45 deg: ``nx * ny`` bars on the integer points ``(col, row)``
    (reduced), at 45 deg where ``row + col`` is even and 135 deg where it is odd.  Vertices sit
    at the cell centres ``(col + 1/2, row + 1/2)``; those on the boundary have fewer than 4
    bars.  The reduced unit is the distance between neighbouring bar centres, so the
    vertex-to-vertex period is ``sqrt(2) * lattice_spacing``; the default makes that 800 nm,
    the same physical array as :func:`square`.

    Args:
        size: (nx, ny) number of bars along x and y.
        lattice_spacing: centre-to-centre distance of neighbouring bars, nm.
        bar_length, bar_width, thickness: bar dimensions, nm.
    """
    nx, ny = _size(size)
    return _single_width("square_open", sk.square_open(nx, ny), (nx, ny), lattice_spacing,
                         bar_length, bar_width, thickness)


@register("kagome")
def kagome(
    size: Sequence[int] = (5, 5),
    lattice_spacing: float = 400.0 * np.sqrt(3.0),
    bar_length: float = BAR_LENGTH_NM,
    bar_width: float = BAR_WIDTH_NM,
    thickness: float = THICKNESS_NM,
) -> BarArray:
    """Kagome artificial spin ice (flatspin's ``KagomeSpinIce``): bars on honeycomb edges.

    ``size = (nx, ny)``: ``ny`` rows of ``nx`` hexagons, odd rows shifted right by one
    (reduced); hexagon ``(i, j)`` is centred at ``(1 + 2i + j mod 2, sqrt(3)/2 (1 + 2j))``.
    Bars point at -30, 30 or 90 deg; neighbouring bar centres are 1 apart and the honeycomb
    edge (vertex to vertex) is ``2 / sqrt(3)``.  Interior vertices hold 3 bars.  The default
    spacing puts the honeycomb vertices 800 nm apart (bar ends 100 nm from the vertex).

    Args:
        size: (nx, ny) hexagons per row and number of rows.
        lattice_spacing: centre-to-centre distance of neighbouring bars, nm.
        bar_length, bar_width, thickness: bar dimensions, nm.
    """
    nx, ny = _size(size, bars_per_cell=3)
    return _single_width("kagome", sk.kagome(nx, ny), (nx, ny), lattice_spacing, bar_length,
                         bar_width, thickness)


def _pinwheel_angles(skel: sk.Skeleton, spin_angle: float) -> np.ndarray:
    rot = float(as_float_array(spin_angle, "spin_angle", ()))
    return skel.angles - np.deg2rad(rot)


@register("pinwheel")
def pinwheel(
    size: Sequence[int] = (10, 10),
    lattice_spacing: float = SQUARE_SPACING_NM,
    bar_length: float = BAR_LENGTH_NM,
    bar_width: float = BAR_WIDTH_NM,
    thickness: float = THICKNESS_NM,
    spin_angle: float = 45.0,
) -> BarArray:
    """Pinwheel spin ice (flatspin's ``PinwheelSpinIceDiamond``).

    The closed square ice of :func:`square` with every bar turned about its own centre by
    ``-spin_angle`` (clockwise for positive ``spin_angle``, flatspin's sign): horizontal bars
    at -45 deg, vertical bars at +45 deg by default.  Positions, bar order and vertices are
    those of :func:`square`.

    Args:
        size: (nx, ny) number of cells along x and y.
        lattice_spacing: vertex-to-vertex period of the underlying square lattice, nm.
        bar_length, bar_width, thickness: bar dimensions, nm.
        spin_angle: clockwise rotation of every bar, deg.
    """
    nx, ny = _size(size)
    skel = sk.square_closed(nx, ny)
    return _single_width("pinwheel", skel, (nx, ny), lattice_spacing, bar_length, bar_width,
                         thickness, angles=_pinwheel_angles(skel, spin_angle),
                         spin_angle=spin_angle)


@register("asvi_width_modulated")
def asvi_width_modulated(
    size: Sequence[int] = (10, 10),
    lattice_spacing: float = SQUARE_SPACING_NM,
    bar_length: float = BAR_LENGTH_NM,
    thin_width: float = THIN_WIDTH_NM,
    wide_width: float = WIDE_WIDTH_NM,
    thickness: float = THICKNESS_NM,
    layout: str = "staircase",
    seed: int | None = 0,
) -> BarArray:
    """Width-modified square artificial spin-vortex ice (Gartside et al. 2022, "WM").

    The closed square ice of :func:`square` with two width classes: thin bars (macrospins) and
    wide bars (which can also hold a vortex).  ``layout`` says which bars are wide; the default
    ``"staircase"`` makes one horizontal and one vertical bar wide at every vertex so that the
    wide bars form continuous staircases along the (1, 1) diagonal.  The layouts
    (``"staircase"``, ``"checkerboard"``, ``"rows"``, ``"random"``) are defined exactly in
    :mod:`nanomag.lattices.widths`.

    Args:
        size: (nx, ny) number of cells along x and y.
        lattice_spacing: vertex-to-vertex period, nm.
        bar_length, thickness: bar dimensions, nm.
        thin_width, wide_width: the two bar widths, nm.
        layout: which bars are wide.
        seed: seed of the ``"random"`` layout.
    """
    nx, ny = _size(size)
    skel = sk.square_closed(nx, ny)
    return _build(
        skel,
        name="asvi_width_modulated",
        params=dict(size=(nx, ny), lattice_spacing=lattice_spacing, bar_length=bar_length,
                    thin_width=thin_width, wide_width=wide_width, thickness=thickness,
                    layout=layout, seed=seed),
        widths=_two_widths(wide_mask(skel.positions, layout, checked_seed(seed)), thin_width,
                           wide_width),
    )


@register("pinwheel_disordered")
def pinwheel_disordered(
    size: Sequence[int] = (10, 10),
    lattice_spacing: float = SQUARE_SPACING_NM,
    bar_length: float = BAR_LENGTH_NM,
    thin_width: float = THIN_WIDTH_NM,
    wide_width: float = WIDE_WIDTH_NM,
    thickness: float = THICKNESS_NM,
    angle_disorder: float = 5.0,
    layout: str = "random",
    spin_angle: float = 45.0,
    seed: int | None = 0,
) -> BarArray:
    """Disordered pinwheel artificial spin-vortex ice (Stenning et al. 2024, "PW").

    The pinwheel geometry of :func:`pinwheel` with (i) every bar's angle shifted by an
    independent Gaussian of standard deviation ``angle_disorder`` degrees, and (ii) two width
    classes laid out by ``layout`` (default ``"random"``: a seeded half of the bars wide; the
    layouts are those of :mod:`nanomag.lattices.widths`, defined on the unrotated square ice).
    Both draws come from one ``numpy.random.default_rng(seed)`` stream, widths first.  The
    published array's exact disorder amplitude and width pattern are not documented here;
    ``angle_disorder = 5`` deg and the random half-wide layout are modelling choices to fit.

    Args:
        size: (nx, ny) number of cells along x and y.
        lattice_spacing: vertex-to-vertex period of the underlying square lattice, nm.
        bar_length, thickness: bar dimensions, nm.
        thin_width, wide_width: the two bar widths, nm.
        angle_disorder: standard deviation of the angle disorder, deg, in [0, 360] (0 for
            none).
        layout: which bars are wide.
        spin_angle: clockwise rotation of every bar before disorder, deg.
        seed: seed of the width layout and the angle disorder.
    """
    nx, ny = _size(size)
    sigma = in_range(angle_disorder, "angle_disorder", 0.0, 360.0)
    skel = sk.square_closed(nx, ny)
    rng = np.random.default_rng(checked_seed(seed))
    mask = wide_mask(skel.positions, layout, rng)
    angles = _pinwheel_angles(skel, spin_angle) + np.deg2rad(sigma) * rng.standard_normal(
        mask.size
    )
    return _build(
        skel,
        name="pinwheel_disordered",
        params=dict(size=(nx, ny), lattice_spacing=lattice_spacing, bar_length=bar_length,
                    thin_width=thin_width, wide_width=wide_width, thickness=thickness,
                    angle_disorder=angle_disorder, layout=layout, spin_angle=spin_angle,
                    seed=seed),
        widths=_two_widths(mask, thin_width, wide_width),
        angles=angles,
    )


@register("custom")
def custom(
    positions,
    angles,
    widths=BAR_WIDTH_NM,
    lengths=BAR_LENGTH_NM,
    thickness=THICKNESS_NM,
    lattice_spacing: float = SQUARE_SPACING_NM,
    vertices=None,
) -> BarArray:
    """A user-defined bar array.

    Args:
        positions: (N, 2) bar centres, nm; must be distinct.
        angles: (N,) easy-axis angles, rad, counter-clockwise from +x.
        widths, lengths, thickness: per-bar (N,) arrays or scalars, nm.
        lattice_spacing: reduced length unit, nm.
        vertices: optional (V, k) bar indices per vertex, ``-1`` padded.
    """
    pos = as_float_array(positions, "positions", (None, 2))
    if np.unique(pos, axis=0).shape[0] != pos.shape[0]:
        raise ValueError("positions must be distinct: two or more bars share a centre")
    return BarArray(
        positions=pos,
        angles=np.atleast_1d(as_float_array(angles, "angles")),
        lengths=lengths,
        widths=widths,
        thickness=thickness,
        lattice_spacing=lattice_spacing,
        name="custom",
        params=dict(lattice_spacing=lattice_spacing),
        vertices=vertices,
    )
