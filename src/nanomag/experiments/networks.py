"""Physical networks of reservoirs (Stenning et al., Nat. Commun. 15, 2024), on the
:class:`~nanomag.substrates.Substrate` interface.

* :class:`ParallelNetwork` -- one input drives several substrates; their observations are
  concatenated channel by channel (part 0's channels first).
* :class:`SeriesNetwork` -- one observed channel of the first substrate, mapped affinely onto
  [0, 1] (the input range of the second substrate's encoder), is the input of the second.
  The channel is given by index or chosen on a calibration drive with uniform random inputs:
  ``"memory"`` takes the channel most correlated with past inputs, ``"nonlinearity"`` the
  channel least explained by a linear function of the recent inputs (:func:`channel_scores`).

Networks nest: ``ParallelNetwork([wm, SeriesNetwork(wm, pw)])`` is the "physical neural
network" combination of an array read directly and through a second array.  A network's
state is its parts' states, concatenated; parts are cloned, so the given substrates never
change.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence

import numpy as np
from sklearn.base import clone

from nanomag._validate import as_float_array, positive_int
from nanomag.metrics import lagged_inputs
from nanomag.substrates.base import Substrate

CRITERIA = ("memory", "nonlinearity")


def channel_scores(observations, inputs, criterion: str, *, max_delay: int = 8,
                   n_lags: int = 5, washout: int = 0) -> np.ndarray:
    """Score every channel of ``observations`` (T, C) driven by ``inputs`` (T,).

    ``"memory"``: ``sum_{k=1..max_delay} corr^2(x_c(t), u(t - k))``, the channel's linear
    correlation with past inputs.  ``"nonlinearity"``: ``1 - R^2`` of the least-squares fit
    (with intercept) of the channel from ``u(t), ..., u(t - n_lags + 1)`` (Love et al.'s
    measure for one channel).  Rows ``t >= max(washout, lags)`` are used; constant channels
    score ``-inf``.  Returns (C,).
    """
    x = as_float_array(observations, "observations", (None, None))
    u = as_float_array(inputs, "inputs", (x.shape[0],))
    if criterion not in CRITERIA:
        raise ValueError(f"criterion must be one of {CRITERIA}, got {criterion!r}")
    if criterion == "memory":
        delays = np.arange(1, positive_int(max_delay, "max_delay") + 1)
    else:
        delays = np.arange(positive_int(n_lags, "n_lags"))
    start = max(positive_int(washout, "washout", allow_zero=True), int(delays.max()))
    if x.shape[0] - start < delays.size + 3:
        raise ValueError(f"observations has {x.shape[0]} rows: too short for the delays")
    X = x[start:] - x[start:].mean(axis=0)
    U = lagged_inputs(u, delays, slice(start, None))
    norm_x = np.sum(X * X, axis=0)
    constant = norm_x <= 1e-24 * max(float(norm_x.max()), 1e-300)
    if criterion == "memory":
        Uc = U - U.mean(axis=0)
        cov = Uc.T @ X  # (K, C)
        den = np.sum(Uc * Uc, axis=0)[:, None] * norm_x[None, :]
        score = np.sum(cov * cov / np.where(den > 0, den, 1.0), axis=0)
    else:
        design = np.column_stack([np.ones(U.shape[0]), U])
        coef, *_ = np.linalg.lstsq(design, X, rcond=None)
        residual = X - design @ coef
        score = np.sum(residual * residual, axis=0) / np.where(constant, 1.0, norm_x)
    return np.where(constant, -np.inf, score)


def _merged_energy(parts: Sequence[Substrate]) -> dict[str, float]:
    total: dict[str, float] = {}
    for part in parts:
        for key, value in part.energy_per_step().items():
            total[key] = total.get(key, 0.0) + value
    return total


class _Network(Substrate):
    """Shared machinery: cloned parts, concatenated states."""

    @abstractmethod
    def _parts(self) -> list[Substrate]:
        """The substrates given as parameters, validated (not yet cloned)."""

    def _build_parts(self) -> None:
        parts = self._parts()
        for i, part in enumerate(parts):
            if not isinstance(part, Substrate):
                raise ValueError(f"network part {i} must be a Substrate, got "
                                 f"{type(part).__name__}")
        self.parts_ = [clone(p).reset() for p in parts]
        sizes = [p.initial_state().size for p in self.parts_]
        self.state_bounds_ = np.concatenate([[0], np.cumsum(sizes)])

    def _ensure_parts(self) -> None:
        if not hasattr(self, "parts_"):
            self._build(np.random.default_rng(self.seed))

    def initial_state(self) -> np.ndarray:
        self._ensure_parts()
        return np.concatenate([p.initial_state() for p in self.parts_])

    def _part_run(self, k: int, inputs: np.ndarray, state: np.ndarray) -> np.ndarray:
        lo, hi = self.state_bounds_[k], self.state_bounds_[k + 1]
        obs, state[lo:hi] = self.parts_[k].run(inputs, state[lo:hi])
        return obs

    def energy_per_step(self) -> dict[str, float]:
        """Energy terms (J) per input: the sum of the parts' terms."""
        self._ensure_built()
        return _merged_energy(self.parts_)


