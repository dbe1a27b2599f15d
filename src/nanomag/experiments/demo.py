"""The end-to-end demonstration: Mackey-Glass forecasting on the spin-vortex ice.

A width-modulated artificial spin-vortex ice (Gartside et al. 2022; thin 125 nm and wide 200 nm
permalloy bars, 5 % switching-field disorder, vortex states in wide bars) is driven by a
Mackey-Glass series (tau 17), one field loop +H(u), -H(u) per sample; after each loop its FMR
spectrum (dP/dH on 128 channels, 3-13 GHz, read at the loop's end field) is the observation; a
ridge readout predicts the series t+1 ... t+k ahead, next to a linear baseline on the raw input.
"""

from __future__ import annotations

import time

import xarray as xr

from nanomag._validate import positive_int
from nanomag.energy import SCENARIOS, esn_step_energy
from nanomag.experiments.evaluation import Split, forecast
from nanomag.substrates.spin_ice import SpinIceReservoir
from nanomag.tasks import mackey_glass_series


def forecast_demo(*, size: tuple[int, int] = (10, 10), n_inputs: int = 1200,
                  max_horizon: int = 7, seed: int = 0) -> xr.Dataset:
    """Run the demonstration; returns :func:`~nanomag.experiments.evaluation.forecast`'s
    Dataset with the set-up, run time and energy comparison in its attributes.

    ``energy_advantage_<scenario>`` is the energy per step of a digital echo-state network with
    as many units as the reservoir has channels (10 % connectivity, one output) divided by the
    spin-vortex ice's (> 1: the magnets use less).
    """
    nx, ny = (positive_int(v, "size") for v in size)
    reservoir = SpinIceReservoir(lattice="asvi_width_modulated",
                                 lattice_params={"size": (nx, ny)}, seed=seed)
    series = mackey_glass_series(positive_int(n_inputs, "n_inputs"))
    start = time.perf_counter()
    ds = forecast(reservoir, series, range(1, positive_int(max_horizon, "max_horizon") + 1),
                  split=Split(washout=50, train_fraction=0.7))
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
