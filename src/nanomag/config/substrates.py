"""The ``[substrate]`` section: one model per reservoir, chosen by its ``type`` key.

Every member has a ``type`` literal, ``channel_count()`` (None where only the data tell) and
``build(seed) -> Substrate``; the simulated ones a ``seed`` (None: the experiment's seed).
Adding a substrate means writing one more model here and listing it in
:data:`SUBSTRATE_MODELS`.

A ``measured`` substrate plays back a real device's per-step spectra, read and preprocessed
as ``nanomag measured`` does (:mod:`nanomag.measured`).

Spin-ice members (``spin_ice``, ``preset``) also choose the input ``encoder`` (``type``:
``field_loop``, ``rotating``, ``waveform``), the ``observation`` (``kind``: ``spectrum``,
``magnetization``, ``regions``) and the input steps at which the microstate is stored
(``snapshots``).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import numpy as np
from pydantic import Field, field_validator, model_validator

from nanomag.config.base import MAX_CHANNELS, StrictModel, field, seed_field, tagged_union
from nanomag.config.loop import EngineParams, LatticeConfig, VortexConfig, check_size
from nanomag.config.measured import PreprocessingConfig, ReadingConfig
from nanomag.encoders import FieldEncoder, FieldLoopEncoder, RotatingFieldEncoder, WaveformEncoder
from nanomag.experiments.presets import PRESETS, preset
from nanomag.substrates import (
    EchoStateNetwork,
    MemristorReservoir,
    SpinIceReservoir,
    SpinTorqueOscillator,
    Substrate,
)

_SEED_DOC = "seeds the substrate's random structure (None: the experiment's seed)"
_SNAPSHOT_DOC = ("input steps after which the microstate (spins, vortex flags) is stored "
                 "(None: first, middle and last)")
RangePair = Annotated[list[float], Field(min_length=2, max_length=2)]


def _increasing(values: list[float]) -> list[float]:
    """A [low, high] pair with high > low."""
    if not values[1] > values[0]:
        raise ValueError(f"must be [low, high] with high > low, got {values}")
    return values


# --------------------------------------------------------------------------- encoders
class _FieldWindow(StrictModel):
    h_min: float = field(0.016, "T", "field amplitude for the bottom of input_range", ge=0,
                         le=10)
    h_max: float = field(0.030, "T", "field amplitude for the top of input_range", gt=0, le=10)
    angle_deg: float = field(45.0, "deg", "field direction from +x", ge=-360, le=360)
    input_range: RangePair = field(unit="1", description="(scaled) input values mapped onto "
                                   "[h_min, h_max]; inputs are scaled to [0, 1]",
                                   default_factory=lambda: [0.0, 1.0])

    _range = field_validator("input_range")(_increasing)

    @model_validator(mode="after")
    def _window(self) -> _FieldWindow:
        if self.h_max < self.h_min:
            raise ValueError(f"h_max ({self.h_max}) must be >= h_min ({self.h_min})")
        return self

    def _kwargs(self) -> dict:
        kwargs = self.model_dump(exclude={"type"})
        kwargs["input_range"] = tuple(self.input_range)
        return kwargs


class FieldLoopEncoderConfig(_FieldWindow):
    """Each input writes the loop +H(u), -H(u) (:class:`FieldLoopEncoder`)."""

    type: Literal["field_loop"] = field("field_loop", "", "encoder kind")
    steps_per_half: int = field(1, "", "field steps per half loop", ge=1, le=1000)

    def build(self) -> FieldEncoder:
        return FieldLoopEncoder(**self._kwargs())


class RotatingEncoderConfig(_FieldWindow):
    """A field of amplitude H(u) turning at each sub-step (:class:`RotatingFieldEncoder`)."""

    type: Literal["rotating"] = field("rotating", "", "encoder kind")
    angle_deg: float = field(0.0, "deg", "starting field direction from +x", ge=-360, le=360)
    angle_step_deg: float = field(120.0, "deg", "turn per sub-step", ge=-360, le=360)
    steps_per_input: int = field(3, "", "sub-steps per input", ge=1, le=1000)
    readout_field: float = field(0.0, "T", "bias field of the readout", ge=-10, le=10)
    readout_angle_deg: float = field(45.0, "deg", "direction of the readout bias", ge=-360,
                                     le=360)

    def build(self) -> FieldEncoder:
        return RotatingFieldEncoder(**self._kwargs())


class WaveformEncoderConfig(_FieldWindow):
    """Each input is one period of a sine or a pulse of amplitude H(u)
    (:class:`WaveformEncoder`)."""

    type: Literal["waveform"] = field("waveform", "", "encoder kind")
    shape: Literal["sine", "pulse"] = field("sine", "", "waveform of each input")
    steps_per_input: int = field(8, "", "field steps per input", ge=2, le=1000)
    readout_field: float = field(0.0, "T", "bias field of the readout", ge=-10, le=10)

    def build(self) -> FieldEncoder:
        return WaveformEncoder(**self._kwargs())


ENCODER_MODELS = (FieldLoopEncoderConfig, RotatingEncoderConfig, WaveformEncoderConfig)
EncoderConfig = tagged_union(ENCODER_MODELS, "type", "encoder")


# --------------------------------------------------------------------------- observations
class SpectrumConfig(StrictModel):
    """FMR spectrum at evenly spaced frequencies (the spin-wave fingerprint)."""

    kind: Literal["spectrum"] = field("spectrum", "", "observation kind")
    f_min: float = field(3e9, "Hz", "lowest channel frequency", gt=0, le=1e12)
    f_max: float = field(13e9, "Hz", "highest channel frequency", gt=0, le=1e12)
    n_channels: int = field(128, "", "number of frequency channels", ge=1, le=MAX_CHANNELS)
    derivative: bool = field(True, "", "observe dP/dH (field-swept FMR) rather than P")

    @model_validator(mode="after")
    def _band(self) -> SpectrumConfig:
        if not self.f_max > self.f_min:
            raise ValueError(f"f_max ({self.f_max:g}) must exceed f_min ({self.f_min:g})")
        return self

    def channel_count(self) -> int:
        return self.n_channels

    def reservoir_kwargs(self) -> dict:
        return {"observation": "spectrum", "derivative": self.derivative,
                "frequencies": np.linspace(self.f_min, self.f_max, self.n_channels)}


class MagnetizationConfig(StrictModel):
    """Net magnetization (mx, my), normalised to saturation."""

    kind: Literal["magnetization"] = field("magnetization", "", "observation kind")

    def channel_count(self) -> int:
        return 2

    def reservoir_kwargs(self) -> dict:
        return {"observation": "magnetization"}


class RegionsConfig(StrictModel):
    """Magnetization (mx, my) of n_regions x n_regions spatial blocks."""

    kind: Literal["regions"] = field("regions", "", "observation kind")
    n_regions: int = field(4, "", "blocks per side", ge=1, le=70)

    def channel_count(self) -> int:
        return 2 * self.n_regions**2

    def reservoir_kwargs(self) -> dict:
        return {"observation": "regions", "n_regions": self.n_regions}


OBSERVATION_MODELS = (SpectrumConfig, MagnetizationConfig, RegionsConfig)
ObservationConfig = tagged_union(OBSERVATION_MODELS, "kind", "observation")


# --------------------------------------------------------------------------- spin ice
class ReservoirEngineConfig(EngineParams):
    """Engine of a spin-ice reservoir: as a loop run's engine, seeded by the substrate, with
    the reservoir's defaults (5 % disorder, vortex states in wide bars)."""

    disorder: float = field(0.05, "1", "relative standard deviation of the switching fields",
                            ge=0, le=10)
    vortex: VortexConfig | None = field(
        unit="", description="vortex rules for wide bars; true: the default rules, false or "
        "none: no vortices", default_factory=VortexConfig)


