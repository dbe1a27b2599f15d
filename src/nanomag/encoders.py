"""Input encoders: how an input sequence becomes a field protocol for a nanomagnet array.

An encoder maps inputs (T, d) to a :class:`FieldProtocol`: the applied fields step by step,
the step after which each input's microstate is observed, and the bias field at that
observation (for the FMR readout).  Input values are mapped affinely from ``input_range`` onto
field amplitudes ``[h_min, h_max]`` (T); values outside the range are clipped.

* :class:`FieldLoopEncoder` -- the experiment of Gartside et al. (2022) and Stenning et al.
  (2024): each input writes a field loop ``+H(u)`` then ``-H(u)``; observed at ``-H(u)``.
* :class:`RotatingFieldEncoder` -- a field of amplitude ``H(u)`` that turns by
  ``angle_step_deg`` at each of its sub-steps.
* :class:`WaveformEncoder` -- each input is a sine or a pulse train of amplitude ``H(u)``.
* :class:`RegionalFieldEncoder` -- several inputs at once, each written as a field loop on
  its own region of the array (per-bar fields).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

import numpy as np
from sklearn.base import BaseEstimator

from nanomag._validate import (
    MAX_FIELD_T,
    as_float_array,
    check_memory,
    choice,
    field_array,
    in_range,
    instance_of,
    positive_int,
    real,
)
from nanomag.lattices.base import BarArray

#: Memory per field step of an encoded protocol and its run, bytes (per bar for per-bar fields).
BYTES_PER_STEP = 48


@dataclass(frozen=True)
class DriveHistory:
    """Where earlier inputs left the field, so that a drive split into several calls applies
    the same fields as one call.

    Attributes:
        field: the last applied global field (hx, hy), T (a ramp continues from it).
        steps: field steps applied so far (a rotating field continues its turn).
    """

    field: tuple[float, float] = (0.0, 0.0)
    steps: int = 0


#: The history of a drive from its reset state: no field applied yet.
FRESH = DriveHistory()


@dataclass(frozen=True)
class FieldProtocol:
    """Fields to apply and where to look.

    Attributes:
        fields: (S, 2) global fields or (S, N, 2) per-bar fields, T.
        observe: (T,) increasing step indices after which input t is observed.
        readout_bias: (T,) bias field at each observation along ``readout_angle``, T.
        readout_angle: direction of the readout bias, rad from +x.
    """

    fields: np.ndarray
    observe: np.ndarray
    readout_bias: np.ndarray
    readout_angle: float


class FieldEncoder(BaseEstimator, ABC):
    """Base class: amplitude mapping shared by the encoders (scikit-learn parameters)."""

    n_inputs = 1

    @abstractmethod
    def encode(self, inputs: np.ndarray, array: BarArray,
               history: DriveHistory = FRESH) -> FieldProtocol:
        """The field protocol for ``inputs`` (T, d) on ``array``, continuing from
        ``history`` (default: a drive from the reset state)."""

    def amplitudes(self, inputs) -> np.ndarray:
        """Field amplitude ``H(u)`` (T) of each input, clipped to ``[h_min, h_max]``."""
        h_min = in_range(self.h_min, "h_min", 0.0, MAX_FIELD_T)
        h_max = in_range(self.h_max, "h_max", 0.0, MAX_FIELD_T, low_open=True)
        if h_max < h_min:
            raise ValueError(f"h_max ({h_max}) must be >= h_min ({h_min})")
        lo, hi = (float(v) for v in as_float_array(self.input_range, "input_range", (2,)))
        if not hi > lo:
            raise ValueError(f"input_range must be (low, high) with high > low, got "
                             f"{self.input_range!r}")
        u = as_float_array(inputs, "inputs")
        scaled = np.clip((u - lo) / (hi - lo), 0.0, 1.0)
        return h_min + (h_max - h_min) * scaled

    def _fixed_bias(self, n_inputs: int) -> np.ndarray:
        """(n_inputs,) readout bias ``readout_field`` (T) for encoders that read at a fixed field."""
        return np.full(n_inputs, float(field_array(self.readout_field, "readout_field", ())))

    @staticmethod
    def _last_substeps(n_inputs: int, steps_per_input: int) -> np.ndarray:
        """Index of the last field step of each input."""
        return np.arange(1, n_inputs + 1) * steps_per_input - 1

    @staticmethod
    def _steps(value, name: str, n_inputs: int, per_input: int = 1, n_values: int = 1) -> int:
        """``value`` (sub-steps per input, named ``name``) checked as a positive integer whose
        protocol of ``n_inputs * per_input * value`` steps of ``n_values`` fields fits in memory."""
        k = positive_int(value, name)
        check_memory(float(n_inputs) * per_input * k * n_values, BYTES_PER_STEP, name,
                     "field steps")
        return k

    def _direction(self) -> np.ndarray:
        phi = np.deg2rad(real(self.angle_deg, "angle_deg"))
        return np.array([np.cos(phi), np.sin(phi)])

    @staticmethod
    def _single(inputs) -> np.ndarray:
        u = as_float_array(inputs, "inputs")
        if u.ndim == 2 and u.shape[1] == 1:
            u = u[:, 0]
        if u.ndim != 1 or u.size == 0:
            raise ValueError(f"inputs must have shape (T,) or (T, 1) with T >= 1, got {u.shape}")
        return u


class FieldLoopEncoder(FieldEncoder):
    """Each input ``u`` writes the loop ``+H(u)`` then ``-H(u)`` along ``angle_deg``.

    With ``steps_per_half`` > 1 each half is a ramp of that many equal steps from the
    previous field.  The microstate is observed at ``-H(u)``, the field of the last step, which
    is also the readout bias (Stenning et al. measure the FMR spectrum at ``-H_app``).

    Args:
        h_min, h_max: field amplitudes for the bottom and top of ``input_range``, T.
        angle_deg: field direction, degrees from +x.
        input_range: (low, high) input values mapped onto ``[h_min, h_max]``.
        steps_per_half: field steps per half loop.
    """

    def __init__(self, h_min: float = 0.016, h_max: float = 0.030, angle_deg: float = 45.0,
                 input_range: tuple[float, float] = (0.0, 1.0), steps_per_half: int = 1) -> None:
        self.h_min = h_min
        self.h_max = h_max
        self.angle_deg = angle_deg
        self.input_range = input_range
        self.steps_per_half = steps_per_half

    def encode(self, inputs, array: BarArray, history: DriveHistory = FRESH) -> FieldProtocol:
        h = self.amplitudes(self._single(inputs))
        k = self._steps(self.steps_per_half, "steps_per_half", h.size, 2)
        targets = np.stack([h, -h], axis=1).ravel()  # +H0, -H0, +H1, -H1, ...
        # the first ramp starts from the last applied field, along this encoder's direction
        starts = np.concatenate([[float(np.dot(history.field, self._direction()))],
                                 targets[:-1]])
        frac = np.arange(1, k + 1) / k
        magnitudes = (starts[:, None] + (targets - starts)[:, None] * frac).ravel()
        fields = magnitudes[:, None] * self._direction()
        return FieldProtocol(fields, self._last_substeps(h.size, 2 * k), -h,
                             np.deg2rad(real(self.angle_deg, "angle_deg")))


class RotatingFieldEncoder(FieldEncoder):
    """A field of amplitude ``H(u)`` that turns by ``angle_step_deg`` at each of its
    ``steps_per_input`` sub-steps; the angle keeps turning from input to input (and from one
    drive to the next: step ``s`` of the whole drive points at ``angle_deg + s
    angle_step_deg``).  Observed after the last sub-step, with the readout bias along
    ``readout_angle_deg``."""

    def __init__(self, h_min: float = 0.016, h_max: float = 0.030, angle_deg: float = 0.0,
                 angle_step_deg: float = 120.0, steps_per_input: int = 3,
                 input_range: tuple[float, float] = (0.0, 1.0), readout_field: float = 0.0,
                 readout_angle_deg: float = 45.0) -> None:
        self.h_min = h_min
        self.h_max = h_max
        self.angle_deg = angle_deg
        self.angle_step_deg = angle_step_deg
        self.steps_per_input = steps_per_input
        self.input_range = input_range
        self.readout_field = readout_field
        self.readout_angle_deg = readout_angle_deg

    def encode(self, inputs, array: BarArray, history: DriveHistory = FRESH) -> FieldProtocol:
        h = self.amplitudes(self._single(inputs))
        k = self._steps(self.steps_per_input, "steps_per_input", h.size)
        n_steps = h.size * k
        step = history.steps + np.arange(n_steps)  # the angle continues from earlier drives
        phi = np.deg2rad(real(self.angle_deg, "angle_deg")
                         + real(self.angle_step_deg, "angle_step_deg") * step)
        fields = np.repeat(h, k)[:, None] * np.stack([np.cos(phi), np.sin(phi)], axis=1)
        return FieldProtocol(fields, self._last_substeps(h.size, k), self._fixed_bias(h.size),
                             np.deg2rad(real(self.readout_angle_deg, "readout_angle_deg")))


class WaveformEncoder(FieldEncoder):
    """Each input is ``steps_per_input`` field steps along ``angle_deg``: one period of a sine,
    ``H(u) sin(2 pi (k + 1) / K)``, or a pulse, ``+H(u)`` for the first half and 0 after.
    Observed after the last sub-step (field 0 for both), with bias ``readout_field``."""

    def __init__(self, h_min: float = 0.016, h_max: float = 0.030, angle_deg: float = 45.0,
                 shape: str = "sine", steps_per_input: int = 8,
                 input_range: tuple[float, float] = (0.0, 1.0),
                 readout_field: float = 0.0) -> None:
        self.h_min = h_min
        self.h_max = h_max
        self.angle_deg = angle_deg
        self.shape = shape
        self.steps_per_input = steps_per_input
        self.input_range = input_range
        self.readout_field = readout_field

    def encode(self, inputs, array: BarArray, history: DriveHistory = FRESH) -> FieldProtocol:
        h = self.amplitudes(self._single(inputs))
        k = self._steps(self.steps_per_input, "steps_per_input", h.size)
        if k < 2:
            raise ValueError(f"steps_per_input must be >= 2, got {self.steps_per_input!r}")
        phase = np.arange(1, k + 1) / k
        if choice(self.shape, ("sine", "pulse"), "shape") == "sine":
            wave = np.sin(2 * np.pi * phase)
        else:
            wave = (phase <= 0.5).astype(np.float64)
        wave[-1] = 0.0
        fields = (h[:, None] * wave).ravel()[:, None] * self._direction()
        return FieldProtocol(fields, self._last_substeps(h.size, k), self._fixed_bias(h.size),
                             np.deg2rad(real(self.angle_deg, "angle_deg")))


class RegionalFieldEncoder(FieldEncoder):
    """``n_inputs`` inputs at once: the array is cut into ``n_inputs`` stripes along x and
    input ``j`` writes the loop ``+H(u_j)``, ``-H(u_j)`` on stripe ``j`` (per-bar fields).
    Observed at the end of each loop, with bias ``readout_field``."""

    def __init__(self, n_inputs: int = 2, h_min: float = 0.016, h_max: float = 0.030,
                 angle_deg: float = 45.0, input_range: tuple[float, float] = (0.0, 1.0),
                 readout_field: float = 0.0) -> None:
        self.n_inputs = n_inputs
        self.h_min = h_min
        self.h_max = h_max
        self.angle_deg = angle_deg
        self.input_range = input_range
        self.readout_field = readout_field

    def regions(self, array: BarArray) -> np.ndarray:
        """(N,) stripe index of every bar, 0 .. n_inputs - 1 in increasing x."""
        d = positive_int(self.n_inputs, "n_inputs")
        x = array.positions[:, 0]
        edges = np.linspace(x.min(), x.max(), d + 1)[1:-1]
        return np.searchsorted(edges, x, side="right")

    def encode(self, inputs, array: BarArray, history: DriveHistory = FRESH) -> FieldProtocol:
        instance_of(array, BarArray, "array")
        d = positive_int(self.n_inputs, "n_inputs")
        u = as_float_array(inputs, "inputs")
        if u.ndim == 1 and d == 1:
            u = u[:, None]
        if u.ndim != 2 or u.shape[1] != d or u.shape[0] == 0:
            raise ValueError(f"inputs must have shape (T, n_inputs={d}), got {u.shape}")
        self._steps(2, "inputs", u.shape[0], n_values=array.n_bars)
        h = self.amplitudes(u)  # (T, d)
        per_bar = h[:, self.regions(array)]  # (T, N)
        signed = np.stack([per_bar, -per_bar], axis=1).reshape(-1, array.n_bars)
        fields = signed[:, :, None] * self._direction()
        return FieldProtocol(fields, self._last_substeps(u.shape[0], 2),
                             self._fixed_bias(u.shape[0]),
                             np.deg2rad(real(self.angle_deg, "angle_deg")))
