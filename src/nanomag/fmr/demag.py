"""Demagnetising factors of a uniformly magnetised rectangular prism (Aharoni's closed form).

A. Aharoni, "Demagnetizing factors for rectangular ferromagnetic prisms",
J. Appl. Phys. 83, 3432 (1998), eq. (1).  The three factors of a prism sum to 1.

``prism_centre_demag_factors`` gives the (point) factors at the prism's centre instead: the
field there is that of the two charged faces normal to each axis, ``N_x(0) = (2/pi)
arctan(b c / (a sqrt(a^2 + b^2 + c^2)))`` for half-sizes a, b, c (solid angle of a face); the
three also sum to 1.
"""

from __future__ import annotations

import numpy as np

from nanomag._validate import as_float_array


def _aharoni_nz(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Factor along the axis of half-size ``c`` for a prism of half-sizes a, b, c (any unit)."""
    a2, b2, c2 = a * a, b * b, c * c
    abc = np.sqrt(a2 + b2 + c2)
    ab = np.sqrt(a2 + b2)
    bc = np.sqrt(b2 + c2)
    ac = np.sqrt(a2 + c2)
    pi_d = (
        (b2 - c2) / (2 * b * c) * np.log((abc - a) / (abc + a))
        + (a2 - c2) / (2 * a * c) * np.log((abc - b) / (abc + b))
        + b / (2 * c) * np.log((ab + a) / (ab - a))
        + a / (2 * c) * np.log((ab + b) / (ab - b))
        + c / (2 * a) * np.log((bc - b) / (bc + b))
        + c / (2 * b) * np.log((ac - a) / (ac + a))
        + 2 * np.arctan(a * b / (c * abc))
        + (a**3 + b**3 - 2 * c**3) / (3 * a * b * c)
        + (a2 + b2 - 2 * c2) / (3 * a * b * c) * abc
        + c / (a * b) * (ac + bc)
        - (ab**3 + bc**3 + ac**3) / (3 * a * b * c)
    )
    return pi_d / np.pi


def _half_sizes(length, width, thickness) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    sizes = [as_float_array(v, name) for v, name in
             ((length, "length"), (width, "width"), (thickness, "thickness"))]
    for arr, name in zip(sizes, ("length", "width", "thickness")):
        if np.any(arr <= 0):
            raise ValueError(f"{name} must be positive, got min {arr.min()!r}")
    a, b, c = (0.5 * s for s in np.broadcast_arrays(*sizes))
    return a, b, c


def prism_centre_demag_factors(length, width, thickness) -> np.ndarray:
    """Demagnetising factors (Nx, Ny, Nz) at the centre of uniformly magnetised prisms.

    Same arguments and return shape as :func:`prism_demag_factors`.
    """
    a, b, c = _half_sizes(length, width, thickness)
    r = np.sqrt(a * a + b * b + c * c)
    factors = [np.arctan(q * s / (p * r)) for p, q, s in ((a, b, c), (b, a, c), (c, a, b))]
    return (2 / np.pi) * np.stack(factors, axis=-1)


def prism_demag_factors(length, width, thickness) -> np.ndarray:
    """Demagnetising factors (Nx, Ny, Nz) of rectangular prisms.

    Args:
        length: size along x (the bar's easy axis), any length unit; scalar or (N,).
        width: size along y (in-plane, across the bar), same unit.
        thickness: size along z (out of plane), same unit.

    Returns:
        (..., 3) array ``[Nx, Ny, Nz]`` (dimensionless, summing to 1), broadcast over the inputs.
    """
    a, b, c = _half_sizes(length, width, thickness)
    nx = _aharoni_nz(b, c, a)
    ny = _aharoni_nz(a, c, b)
    nz = _aharoni_nz(a, b, c)
    return np.stack([nx, ny, nz], axis=-1)


def _term(prefactor: np.ndarray, value: np.ndarray) -> np.ndarray:
    """``prefactor * value``, 0 where the prefactor is 0 (its limit in Newell's functions)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        out = prefactor * value
    return np.where(prefactor == 0, 0.0, out)


def _newell_f(x: np.ndarray, y: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Newell's f, whose second differences give the diagonal tensor element N_xx."""
    x, y, z = np.abs(x), np.abs(y), np.abs(z)
    x2, y2, z2 = x * x, y * y, z * z
    r = np.sqrt(x2 + y2 + z2)
    with np.errstate(divide="ignore", invalid="ignore"):
        sy, sz = np.arcsinh(y / np.sqrt(x2 + z2)), np.arcsinh(z / np.sqrt(x2 + y2))
        angle = np.arctan(y * z / (x * r))
    return (_term(0.5 * y * (z2 - x2), sy) + _term(0.5 * z * (y2 - x2), sz)
            - _term(x * y * z, angle) + (2 * x2 - y2 - z2) * r / 6)


def _newell_g(x: np.ndarray, y: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Newell's g, whose second differences give the off-diagonal tensor element N_xy."""
    z = np.abs(z)
    x2, y2, z2 = x * x, y * y, z * z
    r = np.sqrt(x2 + y2 + z2)
    with np.errstate(divide="ignore", invalid="ignore"):
        sz, sx = np.arcsinh(z / np.sqrt(x2 + y2)), np.arcsinh(x / np.sqrt(y2 + z2))
        sy = np.arcsinh(y / np.sqrt(x2 + z2))
        axy, axz, ayz = (np.arctan(x * y / (z * r)), np.arctan(x * z / (y * r)),
                         np.arctan(y * z / (x * r)))
    return (_term(x * y * z, sz) + _term(y * (3 * z2 - y2) / 6, sx)
            + _term(x * (3 * z2 - x2) / 6, sy) - _term(z ** 3 / 6, axy)
            - _term(0.5 * z * y2, axz) - _term(0.5 * z * x2, ayz) - x * y * r / 3)


def cell_grid_tensor(nx: int, ny: int, dx: float, dy: float, dz: float) -> dict[str, np.ndarray]:
    """Demagnetising tensor between the cells of one layer of ``nx`` x ``ny`` cells.

    Newell, Williams & Dunlop, J. Geophys. Res. 98, 9551 (1993): the volume-averaged field
    in a cell of size ``dx`` x ``dy`` x ``dz`` (any length unit) from a uniformly magnetised
    one offset by ``(i dx, j dy, 0)`` is ``-N(i, j) M``.  Returns ``xx``, ``yy``, ``zz``,
    ``xy`` as (2 nx - 1, 2 ny - 1) arrays indexed by ``(i + nx - 1, j + ny - 1)``; in one
    layer ``N_xz = N_yz = 0``.  At ``i = j = 0`` the three diagonal elements are the cell's
    own factors (:func:`prism_demag_factors`), summing to 1.
    """
    x = np.arange(-(nx - 1), nx, dtype=float)[:, None] * dx
    y = np.arange(-(ny - 1), ny, dtype=float)[None, :] * dy
    x, y = np.broadcast_arrays(x, y)
    weight = {-1: -1.0, 0: 2.0, 1: -1.0}
    out = {key: np.zeros(x.shape) for key in ("xx", "yy", "zz", "xy")}
    for i, j, k in np.ndindex(3, 3, 3):
        c = weight[i - 1] * weight[j - 1] * weight[k - 1]
        xs, ys, zs = x + (i - 1) * dx, y + (j - 1) * dy, np.full(x.shape, (k - 1) * dz)
        out["xx"] += c * _newell_f(xs, ys, zs)
        out["yy"] += c * _newell_f(ys, xs, zs)
        out["zz"] += c * _newell_f(zs, ys, xs)
        out["xy"] += c * _newell_g(xs, ys, zs)
    scale = 1.0 / (4 * np.pi * dx * dy * dz)
    return {key: value * scale for key, value in out.items()}