class _SpinIceCommon(StrictModel):
    observation: ObservationConfig = field(unit="", description="what is read after each input",
                                           default_factory=SpectrumConfig)
    seed: int | None = seed_field(None, _SEED_DOC)
    snapshots: list[Annotated[int, Field(ge=0)]] | None = field(None, "input step",
                                                                 _SNAPSHOT_DOC, max_length=1000)

    def channel_count(self) -> int:
        """Observation channels per input."""
        return self.observation.channel_count()


class SpinIceConfig(_SpinIceCommon):
    """An artificial spin(-vortex) ice: lattice, engine, encoder and observation
    (:class:`SpinIceReservoir`)."""

    type: Literal["spin_ice"] = field("spin_ice", "", "substrate kind")
    lattice: LatticeConfig = field(
        unit="", description="the bar array",
        default_factory=lambda: LatticeConfig(params={"size": [10, 10]}))
    engine: ReservoirEngineConfig = field(unit="", description="the spin-ice engine",
                                          default_factory=ReservoirEngineConfig)
    encoder: EncoderConfig = field(unit="", description="how an input becomes fields",
                                   default_factory=FieldLoopEncoderConfig)
    saturation_field: float | None = field(
        0.1, "T", "field along the encoder's first direction that prepares the initial state "
        "(None: all spins +1)", gt=0, le=10)

    def build(self, seed: int) -> Substrate:
        return SpinIceReservoir(
            lattice=self.lattice.name, lattice_params=dict(self.lattice.params),
            engine_params=self.engine.engine_kwargs(), encoder=self.encoder.build(),
            saturation_field=self.saturation_field,
            seed=self.seed if self.seed is not None else seed,
            **self.observation.reservoir_kwargs())


