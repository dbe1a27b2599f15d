"""A reservoir-computing experiment: substrate, tasks, readout, split and seed.

Example ``experiment.toml``::

    seed = 0

    [substrate]
    type = "esn"
    n_units = 100

    [[tasks]]
    name = "mackey_glass"
    n_samples = 1200
    horizons = [1, 2, 3]

    [split]
    washout = 50
    train_fraction = 0.7

Tasks are chosen by ``name`` (:func:`nanomag.tasks.make_task`) with the generator's
parameters beside it; a measured substrate (``type = "measured"``) takes ``name =
"recorded"`` tasks, on the inputs its device was driven by.  ``horizons`` turns a task into a forecast of its own input series
``k`` steps ahead for every ``k`` (instead of its targets).  All tasks of one experiment drive
the substrate with the same input series (one drive, one readout per target): several
targets of the sine task, several horizons of one series, ...
"""

from __future__ import annotations

from typing import Annotated, Literal

import xarray as xr
from pydantic import Field, field_validator, model_validator

from nanomag.config.base import (
    MAX_OBSERVATION_VALUES,
    MAX_STEPS,
    StrictModel,
    field,
    seed_field,
    tagged_union,
)
from nanomag.config.substrates import SpinIceConfig, SubstrateConfig
from nanomag.experiments.evaluation import Split
from nanomag.readout import RidgeReadout
from nanomag.tasks import SINE_TRANSFORMS, Task, make_task

_N_SAMPLES_DOC = f"number of input steps (at most {MAX_STEPS:,})"
Horizons = Annotated[list[Annotated[int, Field(ge=1, le=10_000)]], Field(min_length=1,
                                                                          max_length=100)]


class _TaskBase(StrictModel):
    horizons: Horizons | None = field(None, "input steps", "forecast the input series t+k "
                                      "for each k instead of the task's targets")

    def input_count(self) -> int:
        """Length of the input series."""
        return self.n_samples  # type: ignore[attr-defined]

    def build(self, seed: int) -> Task:
        """The generated task (:func:`make_task`); a task that draws random numbers and sets
        no seed of its own uses ``seed``."""
        params = self.model_dump(exclude={"name", "horizons"})
        if "seed" in params and params["seed"] is None:
            params["seed"] = seed
        return make_task(self.name, **params)  # type: ignore[attr-defined]


class SineTask(_TaskBase):
    """Sine-wave transformation: input sin(2 pi t / period), target a function of the phase."""

    name: Literal["sine"] = field("sine", "", "task name")
    target: str = field("cos", "", "transformation of the phase: "
                        + ", ".join(SINE_TRANSFORMS) + ", or a sum a+b / product a*b")
    n_samples: int = field(800, "", _N_SAMPLES_DOC, ge=1, le=MAX_STEPS)
    period: float = field(30.0, "samples", "period of the sine", gt=0, le=1e9)
    scale: bool = field(True, "", "min-max scale the target to [0, 1]")

    @field_validator("target")
    @classmethod
    def _known(cls, target: str) -> str:
        for part in target.replace("*", "+").split("+"):
            if part not in SINE_TRANSFORMS:
                raise ValueError(f"unknown transformation {part!r}; choose from "
                                 f"{', '.join(SINE_TRANSFORMS)}")
        return target


class NonlinearMapTask(_TaskBase):
    """y_t = 0.4 x_{t-1} + 0.4 x_{t-1} x_{t-2} + 0.6 x_t^3 + 0.1 with uniform inputs."""

    name: Literal["nonlinear_map"] = field("nonlinear_map", "", "task name")
    n_samples: int = field(1000, "", _N_SAMPLES_DOC, ge=1, le=MAX_STEPS)
    low: float = field(-1.0, "1", "lowest input value", ge=-1e6, le=1e6)
    high: float = field(1.0, "1", "highest input value", ge=-1e6, le=1e6)
    seed: int | None = seed_field(None, "seeds the inputs (None: the experiment's seed)")


class MackeyGlassTask(_TaskBase):
    """Mackey-Glass series (tau 17 by default); target x(t + horizon)."""

    name: Literal["mackey_glass"] = field("mackey_glass", "", "task name")
    n_samples: int = field(2000, "", _N_SAMPLES_DOC, ge=1, le=MAX_STEPS)
    horizon: int = field(1, "samples", "target x(t + horizon)", ge=1, le=10_000)
    tau: float = field(17.0, "time units", "delay", gt=0, le=1e4)
    beta: float = field(0.2, "1", "production rate", gt=0, le=100)
    gamma: float = field(0.1, "1", "decay rate", gt=0, le=100)
    power: float = field(10.0, "1", "exponent n", gt=0, le=100)
    x0: float = field(1.2, "1", "history x(t <= 0)", ge=0, le=100)
    dt: float = field(0.1, "time units", "integration step", gt=0, le=10)
    sample_time: float = field(1.0, "time units", "time between samples", gt=0, le=1e3)
    transient_time: float = field(500.0, "time units", "integration time discarded first",
                                  ge=0, le=1e6)

    @model_validator(mode="after")
    def _integration_size(self) -> MackeyGlassTask:
        steps = (self.transient_time + (self.n_samples + self.horizon) * self.sample_time) / self.dt
        if steps > 50 * MAX_STEPS:
            raise ValueError(f"the series needs {steps:.3g} integration steps (at most "
                             f"{50 * MAX_STEPS:,}): raise dt or lower n_samples / sample_time")
        return self


