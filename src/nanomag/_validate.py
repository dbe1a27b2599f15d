"""Input checks shared by the public API: one clear error that names the parameter.

Every public function and constructor checks its user parameters here, before it allocates or
computes anything:

* numbers (:func:`real`, :func:`positive`, :func:`in_range`) refuse strings, ``None`` and
  bools with ``TypeError`` and NaN or +-inf with ``ValueError``;
* integers (:func:`positive_int`) refuse bools, non-integral floats, NaN and +-inf;
* objects (:func:`instance_of`) must have the documented type (``TypeError``);
* arrays (:func:`as_float_array`, :func:`per_bar`) must convert to finite floats of the
  documented shape;
* resources (:func:`check_memory`): a request whose estimated memory exceeds
  :func:`memory_limit` is refused with the estimate, before anything is allocated;
* results (:func:`finite_result`): a computation that overflows for finite input is an error,
  never a silent NaN or infinity.

Every message starts with, or contains, the parameter's name.
"""

from __future__ import annotations

import numbers
import os

import numpy as np

#: Largest field magnitude the models accept, T (the strongest laboratory magnets reach ~100 T;
#: beyond this the macrospin, Kittel and energy formulas leave their range and overflow).
MAX_FIELD_T = 1e3
#: Largest integer parameter (counts, sizes, seeds): the largest 64-bit index.
MAX_INT = 2**63 - 1
#: Fallback memory limit (bytes) where the physical memory cannot be read.
DEFAULT_MEMORY_LIMIT = 8 * 2**30
#: Environment variable that overrides the memory limit (bytes).
MEMORY_LIMIT_ENV = "NANOMAG_MEMORY_LIMIT"


def memory_limit() -> int:
    """Largest allocation (bytes) one request may need: ``$NANOMAG_MEMORY_LIMIT`` if set, else
    half the physical memory (:data:`DEFAULT_MEMORY_LIMIT` where that cannot be read)."""
    env = os.environ.get(MEMORY_LIMIT_ENV)
    if env:
        return positive_int(int(env), MEMORY_LIMIT_ENV)
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2
    except (AttributeError, ValueError, OSError):
        return DEFAULT_MEMORY_LIMIT


def _bytes_text(n_bytes: float) -> str:
    for unit, size in (("PB", 1e15), ("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n_bytes >= size:
            return f"{n_bytes / size:.3g} {unit}"
    return f"{n_bytes:.0f} B"


def check_memory(count: float, bytes_each: float, name: str, what: str) -> None:
    """Refuse a request of ``count`` items of ``bytes_each`` bytes (``what`` names the items)
    when it would need more than :func:`memory_limit`; the ``ValueError`` names ``name``."""
    need = float(count) * float(bytes_each)
    limit = memory_limit()
    if need > limit:
        raise ValueError(
            f"{name}: {float(count):.1e} {what} would need ~{_bytes_text(need)}; the limit is "
            f"{_bytes_text(limit)} (half the physical memory, or ${MEMORY_LIMIT_ENV})"
        )


def _is_real(value) -> bool:
    if isinstance(value, (bool, np.bool_)):
        return False
    if isinstance(value, np.ndarray):
        return value.ndim == 0 and value.dtype.kind in "iuf"
    return isinstance(value, numbers.Real)


def real(value, name: str) -> float:
    """``value`` as a finite float; ``TypeError`` for a non-number, ``ValueError`` for NaN/inf."""
    if not _is_real(value):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r}")
    v = float(value)
    if not np.isfinite(v):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return v


def optional_real(value, name: str) -> float | None:
    """``None`` or :func:`real`."""
    return None if value is None else real(value, name)


def in_range(value, name: str, low: float | None = None, high: float | None = None, *,
             low_open: bool = False, high_open: bool = False) -> float:
    """A finite float in ``[low, high]`` (``low_open`` / ``high_open`` exclude the ends)."""
    v = real(value, name)
    too_low = low is not None and (v <= low if low_open else v < low)
    too_high = high is not None and (v >= high if high_open else v > high)
    if too_low or too_high:
        lo = "(-inf" if low is None else ("(" if low_open else "[") + f"{low:g}"
        hi = "inf)" if high is None else f"{high:g}" + (")" if high_open else "]")
        raise ValueError(f"{name} must be in {lo}, {hi}, got {value!r}")
    return v


def positive(value, name: str, *, allow_zero: bool = False) -> float:
    """``value`` as a finite float > 0 (>= 0 with ``allow_zero``)."""
    v = real(value, name)
    if v < 0 or (v == 0 and not allow_zero):
        rel = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name} must be finite and {rel}, got {value!r}")
    return v