class PresetConfig(_SpinIceCommon):
    """One of the MS / WM / PW arrays of Stenning et al. (2024)
    (:mod:`nanomag.experiments.presets`): lattice, field window and engine as published."""

    type: Literal["preset"] = field("preset", "", "substrate kind")
    array: Literal[tuple(PRESETS)] = field(  # type: ignore[valid-type]
        "WM", "", "which array: " + ", ".join(PRESETS))
    size: list[int] = field(unit="cells", description="lattice size [nx, ny]",
                            default_factory=lambda: [10, 10])
    engine: ReservoirEngineConfig | None = field(None, "", "replaces the preset's engine "
                                                 "(None: the preset's)")

    @model_validator(mode="after")
    def _size(self) -> PresetConfig:
        check_size(self.size, "size")
        return self

    def build(self, seed: int) -> Substrate:
        extra: dict[str, Any] = self.observation.reservoir_kwargs()
        if self.engine is not None:
            extra["engine_params"] = self.engine.engine_kwargs()
        return preset(self.array, tuple(self.size),
                      self.seed if self.seed is not None else seed, **extra)


# --------------------------------------------------------------------------- software models
class _Masked(StrictModel):
    input_range: RangePair = field(unit="1", description="input values mapped onto the full "
                                   "drive (inputs are scaled to [0, 1])",
                                   default_factory=lambda: [-1.0, 1.0])
    seed: int | None = seed_field(None, _SEED_DOC)

    _range = field_validator("input_range")(_increasing)

    def _kwargs(self, seed: int) -> dict:
        kwargs = self.model_dump(exclude={"type"})
        kwargs["seed"] = self.seed if self.seed is not None else seed
        if "input_range" in kwargs:
            kwargs["input_range"] = tuple(kwargs["input_range"])
        return kwargs


class EsnConfig(StrictModel):
    """Leaky tanh echo-state network, the digital reference (:class:`EchoStateNetwork`)."""

    type: Literal["esn"] = field("esn", "", "substrate kind")
    n_units: int = field(100, "", "reservoir units (channels)", ge=1, le=5000)
    spectral_radius: float = field(0.9, "1", "spectral radius of the recurrent matrix", gt=0,
                                   le=100)
    input_scaling: float = field(1.0, "1", "input weights uniform in [-s, s]", gt=0, le=1e3)
    leak_rate: float = field(1.0, "1", "leak rate a in (0, 1]", gt=0, le=1)
    bias_scaling: float = field(0.0, "1", "biases uniform in [-s, s]", ge=0, le=1e3)
    connectivity: float = field(0.1, "1", "probability of each recurrent connection", gt=0,
                                le=1)
    seed: int | None = seed_field(None, _SEED_DOC)
    e_mac: float = field(EchoStateNetwork().e_mac, "J", "energy per multiply-accumulate",
                         gt=0, le=1)
    e_mem: float = field(EchoStateNetwork().e_mem, "J", "energy per memory access", gt=0,
                         le=1)

    def channel_count(self) -> int:
        return self.n_units

    def build(self, seed: int) -> Substrate:
        kwargs = self.model_dump(exclude={"type"})
        kwargs["seed"] = self.seed if self.seed is not None else seed
        return EchoStateNetwork(**kwargs)


