"""Experiments: tasks run end to end on substrates, returned as labelled xarray results.

* ``evaluation``: readout training and scoring against a linear baseline (``evaluate_task``,
  ``forecast``).
* ``demo``: the README's Mackey-Glass demonstration.
* ``presets``: the MS / WM / PW arrays of Stenning et al. (2024).
* ``experiment_like``: the same arrays at room temperature with a noisy FMR readout.
* ``training``: vortex population under repeated minor loops and saturation.
* ``networks``: parallel and series networks of substrates.
* ``comparison``: the published comparison of arrays and networks in one call.
* ``overparameterisation``: test error against the number of readout channels.
* ``reconfiguration``: a trained vortex population chosen per task.
"""

from nanomag.experiments.comparison import compare, published_orderings
from nanomag.experiments.evaluation import (
    Split,
    evaluate_features,
    evaluate_task,
    forecast,
)
from nanomag.experiments.experiment_like import experiment_preset
from nanomag.experiments.networks import ParallelNetwork, SeriesNetwork
from nanomag.experiments.overparameterisation import channel_sweep
from nanomag.experiments.presets import preset
from nanomag.experiments.reconfiguration import task_adaptive
from nanomag.experiments.training import train

__all__ = [
    "ParallelNetwork",
    "SeriesNetwork",
    "Split",
    "channel_sweep",
    "compare",
    "evaluate_features",
    "evaluate_task",
    "experiment_preset",
    "forecast",
    "preset",
    "published_orderings",
    "task_adaptive",
    "train",
]
