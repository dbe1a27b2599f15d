"""Field protocols: sequences of global in-plane fields, (T, 2) arrays in tesla."""

from __future__ import annotations

import numpy as np

from nanomag._validate import MAX_FIELD_T, check_memory, field_array, in_range, positive_int, real

#: Memory per field step of a protocol and its run (fields, magnetization, flips), bytes.
BYTES_PER_STEP = 48


def field_vectors(magnitudes, angle_deg: float) -> np.ndarray:
    """(T, 2) fields of the given signed magnitudes (T) along ``angle_deg`` (deg from +x)."""
    h = field_array(magnitudes, "magnitudes", (None,))
    phi = np.deg2rad(real(angle_deg, "angle_deg"))
    return h[:, None] * np.array([np.cos(phi), np.sin(phi)])


def hysteresis_loop(h_max: float, n_steps: int, angle_deg: float = 45.0) -> np.ndarray:
    """A full hysteresis loop: ``n_steps // 2`` fields from +h_max down to -h_max, then back.

    Args:
        h_max: loop amplitude, T (up to :data:`nanomag._validate.MAX_FIELD_T`).
        n_steps: number of field steps (even).
        angle_deg: field direction, degrees from +x.

    Returns:
        (n_steps, 2) fields, T.
    """
    h_max = in_range(h_max, "h_max", 0.0, MAX_FIELD_T, low_open=True)
    n = positive_int(n_steps, "n_steps")
    if n < 4 or n % 2:
        raise ValueError(f"n_steps must be an even number >= 4, got {n_steps!r}")
    check_memory(n, BYTES_PER_STEP, "n_steps", "field steps")
    real(angle_deg, "angle_deg")
    down = np.linspace(h_max, -h_max, n // 2)
    return field_vectors(np.concatenate([down, -down]), angle_deg)
