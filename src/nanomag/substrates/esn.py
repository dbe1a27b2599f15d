"""Software echo-state network: the digital reference reservoir."""

from __future__ import annotations

import numpy as np
from scipy import sparse

from nanomag._validate import positive, positive_int
from nanomag.energy import E_MAC, E_MEM, esn_step_energy
from nanomag.substrates.base import Substrate
from nanomag.substrates.kernels import esn_run


class EchoStateNetwork(Substrate):
    """Leaky tanh echo-state network ``x <- (1 - a) x + a tanh(W_in u + b + W x)``.

    ``W`` is sparse (each entry present with probability ``connectivity``, values standard
    normal) rescaled to ``spectral_radius``; ``W_in`` and ``b`` are uniform in
    [-input_scaling, input_scaling] and [-bias_scaling, bias_scaling].  Observations are the
    unit activations.

    Energy: the reservoir terms of :func:`nanomag.energy.esn_step_energy` (``nnz(W) + n_units
    n_inputs`` MACs at ``e_mac`` J, one weight read each plus one state write per unit at
    ``e_mem`` J); the readout is counted separately.
    """

    channel_prefix = "unit"

    def __init__(self, n_units: int = 100, spectral_radius: float = 0.9,
                 input_scaling: float = 1.0, leak_rate: float = 1.0, bias_scaling: float = 0.0,
                 connectivity: float = 0.1, n_inputs: int = 1, seed: int | None = None,
                 e_mac: float = E_MAC, e_mem: float = E_MEM) -> None:
        self.n_units = n_units
        self.spectral_radius = spectral_radius
        self.input_scaling = input_scaling
        self.leak_rate = leak_rate
        self.bias_scaling = bias_scaling
        self.connectivity = connectivity
        self.n_inputs = n_inputs
        self.seed = seed
        self.e_mac = e_mac
        self.e_mem = e_mem

    def _build(self, rng: np.random.Generator) -> None:
        n = positive_int(self.n_units, "n_units")
        d = positive_int(self.n_inputs, "n_inputs")
        rho = positive(self.spectral_radius, "spectral_radius", allow_zero=True)
        leak = positive(self.leak_rate, "leak_rate")
        if leak > 1:
            raise ValueError(f"leak_rate must be in (0, 1], got {self.leak_rate!r}")
        density = positive(self.connectivity, "connectivity")
        if density > 1:
            raise ValueError(f"connectivity must be in (0, 1], got {self.connectivity!r}")
        w = sparse.random(n, n, density=density, format="csr", random_state=rng,
                          data_rvs=rng.standard_normal)
        current = np.max(np.abs(np.linalg.eigvals(w.toarray()))) if w.nnz else 0.0
        if current == 0 and rho > 0:
            raise ValueError(
                f"connectivity={self.connectivity} gives a nilpotent recurrent matrix for "
                f"n_units={n}: raise connectivity"
            )
        w = w * (rho / current) if current > 0 else w
        w.sort_indices()
        self.w_ = w
        self.w_in_ = rng.uniform(-1, 1, (n, d)) * positive(self.input_scaling, "input_scaling",
                                                           allow_zero=True)
        self.bias_ = rng.uniform(-1, 1, n) * positive(self.bias_scaling, "bias_scaling",
                                                       allow_zero=True)

    def initial_state(self) -> np.ndarray:
        return np.zeros(positive_int(self.n_units, "n_units"))

    def _run(self, inputs: np.ndarray, state: np.ndarray) -> np.ndarray:
        drive = np.ascontiguousarray(inputs @ self.w_in_.T + self.bias_)
        out = np.empty((inputs.shape[0], state.shape[0]))
        w = self.w_
        esn_run(drive, w.indptr.astype(np.uint64), w.indices.astype(np.uint32), w.data,
                float(self.leak_rate), state, out)
        return out

    @property
    def n_channels(self) -> int:
        return int(self.n_units)

    def energy_per_step(self) -> dict[str, float]:
        self._ensure_built()
        terms = esn_step_energy(self.n_units, self.w_.nnz, self.n_inputs, 0, e_mac=self.e_mac,
                                e_mem=self.e_mem).terms
        return {"mac": terms["reservoir_mac"], "memory": terms["reservoir_memory"]}
