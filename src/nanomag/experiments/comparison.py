"""The comparison of Stenning et al. (Nat. Commun. 15, 2024): single arrays and networks.

Every system (an array preset or a network of them) is scored on

* memory capacity ``MC = sum_{k=1..max_delay} corr^2(u(t - k), y_k(t))`` over the test part,
  ``y_k`` a ridge readout trained to recall ``u(t - k)`` from the observations of a drive with
  uniform random inputs in [0, 1];
* nonlinearity (Love et al.): ``1 - mean R^2`` of linear fits of the 60 highest-variance
  channels of the same drive from the last ``n_lags`` inputs (:func:`nanomag.metrics.nonlinearity`);
* Mackey-Glass (tau 17) forecasting ``t + k``, ``k = 1..11``: test NMSE
  (:func:`~nanomag.experiments.evaluation.forecast`);
* sine transformations (input ``sin(2 pi t / 30)``, targets of :data:`nanomag.tasks.SINE_TRANSFORMS`
  and their products): test NMSE;
* kernel rank and generalisation rank (:mod:`nanomag.metrics`, Legenstein & Maass 2007): the
  rank of the final observations of :data:`RANK_STREAMS` streams of :data:`RANK_LENGTH`
  inputs uniform in [0, 1], independent (kernel) or sharing their last :data:`RANK_SHARED`
  inputs (generalisation), counting singular values above the measured noise floor
  (:func:`kernel_and_generalisation_rank`).

Protocol as in the paper: ``n_inputs`` inputs per drive, the first ``washout`` discarded, then a
time-ordered 70 / 30 train / test split; ridge readout without intercept on channels scaled
by their maximum, alpha from {1e-4, 1e-3, 1e-2, 5e-2, 0.1} by forward-chaining validation, chosen
per target.  Each repeat draws new arrays (disorder, vortex draws, PW layout) and new random
inputs from ``seed + repeat``.  Linear baselines (the same readout with an intercept on the raw
input) are reported alongside.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

import numpy as np
import xarray as xr
from sklearn.base import clone

from nanomag._validate import as_float_array, positive, positive_int
from nanomag.experiments.evaluation import (
    NMSE_ATTRS,
    Split,
    evaluate_features,
    forecast,
    scaled_inputs,
)
from nanomag.experiments.experiment_like import experiment_engine, experiment_preset
from nanomag.experiments.networks import ParallelNetwork, SeriesNetwork
from nanomag.experiments.presets import preset
from nanomag.metrics import (
    final_states,
    generalisation_rank_streams,
    kernel_rank_streams,
    lagged_inputs,
    nonlinearity,
    numerical_rank,
    squared_correlation,
)
from nanomag.progress import report
from nanomag.readout import RidgeReadout
from nanomag.substrates.base import Substrate
from nanomag.substrates.spin_ice import DEFAULT_ENGINE
from nanomag.tasks import mackey_glass_series, make_task

#: Sine-transformation targets of the default comparison (names of ``nanomag.tasks`` sine).
SINE_TARGETS = ("cos", "sin2", "sin3", "abs_sin_half", "sin_double", "cos_triple", "square",
                "sawtooth", "cos_double*sin_triple")
#: The sine target of the published PW / MS ordering (31.6x lower MSE for PW).
PUBLISHED_SINE_TARGET = "cos_double*sin_triple"
#: Mackey-Glass horizons of the default comparison.
MG_HORIZONS = tuple(range(1, 12))

#: Rank protocol: streams, inputs per stream, and inputs shared at the end of every stream
#: for the generalisation rank.
RANK_STREAMS, RANK_LENGTH, RANK_SHARED = 40, 20, 10

#: The ``--quick`` configuration: a small, fast run of every system (not for conclusions).
QUICK = {"size": (4, 4), "n_inputs": 150, "repeats": 1}

SystemFactory = Callable[[Sequence[int], int], Substrate]


def default_systems(*, experiment: bool = False, neighbor_distance: float | None = 1.0
                    ) -> dict[str, tuple[str, SystemFactory]]:
    """The systems compared by default: name -> (kind, factory(size, seed)).

    ``MS``, ``WM``, ``PW``: the array presets.  ``WM|PW``, ``MS|WM|PW``: parallel networks.
    ``WM>PW``: series, the WM channel most correlated with past inputs drives PW.
    ``PW>WM``: series, the most nonlinear PW channel drives WM.  ``WM+WM>PW``: WM read
    directly and through PW (the series network keeping the first array's channels).

    Args:
        experiment: build every array with
            :func:`~nanomag.experiments.experiment_like.experiment_preset` (300 K switching on
            the 1 s field ramp, noisy FMR readout) instead of the exact, athermal preset.
        neighbor_distance: dipolar cutoff of every array in lattice spacings (``None``: all
            pairs); the presets use 1.
    """
    if neighbor_distance is not None:
        neighbor_distance = positive(neighbor_distance, "neighbor_distance")
    engine = experiment_engine() if experiment else dict(DEFAULT_ENGINE)
    engine["neighbor_distance"] = neighbor_distance
    build = experiment_preset if experiment else preset

    def array(name, size, seed):
        return build(name, size, seed, engine_params=dict(engine))

    def single(name):
        return lambda size, seed: array(name, size, seed)

    def parallel(*names):
        return lambda size, seed: ParallelNetwork([array(n, size, seed) for n in names],
                                                  names=list(names))

    def series(first, second, channel, keep_first=False):
        return lambda size, seed: SeriesNetwork(array(first, size, seed),
                                                array(second, size, seed), channel=channel,
                                                keep_first=keep_first, seed=seed)

    return {
        "MS": ("array", single("MS")),
        "WM": ("array", single("WM")),
        "PW": ("array", single("PW")),
        "WM|PW": ("parallel", parallel("WM", "PW")),
        "MS|WM|PW": ("parallel", parallel("MS", "WM", "PW")),
        "WM>PW": ("series", series("WM", "PW", "memory")),
        "PW>WM": ("series", series("PW", "WM", "nonlinearity")),
        "WM+WM>PW": ("combination", series("WM", "PW", "memory", keep_first=True)),
    }


def _readout(readout: RidgeReadout | None) -> RidgeReadout:
    base = RidgeReadout() if readout is None else clone(readout)
    return base.set_params(alpha_per_target=True)


def memory_and_nonlinearity(substrate: Substrate, inputs, *, split: Split, max_delay: int = 8,
                            n_lags: int = 5, n_channels: int = 60,
                            readout: RidgeReadout | None = None) -> tuple[np.ndarray, float]:
    """(MC_k for k = 1..max_delay on the test part, nonlinearity) of ``substrate`` driven by
    ``inputs`` (T,) in [0, 1] from its reset state."""
    u = as_float_array(inputs, "inputs", (None,))
    k = positive_int(max_delay, "max_delay")
    if split.washout < k:
        raise ValueError(f"split.washout ({split.washout}) must be >= max_delay ({k})")
    states = clone(substrate).fit_transform(u)
    lagged = np.zeros((u.size, k))
    lagged[k:] = lagged_inputs(u, np.arange(1, k + 1), slice(k, None))
    fit = evaluate_features(states, lagged, split=split, readout=_readout(readout))
    mc = squared_correlation(fit["target"], fit["prediction"])
    nl = nonlinearity(states, u, n_lags=n_lags, n_channels=n_channels, washout=split.washout)
    return mc, nl


def kernel_and_generalisation_rank(substrate: Substrate, *, n_streams: int = RANK_STREAMS,
                                   length: int = RANK_LENGTH, shared_length: int = RANK_SHARED,
                                   seed: int | None = 0) -> tuple[int, int]:
    """(kernel rank, generalisation rank) of ``substrate`` over ``n_streams`` streams of
    ``length`` inputs uniform in [0, 1] (:func:`nanomag.metrics.kernel_rank_streams`,
    :func:`~nanomag.metrics.generalisation_rank_streams` with the last ``shared_length``
    inputs common to all streams), each from the reset state.

    Both count the singular values of the final observations (:func:`numerical_rank`) above
    the noise floor, measured by observing the kernel streams twice: the largest singular
    value of the difference divided by sqrt(2) is the largest singular value of one
    measurement's noise (readout noise, field jitter, thermal draws).  When the two
    measurements agree (an exact observation) numpy's rank rule applies.
    """
    fitted = clone(substrate).fit()
    streams = kernel_rank_streams(n_streams, length, low=0.0, high=1.0, seed=seed)
    kernel = final_states(fitted.transform, streams)
    floor = np.linalg.norm(kernel - final_states(fitted.transform, streams), 2) / np.sqrt(2)
    general = final_states(fitted.transform, generalisation_rank_streams(
        n_streams, length, shared_length, low=0.0, high=1.0, seed=seed))

    def rank(states: np.ndarray) -> int:
        peak = np.linalg.norm(states, 2)
        if floor == 0 or peak == 0:
            return numerical_rank(states)
        return 0 if floor >= peak else numerical_rank(states, rtol=floor / peak)

    return rank(kernel), rank(general)


def sine_transformations(substrate: Substrate, targets: Sequence[str], n_samples: int, *,
                         split: Split, readout: RidgeReadout | None = None
                         ) -> tuple[np.ndarray, np.ndarray]:
    """Test NMSE (reservoir, linear baseline), each (len(targets),), of the sine tasks, all from
    one drive with ``sin(2 pi t / 30)``."""
    tasks = [make_task("sine", target=t, n_samples=n_samples) for t in targets]
    x = tasks[0].inputs[:, None]
    y = np.stack([t.targets for t in tasks], axis=1)
    states = clone(substrate).fit_transform(scaled_inputs(x, split)[:, 0])
    ours = evaluate_features(states, y, split=split, readout=_readout(readout))
    base = evaluate_features(x, y, split=split,
                             readout=_readout(readout).set_params(fit_intercept=True))
    return ours["nmse"], base["nmse"]


def compare(systems: dict[str, tuple[str, SystemFactory]] | None = None, *,
            experiment: bool = False, neighbor_distance: float | None = 1.0, n_inputs: int = 500, size: Sequence[int] = (10, 10), repeats: int = 5, seed: int = 0,
            horizons: Sequence[int] = MG_HORIZONS, sine_targets: Sequence[str] = SINE_TARGETS,
            washout: int = 20, train_fraction: float = 0.7, max_delay: int = 8,
            n_lags: int = 5, readout: RidgeReadout | None = None) -> xr.Dataset:
    """Score every system on memory capacity, nonlinearity, Mackey-Glass and sine tasks.

    Args:
        systems: name -> (kind, factory(size, seed) -> Substrate); default
            :func:`default_systems` with ``experiment`` and ``neighbor_distance``.
        experiment: run the default systems under the experiment-like observation.
        neighbor_distance: dipolar cutoff of the default systems, lattice spacings.
        n_inputs: inputs per drive (the paper: 250; the default 500 narrows the spread of
            the test scores over repeats).
        size: (nx, ny) lattice cells of every array.
        repeats: independent repeats (arrays and random inputs from ``seed + repeat``).
        horizons: Mackey-Glass forecast horizons.
        sine_targets: sine-transformation targets.
        washout, train_fraction: the time-ordered split.
        max_delay: delays of the memory capacity.
        n_lags: input lags of the nonlinearity.
        readout: ridge readout (default :class:`RidgeReadout`); alpha is chosen per target.

    Returns:
        Dataset with coordinates ``system`` (with ``kind``), ``repeat``, ``horizon``,
        ``target``, ``delay`` and variables ``memory_capacity`` (system, repeat),
        ``memory_per_delay`` (system, delay, repeat), ``nonlinearity`` (system, repeat),
        ``mackey_glass`` (system, horizon, repeat) and ``sine`` (system, target, repeat) test
        NMSE, the linear baselines ``mackey_glass_linear`` (horizon, repeat) and
        ``sine_linear`` (target, repeat), ``kernel_rank`` and ``generalisation_rank``
        (system, repeat) (:func:`kernel_and_generalisation_rank`, streams from
        ``seed + repeat``), and ``n_channels`` (system).
    """
    if systems is None:
        systems = default_systems(experiment=experiment, neighbor_distance=neighbor_distance)
    elif experiment or neighbor_distance != 1.0:
        raise ValueError("experiment and neighbor_distance set the default systems; build "
                         "the given systems with them instead")
    systems = dict(systems)
    if not systems:
        raise ValueError("systems must name at least one system")
    n = positive_int(n_inputs, "n_inputs")
    n_rep = positive_int(repeats, "repeats")
    ks = np.array([positive_int(k, "horizons") for k in np.atleast_1d(horizons)])
    targets = list(sine_targets)
    if not targets:
        raise ValueError("sine_targets must name at least one target")
    split = Split(washout=positive_int(washout, "washout", allow_zero=True),
                  train_fraction=train_fraction)
    try:
        split.slices(n - int(ks.max()))
    except ValueError as err:
        raise ValueError(f"n_inputs ({n}) is too short for the longest horizon ({ks.max()}): "
                         f"{err}") from None
    names = list(systems)
    shape = (len(names), n_rep)
    mc = np.empty((len(names), max_delay, n_rep))
    nl = np.empty(shape)
    mg = np.empty((len(names), ks.size, n_rep))
    sine = np.empty((len(names), len(targets), n_rep))
    mg_lin = np.empty((ks.size, n_rep))
    sine_lin = np.empty((len(targets), n_rep))
    channels = np.zeros(len(names), np.int64)
    ranks = np.zeros((2, len(names), n_rep), np.int64)
    series = mackey_glass_series(n + int(ks.max()))
    report("systems", 0, n_rep * len(names))
    for r in range(n_rep):
        rng = np.random.default_rng(seed + r)
        u = rng.uniform(0.0, 1.0, n)
        for i, name in enumerate(names):
            _, factory = systems[name]
            substrate = factory(tuple(size), seed + r)
            channels[i] = substrate.n_channels
            mc[i, :, r], nl[i, r] = memory_and_nonlinearity(
                substrate, u, split=split, max_delay=max_delay, n_lags=n_lags, readout=readout)
            fc = forecast(substrate, series, ks, split=split, readout=_readout(readout))
            mg[i, :, r] = fc.nmse.sel(system="reservoir").values
            mg_lin[:, r] = fc.nmse.sel(system="linear").values
            sine[i, :, r], sine_lin[:, r] = sine_transformations(
                substrate, targets, n, split=split, readout=readout)
            ranks[:, i, r] = kernel_and_generalisation_rank(substrate, seed=seed + r)
            report("systems", r * len(names) + i + 1, n_rep * len(names))
    mc_attrs = {"units": "1", "long_name": "memory capacity, sum of squared correlations"}
    mg_attrs = {**NMSE_ATTRS, "long_name": "Mackey-Glass forecast test NMSE"}
    sine_attrs = {**NMSE_ATTRS, "long_name": "sine transformation test NMSE"}
    return xr.Dataset(
        {
            "memory_capacity": (("system", "repeat"), mc.sum(axis=1), mc_attrs),
            "memory_per_delay": (("system", "delay", "repeat"), mc,
                                 {"units": "1", "long_name": "squared correlation of the "
                                  "recalled input at each delay"}),
            "nonlinearity": (("system", "repeat"), nl,
                             {"units": "1", "long_name": "nonlinearity, 1 - mean R^2 of "
                              "linear fits from past inputs"}),
            "mackey_glass": (("system", "horizon", "repeat"), mg, mg_attrs),
            "sine": (("system", "target", "repeat"), sine, sine_attrs),
            "mackey_glass_linear": (("horizon", "repeat"), mg_lin,
                                    {**mg_attrs, "long_name": mg_attrs["long_name"]
                                     + " of the linear baseline"}),
            "sine_linear": (("target", "repeat"), sine_lin,
                            {**sine_attrs, "long_name": sine_attrs["long_name"]
                             + " of the linear baseline"}),
            "kernel_rank": (("system", "repeat"), ranks[0], {
                "units": "1", "long_name": f"kernel rank, {RANK_STREAMS} streams of "
                f"{RANK_LENGTH} inputs, above the measured noise floor"}),
            "generalisation_rank": (("system", "repeat"), ranks[1], {
                "units": "1", "long_name": f"generalisation rank, {RANK_STREAMS} streams "
                f"sharing their last {RANK_SHARED} of {RANK_LENGTH} inputs, above the "
                "measured noise floor"}),
            "n_channels": (("system",), channels,
                           {"units": "1", "long_name": "observed channels"}),
        },
        coords={
            "system": names,
            "kind": ("system", [systems[k][0] for k in names]),
            "repeat": np.arange(n_rep),
            "horizon": ks,
            "target": targets,
            "delay": np.arange(1, max_delay + 1),
        },
        attrs={
            "n_inputs": n, "size": list(size), "seed": seed, "experiment": int(experiment),
            "neighbor_distance": "all pairs" if neighbor_distance is None else neighbor_distance, "washout": split.washout,
            "train_fraction": split.train_fraction, "max_delay": max_delay, "n_lags": n_lags,
            "metric": "test NMSE = MSE / var(target); MC and NL as in Stenning et al. 2024",
            "date": date.today().isoformat(),
        },
    )


def published_orderings(ds: xr.Dataset, horizon: int = 7) -> dict[str, bool]:
    """Check the orderings reported by Stenning et al. on the repeat-averaged results.

    ``"WM MC > MS MC"``, ``"PW NL > WM NL"``, ``"best network MG t+{horizon} < best
    array"`` (lower NMSE is better) and, when ``ds`` holds the sine target
    :data:`PUBLISHED_SINE_TARGET`, ``"PW < MS on cos 2t sin 3t"`` (the paper: 31.6x lower
    MSE), each True when it holds.  Needs the systems ``MS``, ``WM`` and ``PW``, at least one
    network, and ``horizon`` among the horizons.
    """
    mean = ds.mean("repeat")
    missing = {"MS", "WM", "PW"} - set(mean.system.values.tolist())
    if missing:
        raise ValueError(f"ds lacks the arrays {sorted(missing)}")
    if horizon not in mean.horizon.values:
        raise ValueError(f"horizon {horizon} is not among the horizons {mean.horizon.values}")
    mg = mean.mackey_glass.sel(horizon=horizon)
    networks = mg.where(mean.kind != "array", drop=True)
    if networks.size == 0:
        raise ValueError("ds holds no network to compare with the arrays")
    arrays = mg.where(mean.kind == "array", drop=True)
    mc, nl = mean.memory_capacity, mean.nonlinearity
    holds = {
        "WM MC > MS MC": bool(mc.sel(system="WM") > mc.sel(system="MS")),
        "PW NL > WM NL": bool(nl.sel(system="PW") > nl.sel(system="WM")),
        f"best network MG t+{horizon} < best array": bool(networks.min() < arrays.min()),
    }
    if "sine" in mean and PUBLISHED_SINE_TARGET in mean.target.values:
        sine = mean.sine.sel(target=PUBLISHED_SINE_TARGET)
        holds["PW < MS on cos 2t sin 3t"] = bool(sine.sel(system="PW") < sine.sel(system="MS"))
    return holds
