"""Run an experiment configuration end to end into one labelled result.

The substrate is driven once with the tasks' common input series (scaled to [0, 1] as in
:func:`~nanomag.experiments.evaluation.evaluate_task`), in chunks so that progress can be
reported and the spin-ice microstate stored at the chosen input steps; every task is then
scored by :func:`~nanomag.experiments.evaluation.evaluate_features`, next to the linear
baseline on the raw input, exactly as :func:`~nanomag.experiments.evaluation.forecast` and
:func:`~nanomag.experiments.evaluation.evaluate_task` do.

Result layout (``kind = "experiment"``): :data:`VARIABLES` lists every data variable with its
dimensions, :data:`LABELS` the ``units`` and ``long_name`` of every variable and coordinate
(set on each); ``docs/config-reference.md`` shows both.  Spin-ice substrates add the applied
fields, the bar geometry, microstate snapshots at chosen input steps and which energy terms
each scenario counts.
"""

from __future__ import annotations

import platform
from importlib.metadata import PackageNotFoundError, version

import numpy as np
import xarray as xr
from sklearn.base import clone

from nanomag import __version__
from nanomag.config.experiment import ExperimentConfig, RecordedTask
from nanomag.experiments.evaluation import Split, evaluate_features, scaled_inputs
from nanomag.progress import report, track
from nanomag.readout import RidgeReadout
from nanomag.substrates import RecordedSubstrate, SpinIceReservoir, Substrate
from nanomag.tasks import Task

#: Number of progress reports while driving the substrate (one chunk each).
N_CHUNKS = 20

#: Data variables of an experiment result and their dimensions (``*``: spin-ice substrates only).
VARIABLES: dict[str, tuple[str, ...]] = {
    "input": ("step",),
    "observation": ("step", "channel"),
    "target": ("task", "time"),
    "prediction": ("task", "system", "time"),
    "nmse": ("task", "system"),
    "energy": ("term",),
    "energy_total": ("scenario",),
    "included*": ("scenario", "term"),
    "field*": ("field_step", "component"),
    "bar_x*": ("bar",),
    "bar_y*": ("bar",),
    "bar_angle*": ("bar",),
    "bar_length*": ("bar",),
    "bar_width*": ("bar",),
    "spin*": ("snapshot", "bar"),
    "vortex*": ("snapshot", "bar"),
}

#: (units, long_name) of every variable and coordinate a result can hold.
LABELS: dict[str, tuple[str, str]] = {
    "step": ("1", "input step"),
    "channel": ("", "observation channel"),
    "frequency": ("Hz", "FMR channel frequency"),
    "task": ("", "task"),
    "task_key": ("", "position of the task in the configuration (tasks.<i>[:t+<k>])"),
    "system": ("", "system (reservoir + readout, or linear baseline on the raw input)"),
    "time": ("1", "input step of the test sample"),
    "term": ("", "energy term"),
    "scenario": ("", "energy scenario (terms counted)"),
    "bar": ("1", "bar index"),
    "snapshot": ("1", "input step after which the microstate was stored"),
    "field_step": ("1", "field step of the protocol"),
    "component": ("", "in-plane field component"),
    "input": ("1", "input series (raw, before scaling to [0, 1])"),
    "observation": ("arb. unit", "substrate observation after each input"),
    "target": ("1", "target on the test part"),
    "prediction": ("1", "prediction on the test part"),
    "nmse": ("1", "test NMSE (mean squared error / variance of the target)"),
    "energy": ("J", "energy per input step"),
    "energy_total": ("J", "energy per input step, summed over the scenario's terms"),
    "included": ("1", "the scenario counts the term (bool)"),
    "field": ("T", "applied field (mean over bars for per-bar protocols)"),
    "bar_x": ("nm", "bar centre x"),
    "bar_y": ("nm", "bar centre y"),
    "bar_angle": ("rad", "bar easy-axis angle from +x (spin +1 points along it)"),
    "bar_length": ("nm", "bar length"),
    "bar_width": ("nm", "bar width"),
    "spin": ("1", "macrospin direction along the bar axis (+1 / -1, int8)"),
    "vortex": ("1", "bar holds a vortex (bool)"),
}


