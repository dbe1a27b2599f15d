"""Task-adaptive reconfiguration: a trained vortex population chosen per task.

A trained state set once before a task does not last in this model: any input loop above the
vortex annihilation field (24 mT) erases it (docs/experiments.md).  What lasts is a training
rate: :class:`TrainingLoopEncoder` writes ``n_train`` minor loops ``+h_train``, ``-h_train``
(above the wide bars' switching field, below the annihilation field, so each can inject
vortices) before every input loop.  Injection by the training loops and erasure by the large
inputs balance at a vortex population that grows with ``n_train``: ``n_train`` is the trained
state, held for the whole task.

:func:`task_adaptive` scores each ``n_train`` on a forecasting and a transformation task,
picks it per task by validation inside the training part (never on the test part), and
reports the test NMSE of the per-task choice against one fixed state for all tasks.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import xarray as xr
from sklearn.base import clone

from nanomag._validate import positive, positive_int
from nanomag.encoders import FRESH, DriveHistory, FieldEncoder, FieldProtocol
from nanomag.experiments.evaluation import Split, evaluate_features, scaled_inputs
from nanomag.experiments.presets import FIELD_WINDOWS, preset
from nanomag.lattices.base import BarArray
from nanomag.tasks import mackey_glass_series, make_task

#: The tasks of :func:`task_adaptive`: a forecast and a transformation (Stenning et al.).
TASKS = ("Mackey-Glass t+3", "sin -> cos 2t sin 3t")
_HORIZON = 3
#: The default split: 20 inputs washout, 70 / 30 train / test.
SPLIT = Split(washout=20)


class TrainingLoopEncoder(FieldEncoder):
    """Each input ``u`` writes ``n_train`` training loops ``+h_train``, ``-h_train`` and then
    its own loop ``+H(u)``, ``-H(u)`` along ``angle_deg``; observed at ``-H(u)`` (the readout
    bias).  ``n_train = 0`` is :class:`~nanomag.encoders.FieldLoopEncoder`.

    Args:
        h_min, h_max: input field amplitudes for the bottom and top of ``input_range``, T.
        angle_deg: field direction, degrees from +x.
        input_range: (low, high) input values mapped onto ``[h_min, h_max]``.
        n_train: training loops before every input.
        h_train: training-loop amplitude, T.
    """

    def __init__(self, h_min: float = 0.016, h_max: float = 0.030, angle_deg: float = 45.0,
                 input_range: tuple[float, float] = (0.0, 1.0), n_train: int = 0,
                 h_train: float = 0.020) -> None:
        self.h_min = h_min
        self.h_max = h_max
        self.angle_deg = angle_deg
        self.input_range = input_range
        self.n_train = n_train
        self.h_train = h_train

    def encode(self, inputs, array: BarArray, history: DriveHistory = FRESH) -> FieldProtocol:
        h = self.amplitudes(self._single(inputs))
        k = positive_int(self.n_train, "n_train", allow_zero=True)
        h_train = positive(self.h_train, "h_train")
        training = np.tile([h_train, -h_train], (h.size, k))
        magnitudes = np.concatenate([training, np.stack([h, -h], axis=1)], axis=1).ravel()
        return FieldProtocol(magnitudes[:, None] * self._direction(),
                             self._last_substeps(h.size, 2 * k + 2), -h,
                             np.deg2rad(float(self.angle_deg)))


def _task_data(n_inputs: int) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Task name -> (inputs (T,), targets (T,))."""
    series = mackey_glass_series(n_inputs + _HORIZON)
    sine = make_task("sine", target="cos_double*sin_triple", n_samples=n_inputs)
    return {TASKS[0]: (series[:n_inputs], series[_HORIZON:]),
            TASKS[1]: (sine.inputs, sine.targets)}


def task_adaptive(array: str = "WM", n_train_values: Sequence[int] = (0, 1, 2, 4), *,
                  size: Sequence[int] = (6, 6), n_inputs: int = 300, seed: int = 0,
                  split: Split = SPLIT, **reservoir_params) -> xr.Dataset:
    """Validation and test NMSE of every trained state on the :data:`TASKS`.

    Args:
        array: preset name (its field window and angle drive the input loops).
        n_train_values: training loops per input to compare (the trained states).
        size, seed: the array (the same array for every state).
        n_inputs: inputs per drive.
        split: the time-ordered split; the validation score refits the readout on the
            training part alone, split again by ``split``.
        reservoir_params: further preset arguments (``instrument``, ``engine_params``, ...).

    Returns:
        Dataset with ``validation_nmse`` and ``test_nmse`` (n_train, task), ``chosen``
        (task: the per-task state by validation), ``adaptive_nmse`` (task: its test NMSE),
        ``fixed`` (the one state with the lowest mean log validation NMSE over the tasks),
        ``fixed_nmse`` (task: its test NMSE) and ``gain`` (task: fixed / adaptive).
    """
    ks = [positive_int(k, "n_train_values", allow_zero=True) for k in n_train_values]
    if not ks:
        raise ValueError("n_train_values must hold at least one value")
    n = positive_int(n_inputs, "n_inputs")
    train_part = split.slices(n)[0]
    h_min, h_max, angle = FIELD_WINDOWS[array]
    data = _task_data(n)
    validation = np.empty((len(ks), len(TASKS)))
    test = np.empty((len(ks), len(TASKS)))
    for i, k in enumerate(ks):
        encoder = TrainingLoopEncoder(h_min, h_max, angle, n_train=k)
        reservoir = preset(array, size, seed, encoder=encoder, **reservoir_params)
        for j, name in enumerate(TASKS):
            u, y = data[name]
            features = clone(reservoir).fit_transform(scaled_inputs(u[:, None], split)[:, 0])
            head = slice(0, train_part.stop)
            validation[i, j] = evaluate_features(features[head], y[head], split=split)["nmse"][0]
            test[i, j] = evaluate_features(features, y, split=split)["nmse"][0]
    chosen = np.argmin(validation, axis=0)
    fixed = int(np.argmin(np.log(validation).mean(axis=1)))
    adaptive_nmse = test[chosen, np.arange(len(TASKS))]
    return xr.Dataset(
        {
            "validation_nmse": (("n_train", "task"), validation),
            "test_nmse": (("n_train", "task"), test),
            "chosen": (("task",), np.array(ks)[chosen]),
            "adaptive_nmse": (("task",), adaptive_nmse),
            "fixed": ((), ks[fixed]),
            "fixed_nmse": (("task",), test[fixed]),
            "gain": (("task",), test[fixed] / adaptive_nmse),
        },
        coords={"n_train": ks, "task": list(TASKS)},
        attrs={"array": array, "size": list(size), "n_inputs": n, "seed": seed,
               "washout": split.washout, "train_fraction": split.train_fraction},
    )
