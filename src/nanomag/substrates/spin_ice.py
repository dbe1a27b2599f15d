"""The artificial spin(-vortex) ice as a reservoir: encoder -> spin-ice engine -> observation.

Each input is written as a field protocol by an encoder (:mod:`nanomag.encoders`); the
engine (:class:`nanomag.engine.spin_ice.SpinIce`) relaxes the microstate after every field step;
after each input the microstate is observed as its FMR spectrum (the spin-wave fingerprint,
:class:`nanomag.fmr.FMRReadout`), its magnetization, or the magnetization of spatial regions.
The state is the microstate itself, spins and vortex flags of every bar, followed by the
engine's random-generator state (two exact 32-bit halves) and the drive's field history (the
last applied field and the number of field steps, :class:`nanomag.encoders.DriveHistory`), so
that ``run(inputs, state)`` is a function of its arguments even where vortex nucleation or
thermal switching draw random numbers, and a drive split into several calls equals one call.
"""

from __future__ import annotations

import numpy as np

from nanomag._validate import (
    MAX_FIELD_T,
    choice,
    flag,
    in_range,
    instance_of,
    positive_int,
)
from nanomag.encoders import FRESH, DriveHistory, FieldEncoder, FieldLoopEncoder
from nanomag.energy import EnergyBreakdown, EnergyModel, spin_ice_step_energy
from nanomag.engine.spin_ice import SpinIce
from nanomag.engine.vortices import VortexModel
from nanomag.fmr import FMRReadout, ModeTable
from nanomag.fmr.instrument import FMRInstrument
from nanomag.lattices import make_lattice
from nanomag.substrates.base import Substrate

OBSERVATIONS = ("spectrum", "magnetization", "regions")
#: The embedded default engine: the width-modulated spin-vortex ice of Gartside et al. (2022).
DEFAULT_ENGINE = {"disorder": 0.05, "vortex": VortexModel()}