class ParallelNetwork(_Network):
    """Several substrates driven by the same input; channels concatenated.

    Args:
        substrates: the parts (all with the same ``n_inputs``).
        names: a label per part for :attr:`channel_names` (default ``"0"``, ``"1"``, ...).
        seed: unused by the network itself (each part keeps its own seed); kept for the
            substrate interface.
    """

    def __init__(self, substrates: Sequence[Substrate] = (), names: Sequence[str] | None = None,
                 seed: int | None = 0) -> None:
        self.substrates = substrates
        self.names = names
        self.seed = seed

    def _parts(self) -> list[Substrate]:
        parts = list(self.substrates)
        if not parts:
            raise ValueError("substrates must hold at least one substrate")
        if self.names is not None and len(self.names) != len(parts):
            raise ValueError(f"names must give one label per substrate ({len(parts)}), got "
                             f"{len(self.names)}")
        return parts

    @property
    def n_inputs(self) -> int:
        return self._parts()[0].n_inputs

    def _build(self, rng: np.random.Generator) -> None:
        self._build_parts()
        widths = {p.n_inputs for p in self.parts_}
        if len(widths) != 1:
            raise ValueError(f"substrates must share n_inputs, got {sorted(widths)}")

    @property
    def n_channels(self) -> int:
        return sum(p.n_channels for p in self._parts())

    @property
    def channel_names(self) -> list[str]:
        self._ensure_parts()
        labels = [str(i) for i in range(len(self.parts_))] if self.names is None else self.names
        return [f"{label}:{name}" for label, p in zip(labels, self.parts_)
                for name in p.channel_names]

    def _run(self, inputs: np.ndarray, state: np.ndarray) -> np.ndarray:
        return np.hstack([self._part_run(k, inputs, state) for k in range(len(self.parts_))])


class SeriesNetwork(_Network):
    """The second substrate is driven by one scaled channel of the first.

    Args:
        first, second: the substrates; ``second`` takes one input in [0, 1].
        channel: index of the first substrate's channel, or ``"memory"`` / ``"nonlinearity"``
            to choose it by :func:`channel_scores` on a calibration drive.
        n_calibration: length of the calibration drive (uniform inputs in [0, 1] drawn from
            ``seed``, applied to a copy of the first substrate), which also fixes the
            channel's scale: its calibration minimum and maximum map to 0 and 1 (the second
            substrate's encoder clips outside).
        max_delay, n_lags: delays of the ``"memory"`` and ``"nonlinearity"`` scores.
        keep_first: also output the first substrate's channels (before the second's), the
            combination "array 1 read directly and through array 2" in one drive.
        seed: seeds the calibration inputs.

    Fitted attributes: ``channel_`` (index), ``channel_range_`` (low, high), ``scores_``
    (calibration score per channel, or ``None`` for a given index).
    """

    def __init__(self, first: Substrate | None = None, second: Substrate | None = None,
                 channel: int | str = "memory", n_calibration: int = 200, max_delay: int = 8,
                 n_lags: int = 5, keep_first: bool = False, seed: int | None = 0) -> None:
        self.first = first
        self.second = second
        self.channel = channel
        self.n_calibration = n_calibration
        self.max_delay = max_delay
        self.n_lags = n_lags
        self.keep_first = keep_first
        self.seed = seed

    def _parts(self) -> list[Substrate]:
        if self.first is None or self.second is None:
            raise ValueError("first and second substrates must both be given")
        return [self.first, self.second]

    @property
    def n_inputs(self) -> int:
        return self._parts()[0].n_inputs

    def _build(self, rng: np.random.Generator) -> None:
        self._build_parts()
        first, second = self.parts_
        if first.n_inputs != 1 or second.n_inputs != 1:
            raise ValueError("series networks need substrates with one input each")
        n_cal = positive_int(self.n_calibration, "n_calibration")
        u = rng.uniform(0.0, 1.0, n_cal)
        obs = clone(first).reset().run(u)[0]  # a copy: the drive leaves first's RNG alone
        washout = max(positive_int(self.max_delay, "max_delay"),
                      positive_int(self.n_lags, "n_lags"))
        if isinstance(self.channel, str):
            if self.channel not in CRITERIA:
                raise ValueError(f"channel must be an index or one of {CRITERIA}, got "
                                 f"{self.channel!r}")
            self.scores_ = channel_scores(obs, u, self.channel, max_delay=self.max_delay,
                                          n_lags=self.n_lags, washout=washout)
            self.channel_ = int(np.argmax(self.scores_))
        else:
            self.channel_ = positive_int(self.channel, "channel", allow_zero=True)
            if self.channel_ >= first.n_channels:
                raise ValueError(f"channel must be < {first.n_channels}, got {self.channel!r}")
            self.scores_ = None
        seen = obs[washout:, self.channel_] if n_cal > washout else obs[:, self.channel_]
        lo, hi = float(seen.min()), float(seen.max())
        if not hi > lo:
            raise ValueError(f"channel {self.channel_} is constant on the calibration drive")
        self.channel_range_ = (lo, hi)

    def scaled_channel(self, observations: np.ndarray) -> np.ndarray:
        """The chosen channel of the first substrate's ``observations`` (T, C), mapped by the
        calibration range onto [0, 1]: the second substrate's input."""
        self._ensure_parts()
        lo, hi = self.channel_range_
        return (np.asarray(observations)[:, self.channel_] - lo) / (hi - lo)

    @property
    def n_channels(self) -> int:
        first, second = self._parts()
        return second.n_channels + (first.n_channels if self.keep_first else 0)

    @property
    def channel_names(self) -> list[str]:
        self._ensure_parts()
        first, second = self.parts_
        names = [f"2:{name}" for name in second.channel_names]
        return [f"1:{name}" for name in first.channel_names] + names if self.keep_first else names

    def _run(self, inputs: np.ndarray, state: np.ndarray) -> np.ndarray:
        obs1 = self._part_run(0, inputs, state)
        obs2 = self._part_run(1, self.scaled_channel(obs1)[:, None], state)
        return np.hstack([obs1, obs2]) if self.keep_first else obs2
