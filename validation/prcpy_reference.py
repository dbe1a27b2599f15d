"""Run PRCpy 0.1.14 itself on the two measured Cu2OSeO3 sets and pin its train / test MSE.

PRCpy needs numpy < 2, so this script runs under a separate interpreter that has PRCpy
installed (it never imports nanomag):

    /path/to/prcpy-python validation/prcpy_reference.py \
        --data ../shared/data/prcpy-cu2oseo3 --out validation/prcpy_reference.json

Settings are PRCpy's Mackey-Glass tutorial settings (background removal, Savitzky-Golay
window 51 order 4, global min-max normalisation, decimation by 16, Ridge alpha 0.1 with
intercept, test size 0.3), for two tasks:

- ``mackey_glass``: the conical Mackey-Glass set, target the min-max normalised
  ``mackey_glass_t17.npy`` shifted by tau = 10 (PRCpy's forecasting split);
- ``square_wave``: the conical sine set, target PRCpy's square wave of 10 periods
  (``get_square_waves(get_sample_spacing(10), 10, norm=True)``), tau = 0.

PRCpy's nonlinearity and linear-memory-capacity functions are also called as in its tutorial
(kmax 12, autocorrelation removed), with the input cut to the length PRCpy reports and to the
number of spectra; their outcome (a value or the error they raise) is recorded beside the MSE.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import platform
from importlib.metadata import version

import numpy as np
import sklearn
from prcpy.Maths.Target_functions import get_npy_data, get_square_waves
from prcpy.RC.Pipeline_RC import Pipeline
from prcpy.TrainingModels.RegressionModels import define_Ridge

PROCESS = {
    "Xs": "Frequency",
    "Readouts": "Spectra",
    "remove_bg": True,
    "bg_fname": "BG_450mT_1_0to6_0GHz_4K.txt",
    "smooth": True,
    "smooth_win": 51,
    "smooth_rank": 4,
    "cut_xs": False,
    "x1": 2,
    "x2": 5,
    "normalize_local": False,
    "normalize_global": True,
    "sample": True,
    "sample_rate": 16,
    "delimiter": ",",
    "transpose": False,
}
RIDGE = {"alpha": 0.1, "fit_intercept": True, "copy_X": True, "max_iter": None, "tol": 1e-4,
         "solver": "auto", "positive": False, "random_state": None}
TEST_SIZE = 0.3


def _outcome(function) -> float | str:
    """The value ``function()`` returns, or the ValueError it raises as text."""
    try:
        value = function()
    except ValueError as exc:  # PRCpy's metric functions fail on their own step count
        return f"ValueError: {exc}"
    return float(value[0] if isinstance(value, tuple) else value)


def _metrics(pipeline: Pipeline, inputs: np.ndarray) -> dict:
    """PRCpy's nonlinearity and linear memory capacity (tutorial arguments) for ``inputs``."""
    pipeline.define_input(inputs)
    return {
        "nonlinearity": _outcome(pipeline.get_non_linearity),
        "linear_memory_capacity": _outcome(lambda: pipeline.get_linear_memory_capacity(
            kmax=12, remove_auto_correlation=True)),
    }


def run_task(folder: str, target: np.ndarray, tau: int) -> dict:
    """PRCpy's pipeline on ``folder`` with ``target``: its MSE, and its metrics with the input
    cut to the length PRCpy reports (``get_df_length``) and to the number of spectra."""
    with contextlib.redirect_stdout(io.StringIO()):
        pipeline = Pipeline(folder, "scan", dict(PROCESS))
        pipeline.define_target(target)
        n_steps = pipeline.get_rc_df().shape[0]
        metrics = {
            "reported_length": int(pipeline.get_df_length()),
            "metrics_at_reported_length": _metrics(pipeline, target[: pipeline.get_df_length()]),
            "metrics_at_n_steps": _metrics(pipeline, target[:n_steps]),
        }
        pipeline.run({"model": define_Ridge(dict(RIDGE)), "tau": tau, "test_size": TEST_SIZE,
                      "error_type": "MSE"})
        results = pipeline.get_rc_results()
    return {
        "tau": tau,
        "n_steps": int(n_steps),
        "n_features": int(results["train"]["x_train"].shape[1]),
        "n_train": int(results["train"]["x_train"].shape[0]),
        "n_test": int(results["test"]["x_test"].shape[0]),
        "mse_train": float(results["error"]["train_error"]),
        "mse_test": float(results["error"]["test_error"]),
        **metrics,
    }


def reference(data: str) -> dict:
    """PRCpy's results on both shared sets under ``data``."""
    mg = get_npy_data(os.path.join(data, "mackey_glass_t17.npy"), norm=True)
    sine_folder = os.path.join(data, "sine_mapping_conical")
    with contextlib.redirect_stdout(io.StringIO()):
        spacing = Pipeline(sine_folder, "scan", dict(PROCESS)).get_sample_spacing(10)
    square = get_square_waves(spacing, 10, norm=True)
    return {
        "prcpy_version": version("prcpy"),
        "sklearn_version": sklearn.__version__,
        "numpy_version": np.__version__,
        "python_version": platform.python_version(),
        "process_params": PROCESS,
        "ridge_params": RIDGE,
        "test_size": TEST_SIZE,
        "tasks": {
            "mackey_glass": run_task(os.path.join(data, "mg_mapping_conical"), mg, tau=10),
            "square_wave": run_task(sine_folder, square, tau=0),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help="folder holding the prcpy-cu2oseo3 sets")
    parser.add_argument("--out", required=True, help="JSON file to write")
    args = parser.parse_args()
    result = reference(args.data)
    with open(args.out, "w") as handle:
        json.dump(result, handle, indent=2)
        handle.write("\n")


if __name__ == "__main__":
    main()
