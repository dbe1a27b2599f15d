"""The substrate interface every reservoir implements (software models and the spin ice).

A substrate maps an input sequence ``u`` (T,) or (T, d) to observations (T, n_channels).
Two APIs share one implementation:

- the stateful one: ``reset(seed)`` builds the random structure (weights, masks) and the
  initial state, ``drive(inputs)`` advances the kept state and returns observations, ``step``
  drives one input, ``state`` / ``set_state`` read and restore the state;
- the explicit-state one: ``run(inputs, state) -> (observations, final_state)`` changes
  nothing on the object.

Substrates are scikit-learn transformers: constructor arguments are the parameters
(``get_params`` / ``set_params`` / ``clone`` work), ``fit`` resets, and ``transform(X)``
runs ``X`` (rows = time) from the reset state, so ``Pipeline([("res", substrate),
("readout", RidgeReadout())])`` works.  Each substrate also estimates its energy per input
step as labelled terms in joules (``energy_per_step``).
"""

from __future__ import annotations

from abc import ABC, abstractmethod

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from nanomag._validate import as_float_array, check_memory, finite_result, positive_int
from nanomag._validate import seed as checked_seed


class Substrate(TransformerMixin, BaseEstimator, ABC):
    """Abstract reservoir substrate.  Subclasses store their constructor arguments unchanged
    (scikit-learn rule), define ``n_inputs`` and ``seed`` parameters, and implement
    ``_build``, ``initial_state``, ``_run``, ``n_channels`` and ``energy_per_step``."""

    channel_prefix = "ch"
    #: Closed range every state variable must lie in (``None``: any finite value).
    state_bounds: tuple[float, float] | None = None

    # --- to implement -------------------------------------------------------------------
    @abstractmethod
    def _build(self, rng: np.random.Generator) -> None:
        """Draw the random structure (weights, masks) from ``rng``; validate parameters."""

    @abstractmethod
    def initial_state(self) -> np.ndarray:
        """The reset state, a 1-D float array."""

    @abstractmethod
    def _run(self, inputs: np.ndarray, state: np.ndarray) -> np.ndarray:
        """Observations (T, n_channels) for validated inputs (T, n_inputs); ``state`` is a
        private copy to update in place to the final state."""

    @property
    @abstractmethod
    def n_channels(self) -> int:
        """Number of observed channels."""

    @abstractmethod
    def energy_per_step(self) -> dict[str, float]:
        """Estimated energy per input step (J), as labelled terms."""

    # --- shared machinery ---------------------------------------------------------------
    @property
    def channel_names(self) -> list[str]:
        """Channel labels, in observation column order."""
        return [f"{self.channel_prefix}{i}" for i in range(self.n_channels)]

    def reset(self, seed: int | None = None) -> Substrate:
        """Rebuild the random structure from ``seed`` (default: the ``seed`` parameter) and
        return to the initial state."""
        seed = checked_seed(self.seed if seed is None else seed)
        self._build(np.random.default_rng(seed))
        self.state_ = self.initial_state()
        return self

    def _ensure_built(self) -> None:
        if not hasattr(self, "state_"):
            self.reset()

    def _inputs(self, inputs) -> np.ndarray:
        d = positive_int(self.n_inputs, "n_inputs")
        arr = as_float_array(inputs, "inputs")
        if arr.ndim == 1 and d == 1:
            arr = arr[:, None]
        if arr.ndim != 2 or arr.shape[1] != d:
            raise ValueError(f"inputs must have shape (T,) or (T, n_inputs={d}), got {arr.shape}")
        if arr.shape[0] == 0:
            raise ValueError("inputs must hold at least one time step")
        return np.ascontiguousarray(arr)

    def _checked_state(self, state) -> np.ndarray:
        want = self.initial_state().shape
        x = as_float_array(state, "state", want).copy()
        if self.state_bounds is not None and x.size:
            lo, hi = self.state_bounds
            if x.min() < lo or x.max() > hi:
                raise ValueError(f"state must lie within [{lo:g}, {hi:g}], got values in "
                                 f"[{x.min():g}, {x.max():g}]")
        return x

    @property
    def state(self) -> np.ndarray:
        """A copy of the current state."""
        self._ensure_built()
        return self.state_.copy()

    def set_state(self, state) -> Substrate:
        """Replace the current state (shape as ``initial_state()``)."""
        self._ensure_built()
        self.state_ = self._checked_state(state)
        return self

    def run(self, inputs, state=None) -> tuple[np.ndarray, np.ndarray]:
        """Observations (T, n_channels) and final state from ``state`` (default: the reset
        state), leaving the object's state unchanged."""
        self._ensure_built()
        x = self.initial_state() if state is None else self._checked_state(state)
        u = self._inputs(inputs)
        check_memory(u.shape[0] * self.n_channels, 16, "inputs", "observation values")
        obs = self._run(u, x)
        finite_result(obs, "the observations", "check state, inputs and the substrate's "
                      "parameters")
        return obs, x

    def drive(self, inputs) -> np.ndarray:
        """Advance the kept state through ``inputs``; observations (T, n_channels)."""
        self._ensure_built()
        obs, self.state_ = self.run(inputs, self.state_)
        return obs

    def step(self, u) -> np.ndarray:
        """Drive one input (scalar or (n_inputs,)); observations (n_channels,)."""
        return self.drive(np.reshape(np.asarray(u, dtype=np.float64), (1, -1)))[0]

    def fit(self, X=None, y=None) -> Substrate:
        """Reset (scikit-learn ``fit``); ``X`` and ``y`` are not used."""
        return self.reset()

    def transform(self, X) -> np.ndarray:
        """Observations of the sequence ``X`` (rows = time) from the reset state."""
        return self.run(X)[0]


def sign_mask(rng: np.random.Generator, n_inputs: int, n_virtual: int) -> np.ndarray:
    """Random +1/-1 input mask (n_inputs, n_virtual) for time multiplexing."""
    return rng.choice(np.array([-1.0, 1.0]), size=(n_inputs, n_virtual))


def checked_range(input_range) -> tuple[float, float]:
    """``input_range`` as finite ``(low, high)`` with ``high > low``."""
    values = as_float_array(input_range, "input_range", (2,))
    lo, hi = float(values[0]), float(values[1])
    if not hi > lo:
        raise ValueError(f"input_range must be (low, high) with high > low, got {input_range!r}")
    return lo, hi


def masked_drive(inputs: np.ndarray, mask: np.ndarray, input_range: tuple[float, float]) -> np.ndarray:
    """Clip inputs (T, d) to ``input_range``, map them affinely onto [-1, 1], project through
    ``mask`` (d, n_virtual) and divide by d: a drive (T, n_virtual) in [-1, 1]."""
    lo, hi = checked_range(input_range)
    s = 2.0 * ((np.clip(inputs, lo, hi) - lo) / (hi - lo)) - 1.0
    return (s @ mask) / mask.shape[0]
