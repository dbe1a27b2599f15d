"""Dynamic-memristor reservoir (Zhong et al., Nat. Commun. 12, 408 (2021)).

Each of ``n_reservoirs`` memristors sees the input through its own row of a random +1/-1
mask of ``mask_length`` virtual nodes (time multiplexing): every input step becomes
``mask_length`` voltage pulses.  Per pulse (voltage V, volts)::

    G <- r G + (1 - r) G0 + u(V) (1[V > 0] - G),   u(V) = a|V| / (a|V| + 1)
    I  = G (Kp max(V, 0)^3 + Kn min(V, 0)^3)

and the current of every pulse is an observation channel (n_reservoirs * mask_length).
The masked drive s in [-1, 1] maps to ``V = v_min + (s + 1) (v_max - v_min) / 2``.
"""

from __future__ import annotations

import numpy as np

from nanomag._validate import check_memory, in_range, positive, positive_int
from nanomag.substrates.base import Substrate, checked_range, masked_drive, sign_mask

#: Largest pulse voltage magnitude accepted, V (the model is fitted near 1 V).
MAX_VOLTAGE = 1e3
#: Largest accepted model constant ``kp``, ``kn``, ``a`` (fitted values are of order 1-10).
MAX_CONSTANT = 1e6
from nanomag.substrates.kernels import memristor_run


class MemristorReservoir(Substrate):
    """Parallel dynamic memristors with mask time multiplexing.

    Args:
        n_reservoirs: parallel memristors (25 in Zhong et al.).
        mask_length: virtual nodes (pulses) per input step (4).
        r, g0, kp, kn, a: model constants (0.99, 0.5, 9.13, 0.32, 0.23); ``r`` in (0, 1), the
            rest conductance ``g0`` in [0, 1], ``kp``, ``kn``,
            ``a`` in (0, :data:`MAX_CONSTANT`].
        v_min, v_max: pulse voltage range, V ([-0.8, 2.5]), within +-:data:`MAX_VOLTAGE`.
        input_range: input values mapped onto the full voltage range; inputs outside it are
            clipped to it.
        n_inputs: input dimension.
        seed: mask seed.
        current_unit: amperes per unit of the model current (assumed 1e-6 A: the model's
            current scale is not stated; used only for the energy estimate).
        pulse_width: pulse duration, s (assumed 1e-6 s; energy estimate only).
    """

    channel_prefix = "pulse"

    def __init__(self, n_reservoirs: int = 25, mask_length: int = 4, r: float = 0.99,
                 g0: float = 0.5, kp: float = 9.13, kn: float = 0.32, a: float = 0.23,
                 v_min: float = -0.8, v_max: float = 2.5,
                 input_range: tuple[float, float] = (-1.0, 1.0), n_inputs: int = 1,
                 seed: int | None = None, current_unit: float = 1e-6,
                 pulse_width: float = 1e-6) -> None:
        self.n_reservoirs = n_reservoirs
        self.mask_length = mask_length
        self.r = r
        self.g0 = g0
        self.kp = kp
        self.kn = kn
        self.a = a
        self.v_min = v_min
        self.v_max = v_max
        self.input_range = input_range
        self.n_inputs = n_inputs
        self.seed = seed
        self.current_unit = current_unit
        self.pulse_width = pulse_width

    def _build(self, rng: np.random.Generator) -> None:
        self.grid_ = (positive_int(self.n_reservoirs, "n_reservoirs"),
                      positive_int(self.mask_length, "mask_length"))
        n_virtual = self.grid_[0] * self.grid_[1]
        d = positive_int(self.n_inputs, "n_inputs")
        check_memory(d * n_virtual, 8, "n_reservoirs * mask_length", "mask entries")
        in_range(self.r, "r", 0.0, 1.0, low_open=True, high_open=True)
        in_range(self.g0, "g0", 0.0, 1.0)
        v_min = in_range(self.v_min, "v_min", -MAX_VOLTAGE, MAX_VOLTAGE)
        if not in_range(self.v_max, "v_max", -MAX_VOLTAGE, MAX_VOLTAGE) > v_min:
            raise ValueError(f"v_max ({self.v_max}) must exceed v_min ({self.v_min})")
        for name in ("kp", "kn", "a"):
            in_range(getattr(self, name), name, 0.0, MAX_CONSTANT, low_open=True)
        for name in ("current_unit", "pulse_width"):
            positive(getattr(self, name), name)
        checked_range(self.input_range)
        self.mask_ = sign_mask(rng, d, n_virtual)
        self.mean_power_ = None

    def initial_state(self) -> np.ndarray:
        return np.full(positive_int(self.n_reservoirs, "n_reservoirs"), float(self.g0))

    def _run(self, inputs: np.ndarray, state: np.ndarray) -> np.ndarray:
        s = masked_drive(inputs, self.mask_, self.input_range)
        volts = self.v_min + 0.5 * (s + 1.0) * (self.v_max - self.v_min)
        volts = np.ascontiguousarray(volts.reshape(-1, *self.grid_))
        out = np.empty((inputs.shape[0], self.n_channels))
        power = np.empty(inputs.shape[0])
        memristor_run(volts, float(self.r), float(self.g0), float(self.kp), float(self.kn),
                      float(self.a), state, out, power)
        self.mean_power_ = float(power.mean())
        return out

    @property
    def n_channels(self) -> int:
        return int(self.n_reservoirs) * int(self.mask_length)

    def energy_per_step(self) -> dict[str, float]:
        """Electrical energy ``sum |I V| * current_unit * pulse_width`` per input step,
        averaged over the last driven sequence."""
        if getattr(self, "mean_power_", None) is None:
            raise ValueError("drive the substrate first: the memristor energy depends on the inputs")
        return {"device": self.mean_power_ * float(self.current_unit) * float(self.pulse_width)}