def run_experiment(config: ExperimentConfig) -> xr.Dataset:
    """Run ``config``: drive its substrate with its tasks' input series, score every task and
    collect energy, microstate snapshots (spin ice) and provenance (see the module docstring
    for the layout).

    Raises:
        ValueError: naming the config key (``tasks.1``, ``substrate.snapshots``, ...) when the
            tasks do not share their input series, a snapshot lies beyond the inputs or the
            split does not fit the series.
    """
    substrate = _named("substrate", lambda: clone(config.substrate.build(config.seed)).fit())
    tasks = [_named(f"tasks.{i}", lambda cfg=cfg: _build_task(cfg, config, substrate))
             for i, cfg in enumerate(config.tasks)]
    inputs = _common_inputs(tasks)
    split = config.split.build()
    for i, cfg in enumerate(config.tasks):  # the split must fit before anything is driven
        scored = inputs.shape[0] - (max(cfg.horizons) if cfg.horizons else 0)
        try:
            split.slices(scored)
        except ValueError as exc:
            raise ValueError(f"tasks.{i}: {exc}") from None
    steps = _snapshot_steps(config, inputs.shape[0]) if isinstance(
        substrate, SpinIceReservoir) else []
    scaled = scaled_inputs(inputs, split)
    observations, spins, vortices = _drive(substrate, scaled, steps)
    readout = config.readout.build()
    scores = [_score(i, cfg.horizons, task, inputs[:, 0], observations, split, readout)
              for i, (cfg, task) in enumerate(track(list(zip(config.tasks, tasks)), "tasks"))]
    ds = xr.merge([
        _drive_dataset(inputs[:, 0], observations, substrate),
        _task_dataset(scores),
        _energy_dataset(substrate),
    ])
    if isinstance(substrate, SpinIceReservoir):
        ds = ds.merge(_microstate_dataset(substrate, scaled, steps, spins, vortices))
    ds.attrs = {"kind": "experiment", "substrate": config.substrate.type,
                "n_channels": int(observations.shape[1]), "config": config.model_dump_json(),
                **versions()}
    return label(ds)


def metrics_only(ds: xr.Dataset) -> xr.Dataset:
    """The scalar metrics of an experiment result (``nmse``, ``energy``, ``energy_total``
    and ``included`` where present) with its attributes: what a sweep point keeps.  Tasks are labelled by their ``task_key``
    (``tasks.0``, ``tasks.0:t+3``), which stays the same when a grid changes a task's
    parameters."""
    names = [n for n in ("nmse", "energy", "energy_total", "included") if n in ds.data_vars]
    metrics = ds[names].swap_dims(task="task_key")
    return label(metrics.drop_vars("task").rename(task_key="task"))


def versions() -> dict[str, str]:
    """Versions of nanomag, numpy, numba and Python (``<name>_version`` attributes)."""
    out = {"nanomag_version": __version__, "python_version": platform.python_version()}
    for package in ("numpy", "numba"):
        try:
            out[f"{package}_version"] = version(package)
        except PackageNotFoundError:  # pragma: no cover - both are dependencies
            out[f"{package}_version"] = "unknown"
    return out


def label(ds: xr.Dataset) -> xr.Dataset:
    """``ds`` with ``units`` and ``long_name`` set from :data:`LABELS` on every variable and
    coordinate it names."""
    for name in list(ds.variables):
        if name in LABELS:
            units, long_name = LABELS[name]
            ds[name].attrs.update(units=units, long_name=long_name)
    return ds


def _named(key: str, build):
    """``build()``, a missing file or bad data in it reported under the config ``key``
    (a measured substrate's folder, a recorded task's series)."""
    try:
        return build()
    except (FileNotFoundError, ValueError) as exc:
        raise type(exc)(f"{key}: {exc}") from exc


