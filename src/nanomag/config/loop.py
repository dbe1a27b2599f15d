"""Lattice, engine and field-protocol sections, and the hysteresis-loop run built from them.

A configuration only describes a run; its ``build()`` helpers turn it into the objects of the
Python API (a :class:`~nanomag.lattices.BarArray`, a :class:`~nanomag.engine.spin_ice.SpinIce`, a
field protocol) and hold no physics themselves.  Units are those of the API: fields in tesla,
angles in degrees, lengths in nm.

Example ``loop.toml``::

    record_states = false

    [lattice]
    name = "asvi_width_modulated"
    params = { size = [6, 6] }

    [engine]
    disorder = 0.05
    seed = 1

    [protocol]
    h_max = 0.04
    n_steps = 100
    angle_deg = 45.0
"""

from __future__ import annotations

import inspect
import math
from typing import Any, Literal

import numpy as np
import xarray as xr
from pydantic import ValidationInfo, field_validator, model_validator

from nanomag.config.base import (
    MAX_CELLS,
    MAX_STEPS,
    MAX_TEMPERATURE_K,
    StrictModel,
    field,
    seed_field,
)
from nanomag.engine.protocols import hysteresis_loop
from nanomag.engine.spin_ice import COUPLINGS, SpinIce
from nanomag.engine.switching import CALIBRATIONS, Astroid
from nanomag.engine.vortices import VortexModel
from nanomag.lattices import BarArray, available_lattices, generators, make_lattice


class LatticeConfig(StrictModel):
    """Which lattice to build: a registered name and the generator's keyword parameters
    (``lattice = "square"`` is short for ``lattice = { name = "square" }``)."""

    name: str = field("asvi_width_modulated", "",
                      f"registered lattice name: {', '.join(available_lattices())}")
    params: dict[str, Any] = field(
        unit="", description="keyword parameters of the lattice generator (see `nanomag "
        "lattices`), e.g. size = [nx, ny] cells, lattice_spacing / bar_length / thickness nm",
        default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        return {"name": data} if isinstance(data, str) else data

    @field_validator("name")
    @classmethod
    def _known(cls, name: str) -> str:
        names = available_lattices()
        if name not in names:
            raise ValueError(f"unknown lattice {name!r}; choose one of: {', '.join(names)}")
        return name

    @field_validator("params")
    @classmethod
    def _params_known(cls, params: dict[str, Any], info: ValidationInfo) -> dict[str, Any]:
        name = info.data.get("name")
        generator = getattr(generators, name, None) if isinstance(name, str) else None
        if generator is not None:
            signature = inspect.signature(generator).parameters
            unknown = sorted(set(params) - set(signature))
            if unknown:
                raise ValueError(f"{unknown[0]!r} is not a parameter of lattice {name!r} "
                                 f"(it takes {', '.join(sorted(signature))})")
            for key, value in params.items():
                _check_like_default(value, signature[key].default, key)
        if "size" in params:
            check_size(params["size"], "size")
        return params

    @model_validator(mode="after")
    def _params_complete(self) -> LatticeConfig:
        generator = getattr(generators, self.name, None)
        signature = inspect.signature(generator).parameters if generator else {}
        missing = [k for k, p in signature.items() if p.default is p.empty and k not in self.params]
        if missing:
            raise ValueError(f"lattice {self.name!r} needs params {', '.join(missing)}")
        return self

    def build(self) -> BarArray:
        """The bar array; a parameter the generator refuses raises ValueError."""
        try:
            return make_lattice(self.name, **self.params)
        except TypeError as exc:
            raise ValueError(f"lattice.params: {exc}") from None


def _check_like_default(value: Any, default: Any, key: str) -> None:
    """Refuse a generator parameter whose type differs from its default's: a number (or a
    list of per-bar numbers) for a numeric default, a string for a string, a boolean for a
    boolean; NaN and infinities are refused."""
    def number(v: Any) -> bool:
        return (isinstance(v, int | float) and not isinstance(v, bool)
                and math.isfinite(v))

    if isinstance(default, bool):
        ok = isinstance(value, bool)
    elif isinstance(default, int | float):
        ok = number(value) or (isinstance(value, list) and all(map(number, value)))
    elif isinstance(default, str):
        ok = isinstance(value, str)
    else:
        return
    if not ok:
        want = {bool: "a boolean", str: "a string"}.get(type(default), "a finite number")
        raise ValueError(f"{key} must be {want} like its default {default!r}, got {value!r}")


def check_size(size: Any, key: str) -> list[int]:
    """A lattice size ``[nx, ny]`` of positive integers with at most :data:`MAX_CELLS` cells;
    ValueError names ``key``."""
    if (not isinstance(size, list | tuple) or len(size) != 2
            or not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in size)):
        raise ValueError(f"{key} must be [nx, ny], two positive integers, got {size!r}")
    if size[0] * size[1] > MAX_CELLS:
        raise ValueError(f"{key} = {list(size)} has {size[0] * size[1]:,} cells, more than the "
                         f"{MAX_CELLS:,} allowed")
    return list(size)