class Narma10Task(_TaskBase):
    """NARMA-10 with u ~ U[0, 0.5]: inputs u(t), targets y(t+1)."""

    name: Literal["narma10"] = field("narma10", "", "task name")
    n_samples: int = field(2000, "", _N_SAMPLES_DOC, ge=1, le=MAX_STEPS)
    transient: int = field(200, "samples", "leading samples discarded", ge=0, le=MAX_STEPS)
    seed: int | None = seed_field(None, "seeds the inputs (None: the experiment's seed)")


class WaveformTask(_TaskBase):
    """Sine / square waveform classification (target: 0 sine, 1 square per sample)."""

    name: Literal["waveform"] = field("waveform", "", "task name")
    n_periods: int = field(100, "", "number of periods", ge=1, le=MAX_STEPS)
    period: int = field(8, "samples", "samples per period", ge=2, le=10_000)
    seed: int | None = seed_field(None, "seeds the sequence of shapes (None: the experiment's seed)")

    def input_count(self) -> int:
        return self.n_periods * self.period

    @model_validator(mode="after")
    def _length(self) -> WaveformTask:
        if self.n_periods * self.period > MAX_STEPS:
            raise ValueError(f"n_periods * period must be at most {MAX_STEPS:,} samples")
        return self


class HenonTask(_TaskBase):
    """Noisy Henon map one-step forecast: input x_k, target x_{k+1}."""

    name: Literal["henon"] = field("henon", "", "task name")
    n_samples: int = field(2000, "", _N_SAMPLES_DOC, ge=1, le=MAX_STEPS)
    noise: float = field(0.05, "1", "standard deviation of the noise", ge=0, le=10)
    noise_in_dynamics: bool = field(False, "", "add the noise inside the recursion")
    transient: int = field(100, "samples", "leading samples discarded", ge=0, le=MAX_STEPS)
    seed: int | None = seed_field(None, "seeds the noise (None: the experiment's seed)")


class RecordedTask(_TaskBase):
    """A task on a measured substrate's recording (``substrate.type = "measured"``): forecast
    ``series`` (``horizons``), or ``transform`` the phase of a periodic recorded input with
    ``periods`` periods over the recording (:func:`nanomag.tasks.sine_of_input`)."""

    name: Literal["recorded"] = field("recorded", "", "task name")
    series: str = field("inputs", "", '"inputs" (the recorded inputs) or a .npy / .csv / '
                        ".txt file, relative to the data folder, of the series the device was "
                        "driven by (its first N values)")
    normalise: bool = field(True, "", "min-max scale the series to [0, 1] first")
    transform: str | None = field(None, "", "target: this function of the input's phase ("
                                  + ", ".join(SINE_TRANSFORMS) + ") instead of a forecast")
    periods: int | None = field(None, "", "periods of the input over the recording (with "
                                "transform)", ge=1, le=MAX_STEPS)

    @field_validator("transform")
    @classmethod
    def _known(cls, transform: str | None) -> str | None:
        if transform is not None and transform not in SINE_TRANSFORMS:
            raise ValueError(f"unknown transformation {transform!r}; choose from "
                             f"{', '.join(SINE_TRANSFORMS)}")
        return transform

    @model_validator(mode="after")
    def _one_target(self) -> RecordedTask:
        if (self.horizons is None) == (self.transform is None):
            raise ValueError("give either horizons (a forecast) or transform (with periods)")
        if (self.transform is None) != (self.periods is None):
            raise ValueError("transform and periods go together")
        if self.transform is not None and self.series != "inputs":
            raise ValueError("a transform acts on the recorded inputs: leave series out")
        return self

    def input_count(self) -> int | None:
        """None: unknown until the recording is read."""
        return None

    def build(self, seed: int, recording=None, folder: str | None = None) -> Task:
        """The task on ``recording`` (a fitted
        :class:`~nanomag.substrates.RecordedSubstrate` read from ``folder``): inputs are the
        series (checked against the recording), targets the series itself (the runner
        forecasts it ``horizons`` ahead) or its transform; ``seed`` is not used."""
        from nanomag.measured.config import ForecastTask, TransformTask
        from nanomag.measured.experiment import task_target

        if recording is None or folder is None:
            raise ValueError('a "recorded" task needs a measured substrate')
        if self.transform is None:
            spec = ForecastTask(kind="forecast", series=self.series, normalise=self.normalise)
            series = task_target(spec, recording, folder)
            return Task(f"recorded:{self.series}", series, series,
                        f"the series {self.series} the device was driven by")
        spec = TransformTask(kind="transform", transform=self.transform,
                             periods=self.periods)
        inputs = recording.recorded_inputs_
        return Task(f"recorded:{self.transform}", inputs, task_target(spec, recording, folder),
                    f"{self.transform} of the phase of the recorded input "
                    f"({self.periods} periods)")


