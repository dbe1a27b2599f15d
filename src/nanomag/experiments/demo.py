"""The end-to-end demonstration: Mackey-Glass forecasting on the spin-vortex ice.

A width-modulated artificial spin-vortex ice (Gartside et al. 2022; thin 125 nm and wide 200 nm
permalloy bars, 5 % switching-field disorder, vortex states in wide bars) is driven by a
Mackey-Glass series (tau 17), one field loop +H(u), -H(u) per sample; after each loop its FMR
spectrum (dP/dH on 128 channels, 3-13 GHz, read at the loop's end field) is the observation; a
ridge readout predicts the series t+1 ... t+k ahead, next to a linear baseline on the raw input.
The result also holds what a report draws: the inputs, the observed spectra, the bar geometry
and the microstate (spins, vortex flags) after a few inputs.
"""

from __future__ import annotations

import time

import numpy as np
import xarray as xr
from sklearn.base import clone

from nanomag._validate import positive_int
from nanomag.energy import SCENARIOS, esn_step_energy
from nanomag.experiments.evaluation import Split, forecast, scaled_inputs
from nanomag.substrates.spin_ice import SpinIceReservoir
from nanomag.tasks import mackey_glass_series

#: Microstate snapshots stored by the demo (evenly spaced over the inputs).
N_SNAPSHOTS = 4


def forecast_demo(*, size: tuple[int, int] = (10, 10), n_inputs: int = 1200,
                  max_horizon: int = 7, seed: int = 0) -> xr.Dataset:
    """Run the demonstration; returns :func:`~nanomag.experiments.evaluation.forecast`'s
    Dataset with the set-up, run time and energy comparison in its attributes.

    ``energy_advantage_<scenario>`` is the energy per step of a digital echo-state network with
    as many units as the reservoir has channels (10 % connectivity, one output) divided by the
    spin-vortex ice's (> 1: the magnets use less).  The Dataset also holds the scaled
    ``input`` and the ``observation`` (step, channel) of the drive, the bar geometry and
    :data:`N_SNAPSHOTS` microstates (:func:`record_drive`).
    """
    nx, ny = (positive_int(v, "size") for v in size)
    reservoir = SpinIceReservoir(lattice="asvi_width_modulated",
                                 lattice_params={"size": (nx, ny)}, seed=seed)
    series = mackey_glass_series(positive_int(n_inputs, "n_inputs"))
    split = Split(washout=50, train_fraction=0.7)
    start = time.perf_counter()
    ds = forecast(reservoir, series, range(1, positive_int(max_horizon, "max_horizon") + 1),
              split=split)
    ds = ds.merge(record_drive(reservoir, scaled_inputs(series[:, None], split)[:, 0],
                               np.linspace(0, len(series) - 1, N_SNAPSHOTS).astype(int)))
    ds.attrs.update({
        "lattice": "asvi_width_modulated", "size": [nx, ny], "n_inputs": int(n_inputs),
        "seed": seed, "run_time_s": time.perf_counter() - start,
        "task": "Mackey-Glass (tau 17) forecast t+k", "metric": "NMSE (MSE / var(target))",
    })
    units = int(ds.attrs["n_channels"])
    digital = esn_step_energy(units, int(round(0.1 * units * units)), 1, 1)
    for scenario in SCENARIOS:
        ds.attrs[f"energy_advantage_{scenario}"] = (
            digital.total(scenario) / ds.attrs[f"energy_total_{scenario}_J"])
    return ds


def record_drive(reservoir: SpinIceReservoir, inputs: np.ndarray,
                 snapshot_steps: np.ndarray) -> xr.Dataset:
    """Drive a fresh copy of ``reservoir`` with ``inputs`` (T,) and record what it did.

    Returns ``input`` (step), ``observation`` (step, channel) with the channel ``frequency``
    (Hz) for spectra, the bar geometry ``bar_x``, ``bar_y``, ``bar_length``, ``bar_width``
    (bar, nm) and ``bar_angle`` (bar, rad), and the microstate after each of
    ``snapshot_steps`` (sorted input indices): ``spin`` (snapshot, bar, +-1 along the bar's
    axis) and ``vortex`` (snapshot, bar).
    """
    fitted = clone(reservoir).reset()
    steps = np.unique(snapshot_steps)
    n = fitted.array_.n_bars
    observations, spins, vortices, start = [], [], [], 0
    for stop in steps + 1:
        observations.append(fitted.drive(inputs[start:stop]))
        state = fitted.state
        spins.append(state[:n].astype(np.int8))
        vortices.append(state[n:2 * n] != 0)
        start = stop
    if start < len(inputs):
        observations.append(fitted.drive(inputs[start:]))
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
            "observation": (("step", "channel"), np.concatenate(observations), observed),
            "bar_x": ("bar", array.positions[:, 0], nm),
            "bar_y": ("bar", array.positions[:, 1], nm),
            "bar_angle": ("bar", array.angles, {"units": "rad"}),
            "bar_length": ("bar", array.lengths, nm),
            "bar_width": ("bar", array.widths, nm),
            "spin": (("snapshot", "bar"), np.stack(spins),
                     {"long_name": "macrospin along the bar axis"}),
            "vortex": (("snapshot", "bar"), np.stack(vortices),
                       {"long_name": "bar in a vortex state"}),
        },
        coords={"step": np.arange(len(inputs)), "snapshot": steps, **channel},
    )
