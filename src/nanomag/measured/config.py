"""Configuration of a measured-data run, validated by pydantic (read from TOML or JSON).

A configuration describes how to read and preprocess a folder of per-step spectra, which
tasks to score and with which protocols; the data folder itself is given at run time, so one
file serves any folder of the same layout.  Relative file names in the configuration
(``reading.background``, ``reading.inputs``, a forecast's ``series``) are resolved against the
data folder.  Unknown keys and values of the wrong type (no string-to-number coercion) are
refused with one line naming the key.

Example (PRCpy's Mackey-Glass tutorial)::

    [reading]
    background = "BG_450mT_1_0to6_0GHz_4K.txt"

    [[tasks]]
    kind = "forecast"
    name = "mackey_glass"
    series = "../mackey_glass_t17.npy"
    tau = 10
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator

from nanomag.config.base import StrictModel, read_config_file, validate
from nanomag.config.measured import PreprocessingConfig, ReadingConfig
from nanomag.tasks import SINE_TRANSFORMS

PositiveFloat = Annotated[float, Field(gt=0, allow_inf_nan=False)]
NonNegativeFloat = Annotated[float, Field(ge=0, allow_inf_nan=False)]
Fraction = Annotated[float, Field(gt=0, lt=1)]


class _Strict(StrictModel):
    """No unknown keys, no coercion, finite floats (:class:`~nanomag.config.base.StrictModel`)."""


class ForecastTask(_Strict):
    """Forecast ``series`` ``tau`` steps ahead: feature row ``t`` predicts ``series[t + tau]``.

    ``series``: a ``.npy`` / ``.csv`` / ``.txt`` file (its first N values, N the number of
    steps; ``--target`` on the command line replaces it), or ``"inputs"`` for the recorded
    inputs.  ``normalise`` min-max scales the whole file to [0, 1] first (as PRCpy's
    ``get_npy_data(norm=True)``).
    """

    kind: Literal["forecast"]
    name: str = "forecast"
    series: str = "inputs"
    tau: Annotated[int, Field(ge=1)] = 1
    normalise: bool = True


class TransformTask(_Strict):
    """A transformation of the phase of a periodic input (``tau`` 0: same step).

    ``transform``: a name of :data:`nanomag.tasks.SINE_TRANSFORMS` (``square``,
    ``sawtooth``, ...); ``periods``: number of periods over the recording.  ``convention``:

    - ``"input_phase"``: the phase of the recorded sine input, fitted
      (:func:`nanomag.tasks.sine_of_input` with period ``N / periods`` steps);
    - ``"prcpy"``: PRCpy's tiled wave (:func:`nanomag.measured.protocols.prcpy_wave`),
      independent of the input.
    """

    kind: Literal["transform"]
    name: str = "transform"
    transform: str = "square"
    periods: Annotated[int, Field(ge=1)]
    convention: Literal["input_phase", "prcpy"] = "input_phase"

    @field_validator("transform")
    @classmethod
    def _known(cls, name: str) -> str:
        if name not in SINE_TRANSFORMS:
            raise ValueError(f"must be one of {sorted(SINE_TRANSFORMS)}, got {name!r}")
        return name


TaskConfig = Annotated[ForecastTask | TransformTask, Field(discriminator="kind")]


class PrcpyProtocolConfig(_Strict):
    """:func:`nanomag.measured.protocols.prcpy_protocol` (PRCpy's tutorial values)."""

    alpha: NonNegativeFloat = 0.1
    fit_intercept: bool = True
    test_size: Fraction = 0.3


class NanomagProtocolConfig(_Strict):
    """:func:`nanomag.measured.protocols.nanomag_protocol`: washout, time-ordered split, the
    alphas tried by forward-chaining validation over ``n_splits`` folds."""

    washout: Annotated[int, Field(ge=0)] = 10
    train_fraction: Fraction = 0.7
    alphas: Annotated[list[NonNegativeFloat], Field(min_length=1)] = Field(
        default_factory=lambda: [1e-4, 1e-3, 1e-2, 1e-1, 1.0, 10.0])
    n_splits: Annotated[int, Field(ge=1)] = 5


class MetricsConfig(_Strict):
    """Memory capacity (delays 1..``max_delay``, ridge ``alpha``, scored on the last
    ``1 - train_fraction`` of the rows) and nonlinearity (``n_lags`` inputs, the
    ``n_channels`` highest-variance channels) of the processed spectra against the recorded
    inputs, each beside its values over ``n_shuffles`` time-shuffled inputs."""

    max_delay: Annotated[int, Field(ge=1)] = 10
    alpha: NonNegativeFloat = 1e-2
    train_fraction: Fraction = 0.7
    n_lags: Annotated[int, Field(ge=1)] = 5
    n_channels: Annotated[int, Field(ge=1)] = 60
    n_shuffles: Annotated[int, Field(ge=1)] = 100
    seed: int = 0


class MeasuredConfig(_Strict):
    """A measured-data run: reading, preprocessing, tasks, the two protocols, metrics."""

    reading: ReadingConfig = ReadingConfig()
    preprocessing: PreprocessingConfig = PreprocessingConfig()
    tasks: Annotated[list[TaskConfig], Field(min_length=1)]
    prcpy: PrcpyProtocolConfig = PrcpyProtocolConfig()
    nanomag: NanomagProtocolConfig = NanomagProtocolConfig()
    metrics: MetricsConfig = MetricsConfig()

    @field_validator("tasks")
    @classmethod
    def _unique_names(cls, tasks: list) -> list:
        names = [t.name for t in tasks]
        if len(set(names)) != len(names):
            raise ValueError(f"task names must be unique, got {names}")
        return tasks


def load_measured_config(path: str | os.PathLike) -> MeasuredConfig:
    """Read and validate a measured-run configuration (``.toml`` or ``.json``).

    Raises:
        nanomag.config.ConfigError: naming the file and each invalid key (dotted path).
    """
    return validate(read_config_file(path), MeasuredConfig, Path(path))