class MemristorConfig(_Masked):
    """Parallel dynamic memristors with mask time multiplexing (:class:`MemristorReservoir`,
    Zhong et al. 2021)."""

    type: Literal["memristor"] = field("memristor", "", "substrate kind")
    n_reservoirs: int = field(25, "", "parallel memristors", ge=1, le=MAX_CHANNELS)
    mask_length: int = field(4, "", "virtual nodes (pulses) per input", ge=1, le=1000)
    r: float = field(0.99, "1", "conductance retention per pulse", ge=0, le=1)
    g0: float = field(0.5, "1", "resting conductance", ge=0, le=1)
    kp: float = field(9.13, "1", "positive-voltage current coefficient", gt=0, le=1e3)
    kn: float = field(0.32, "1", "negative-voltage current coefficient", gt=0, le=1e3)
    a: float = field(0.23, "1/V", "switching-rate coefficient", gt=0, le=1e3)
    v_min: float = field(-0.8, "V", "lowest pulse voltage", ge=-100, le=100)
    v_max: float = field(2.5, "V", "highest pulse voltage", ge=-100, le=100)
    current_unit: float = field(1e-6, "A", "amperes per model current unit (energy only)",
                                gt=0, le=1)
    pulse_width: float = field(1e-6, "s", "pulse duration (energy only)", gt=0, le=1)

    @model_validator(mode="after")
    def _voltages(self) -> MemristorConfig:
        if not self.v_max > self.v_min:
            raise ValueError(f"v_max ({self.v_max}) must exceed v_min ({self.v_min})")
        if self.n_reservoirs * self.mask_length > MAX_CHANNELS:
            raise ValueError(f"n_reservoirs * mask_length must be at most {MAX_CHANNELS} "
                             "channels")
        return self

    def channel_count(self) -> int:
        return self.n_reservoirs * self.mask_length

    def build(self, seed: int) -> Substrate:
        return MemristorReservoir(**self._kwargs(seed))


class StoConfig(_Masked):
    """Spin-torque nano-oscillator with time-multiplexed virtual nodes
    (:class:`SpinTorqueOscillator`)."""

    type: Literal["sto"] = field("sto", "", "substrate kind")
    n_virtual: int = field(50, "", "virtual nodes (channels) per input", ge=1, le=MAX_CHANNELS)
    theta: float = field(20e-9, "s", "duration of one virtual node", gt=0, le=1)
    gamma_g: float = field(1e7, "1/s", "damping rate Gamma_G", gt=0, le=1e13)
    q: float = field(2.0, "1", "nonlinear damping coefficient Q", ge=0, le=1e3)
    threshold_current: float = field(4e-3, "A", "threshold current I_th", gt=0, le=1)
    bias_current: float = field(6e-3, "A", "DC current (above I_th)", gt=0, le=1)
    input_current: float = field(2e-3, "A", "current swing of a full-range input", ge=0, le=1)
    resistance: float = field(40.0, "Ohm", "junction resistance (energy only)", gt=0, le=1e9)
    n_substeps: int = field(4, "", "RK4 steps per virtual node", ge=1, le=1000)

    def channel_count(self) -> int:
        return self.n_virtual

    def build(self, seed: int) -> Substrate:
        return SpinTorqueOscillator(**self._kwargs(seed))


# --------------------------------------------------------------------------- measured data
class MeasuredSubstrateConfig(StrictModel):
    """A real device's recording played back (:class:`~nanomag.substrates.RecordedSubstrate`):
    the per-step files in ``folder`` read and preprocessed as ``nanomag measured`` does.  Its
    tasks are ``name = "recorded"``: a recording answers only the inputs it was driven by."""

    type: Literal["measured"] = field("measured", "", "substrate kind")
    folder: str = field(..., "", "folder of per-step spectrum files (relative: to the working "
                        "directory)", min_length=1)
    reading: ReadingConfig = field(unit="", description="how the files are read (as "
                                   "`nanomag measured`'s [reading])",
                                   default_factory=ReadingConfig)
    preprocessing: PreprocessingConfig = field(
        unit="", description="the preprocessing chain (as `nanomag measured`'s "
        "[preprocessing])", default_factory=PreprocessingConfig)
    rtol: float = field(1e-3, "1", "largest departure of a task's inputs from the recorded "
                        "ones (after an affine map), relative to their range", gt=0, le=1)

    def channel_count(self) -> int | None:
        """None: unknown until the folder is read (the recording bounds its own size)."""
        return

    def build(self, seed: int) -> Substrate:
        """Read and preprocess the folder; ``seed`` is not used (a recording is fixed)."""
        from nanomag.measured.experiment import read_processed, recording

        processed = read_processed(self.reading, self.preprocessing, self.folder)
        return recording(self.reading, self.folder, processed, rtol=self.rtol)


#: Members of the ``[substrate]`` union; a new substrate is one more model in this tuple.
SUBSTRATE_MODELS = (SpinIceConfig, PresetConfig, EsnConfig, MemristorConfig, StoConfig,
                    MeasuredSubstrateConfig)
SubstrateConfig = tagged_union(SUBSTRATE_MODELS, "type", "substrate")