def positive_int(value, name: str, *, allow_zero: bool = False) -> int:
    """``value`` as an int >= 1 (>= 0 with ``allow_zero``) and <= :data:`MAX_INT` (a 64-bit
    index); integral floats are accepted, bools, strings, non-integral floats, NaN and +-inf are
    not."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Integral,
                                                                     numbers.Real)):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__} {value!r}")
    if not isinstance(value, numbers.Integral) and not (np.isfinite(value) and
                                                        float(value).is_integer()):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    v = int(value)
    if v < 0 or (v == 0 and not allow_zero) or v > MAX_INT:
        rel = ">= 0" if allow_zero else ">= 1"
        raise ValueError(f"{name} must be {rel} and <= {MAX_INT}, got {value!r}")
    return v


def flag(value, name: str) -> bool:
    """``value`` as a bool; only ``True`` / ``False`` (Python or numpy) are accepted."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {type(value).__name__} {value!r:.60}")
    return bool(value)


def seed(value, name: str = "seed") -> int | None:
    """A random seed: ``None`` or a non-negative integer."""
    return None if value is None else positive_int(value, name, allow_zero=True)


def instance_of(value, types: type | tuple[type, ...], name: str, *, allow_none: bool = False):
    """``value`` unchanged if it is an instance of ``types`` (or ``None`` with ``allow_none``);
    otherwise ``TypeError`` naming ``name`` and the expected type."""
    if (allow_none and value is None) or isinstance(value, types):
        return value
    wanted = types if isinstance(types, tuple) else (types,)
    text = " or ".join(t.__name__ for t in wanted) + (" or None" if allow_none else "")
    article = "an" if text[0] in "AEIOUaeiou" else "a"
    raise TypeError(f"{name} must be {article} {text}, got {type(value).__name__} "
                    f"{value!r:.60}")


def choice(value, options, name: str):
    """``value`` if it is one of ``options`` (strings), else ``ValueError`` naming ``name``."""
    if not isinstance(value, str) or value not in options:
        raise ValueError(f"{name} must be one of {tuple(options)}, got {value!r}")
    return value


def as_float_array(value, name: str, shape: tuple[int | None, ...] | None = None) -> np.ndarray:
    """Return ``value`` as a finite float64 array, checking its shape.

    ``shape`` entries of ``None`` match any length.  Raises ``TypeError`` naming ``name`` for
    values that are not numbers and ``ValueError`` on a wrong shape or NaN / infinite entries.
    """
    if value is None or isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be an array of numbers, got {type(value).__name__}")
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as err:
        raise TypeError(f"{name} must be an array of numbers: {err}") from None
    if shape is not None and (arr.ndim != len(shape) or any(
        want is not None and got != want for got, want in zip(arr.shape, shape)
    )):
        want_txt = "(" + ", ".join("*" if s is None else str(s) for s in shape) + ")"
        raise ValueError(f"{name} must have shape {want_txt}, got {arr.shape}")
    if not np.all(np.isfinite(arr)):
        bad = int(np.size(arr) - np.count_nonzero(np.isfinite(arr)))
        raise ValueError(f"{name} contains {bad} NaN or infinite value(s)")
    return arr


def field_array(value, name: str, shape: tuple[int | None, ...] | None = None) -> np.ndarray:
    """:func:`as_float_array` of fields (T) with every magnitude within :data:`MAX_FIELD_T`."""
    arr = as_float_array(value, name, shape)
    if arr.size and np.max(np.abs(arr)) > MAX_FIELD_T:
        raise ValueError(f"{name} must lie within +-{MAX_FIELD_T:g} T, got a magnitude of "
                         f"{np.max(np.abs(arr)):.3g} T")
    return arr


def per_bar(value, name: str, n: int) -> np.ndarray:
    """A scalar or (n,) array as a fresh finite float64 (n,) array; ValueError names ``name``."""
    arr = as_float_array(value, name)
    if arr.ndim == 0:
        return np.full(n, float(arr))
    if arr.shape != (n,):
        raise ValueError(f"{name} must be a scalar or have shape ({n},), got {arr.shape}")
    return arr.copy()


def finite_result(value, name: str, cause: str) -> None:
    """Refuse a non-finite result of finite input: ``ValueError`` naming the result and the
    parameters that caused the overflow (``cause``)."""
    if not np.all(np.isfinite(value)):
        raise ValueError(f"{name} overflows to NaN or infinity for these inputs: {cause}")
