"""A recorded reservoir: measured observations of a real device, played back as a substrate.

A recording is a fixed sequence: the device was driven by inputs ``r_0 .. r_{N-1}`` and one
observation (e.g. a processed FMR spectrum) was measured per step.  The substrate's state is
``[p, a, b]``: the position ``p`` in the recording (reset: 0) and the affine map
``u = a r + b`` (``a != 0``) between the inputs it is given and the recorded ones
(``evaluate_task`` and ``forecast`` rescale inputs to [0, 1]; a series the device was driven by
through a linear field mapping, such as the Mackey-Glass values behind the applied fields,
matches too).  The map is fitted on the first run whose recorded segment is not constant
(``a = 0`` until then) and kept.  Running ``T`` inputs from position ``p`` returns the recorded
rows ``p .. p + T - 1`` in order and moves to ``p + T``; inputs that depart from the map by
more than ``rtol`` times the mapped range of the recording, or run past its end, are refused
with a :class:`RecordingMismatch`.

Because a recording cannot answer inputs it was never driven by, metrics that drive fresh
random streams (``kernel_rank``, ``generalisation_rank``) are refused; rank measures of the
recorded observations themselves come from :func:`nanomag.metrics.numerical_rank`.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import xarray as xr

from nanomag._validate import as_float_array, positive
from nanomag.substrates.base import Substrate

#: File suffixes :class:`RecordedSubstrate` reads inputs from.
INPUT_SUFFIXES = (".npy", ".csv", ".txt")


class RecordingMismatch(ValueError):
    """Inputs that are not the recorded ones (up to an affine map) or run past the end."""


def load_inputs(path: str | os.PathLike) -> np.ndarray:
    """A 1-D input series from a ``.npy`` file or a one-column ``.csv`` / ``.txt`` file
    (comma or whitespace delimited, lines starting with ``#`` ignored)."""
    path = Path(path)
    if path.suffix.lower() not in INPUT_SUFFIXES:
        raise ValueError(f"inputs file {path} must end in one of {INPUT_SUFFIXES}")
    if not path.is_file():
        raise FileNotFoundError(f"inputs file {path} does not exist")
    try:
        if path.suffix.lower() == ".npy":
            values = np.load(path, allow_pickle=False)
        else:
            text = path.read_text()
            values = np.loadtxt(text.replace(",", " ").splitlines(), ndmin=1)
    except ValueError as exc:
        raise ValueError(f"inputs file {path}: not a numeric series ({exc})") from exc
    values = np.asarray(values, dtype=np.float64)
    if values.ndim == 2 and 1 in values.shape:
        values = values.ravel()
    if values.ndim != 1:
        raise ValueError(f"inputs file {path} must hold one series, got shape {values.shape}")
    return values


class RecordedSubstrate(Substrate):
    """Measured observations played back on the :class:`Substrate` interface.

    Args:
        observations: (N, C) observations, one row per recorded step: an array or a
            DataArray (e.g. processed spectra with dims ``("step", "frequency")``).
        inputs: the recorded inputs (N,): an array, a path to a ``.npy`` / ``.csv`` /
            ``.txt`` series (its first N values are used), or None for the ``applied_field``
            coordinate of ``observations`` (the field parsed from each file name, T).
        rtol: largest residual of the affine match between given and recorded inputs,
            relative to the range of the recorded inputs mapped by it.
        step_time: wall-clock time per recorded step (s: field set, settle and VNA sweep),
            if known.
        magnet_power: electrical power of the field source during a step (W), if known.
        vna_power: electrical power of the network analyser during a step (W), if known.

    Energy per step (:meth:`energy_per_step`, J) has the spin ice's term names: ``flip``
    (the medium's switching work) is not measured and is NaN; ``field_lab`` is
    ``magnet_power * step_time`` and ``read_lab`` is ``vna_power * step_time`` when both
    factors are given, NaN otherwise.  No number is assumed.
    """

    channel_prefix = "rec"
    n_inputs = 1
    seed = None

    def __init__(self, observations=None, inputs=None, *, rtol: float = 1e-3,
                 step_time: float | None = None, magnet_power: float | None = None,
                 vna_power: float | None = None):
        self.observations = observations
        self.inputs = inputs
        self.rtol = rtol
        self.step_time = step_time
        self.magnet_power = magnet_power
        self.vna_power = vna_power

    # --- the recording ------------------------------------------------------------------
    def _recorded_inputs(self, n_steps: int) -> np.ndarray:
        source = self.inputs
        if source is None:
            if not isinstance(self.observations, xr.DataArray) or (
                    "applied_field" not in self.observations.coords):
                raise ValueError("inputs is None but observations carry no 'applied_field' "
                                 "coordinate (no field in the file names): pass inputs")
            values = np.asarray(self.observations["applied_field"].values, dtype=np.float64)
            what = "applied_field"
        elif isinstance(source, (str, os.PathLike)):
            values, what = load_inputs(source), f"inputs file {source}"
        else:
            values, what = as_float_array(source, "inputs", (None,)), "inputs"
        if values.size < n_steps:
            raise ValueError(f"{what} holds {values.size} values for {n_steps} recorded steps")
        values = values[:n_steps]
        if not np.all(np.isfinite(values)):
            raise ValueError(f"{what} has a missing (NaN) or infinite value at step "
                             f"{int(np.flatnonzero(~np.isfinite(values))[0])}")
        return values

    def _build(self, rng: np.random.Generator) -> None:
        if self.observations is None:
            raise ValueError("observations must be given (N steps x C channels)")
        obs = as_float_array(np.asarray(self.observations), "observations", (None, None))
        if obs.shape[0] < 1 or obs.shape[1] < 1:
            raise ValueError(f"observations must be (N, C) with N, C >= 1, got {obs.shape}")
        if not np.all(np.isfinite(obs)):
            raise ValueError("observations hold a missing (NaN) or infinite value")
        positive(self.rtol, "rtol")
        self.observations_ = obs
        self.recorded_inputs_ = self._recorded_inputs(obs.shape[0])

    @property
    def n_steps(self) -> int:
        """Number of recorded steps."""
        return int(np.shape(self.observations)[0])

    @property
    def n_channels(self) -> int:
        return int(np.shape(self.observations)[1])

    def initial_state(self) -> np.ndarray:
        """Position 0, input map not yet known: ``[position, a, b]`` with ``a = 0``."""
        return np.zeros(3)

    # --- playback -----------------------------------------------------------------------
    def _position(self, state: np.ndarray) -> int:
        pos = float(state[0])
        if pos != int(pos) or not 0 <= pos <= self.n_steps:
            raise RecordingMismatch(f"state {pos} is not a position in the recording "
                                    f"(an integer in 0..{self.n_steps})")
        return int(pos)

    def _input_map(self, given: np.ndarray, recorded: np.ndarray) -> tuple[float, float]:
        """Least-squares ``(a, b)`` of ``given = a recorded + b``; ``(0, 0)`` when the
        recorded segment is constant (the map is not determined yet)."""
        if np.ptp(recorded) == 0:
            return 0.0, 0.0
        design = np.column_stack([recorded, np.ones_like(recorded)])
        (a, b), *_ = np.linalg.lstsq(design, given, rcond=None)
        return float(a), float(b)

    def _check_match(self, given: np.ndarray, start: int, a: float, b: float) -> None:
        recorded = self.recorded_inputs_[start:start + given.size]
        if a == 0.0:  # map unknown: a constant recorded segment needs constant inputs
            scale = max(float(np.abs(given).max()), 1.0)
            residual = float(np.ptp(given)) / scale
        else:
            scale = abs(a) * max(float(np.ptp(self.recorded_inputs_)), 1e-300)
            residual = float(np.abs(a * recorded + b - given).max()) / scale
        if residual > self.rtol or (a == 0.0 and np.ptp(recorded) > 0):
            raise RecordingMismatch(
                f"inputs do not match the recording at steps {start}..{start + given.size - 1}: "
                f"no affine map a * recorded + b (a != 0) reproduces them within rtol="
                f"{self.rtol:g} of the recorded range (residual {residual:.3g}); pass the "
                "series the device was driven by, in recorded order"
            )

    def _run(self, inputs: np.ndarray, state: np.ndarray) -> np.ndarray:
        start = self._position(state)
        stop = start + inputs.shape[0]
        if stop > self.n_steps:
            raise RecordingMismatch(
                f"{inputs.shape[0]} inputs from position {start} run past the end of the "
                f"recording ({self.n_steps} steps)")
        given = inputs[:, 0]
        a, b = float(state[1]), float(state[2])
        if a == 0.0:
            a, b = self._input_map(given, self.recorded_inputs_[start:stop])
        self._check_match(given, start, a, b)
        state[:] = stop, a, b
        return self.observations_[start:stop].copy()

    # --- energy -------------------------------------------------------------------------
    def energy_per_step(self) -> dict[str, float]:
        """Energy terms per recorded step (J); unknown terms are NaN (see the class doc)."""
        def product(power):
            if power is None or self.step_time is None:
                return float("nan")
            return positive(power, "power") * positive(self.step_time, "step_time")

        return {"flip": float("nan"), "field_lab": product(self.magnet_power),
                "read_lab": product(self.vna_power)}
