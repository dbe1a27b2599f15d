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
