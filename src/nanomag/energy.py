"""Energy per input step, term by term: the nanomagnetic reservoir against a digital ESN.

Every term is in joules per input step and every default is documented with its source
(``docs/energy.md``; background notes, section 4).  The physical reservoir's terms are

- ``flip``: hysteresis work of the flipped bars, ``sum_i 2 Ms Bsw_i V_i``;
- ``landauer_floor``: ``N_flips kT ln 2``, reported for reference, in no total;
- ``field_on_chip``: stripline pulses, ``I^2 R tau`` per pulse with ``I = 2 w_s B / mu0``,
  scaled by the area the array needs;
- ``field_lab``: a laboratory electromagnet, ``P_magnet t_magnet`` per input;
- ``read_on_chip`` / ``read_lab``: a frequency sweep of ``n_channels`` points at resolution
  bandwidth ``RBW``, ``(P_rf + P_det) n_channels / RBW`` (on-chip estimate / VNA at the wall);
- ``readout_mac`` / ``readout_memory``: the digital linear readout (one MAC and one weight
  read per feature and output, one write per output).

Three scenarios sum different terms (:data:`PHYSICAL_SCENARIOS`): ``intrinsic`` is the
medium alone (``flip``) against the digital reservoir update alone, the comparison behind
published "orders of magnitude" claims; ``on_chip`` and ``lab`` are whole steps (write,
read, readout) against the whole digital step, reservoir plus the same readout.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import xarray as xr

from nanomag._validate import as_float_array, field_array, finite_result, positive, positive_int
from nanomag.materials import K_B, MU0, PERMALLOY

SCENARIOS = ("intrinsic", "on_chip", "lab")

#: Terms summed into each scenario's total for the physical (spin-ice) reservoir.
PHYSICAL_SCENARIOS: dict[str, tuple[str, ...]] = {
    "intrinsic": ("flip",),
    "on_chip": ("flip", "field_on_chip", "read_on_chip", "readout_mac", "readout_memory"),
    "lab": ("flip", "field_lab", "read_lab", "readout_mac", "readout_memory"),
}

#: Terms summed into each scenario's total for the digital echo-state network.
DIGITAL_SCENARIOS: dict[str, tuple[str, ...]] = {
    "intrinsic": ("reservoir_mac", "reservoir_memory"),
    "on_chip": ("reservoir_mac", "reservoir_memory", "readout_mac", "readout_memory"),
    "lab": ("reservoir_mac", "reservoir_memory", "readout_mac", "readout_memory"),
}

E_MAC = 4.6e-12  # J per FP32 multiply-accumulate, Horowitz ISSCC 2014 (45 nm): 3.7 + 0.9 pJ
E_MEM = 10e-12  # J per operand access from an 8 kB cache, Horowitz ISSCC 2014


@dataclass(frozen=True)
class EnergyModel:
    """Hardware figures behind the energy terms (SI units; defaults from background section 4).

    Attributes:
        strip_width: stripline width w_s, m (10 um).
        strip_thickness: stripline thickness, m (200 nm).
        strip_length: stripline length, m (100 um; with the width, 3,125 bars at the default
            ``area_per_bar``).
        strip_resistivity: stripline resistivity, Ohm m (gold at room temperature, 2.44e-8,
            which gives 1.22 Ohm for the default strip).
        strip_resistance: the strip's resistance, Ohm; ``None`` (default) derives it from the
            resistivity and geometry.
        pulse_duration: duration tau of one on-chip field pulse, s (10 ns).
        area_per_bar: chip area per bar, m^2 (square ice, a = 800 nm: a^2 / 2 = 3.2e-13).
            The strip area is scaled to ``n_bars * area_per_bar``; at fixed width the pulse
            energy is proportional to the covered area.
        magnet_power: laboratory electromagnet power, W (100 W, the low end of 0.1-1 kW).
        magnet_time: electromagnet time per input, s (1 s).
        vna_rf_power: RF power a vector network analyser sends into the device, W (1 mW).
        vna_instrument_power: VNA wall power besides the RF, W (100 W, so a 10 ms sweep costs
            about 1 J at the wall, as in section 4.1).
        vna_rbw: VNA resolution (IF) bandwidth, Hz (10 kHz).
        chip_rf_power: on-chip RF source power, W (1 mW; estimate, unverified).
        chip_detector_power: on-chip detector and digitiser power, W (1 mW; estimate,
            unverified).
        chip_rbw: on-chip resolution bandwidth, Hz (100 kHz; estimate, unverified).
        e_mac: energy per digital multiply-accumulate, J (4.6 pJ, FP32, Horowitz 2014).
        e_mem: energy per digital operand access, J (10 pJ, 8 kB cache, Horowitz 2014).
        temperature: temperature for the Landauer floor, K (300 K).
    """

    strip_width: float = 10e-6
    strip_thickness: float = 200e-9
    strip_length: float = 100e-6
    strip_resistivity: float = 2.44e-8
    strip_resistance: float | None = None
    pulse_duration: float = 10e-9
    area_per_bar: float = 800e-9**2 / 2
    magnet_power: float = 100.0
    magnet_time: float = 1.0
    vna_rf_power: float = 1e-3
    vna_instrument_power: float = 100.0
    vna_rbw: float = 10e3
    chip_rf_power: float = 1e-3
    chip_detector_power: float = 1e-3
    chip_rbw: float = 100e3
    e_mac: float = E_MAC
    e_mem: float = E_MEM
    temperature: float = 300.0

    def __post_init__(self) -> None:
        positive_fields = ("strip_width", "strip_thickness", "strip_length", "strip_resistivity",
                           "pulse_duration", "area_per_bar", "vna_rbw", "chip_rbw",
                           "temperature")
        for name in positive_fields:
            positive(getattr(self, name), name)
        for name in ("magnet_power", "magnet_time", "vna_rf_power", "vna_instrument_power",
                     "chip_rf_power", "chip_detector_power", "e_mac", "e_mem"):
            positive(getattr(self, name), name, allow_zero=True)
        if self.strip_resistance is not None:
            positive(self.strip_resistance, "strip_resistance")

    @property
    def resistance(self) -> float:
        """Stripline resistance, Ohm: ``strip_resistance`` or ``rho L / (w t)``."""
        if self.strip_resistance is not None:
            return float(self.strip_resistance)
        return self.strip_resistivity * self.strip_length / (self.strip_width * self.strip_thickness)

    @property
    def bars_per_strip(self) -> float:
        """Bars under one strip, ``w L / area_per_bar``."""
        return self.strip_width * self.strip_length / self.area_per_bar

    def strip_current(self, field_T) -> np.ndarray:
        """Current, A, for a field ``field_T`` (T) at the strip surface: ``I = 2 w_s B / mu0``
        (infinitely wide sheet of current)."""
        return 2.0 * self.strip_width * np.abs(field_array(field_T, "field_T")) / MU0

    def pulse_energy(self, field_amplitudes_T, n_bars: float | None = None) -> float:
        """Joule heat, J, of on-chip pulses of amplitudes ``field_amplitudes_T`` (T; (P,) or
        (P, 2) vectors, each component driven by its own strip): ``sum_p I_p^2 R tau``, times
        ``n_bars / bars_per_strip`` when ``n_bars`` is given (the strip covers the array)."""
        b = field_array(field_amplitudes_T, "field_amplitudes_T")
        if b.ndim == 0 or b.ndim > 2 or (b.ndim == 2 and b.shape[1] != 2):
            raise ValueError(f"field_amplitudes_T must have shape (P,) or (P, 2), got {b.shape}")
        current = self.strip_current(b)
        heat = float(np.sum(current**2)) * self.resistance * self.pulse_duration
        if n_bars is not None:
            heat *= positive(n_bars, "n_bars", allow_zero=True) / self.bars_per_strip
        finite_result(heat, "pulse energy", "check field_amplitudes_T, n_bars and the strip "
                      "parameters of the EnergyModel")
        return heat

    def sweep_time(self, n_points: int, rbw: float) -> float:
        """Time, s, to measure ``n_points`` frequencies at resolution bandwidth ``rbw`` (Hz)."""
        return positive_int(n_points, "n_points", allow_zero=True) / positive(rbw, "rbw")


@dataclass(frozen=True)
class EnergyBreakdown:
    """Labelled energy terms (J per input step) and the terms each scenario sums.

    Attributes:
        terms: term name -> energy, J.
        scenarios: scenario name -> names of the terms in its total.
        system: label of the system ("spin_ice", "esn").
    """

    terms: Mapping[str, float]
    scenarios: Mapping[str, tuple[str, ...]]
    system: str = ""

    def __post_init__(self) -> None:
        for name, value in self.terms.items():
            positive(value, name, allow_zero=True)
        for scenario, names in self.scenarios.items():
            unknown = set(names) - set(self.terms)
            if unknown:
                raise ValueError(f"scenario {scenario!r} names unknown terms {sorted(unknown)}")

    def total(self, scenario: str) -> float:
        """Total energy, J, of ``scenario`` (one of :data:`SCENARIOS`)."""
        if scenario not in self.scenarios:
            raise ValueError(f"scenario must be one of {sorted(self.scenarios)}, got {scenario!r}")
        return float(sum(self.terms[name] for name in self.scenarios[scenario]))

    def to_dict(self) -> dict[str, float]:
        """Flat ``{term: J, ..., "total_<scenario>": J, ...}``."""
        out = {name: float(v) for name, v in self.terms.items()}
        out.update({f"total_{s}": self.total(s) for s in self.scenarios})
        return out

    def to_dataset(self) -> xr.Dataset:
        """The breakdown as an :class:`xarray.Dataset` for the results store: ``energy``
        (term), ``included`` (scenario, term) and ``total`` (scenario), all in J."""
        scen, names = list(self.scenarios), list(self.terms)
        included = np.array([[n in self.scenarios[s] for n in names] for s in scen])
        return xr.Dataset(
            {"energy": ("term", np.array([self.terms[n] for n in names], dtype=float),
                        {"units": "J"}),
             "included": (("scenario", "term"), included),
             "total": ("scenario", np.array([self.total(s) for s in scen]), {"units": "J"})},
            coords={"term": names, "scenario": scen},
            attrs={"system": self.system, "quantity": "energy per input step"},
        )


def readout_terms(n_features: int, n_outputs: int, e_mac: float, e_mem: float) -> dict[str, float]:
    """Digital linear readout ``y = W f``: ``n_outputs n_features`` MACs at ``e_mac`` (J), and
    as many weight reads plus ``n_outputs`` writes at ``e_mem`` (J)."""
    n_mac = positive_int(n_outputs, "n_outputs", allow_zero=True) * positive_int(
        n_features, "n_features_readout", allow_zero=True)
    n_out = int(n_outputs)
    mem = (n_mac + n_out) * positive(e_mem, "e_mem", allow_zero=True)
    return {"readout_mac": n_mac * positive(e_mac, "e_mac", allow_zero=True), "readout_memory": mem}


def esn_step_energy(n_units: int, nnz_recurrent: int, n_inputs: int, n_outputs: int, *,
                    e_mac: float = E_MAC, e_mem: float = E_MEM) -> EnergyBreakdown:
    """Digital echo-state network step (background 4.2): ``nnz_recurrent + n_units n_inputs``
    reservoir MACs at ``e_mac`` (J) with one weight read each plus one state write per unit at
    ``e_mem`` (J), and the readout terms of :func:`readout_terms` with ``n_units`` features.

    A dense N = 100 network with one input and one output: 10,200 MACs, about 1.5e-7 J.
    """
    n = positive_int(n_units, "n_units")
    nnz = positive_int(nnz_recurrent, "nnz_recurrent", allow_zero=True)
    if nnz > n * n:
        raise ValueError(f"nnz_recurrent must be <= n_units**2 = {n * n}, got {nnz_recurrent!r}")
    n_mac = nnz + n * positive_int(n_inputs, "n_inputs", allow_zero=True)
    terms = {"reservoir_mac": n_mac * positive(e_mac, "e_mac", allow_zero=True),
             "reservoir_memory": (n_mac + n) * positive(e_mem, "e_mem", allow_zero=True),
             **readout_terms(n, n_outputs, e_mac, e_mem)}
    for name, value in terms.items():
        finite_result(value, f"energy term {name}", "check n_units, nnz_recurrent, n_inputs, "
                      "n_outputs, e_mac and e_mem")
    return EnergyBreakdown(terms, DIGITAL_SCENARIOS, system="esn")


def _flip_terms(switching_fields_T, flip_count, mean_switching_field_T, volumes_m3, Ms: float,
                temperature: float) -> tuple[float, float]:
    """(hysteresis work, Landauer floor), J, of one step's flips."""
    ms = positive(Ms, "Ms")
    if switching_fields_T is not None:
        if flip_count is not None or mean_switching_field_T is not None:
            raise ValueError("give switching_fields_T or flip_count with mean_switching_field_T, "
                             "not both")
        bsw = as_float_array(switching_fields_T, "switching_fields_T")
        if bsw.ndim != 1:
            raise ValueError(f"switching_fields_T must be 1-D (one per flip), got {bsw.shape}")
        if np.any(bsw < 0):
            raise ValueError("switching_fields_T must be >= 0 (magnitudes)")
        count = bsw.size
    else:
        if flip_count is None or mean_switching_field_T is None:
            raise ValueError("give switching_fields_T, or flip_count and mean_switching_field_T")
        count = positive_int(flip_count, "flip_count", allow_zero=True)
        bsw = positive(mean_switching_field_T, "mean_switching_field_T", allow_zero=True)
    vol = as_float_array(volumes_m3, "volumes_m3")
    if vol.ndim > 1 or (vol.ndim == 1 and vol.shape != (count,)):
        raise ValueError(f"volumes_m3 must be a scalar or have shape ({count},), got {vol.shape}")
    if np.any(vol <= 0):
        raise ValueError("volumes_m3 must be > 0")
    # a scalar volume with a mean field stands for count equal flips (nothing allocated)
    copies = count if vol.ndim == 0 and np.ndim(bsw) == 0 else 1
    work = copies * float(np.sum(2.0 * ms * bsw * vol))
    return work, count * K_B * temperature * np.log(2.0)


