"""Run configurations: strict pydantic models, loaded from TOML or JSON files.

* :mod:`~nanomag.config.base` -- strict base model, limits, one-line messages, file reading.
* :mod:`~nanomag.config.loop` -- lattice, engine and protocol sections; the hysteresis run.
* :mod:`~nanomag.config.substrates` -- the ``[substrate]`` union (spin ice, presets, ESN,
  memristor, spin-torque oscillator) with encoders and observations.
* :mod:`~nanomag.config.experiment` -- tasks, readout, split: a reservoir experiment.
* :mod:`~nanomag.config.runs` -- which run a file describes, sweeps over any key, loading.
* :mod:`~nanomag.config.reference` -- writes ``docs/config-reference.md`` from the models.
"""

from nanomag.config.base import ConfigError, read_config_file, validation_message
from nanomag.config.experiment import (
    ExperimentConfig,
    ReadoutConfig,
    SplitConfig,
    TaskConfig,
)
from nanomag.config.loop import (
    AstroidConfig,
    EngineConfig,
    LatticeConfig,
    LoopRunConfig,
    ProtocolConfig,
    VortexConfig,
)
from nanomag.config.runs import GridValue, RunConfig, SweepConfig, load_config, run_kind
from nanomag.config.substrates import SubstrateConfig

__all__ = [
    "AstroidConfig",
    "ConfigError",
    "EngineConfig",
    "ExperimentConfig",
    "GridValue",
    "LatticeConfig",
    "LoopRunConfig",
    "ProtocolConfig",
    "ReadoutConfig",
    "RunConfig",
    "SplitConfig",
    "SubstrateConfig",
    "SweepConfig",
    "TaskConfig",
    "VortexConfig",
    "load_config",
    "read_config_file",
    "run_kind",
    "validation_message",
]