_ASTROID = Astroid()
_VORTEX = VortexModel()


class AstroidConfig(StrictModel):
    """Generalized Stoner-Wohlfarth astroid shape (dimensionless), see :class:`Astroid`."""

    b: float = field(_ASTROID.b, "1", "scale of the field along the easy axis, in units of hc "
                     "(astroid: (h_par / b)^(2 / gamma) + (h_perp / c)^(2 / beta) = 1)", gt=0,
                     le=100)
    c: float = field(_ASTROID.c, "1", "scale of the field across the easy axis, in units of hc",
                     gt=0, le=100)
    beta: float = field(_ASTROID.beta, "1", "shape exponent of the perpendicular term", gt=0,
                        le=100)
    gamma: float = field(_ASTROID.gamma, "1", "shape exponent of the parallel term", gt=0,
                         le=100)

    def build(self) -> Astroid:
        return Astroid(b=self.b, c=self.c, beta=self.beta, gamma=self.gamma)


class VortexConfig(StrictModel):
    """Vortex rules for wide bars (widths nm, fields T), see :class:`VortexModel`."""

    min_width: float = field(_VORTEX.min_width, "nm",
                             "narrowest bar that can hold a vortex", gt=0, le=1e6)
    p_plus: float = field(_VORTEX.p_plus, "1", "vortex probability per reversal towards +axis",
                          ge=0.0, le=1.0)
    p_minus: float = field(_VORTEX.p_minus, "1",
                           "vortex probability per reversal towards -axis", ge=0.0, le=1.0)
    neighbor_gain: float = field(_VORTEX.neighbor_gain, "1",
                                 "added vortex probability per vortex neighbour", ge=0.0, le=1.0)
    annihilation_field: float = field(_VORTEX.annihilation_field, "T",
                                      "field magnitude above which a vortex becomes a macrospin",
                                      gt=0, le=10)

    def build(self) -> VortexModel:
        return VortexModel(**self.model_dump())


