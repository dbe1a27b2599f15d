"""The end-to-end demonstration: Mackey-Glass forecasting on a reservoir substrate.

By default a width-modulated artificial spin-vortex ice (Gartside et al. 2022; thin 125 nm and
wide 200 nm permalloy bars, 5 % switching-field disorder, vortex states in wide bars) is driven
by a Mackey-Glass series (tau 17), one field loop +H(u), -H(u) per sample; after each loop its
FMR spectrum (dP/dH on 128 channels, 3-13 GHz, read at the loop's end field) is the
observation; a ridge readout predicts the series t+1 ... t+k ahead, next to a linear baseline
on the raw input.  The same forecast runs on the software substrates (:data:`SUBSTRATES`).
For the spin ice the result also holds what a report draws: the inputs, the observed
spectra, the bar geometry and the microstate (spins, vortex flags) after a few inputs.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
import xarray as xr
from sklearn.base import clone

from nanomag._validate import instance_of, positive_int
from nanomag.energy import SCENARIOS, esn_step_energy
from nanomag.engine.kernels.protocol import RUN_PROTOCOL_ATHERMAL
from nanomag.experiments import warmups
from nanomag.experiments.evaluation import (
    Split,
    forecast,
    forecast_observations,
    scaled_inputs,
)
from nanomag.fmr.lines import series_spectra
from nanomag.fmr.stray import stray_fields
from nanomag.kernels.ahead import Warmup
from nanomag.substrates import (
    EchoStateNetwork,
    MemristorReservoir,
    SpinIceReservoir,
    SpinTorqueOscillator,
    Substrate,
)
from nanomag.substrates.kernels import esn_run, memristor_run, sto_run
from nanomag.tasks import mackey_glass_series
from nanomag.tasks.kernels import mackey_glass

#: The demo's substrates: name -> (description, factory(size, seed), numba kernels it runs).
#: ``size`` (nx, ny) is the lattice of the spin ice; the software substrates keep their
#: default sizes.
SUBSTRATES: dict[str, tuple[str, Callable[[tuple[int, int], int], Substrate], tuple]] = {
    "spin-ice": ("spin-vortex ice",
                 lambda size, seed: SpinIceReservoir(lattice="asvi_width_modulated",
                                                     lattice_params={"size": size}, seed=seed),
                 (RUN_PROTOCOL_ATHERMAL, series_spectra, stray_fields)),
    "esn": ("echo-state network", lambda size, seed: EchoStateNetwork(seed=seed), (esn_run,)),
    "memristor": ("memristor network", lambda size, seed: MemristorReservoir(seed=seed),
                  (memristor_run,)),
    "sto": ("spin-torque oscillator", lambda size, seed: SpinTorqueOscillator(seed=seed),
            (sto_run,)),
}
DEMO_SPLIT = Split(washout=50, train_fraction=0.7)


def demo_kernels(substrate: str) -> tuple:
    """The numba kernels (dispatchers) the demo runs on ``substrate``."""
    return (mackey_glass, *_entry(substrate)[2])


def demo_warmups(substrate: str) -> tuple[Warmup, ...]:
    """Warm-ups (:func:`nanomag.kernels.ahead.compile_ahead`) that compile the demo's kernels
    on ``substrate`` in two halves of about equal compile time: the spin ice's spectra (and
    the Mackey-Glass generator) and its field protocol; none for a software substrate (its
    one small kernel gains nothing from a second process)."""
    _entry(substrate)
    return (warmups.SPIN_ICE_READOUT, warmups.PROTOCOL) if substrate == "spin-ice" else ()


def _entry(substrate: str):
    if substrate not in SUBSTRATES:
        raise ValueError(f"substrate must be one of {sorted(SUBSTRATES)}, got {substrate!r}")
    return SUBSTRATES[substrate]


def check_demo_options(*, size: tuple[int, int] = (10, 10), n_inputs: int = 1200,
                       max_horizon: int = 7, substrate: str = "spin-ice") -> None:
    """Raise ``ValueError`` naming the first bad option of :func:`forecast_demo`."""
    for v in size:
        positive_int(v, "size")
    n, k = positive_int(n_inputs, "n_inputs"), positive_int(max_horizon, "max_horizon")
    _entry(substrate)
    try:
        DEMO_SPLIT.slices(n - k)
    except ValueError as err:
        raise ValueError(f"n_inputs ({n}) is too short for max_horizon {k}: {err}") from None

#: Microstate snapshots stored by the spin-ice demo (evenly spaced over the inputs).
N_SNAPSHOTS = 4


def forecast_demo(*, size: tuple[int, int] = (10, 10), n_inputs: int = 1200,
                  max_horizon: int = 7, seed: int = 0,
                  substrate: str = "spin-ice") -> xr.Dataset:
    """Run the demonstration on ``substrate`` (a key of :data:`SUBSTRATES`); returns
    :func:`~nanomag.experiments.evaluation.forecast`'s Dataset with the set-up, run time and
    energy comparison in its attributes.

    ``energy_advantage_<scenario>`` is the energy per step of a digital echo-state network with
    as many units as the reservoir has channels (10 % connectivity, one output) divided by the
    substrate's (> 1: the substrate uses less), for each scenario of
    :data:`nanomag.energy.SCENARIOS` the substrate reports; a software substrate reports only
    its reservoir update, compared in the ``intrinsic`` scenario with the digital update.
    On the spin ice the Dataset also holds the scaled ``input`` and the ``observation``
    (step, channel) of the drive, the bar geometry and :data:`N_SNAPSHOTS` microstates
    (:func:`record_drive`).
    """
    check_demo_options(size=size, n_inputs=n_inputs, max_horizon=max_horizon,
                       substrate=substrate)
    description, factory, _ = _entry(substrate)
    nx, ny = (int(v) for v in size)
    reservoir = factory((nx, ny), seed)
    series = mackey_glass_series(int(n_inputs))
    start = time.perf_counter()
    horizons = range(1, int(max_horizon) + 1)
    if substrate == "spin-ice":  # one drive gives the forecast and the record of the drive
        scaled = scaled_inputs(series[:, None], DEMO_SPLIT)[:, 0]
        fitted = clone(reservoir)
        observations = fitted.fit_transform(scaled)
        ds = forecast_observations(observations, series, horizons, split=DEMO_SPLIT,
                                   energy=fitted.energy_per_step())
        ds = ds.merge(record_drive(fitted, scaled, observations,
                                   np.linspace(0, len(series) - 1, N_SNAPSHOTS).astype(int)))
    else:
        ds = forecast(reservoir, series, horizons, split=DEMO_SPLIT)
    ds.attrs.update({
        "substrate": substrate, "substrate_description": description, "n_inputs": int(n_inputs),
        "seed": seed, "run_time_s": time.perf_counter() - start,
        "task": "Mackey-Glass (tau 17) forecast t+k", "metric": "NMSE (MSE / var(target))",
    })
    if substrate == "spin-ice":
        ds.attrs.update({"lattice": "asvi_width_modulated", "size": [nx, ny]})
    units = int(ds.attrs["n_channels"])
    digital = esn_step_energy(units, int(round(0.1 * units * units)), 1, 1)
    if "energy_total_intrinsic_J" not in ds.attrs:
        # a software substrate reports its reservoir update only: compare it with the
        # digital reservoir update (the intrinsic scenario)
        ds.attrs["energy_total_intrinsic_J"] = sum(
            v for k, v in ds.attrs.items() if k.startswith("energy_") and k.endswith("_J"))
    for scenario in SCENARIOS:
        if f"energy_total_{scenario}_J" in ds.attrs:
            ds.attrs[f"energy_advantage_{scenario}"] = (
                digital.total(scenario) / ds.attrs[f"energy_total_{scenario}_J"])
    return ds


def record_drive(fitted: SpinIceReservoir, inputs: np.ndarray, observations: np.ndarray,
                 snapshot_steps: np.ndarray) -> xr.Dataset:
    """What a spin-ice reservoir did in its last drive, by ``inputs`` (T,) from its reset state,
    which gave ``observations`` (T, C).

    Returns ``input`` (step), ``observation`` (step, channel) with the channel ``frequency``
    (Hz) for spectra, the bar geometry ``bar_x``, ``bar_y``, ``bar_length``, ``bar_width``
    (bar, nm) and ``bar_angle`` (bar, rad), and the microstate after each of
    ``snapshot_steps`` (input indices): ``spin`` (snapshot, bar, +-1 along the bar's axis) and
    ``vortex`` (snapshot, bar).
    """
    instance_of(fitted, SpinIceReservoir, "fitted")
    if fitted.last_spins_.shape[0] != len(inputs):
        raise ValueError(f"fitted: its last drive had {fitted.last_spins_.shape[0]} inputs, "
                         f"not the {len(inputs)} given")
    steps = np.unique(snapshot_steps)
    spins = fitted.last_spins_[steps].astype(np.int8)
    vortices = fitted.last_vortices_[steps] != 0
    array = fitted.array_
    if fitted.observation == "spectrum":
        channel = {"frequency": ("channel", fitted.readout_.frequencies, {"units": "Hz"})}
        observed = {"long_name": "FMR dP/dH" if fitted.derivative else "FMR absorption",
                    "units": "a.u."}
    else:
        channel = {"channel": fitted.channel_names}
        observed = {"long_name": f"observed {fitted.observation}"}
    nm = {"units": "nm"}
    return xr.Dataset(
        {
            "input": ("step", inputs, {"long_name": "input scaled to [0, 1]"}),
            "observation": (("step", "channel"), np.asarray(observations), observed),
            "bar_x": ("bar", array.positions[:, 0], nm),
            "bar_y": ("bar", array.positions[:, 1], nm),
            "bar_angle": ("bar", array.angles, {"units": "rad"}),
            "bar_length": ("bar", array.lengths, nm),
            "bar_width": ("bar", array.widths, nm),
            "spin": (("snapshot", "bar"), spins,
                     {"long_name": "macrospin along the bar axis"}),
            "vortex": (("snapshot", "bar"), vortices,
                       {"long_name": "bar in a vortex state"}),
        },
        coords={"step": np.arange(len(inputs)), "snapshot": steps, **channel},
    )
