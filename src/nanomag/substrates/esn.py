"""Software echo-state network: the digital reference reservoir."""

from __future__ import annotations

import numpy as np
from scipy import sparse

from nanomag._validate import check_memory, in_range, positive, positive_int
from nanomag.energy import E_MAC, E_MEM, esn_step_energy
from nanomag.substrates.base import Substrate
from nanomag.substrates.kernels import esn_run

#: Largest accepted spectral radius (the echo-state property needs about 1; far above, every
#: unit saturates).
MAX_SPECTRAL_RADIUS = 100.0
#: Largest accepted input and bias scaling.
MAX_SCALING = 1e6
#: Inputs are clipped to +-INPUT_CLIP: beyond it every unit with a non-zero input weight is
#: saturated anyway (tanh is +-1 to double precision above 20).
INPUT_CLIP = 1e100


class EchoStateNetwork(Substrate):
    """Leaky tanh echo-state network ``x <- (1 - a) x + a tanh(W_in u + b + W x)``.

    ``W`` is sparse (each entry present with probability ``connectivity``, values standard
    normal) rescaled to ``spectral_radius``; ``W_in`` and ``b`` are uniform in
    [-input_scaling, input_scaling] and [-bias_scaling, bias_scaling].  Observations are the
    unit activations.

    Ranges: ``spectral_radius`` in [0, :data:`MAX_SPECTRAL_RADIUS`], ``input_scaling`` and
    ``bias_scaling`` in [0, :data:`MAX_SCALING`], ``leak_rate`` and ``connectivity`` in (0, 1];
    inputs are clipped to +-:data:`INPUT_CLIP`.

    Energy: the reservoir terms of :func:`nanomag.energy.esn_step_energy` (``nnz(W) + n_units
    n_inputs`` MACs at ``e_mac`` J, one weight read each plus one state write per unit at
    ``e_mem`` J); the readout is counted separately.
    """

    channel_prefix = "unit"
    state_bounds = (-1.0, 1.0)  # leaky tanh units

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
        check_memory(n * (n + d), 24, "n_units", "weights (dense during the eigenvalue scaling)")
        rho = in_range(self.spectral_radius, "spectral_radius", 0.0, MAX_SPECTRAL_RADIUS)
        in_range(self.leak_rate, "leak_rate", 0.0, 1.0, low_open=True)
        density = in_range(self.connectivity, "connectivity", 0.0, 1.0, low_open=True)
        for name in ("input_scaling", "bias_scaling"):
            in_range(getattr(self, name), name, 0.0, MAX_SCALING)
        for name in ("e_mac", "e_mem"):
            positive(getattr(self, name), name, allow_zero=True)
        w = sparse.random(n, n, density=density, format="csr", random_state=rng,
                          data_rvs=rng.standard_normal)
        current = np.max(np.abs(np.linalg.eigvals(w.toarray()))) if w.nnz else 0.0
        if current == 0 and rho > 0:
            raise ValueError(
                f"connectivity={self.connectivity} gives a nilpotent recurrent matrix for "
                f"n_units={n}, which cannot be scaled to spectral_radius={rho}: raise "
                "connectivity"
            )
        w = w * (rho / current) if current > 0 else w
        w.sort_indices()
        self.w_ = w
        self.w_in_ = rng.uniform(-1, 1, (n, d)) * float(self.input_scaling)
        self.bias_ = rng.uniform(-1, 1, n) * float(self.bias_scaling)

    def initial_state(self) -> np.ndarray:
        return np.zeros(positive_int(self.n_units, "n_units"))

    def _run(self, inputs: np.ndarray, state: np.ndarray) -> np.ndarray:
        u = np.clip(inputs, -INPUT_CLIP, INPUT_CLIP)
        drive = np.ascontiguousarray(u @ self.w_in_.T + self.bias_)
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
