"""Experiments: tasks run end to end on substrates, returned as labelled xarray results."""

from nanomag.experiments.evaluation import (
    Split,
    evaluate_features,
    evaluate_task,
    forecast,
    input_range,
)

__all__ = ["Split", "evaluate_features", "evaluate_task", "forecast", "input_range"]