class SpinIceReservoir(Substrate):
    """A nanomagnet array driven by field protocols and read by FMR or magnetization.

    Args:
        lattice: lattice name for :func:`nanomag.make_lattice`.
        lattice_params: its parameters (default ``{"size": (10, 10)}``).
        engine_params: :class:`SpinIce` keyword arguments (``disorder``, ``hc``, ``vortex``,
            ``temperature``, ``neighbor_distance``, ...); ``seed`` comes from ``seed``.
            Default: :data:`DEFAULT_ENGINE` (5 % threshold disorder, vortex states in wide bars).
        encoder: input encoder (default :class:`FieldLoopEncoder`).
        observation: ``"spectrum"`` (FMR channels at ``frequencies``), ``"magnetization"``
            (mx, my) or ``"regions"`` (mx, my of ``n_regions`` x ``n_regions`` spatial blocks).
        frequencies: FMR channels, Hz (default 128 channels from 3 to 13 GHz).
        derivative: observe dP/dH (field-swept FMR) rather than the absorption P.
        n_regions: blocks per side for ``"regions"``.
        saturation_field: field (T) along the encoder's first direction that prepares the
            initial state; ``None`` starts from all spins +1.
        energy_model: hardware figures for :meth:`energy_per_step`.
        instrument: noise, jitter and averaging of the FMR measurement
            (:class:`~nanomag.fmr.instrument.FMRInstrument`, ``"spectrum"`` observation only);
            ``None`` observes the exact spectra.  Its draws come from a generator seeded at
            :meth:`reset`, so every drive is a new measurement: the same seed reproduces the
            whole sequence of observations.
        seed: seeds threshold disorder (and random layouts, thermal switching, instrument).
        modes: FMR lines per bar state (:class:`~nanomag.fmr.ModeTable`); ``None``: the
            default table (geometry-true resonance, micromagnetic vortex lines).

    After each drive, ``last_spins_`` and ``last_vortices_`` (inputs, bars) hold the
    microstate observed after every input, ``last_flips_`` the flips per input and
    ``last_amplitudes_`` the applied field magnitudes (T) of every field step.
    """

    channel_prefix = "ch"

    def __init__(self, lattice: str = "asvi_width_modulated", lattice_params: dict | None = None,
                 engine_params: dict | None = None, encoder: FieldEncoder | None = None,
                 observation: str = "spectrum", frequencies=None, derivative: bool = True,
                 n_regions: int = 4, saturation_field: float | None = 0.1,
                 energy_model: EnergyModel | None = None,
                 instrument: FMRInstrument | None = None, seed: int | None = 0,
                 modes: ModeTable | None = None) -> None:
        self.lattice = lattice
        self.lattice_params = lattice_params
        self.engine_params = engine_params
        self.encoder = encoder
        self.observation = observation
        self.frequencies = frequencies
        self.derivative = derivative
        self.modes = modes
        self.n_regions = n_regions
        self.saturation_field = saturation_field
        self.energy_model = energy_model
        self.instrument = instrument
        self.seed = seed

    # ------------------------------------------------------------------ Substrate interface
    @property
    def n_inputs(self) -> int:
        return self._encoder().n_inputs

    def _encoder(self) -> FieldEncoder:
        encoder = instance_of(self.encoder, FieldEncoder, "encoder", allow_none=True)
        return FieldLoopEncoder() if encoder is None else encoder

    def _build(self, rng: np.random.Generator) -> None:
        choice(self.observation, OBSERVATIONS, "observation")
        instance_of(self.lattice, str, "lattice")
        flag(self.derivative, "derivative")
        instance_of(self.lattice_params, dict, "lattice_params", allow_none=True)
        instance_of(self.engine_params, dict, "engine_params", allow_none=True)
        instance_of(self.energy_model, EnergyModel, "energy_model", allow_none=True)
        modes = instance_of(self.modes, ModeTable, "modes", allow_none=True)
        saturation = (None if self.saturation_field is None
                      else in_range(self.saturation_field, "saturation_field",
                                    -MAX_FIELD_T, MAX_FIELD_T))
        params = {"size": (10, 10)} if self.lattice_params is None else dict(self.lattice_params)
        try:
            self.array_ = make_lattice(self.lattice, **params)
        except TypeError as err:  # a key the lattice generator does not take
            raise TypeError(f"lattice_params {params!r} do not fit lattice {self.lattice!r}: "
                            f"{err}") from None
        engine = dict(DEFAULT_ENGINE if self.engine_params is None else self.engine_params)
        if "seed" in engine:
            raise ValueError("engine_params must not hold 'seed': use the seed parameter")
        self.model_ = SpinIce(self.array_, seed=int(rng.integers(2**63)), **engine)
        if self.instrument is not None:
            if not isinstance(self.instrument, FMRInstrument):
                raise TypeError(f"instrument must be an FMRInstrument or None, got "
                                f"{type(self.instrument).__name__}")
            if self.observation != "spectrum":
                raise ValueError(f"instrument needs observation='spectrum', got "
                                 f"{self.observation!r}")
            self.instrument_rng_ = np.random.default_rng(int(rng.integers(2**63)))
        self.encoder_ = self._encoder()
        probe = self.encoder_.encode(np.zeros((1, self.n_inputs)), self.array_)
        if self.observation == "spectrum":
            freqs = np.linspace(3e9, 13e9, 128) if self.frequencies is None else self.frequencies
            self.readout_ = FMRReadout(freqs, bias_angle=probe.readout_angle,
                                       modes=ModeTable() if modes is None else modes,
                                       ).prepare(self.array_)
        elif self.observation == "regions":
            self.region_matrix_ = self._region_matrix(positive_int(self.n_regions, "n_regions"))
        if saturation is not None:
            first = probe.fields[0] if probe.fields.ndim == 2 else probe.fields[0, 0]
            direction = first / max(np.linalg.norm(first), 1e-300)
            self.model_.set_h_ext(abs(saturation) * direction)
            self.model_.relax()
        self._reset_state = self._pack(self.model_, FRESH)
        self.last_flips_ = np.zeros(0, np.int64)
        self.last_amplitudes_ = np.zeros(0)
        self.last_spins_ = self.last_vortices_ = np.zeros((0, self.array_.n_bars), np.int8)

    def _region_matrix(self, k: int) -> np.ndarray:
        """(N, 2 k^2) volume weights mapping spins to block (mx, my)."""
        arr = self.array_
        pos = arr.positions
        span = np.ptp(pos, axis=0)
        cell = np.floor((pos - pos.min(axis=0)) / np.where(span > 0, span, 1) * k)
        block = (np.clip(cell, 0, k - 1) @ np.array([1, k])).astype(int)
        weights = np.zeros((arr.n_bars, 2 * k * k))
        vol = arr.volumes
        totals = np.bincount(block, weights=vol, minlength=k * k)
        share = vol / np.where(totals[block] > 0, totals[block], 1)
        weights[np.arange(arr.n_bars), 2 * block] = share * arr.axes[:, 0]
        weights[np.arange(arr.n_bars), 2 * block + 1] = share * arr.axes[:, 1]
        return weights

    @staticmethod
    def _pack(model: SpinIce, history: DriveHistory) -> np.ndarray:
        """(2N + 5,) float state: spins, vortex flags, generator state as two 32-bit halves,
        the last applied field (hx, hy) in T and the number of field steps applied."""
        rng = int(model.rng_state[0])
        return np.concatenate([model.spin, model.vortex, [rng >> 32, rng & 0xFFFFFFFF],
                               history.field, [history.steps]]).astype(float)

    @staticmethod
    def _history(state: np.ndarray) -> DriveHistory:
        """The drive history stored at the end of a packed state."""
        return DriveHistory(field=(float(state[-3]), float(state[-2])), steps=int(state[-1]))

    def initial_state(self) -> np.ndarray:
        return self._reset_state.copy()

    def _checked_state(self, state) -> np.ndarray:
        """A state as :meth:`_pack` writes it: spins +-1, vortex flags -1/0/+1, and the two
        32-bit halves of the generator state."""
        x = super()._checked_state(state)
        n = self.array_.n_bars
        halves, field, steps = x[2 * n:2 * n + 2], x[2 * n + 2:2 * n + 4], x[-1]
        if (not np.all(np.abs(x[:n]) == 1) or not np.all(np.isin(x[n:2 * n], (-1, 0, 1)))
                or np.any(halves != np.round(halves)) or np.any(halves < 0)
                or np.any(halves >= 2**32) or np.any(np.abs(field) > MAX_FIELD_T)
                or steps != np.round(steps) or not 0 <= steps < 2**53):
            raise ValueError(f"state must hold {n} spins (+-1), {n} vortex flags (-1, 0, +1), "
                             "two 32-bit generator halves, the last field (hx, hy) in T and "
                             "the field-step count, as `state` returns it")
        return x

    @property
    def n_channels(self) -> int:
        if self.observation == "spectrum":
            return 128 if self.frequencies is None else len(self.frequencies)
        if self.observation == "magnetization":
            return 2
        return 2 * positive_int(self.n_regions, "n_regions") ** 2

    @property
    def channel_names(self) -> list[str]:
        if self.observation == "spectrum":
            self._ensure_built()
            return [f"{f / 1e9:.3f} GHz" for f in self.readout_.frequencies]
        if self.observation == "magnetization":
            return ["mx", "my"]
        k = positive_int(self.n_regions, "n_regions")
        return [f"{c}[{i // k},{i % k}]" for i in range(k * k) for c in ("mx", "my")]

    def _run(self, inputs: np.ndarray, state: np.ndarray) -> np.ndarray:
        model, n = self.model_, self.array_.n_bars
        model.set_state(state[:n].astype(np.int8), state[n:2 * n].astype(np.int8))
        hi, lo = (np.uint64(v) for v in state[2 * n:2 * n + 2])
        model.rng_state[0] = (hi << np.uint64(32)) | lo
        u = inputs[:, 0] if inputs.shape[1] == 1 and self.n_inputs == 1 else inputs
        history = self._history(state)
        protocol = self.encoder_.encode(u, self.array_, history)
        record = model.run_arrays(protocol.fields, record_states=protocol.observe)
        per_input = np.add.reduceat(record.flips,
                                    np.concatenate([[0], protocol.observe[:-1] + 1]))
        self.last_flips_ = per_input
        self.last_spins_, self.last_vortices_ = record.spin, record.vortex
        self.last_amplitudes_ = np.linalg.norm(
            protocol.fields if protocol.fields.ndim == 2 else protocol.fields.mean(axis=1), axis=-1)
        fields = protocol.fields
        last = fields[-1] if fields.ndim == 2 else fields[-1].mean(axis=0)
        state[:] = self._pack(model, DriveHistory(field=(float(last[0]), float(last[1])),
                                                  steps=history.steps + len(protocol.fields)))
        if self.observation == "spectrum" and self.instrument is not None:
            return self.instrument.measure_array(self.readout_, record.spin, record.vortex,
                                                 protocol.readout_bias,
                                                 derivative=self.derivative,
                                                 rng=self.instrument_rng_)
        if self.observation == "spectrum":
            return self.readout_.spectra_array(record.spin, record.vortex,
                                               protocol.readout_bias, derivative=self.derivative)
        if self.observation == "magnetization":
            return record.magnetization[protocol.observe]
        moments = record.spin * (record.vortex == 0)
        return moments @ self.region_matrix_

    def energy_per_step(self) -> dict[str, float]:
        """Energy terms (J) per input, averaged over the last drive, and each scenario's
        total (``total_<scenario>``): :meth:`energy_breakdown` flattened."""
        return self.energy_breakdown().to_dict()

    def energy_breakdown(self) -> EnergyBreakdown:
        """Energy terms (J) per input, averaged over the last drive (field pulses of the
        protocol, flips, FMR readout of ``n_channels`` points, a linear readout on them),
        with the terms each scenario counts."""
        self._ensure_built()
        n_inputs = max(self.last_flips_.size, 1)
        pulses = self.last_amplitudes_
        per_input = max(1, pulses.size // n_inputs)
        # pulse energy is quadratic in the field: equal pulses at the rms field carry the mean
        rms = np.sqrt(np.mean(pulses**2)) if pulses.size else 0.0
        return spin_ice_step_energy(
            self.energy_model, volumes_m3=float(self.array_.volumes.mean()),
            field_amplitudes_T=np.full(per_input, rms),
            n_bars=self.array_.n_bars, n_channels=self.n_channels,
            flip_count=int(round(self.last_flips_.sum() / n_inputs)),
            mean_switching_field_T=float(self.model_.switching_fields().mean()),
        )
