"""Spin-torque nano-oscillator reservoir with time-multiplexed virtual nodes.

Model (Slavin-Tiberkevich auto-oscillator, normalised power p of the oscillation)::

    dp/dt = -2 [Gamma_G (1 + Q p) - sigma I (1 - p)] p,   sigma = Gamma_G / I_th

Each input step is spread over ``n_virtual`` nodes of duration ``theta``; during node j the
current is ``I = bias_current + input_current * s_j`` with s the masked drive in [-1, 1].
The oscillator's finite relaxation time couples neighbouring nodes (the reservoir's
memory); p at the end of each node is an observation channel.  Free-running, p relaxes to
``p0 = (zeta - 1) / (zeta + Q)`` with ``zeta = I / I_th``.

Default parameters are illustrative (order of magnitude of the vortex oscillator of Torrejon
et al., Nature 547, 428 (2017), not fitted): Gamma_G 1e7 1/s, Q 2, I_th 4 mA, bias 6 mA,
input swing 2 mA, theta 20 ns, junction resistance 40 Ohm.
"""

from __future__ import annotations

import numpy as np

from nanomag._validate import check_memory, positive, positive_int, real
from nanomag.substrates.base import Substrate, checked_range, masked_drive, sign_mask

#: Largest ``h * rate`` per RK4 substep (RK4 is stable up to about 2.78).
MAX_STEP_RATE = 2.5
#: Most RK4 substeps per virtual node (far beyond convergence for any stable step).
MAX_SUBSTEPS = 10_000
from nanomag.substrates.kernels import sto_run


class SpinTorqueOscillator(Substrate):
    """Single spin-torque oscillator read at ``n_virtual`` virtual nodes per input.

    Args:
        n_virtual: virtual nodes (channels) per input step.
        theta: duration of one virtual node, s.
        gamma_g: damping rate Gamma_G, 1/s.
        q: nonlinear damping coefficient Q.
        threshold_current: I_th, A.
        bias_current: DC current, A (must exceed I_th).
        input_current: current swing for a full-range masked input, A.
        resistance: junction resistance, Ohm (energy estimate).
        n_substeps: RK4 steps per virtual node, at most :data:`MAX_SUBSTEPS`; refused when a substep is too long for the
            oscillator's fastest relaxation rate (RK4 would diverge).
        input_range: input values mapped onto the full current swing; inputs outside it are
            clipped to it.
        n_inputs: input dimension.
        seed: mask seed.
    """

    channel_prefix = "node"
    state_bounds = (0.0, 1.0)  # normalised power p

    def __init__(self, n_virtual: int = 50, theta: float = 20e-9, gamma_g: float = 1e7,
                 q: float = 2.0, threshold_current: float = 4e-3, bias_current: float = 6e-3,
                 input_current: float = 2e-3, resistance: float = 40.0, n_substeps: int = 4,
                 input_range: tuple[float, float] = (-1.0, 1.0), n_inputs: int = 1,
                 seed: int | None = None) -> None:
        self.n_virtual = n_virtual
        self.theta = theta
        self.gamma_g = gamma_g
        self.q = q
        self.threshold_current = threshold_current
        self.bias_current = bias_current
        self.input_current = input_current
        self.resistance = resistance
        self.n_substeps = n_substeps
        self.input_range = input_range
        self.n_inputs = n_inputs
        self.seed = seed

    def _build(self, rng: np.random.Generator) -> None:
        for name in ("theta", "gamma_g", "threshold_current", "resistance"):
            positive(getattr(self, name), name)
        q = positive(self.q, "q", allow_zero=True)
        n_sub = positive_int(self.n_substeps, "n_substeps")
        if n_sub > MAX_SUBSTEPS:
            raise ValueError(f"n_substeps must be <= {MAX_SUBSTEPS}, got {self.n_substeps!r}")
        bias, swing = real(self.bias_current, "bias_current"), real(self.input_current,
                                                                      "input_current")
        checked_range(self.input_range)
        if not bias > float(self.threshold_current):
            raise ValueError(
                f"bias_current ({self.bias_current}) must exceed threshold_current "
                f"({self.threshold_current}) for the oscillator to run"
            )
        # |d(dp/dt)/dp| for p in [0, 1] and |I| <= |bias| + |swing|
        sigma = float(self.gamma_g) / float(self.threshold_current)
        rate = 2 * float(self.gamma_g) * (1 + 2 * q) + 6 * sigma * (abs(bias) + abs(swing))
        step = float(self.theta) / n_sub
        if not step * rate <= MAX_STEP_RATE:
            need = float(self.theta) * rate / MAX_STEP_RATE
            raise ValueError(
                f"n_substeps={n_sub} is too few: with gamma_g={self.gamma_g}, q={q}, "
                f"bias_current={bias}, input_current={swing} and threshold_current="
                f"{self.threshold_current} the oscillator relaxes at up to {rate:.3g} 1/s, so "
                f"theta / n_substeps must be <= {MAX_STEP_RATE / rate:.3g} s (n_substeps >= "
                f"{need:.3g}, at most {MAX_SUBSTEPS})"
            )
        d, n_virtual = positive_int(self.n_inputs, "n_inputs"), positive_int(self.n_virtual,
                                                                             "n_virtual")
        check_memory(d * n_virtual, 8, "n_virtual", "mask entries")
        self.mask_ = sign_mask(rng, d, n_virtual)

    def stationary_power(self, current: float) -> float:
        """Free-running power p0 at a constant ``current`` (A); 0 below threshold."""
        zeta = float(current) / float(self.threshold_current)
        return max(0.0, (zeta - 1.0) / (zeta + float(self.q)))

    def initial_state(self) -> np.ndarray:
        return np.array([self.stationary_power(self.bias_current)])

    def _run(self, inputs: np.ndarray, state: np.ndarray) -> np.ndarray:
        currents = self.bias_current + self.input_current * masked_drive(
            inputs, self.mask_, self.input_range)
        out = np.empty((inputs.shape[0], self.n_channels))
        sigma = float(self.gamma_g) / float(self.threshold_current)
        sto_run(np.ascontiguousarray(currents), float(self.theta), int(self.n_substeps),
                float(self.gamma_g), float(self.q), sigma, state, out)
        return out

    @property
    def n_channels(self) -> int:
        return int(self.n_virtual)

    def energy_per_step(self) -> dict[str, float]:
        """Joule heating of the bias current over one input step: R I_dc^2 n_virtual theta."""
        return {"joule": float(self.resistance) * float(self.bias_current) ** 2
                * int(self.n_virtual) * float(self.theta)}
