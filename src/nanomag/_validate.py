"""Input checks shared by the public API: clear errors that name the parameter."""

from __future__ import annotations

import numpy as np


def as_float_array(value, name: str, shape: tuple[int | None, ...] | None = None) -> np.ndarray:
    """Return ``value`` as a finite float64 array, checking its shape.

    ``shape`` entries of ``None`` match any length.  Raises ``ValueError`` naming
    ``name`` on a wrong shape or on NaN / infinite entries.
    """
    arr = np.asarray(value, dtype=np.float64)
    if shape is not None:
        if arr.ndim != len(shape) or any(
            want is not None and got != want for got, want in zip(arr.shape, shape)
        ):
            want_txt = "(" + ", ".join("*" if s is None else str(s) for s in shape) + ")"
            raise ValueError(f"{name} must have shape {want_txt}, got {arr.shape}")
    if not np.all(np.isfinite(arr)):
        bad = int(np.size(arr) - np.count_nonzero(np.isfinite(arr)))
        raise ValueError(f"{name} contains {bad} NaN or infinite value(s)")
    return arr


def positive(value: float, name: str, *, allow_zero: bool = False) -> float:
    """Return ``value`` as float, raising ``ValueError`` naming ``name`` unless it is > 0 (or >= 0)."""
    v = float(value)
    ok = v >= 0 if allow_zero else v > 0
    if not np.isfinite(v) or not ok:
        rel = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name} must be finite and {rel}, got {value!r}")
    return v


def positive_int(value: int, name: str, *, allow_zero: bool = False) -> int:
    """Return ``value`` as int, raising ``ValueError`` naming ``name`` unless it is a positive integer."""
    if isinstance(value, bool) or int(value) != value:
        raise ValueError(f"{name} must be an integer, got {value!r}")
    v = int(value)
    if v < 0 or (v == 0 and not allow_zero):
        rel = ">= 0" if allow_zero else ">= 1"
        raise ValueError(f"{name} must be {rel}, got {value!r}")
    return v


def per_bar(value, name: str, n: int) -> np.ndarray:
    """A scalar or (n,) array as a fresh finite float64 (n,) array; ValueError names ``name``."""
    arr = as_float_array(value, name)
    if arr.ndim == 0:
        return np.full(n, float(arr))
    if arr.shape != (n,):
        raise ValueError(f"{name} must be a scalar or have shape ({n},), got {arr.shape}")
    return arr.copy()