def spin_ice_step_energy(model: EnergyModel | None = None, *, volumes_m3,
                         field_amplitudes_T, n_bars: int, n_channels: int,
                         switching_fields_T=None, flip_count: int | None = None,
                         mean_switching_field_T: float | None = None,
                         n_features_readout: int | None = None, n_outputs: int = 1,
                         Ms: float = PERMALLOY.Ms) -> EnergyBreakdown:
    """Energy of one input step of a spin-ice reservoir with FMR readout.

    Args:
        model: hardware figures (default :class:`EnergyModel()`).
        volumes_m3: volume of each flipped bar, m^3 ((F,), matching ``switching_fields_T``) or
            one volume for all.
        field_amplitudes_T: the field pulses applied in this step, T: (P,) magnitudes or (P, 2)
            in-plane vectors (one strip per component); (0,) for none.
        n_bars: bars in the array (sets the stripline area).
        n_channels: frequency points measured per step (the spectrum's channels).
        switching_fields_T: switching field Bsw of each bar that flipped, T, (F,); or instead
        flip_count, mean_switching_field_T: number of flips and their mean Bsw (T).
        n_features_readout: features of the linear readout (default ``n_channels``).
        n_outputs: readout outputs.
        Ms: saturation magnetisation, A/m.

    Returns:
        Terms ``flip``, ``landauer_floor``, ``field_on_chip``, ``field_lab``,
        ``read_on_chip``, ``read_lab``, ``readout_mac``, ``readout_memory`` (J) with the
        scenarios of :data:`PHYSICAL_SCENARIOS`.
    """
    m = EnergyModel() if model is None else model
    if not isinstance(m, EnergyModel):
        raise ValueError(f"model must be an EnergyModel, got {type(model).__name__}")
    bars = positive_int(n_bars, "n_bars")
    work, floor = _flip_terms(switching_fields_T, flip_count, mean_switching_field_T,
                              volumes_m3, Ms, m.temperature)
    points = positive_int(n_channels, "n_channels")
    features = points if n_features_readout is None else n_features_readout
    terms = {
        "flip": work,
        "landauer_floor": floor,
        "field_on_chip": m.pulse_energy(field_amplitudes_T, bars),
        "field_lab": m.magnet_power * m.magnet_time,
        "read_on_chip": (m.chip_rf_power + m.chip_detector_power) * m.sweep_time(points, m.chip_rbw),
        "read_lab": (m.vna_rf_power + m.vna_instrument_power) * m.sweep_time(points, m.vna_rbw),
        **readout_terms(features, n_outputs, m.e_mac, m.e_mem),
    }
    for name, value in terms.items():
        finite_result(value, f"energy term {name}", "check field_amplitudes_T, volumes_m3, "
                      "switching_fields_T, mean_switching_field_T, Ms, n_bars, n_channels and "
                      "the EnergyModel")
    return EnergyBreakdown(terms, PHYSICAL_SCENARIOS, system="spin_ice")


def compare(physical: EnergyBreakdown, digital: EnergyBreakdown) -> dict[str, float]:
    """Advantage per scenario, ``digital.total(s) / physical.total(s)`` (> 1: the physical
    system uses less energy), for the scenarios both define."""
    shared = [s for s in physical.scenarios if s in digital.scenarios]
    if not shared:
        raise ValueError("physical and digital share no scenario")
    out = {}
    for s in shared:
        p = physical.total(s)
        out[s] = float("inf") if p == 0 else digital.total(s) / p
    return out
