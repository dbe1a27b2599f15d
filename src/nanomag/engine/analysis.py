"""Quantities read off recorded results: field projections and coercive fields of a loop."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from nanomag._validate import as_float_array


class CoerciveFields(NamedTuple):
    """Fields (T) where the magnetization crosses zero on each branch of a hysteresis loop.

    ``descending``: on the branch where the field decreases (M goes from + to -);
    ``ascending``: where it increases (M from - to +).  NaN when a branch has no crossing.
    """

    descending: float
    ascending: float

    @property
    def coercivity(self) -> float:
        """Half the loop width, ``(ascending - descending) / 2``, T."""
        return 0.5 * (self.ascending - self.descending)

    @property
    def bias(self) -> float:
        """Loop shift (exchange-bias-like offset), ``(ascending + descending) / 2``, T."""
        return 0.5 * (self.ascending + self.descending)


def along(vectors, angle_deg: float) -> np.ndarray:
    """Projection of (T, 2) in-plane vectors on the direction ``angle_deg`` (deg from +x)."""
    v = as_float_array(vectors, "vectors", (None, 2))
    phi = np.deg2rad(float(angle_deg))
    return v @ np.array([np.cos(phi), np.sin(phi)])


def coercive_fields(field_along, magnetization_along) -> CoerciveFields:
    """Coercive fields of a hysteresis loop, by linear interpolation of the zero crossings.

    Each step ``i -> i+1`` belongs to the descending branch when the field decreases and to
    the ascending branch when it increases.  The descending coercive field is the first
    crossing from ``M > 0`` to ``M <= 0`` on a descending step, the ascending one the first
    crossing from ``M < 0`` to ``M >= 0`` on an ascending step; within the step the field is
    interpolated linearly in M.

    Args:
        field_along: (T,) applied field along the loop direction, T.
        magnetization_along: (T,) magnetization along the same direction (any units).

    Returns:
        The two crossing fields (T), NaN for a branch without a crossing.
    """
    h = as_float_array(field_along, "field_along", (None,))
    m = as_float_array(magnetization_along, "magnetization_along", (h.shape[0],))
    dh = np.diff(h)
    m0, m1 = m[:-1], m[1:]
    down = (dh < 0) & (m0 > 0) & (m1 <= 0)
    up = (dh > 0) & (m0 < 0) & (m1 >= 0)
    return CoerciveFields(_first_crossing(h, m, down), _first_crossing(h, m, up))


def _first_crossing(h: np.ndarray, m: np.ndarray, mask: np.ndarray) -> float:
    idx = np.flatnonzero(mask)
    if idx.size == 0:
        return float("nan")
    i = idx[0]
    return float(h[i] - m[i] * (h[i + 1] - h[i]) / (m[i + 1] - m[i]))