def _build_task(cfg, config: ExperimentConfig, substrate: Substrate) -> Task:
    """Task ``cfg`` generated from the experiment's seed, or on a measured substrate's
    recording."""
    if isinstance(cfg, RecordedTask):
        return cfg.build(config.seed, substrate, config.substrate.folder)  # type: ignore[union-attr]
    return cfg.build(config.seed)


def _common_inputs(tasks: list[Task]) -> np.ndarray:
    """The tasks' shared input series as (T, 1)."""
    first = np.asarray(tasks[0].inputs, dtype=np.float64)
    for i, task in enumerate(tasks[1:], start=1):
        if not np.array_equal(np.asarray(task.inputs, dtype=np.float64), first):
            raise ValueError(
                f"tasks.{i}: its input series differs from tasks.0's; the tasks of one "
                "experiment share one drive of the substrate (run separate experiments)")
    return first.reshape(len(first), -1)


def _snapshot_steps(config: ExperimentConfig, n_steps: int) -> list[int]:
    requested = config.substrate.snapshots  # type: ignore[union-attr]
    if requested is None:
        return sorted({0, (n_steps - 1) // 2, n_steps - 1})
    beyond = [s for s in requested if s >= n_steps]
    if beyond:
        raise ValueError(f"substrate.snapshots: step {beyond[0]} is beyond the {n_steps} "
                         "input steps")
    return sorted(set(requested))


def _drive(substrate: Substrate, scaled: np.ndarray,
           snapshots: list[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Drive ``substrate`` from its reset state through ``scaled`` (T, d) in chunks, reporting
    progress; returns observations (T, C) and spins / vortex flags after each snapshot step."""
    n = scaled.shape[0]
    regular = np.linspace(0, n, N_CHUNKS + 1).astype(int)[1:]
    ends = sorted(set(regular.tolist()) | {s + 1 for s in snapshots})
    u = scaled[:, 0] if scaled.shape[1] == 1 else scaled
    parts, spins, vortices, start = [], [], [], 0
    flips, amplitudes = [], []
    report("inputs", 0, n)
    for end in ends:
        parts.append(substrate.drive(u[start:end]))
        if isinstance(substrate, SpinIceReservoir):
            flips.append(substrate.last_flips_)
            amplitudes.append(substrate.last_amplitudes_)
        if end - 1 in snapshots:
            spins.append(substrate.model_.spin.copy())  # type: ignore[attr-defined]
            vortices.append(substrate.model_.vortex.copy())  # type: ignore[attr-defined]
        start = end
        report("inputs", end, n)
    if flips:  # the energy estimate averages over the last drive: make that the whole series
        substrate.last_flips_ = np.concatenate(flips)
        substrate.last_amplitudes_ = np.concatenate(amplitudes)
    return np.concatenate(parts), np.array(spins, np.int8), np.array(vortices, bool)


def _score(index: int, horizons: list[int] | None, task: Task, series: np.ndarray,
           observations: np.ndarray, split: Split,
           readout: RidgeReadout) -> list[tuple[str, str, dict, dict, np.ndarray]]:
    """``(label, key, reservoir scores, baseline scores, test steps)`` per scored target of
    task number ``index``: one per forecast horizon, else the task's own target."""
    baseline = clone(readout).set_params(fit_intercept=True)
    if horizons is None:
        features, targets = observations, np.asarray(task.targets, dtype=np.float64)
        raw, labels, keys = series[:, None], [task.name], [f"tasks.{index}"]
    else:
        n = series.size - max(horizons)  # positive: checked with the split
        features, raw = observations[:n], series[:n, None]
        targets = np.stack([series[k:k + n] for k in horizons], axis=1)
        labels = [f"{task.name.split(':')[0]}:t+{k}" for k in horizons]
        keys = [f"tasks.{index}:t+{k}" for k in horizons]
    ours = evaluate_features(features, targets, split=split, readout=readout)
    base = evaluate_features(raw, targets, split=split, readout=baseline)
    test = np.arange(features.shape[0])[split.slices(features.shape[0])[1]]
    return [(name, key, {k: ours[k][..., j] for k in ("nmse", "prediction", "target")},
             {k: base[k][..., j] for k in ("nmse", "prediction")}, test)
            for j, (name, key) in enumerate(zip(labels, keys))]


def _task_dataset(scores: list[list[tuple[str, str, dict, dict, np.ndarray]]]) -> xr.Dataset:
    """nmse (task, system), prediction (task, system, time), target (task, time) and the
    ``task_key`` coordinate; tasks with different test parts are NaN-padded along ``time``."""
    parts, seen = [], {}
    for name, key, ours, base, test in (entry for task in scores for entry in task):
        seen[name] = seen.get(name, 0) + 1
        unique = name if seen[name] == 1 else f"{name}#{seen[name]}"
        parts.append(xr.Dataset(
            {"nmse": ("system", [ours["nmse"], base["nmse"]]),
             "prediction": (("system", "time"), np.stack([ours["prediction"],
                                                          base["prediction"]])),
             "target": ("time", ours["target"])},
            coords={"system": ["reservoir", "linear"], "time": test},
        ).expand_dims(task=[unique]).assign_coords(task_key=("task", [key])))
    return xr.concat(parts, dim="task", join="outer")


def _drive_dataset(series: np.ndarray, observations: np.ndarray,
                   substrate: Substrate) -> xr.Dataset:
    coords: dict = {"step": np.arange(series.size), "channel": substrate.channel_names}
    readout = getattr(substrate, "readout_", None)
    if isinstance(substrate, SpinIceReservoir) and readout is not None:
        coords["frequency"] = ("channel", np.asarray(readout.frequencies, dtype=np.float64))
    recorded = getattr(substrate, "observations", None)
    if isinstance(substrate, RecordedSubstrate) and isinstance(recorded, xr.DataArray) \
            and "frequency" in recorded.coords and recorded["frequency"].ndim == 1:
        coords["frequency"] = ("channel", np.asarray(recorded["frequency"].values, np.float64))
    return xr.Dataset({"input": ("step", series),
                       "observation": (("step", "channel"), observations)}, coords=coords)


def _energy_dataset(substrate: Substrate) -> xr.Dataset:
    """The substrate's energy terms per input on ``term`` and the scenario totals on
    ``scenario``; a spin-ice substrate's breakdown adds which terms each scenario counts
    (``included``)."""
    if isinstance(substrate, SpinIceReservoir):
        breakdown = substrate.energy_breakdown().to_dataset()
        return breakdown[["energy", "included", "total"]].rename(total="energy_total")
    energy = substrate.energy_per_step()
    terms = {k: v for k, v in energy.items() if not k.startswith("total_")}
    totals = {k.removeprefix("total_"): v for k, v in energy.items() if k.startswith("total_")}
    return xr.Dataset(
        {"energy": ("term", np.array(list(terms.values()), dtype=np.float64)),
         "energy_total": ("scenario", np.array(list(totals.values()), dtype=np.float64))},
        coords={"term": np.array(list(terms), dtype=str),
                "scenario": np.array(list(totals), dtype=str)})


def _microstate_dataset(substrate: SpinIceReservoir, scaled: np.ndarray, steps: list[int],
                        spins: np.ndarray, vortices: np.ndarray) -> xr.Dataset:
    """Bar geometry, microstate snapshots and the applied fields of a spin-ice drive."""
    array = substrate.array_
    u = scaled[:, 0] if scaled.shape[1] == 1 else scaled
    fields = substrate.encoder_.encode(u, array).fields
    if fields.ndim == 3:
        fields = fields.mean(axis=1)
    return xr.Dataset(
        {"bar_x": ("bar", array.positions[:, 0]), "bar_y": ("bar", array.positions[:, 1]),
         "bar_angle": ("bar", array.angles), "bar_length": ("bar", array.lengths),
         "bar_width": ("bar", array.widths),
         "spin": (("snapshot", "bar"), spins), "vortex": (("snapshot", "bar"), vortices),
         "field": (("field_step", "component"), fields)},
        coords={"bar": np.arange(array.n_bars), "snapshot": np.asarray(steps, dtype=np.int64),
                "field_step": np.arange(fields.shape[0]), "component": ["x", "y"]})