class EngineParams(StrictModel):
    """Parameters of :class:`~nanomag.engine.spin_ice.SpinIce` other than its seed; ``None`` keeps
    the engine's derived value (see its docstring)."""

    hc: float | None = field(None, "T", "mean switching field (None: from the bar geometry)",
                             gt=0, le=10)
    disorder: float = field(0.0, "1", "relative standard deviation of the switching fields",
                            ge=0, le=10)
    alpha: float | None = field(None, "T", "dipolar coupling strength (None: from the "
                                "material and geometry)", ge=0, le=10)
    neighbor_distance: float | None = field(1.0, "lattice spacings",
                                            "range of the dipolar coupling (None: all pairs)",
                                            gt=0, le=100)
    coupling: Literal[COUPLINGS] = field(  # type: ignore[valid-type]
        "point_dipole", "", "pair-field model: " + ", ".join(COUPLINGS))
    astroid: AstroidConfig = field(unit="", description="switching astroid",
                                   default_factory=AstroidConfig)
    vortex: VortexConfig | None = field(None, "", "vortex rules for wide bars; true: the "
                                        "default rules, false or none: no vortices")
    calibration: Literal[CALIBRATIONS] = field(  # type: ignore[valid-type]
        "room_temperature", "", "switching-field calibration: " + ", ".join(CALIBRATIONS))
    init: Literal[1, -1, "random"] = field(1, "", "initial spins: 1, -1 or \"random\"")
    temperature: float = field(0.0, "K", "temperature of thermally activated switching "
                               f"(0: athermal; at most {MAX_TEMPERATURE_K:g})",
                               ge=0, le=MAX_TEMPERATURE_K)
    step_duration: float = field(1.0, "s", "time spent at each field step (thermal switching)",
                                 gt=0, le=1e6)
    attempt_frequency: float = field(1e9, "Hz", "Arrhenius attempt frequency", gt=0, le=1e15)

    @field_validator("vortex", mode="before")
    @classmethod
    def _switch(cls, value: Any) -> Any:
        """``vortex = true`` / ``false`` (TOML has no null) switch the default rules on / off."""
        if value is True:
            return {}
        return None if value is False else value

    def engine_kwargs(self) -> dict:
        """Keyword arguments of :class:`SpinIce` (no seed)."""
        return {
            "hc": self.hc, "disorder": self.disorder, "astroid": self.astroid.build(),
            "alpha": self.alpha, "neighbor_distance": self.neighbor_distance,
            "coupling": self.coupling, "calibration": self.calibration, "init": self.init,
            "temperature": self.temperature, "step_duration": self.step_duration,
            "attempt_frequency": self.attempt_frequency,
            "vortex": None if self.vortex is None else self.vortex.build(),
        }


class EngineConfig(EngineParams):
    """The spin-ice engine of a loop run: :class:`EngineParams` and a seed."""

    seed: int | None = seed_field(None, "seeds switching-field disorder, random initial "
                                  "spins, vortex and thermal draws (None: fresh entropy)")

    def build(self, array: BarArray) -> SpinIce:
        """The engine for ``array``."""
        return SpinIce(array, seed=self.seed, **self.engine_kwargs())


class ProtocolConfig(StrictModel):
    """A field protocol; ``kind = "hysteresis"``: a full loop +h_max -> -h_max -> +h_max."""

    kind: Literal["hysteresis"] = field("hysteresis", "", "protocol shape")
    h_max: float = field(0.05, "T", "loop amplitude", gt=0, le=10)
    n_steps: int = field(200, "", f"field steps of the loop (even, 4 .. {MAX_STEPS:,})",
                         ge=4, le=MAX_STEPS)
    angle_deg: float = field(45.0, "deg", "field direction from +x", ge=-360, le=360)

    @field_validator("n_steps")
    @classmethod
    def _even(cls, n: int) -> int:
        if n % 2:
            raise ValueError(f"must be even (half the steps per branch), got {n}")
        return n

    def build(self) -> np.ndarray:
        """(n_steps, 2) applied fields, T."""
        return hysteresis_loop(self.h_max, self.n_steps, self.angle_deg)


class LoopRunConfig(StrictModel):
    """One hysteresis-loop run: lattice, engine, field protocol (``kind = "loop"``)."""

    kind: Literal["loop"] = field("loop", "", "a field-protocol (hysteresis) run")
    lattice: LatticeConfig = field(unit="", description="the bar array",
                                   default_factory=LatticeConfig)
    engine: EngineConfig = field(unit="", description="the spin-ice engine",
                                 default_factory=EngineConfig)
    protocol: ProtocolConfig = field(unit="", description="the applied field sequence",
                                     default_factory=ProtocolConfig)
    record_states: bool = field(False, "", "store spins and vortex flags after every step")

    def build(self) -> tuple[SpinIce, np.ndarray]:
        """The engine and the (T, 2) field protocol (T)."""
        return self.engine.build(self.lattice.build()), self.protocol.build()

    def run(self) -> xr.Dataset:
        """Run the protocol; the result is :meth:`SpinIce.run`'s Dataset with
        ``kind = "loop"`` and this configuration (JSON) in ``attrs["config"]``."""
        engine, fields = self.build()
        ds = engine.run(fields, record_states=self.record_states)
        ds.attrs.update(kind="loop", config=self.model_dump_json())
        return ds