#: Members of the task union (``name``); a new task generator is one more model here.
TASK_MODELS = (SineTask, NonlinearMapTask, MackeyGlassTask, Narma10Task, WaveformTask,
               HenonTask, RecordedTask)
TaskConfig = tagged_union(TASK_MODELS, "name", "tasks")


class ReadoutConfig(StrictModel):
    """The ridge readout (:class:`RidgeReadout`); the linear baseline uses the same settings
    with an intercept."""

    alphas: list[Annotated[float, Field(ge=0, le=1e12)]] = field(
        unit="1", description="ridge penalties to choose from by forward-chaining validation",
        default_factory=lambda: list(RidgeReadout().alphas), min_length=1, max_length=100)
    fit_intercept: bool = field(False, "", "fit an intercept")
    scale_channels: bool = field(True, "", "scale channels to unit spread before fitting")
    prune_correlation: float | None = field(None, "1", "drop channels correlated above this "
                                            "with an earlier kept one (None: keep all)", gt=0,
                                            le=1)
    n_splits: int = field(10, "", "forward-chaining validation folds", ge=1, le=1000)
    alpha_per_target: bool = field(False, "", "choose the penalty per target")

    def build(self) -> RidgeReadout:
        return RidgeReadout(**{**self.model_dump(), "alphas": tuple(self.alphas)})


class SplitConfig(StrictModel):
    """Time-ordered split (:class:`~nanomag.experiments.evaluation.Split`)."""

    washout: int = field(50, "input steps", "leading steps dropped before training", ge=0,
                         le=MAX_STEPS)
    train_fraction: float = field(0.7, "1", "fraction of the remaining steps used for "
                                  "training (the rest is the test part)", gt=0, lt=1)

    def build(self) -> Split:
        return Split(washout=self.washout, train_fraction=self.train_fraction)


class ExperimentConfig(StrictModel):
    """One reservoir-computing experiment (``kind = "experiment"``)."""

    kind: Literal["experiment"] = field("experiment", "", "a reservoir-computing experiment")
    seed: int = seed_field(0, "seeds the substrate and the tasks (unless they set their own "
                           "seed)")
    substrate: SubstrateConfig = field(unit="", description="the reservoir, chosen by `type`",
                                       default_factory=SpinIceConfig)
    tasks: list[TaskConfig] = field(unit="", description="tasks scored on the one drive, "
                                    "chosen by `name`", min_length=1, max_length=100,
                                    default_factory=lambda: [MackeyGlassTask()])
    readout: ReadoutConfig = field(unit="", description="the ridge readout",
                                   default_factory=ReadoutConfig)
    split: SplitConfig = field(unit="", description="the train / test split",
                               default_factory=SplitConfig)

    @model_validator(mode="after")
    def _recorded_tasks(self) -> ExperimentConfig:
        measured = self.substrate.type == "measured"
        for i, task in enumerate(self.tasks):
            if measured != isinstance(task, RecordedTask):
                raise ValueError(
                    f'tasks.{i}: a measured substrate takes only name = "recorded" tasks (a '
                    "recording answers only the inputs it was driven by)" if measured else
                    f'tasks.{i}: name = "recorded" needs substrate.type = "measured"')
        return self

    @model_validator(mode="after")
    def _observation_size(self) -> ExperimentConfig:
        counts = [task.input_count() for task in self.tasks]
        channels = self.substrate.channel_count()
        if channels is None or None in counts:  # a recording: its own size bounds it
            return self
        steps = max(counts)
        if steps * channels > MAX_OBSERVATION_VALUES:
            raise ValueError(
                f"observations of {steps:,} inputs x {channels:,} channels would take "
                f"{steps * channels * 8 / 1e9:.1f} GB (at most "
                f"{MAX_OBSERVATION_VALUES * 8 / 1e9:.1f} GB): use fewer task samples "
                "(tasks.N.n_samples) or substrate channels")
        return self

    def run(self) -> xr.Dataset:
        """Run the experiment (:func:`nanomag.experiments.runner.run_experiment`)."""
        from nanomag.experiments.runner import run_experiment

        return run_experiment(self)

    def summary(self) -> xr.Dataset:
        """The scalar metrics of a run (``nmse``, ``energy``, ``energy_total``): what one
        sweep point stores."""
        from nanomag.experiments.runner import metrics_only

        return metrics_only(self.run())

