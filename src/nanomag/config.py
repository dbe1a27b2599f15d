"""Run configurations: validated pydantic models, loaded from TOML or JSON files.

A configuration only describes a run; its ``build()`` helpers turn it into the objects of the
Python API (a :class:`~nanomag.lattices.BarArray`, a :class:`~nanomag.spin_ice.SpinIce`, a
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

import json
import os
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

import numpy as np
import xarray as xr
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from nanomag.lattices import BarArray, available_lattices, make_lattice
from nanomag.protocols import hysteresis_loop
from nanomag.spin_ice import COUPLINGS, SpinIce
from nanomag.switching import CALIBRATIONS, Astroid
from nanomag.vortices import VortexModel

Finite = Annotated[float, Field(allow_inf_nan=False)]
PositiveFinite = Annotated[float, Field(gt=0, allow_inf_nan=False)]
NonNegativeFinite = Annotated[float, Field(ge=0, allow_inf_nan=False)]
#: Values a sweep can take along one axis (they become coordinates of the combined result).
GridValue = bool | int | float | str

M = TypeVar("M", bound=BaseModel)


class ConfigError(ValueError):
    """A configuration file that cannot be read or does not validate; the message names the
    file and the offending field."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LatticeConfig(_Strict):
    """Which lattice to build: a registered name and the generator's keyword parameters."""

    name: str = "asvi_width_modulated"
    params: dict[str, Any] = Field(default_factory=dict)

    @field_validator("name")
    @classmethod
    def _known(cls, name: str) -> str:
        names = available_lattices()
        if name not in names:
            raise ValueError(f"unknown lattice {name!r}; choose one of: {', '.join(names)}")
        return name

    def build(self) -> BarArray:
        """The bar array; a parameter the generator does not take raises ValueError."""
        try:
            return make_lattice(self.name, **self.params)
        except TypeError as exc:
            raise ValueError(f"lattice.params: {exc}") from None


_ASTROID = Astroid()
_VORTEX = VortexModel()


class AstroidConfig(_Strict):
    """Generalized Stoner-Wohlfarth astroid shape (dimensionless), see :class:`Astroid`."""

    b: PositiveFinite = _ASTROID.b
    c: PositiveFinite = _ASTROID.c
    beta: PositiveFinite = _ASTROID.beta
    gamma: PositiveFinite = _ASTROID.gamma

    def build(self) -> Astroid:
        return Astroid(b=self.b, c=self.c, beta=self.beta, gamma=self.gamma)


class VortexConfig(_Strict):
    """Vortex rules for wide bars (widths nm, fields T), see :class:`VortexModel`."""

    min_width: PositiveFinite = _VORTEX.min_width
    p_plus: float = Field(_VORTEX.p_plus, ge=0.0, le=1.0)
    p_minus: float = Field(_VORTEX.p_minus, ge=0.0, le=1.0)
    neighbor_gain: float = Field(_VORTEX.neighbor_gain, ge=0.0, le=1.0)
    annihilation_field: PositiveFinite = _VORTEX.annihilation_field

    def build(self) -> VortexModel:
        return VortexModel(**self.model_dump())


class EngineConfig(_Strict):
    """Parameters of :class:`~nanomag.spin_ice.SpinIce` (fields in T, distances in lattice
    spacings, temperature in K, ``step_duration`` in s, ``attempt_frequency`` in Hz);
    ``None`` keeps the engine's derived value (see its docstring)."""

    hc: PositiveFinite | None = None
    disorder: NonNegativeFinite = 0.0
    alpha: NonNegativeFinite | None = None
    neighbor_distance: PositiveFinite | None = 1.0
    coupling: Literal[COUPLINGS] = "point_dipole"  # type: ignore[valid-type]
    astroid: AstroidConfig = Field(default_factory=AstroidConfig)
    vortex: VortexConfig | None = None
    calibration: Literal[CALIBRATIONS] = "room_temperature"  # type: ignore[valid-type]
    init: Literal[1, -1, "random"] = 1
    seed: int | None = None
    temperature: NonNegativeFinite = 0.0
    step_duration: PositiveFinite = 1.0
    attempt_frequency: PositiveFinite = 1e9

    def build(self, array: BarArray) -> SpinIce:
        """The engine for ``array``."""
        return SpinIce(
            array, hc=self.hc, disorder=self.disorder, astroid=self.astroid.build(),
            alpha=self.alpha, neighbor_distance=self.neighbor_distance, coupling=self.coupling,
            calibration=self.calibration, init=self.init, seed=self.seed,
            temperature=self.temperature, step_duration=self.step_duration,
            attempt_frequency=self.attempt_frequency,
            vortex=None if self.vortex is None else self.vortex.build(),
        )


class ProtocolConfig(_Strict):
    """A field protocol; ``kind = "hysteresis"``: a full loop +h_max -> -h_max -> +h_max."""

    kind: Literal["hysteresis"] = "hysteresis"
    h_max: PositiveFinite = 0.05
    n_steps: int = Field(200, ge=4)
    angle_deg: Finite = 45.0

    @field_validator("n_steps")
    @classmethod
    def _even(cls, n: int) -> int:
        if n % 2:
            raise ValueError(f"must be even (half the steps per branch), got {n}")
        return n

    def build(self) -> np.ndarray:
        """(n_steps, 2) applied fields, T."""
        return hysteresis_loop(self.h_max, self.n_steps, self.angle_deg)


class LoopRunConfig(_Strict):
    """One hysteresis-loop run: lattice, engine, field protocol."""

    lattice: LatticeConfig = Field(default_factory=LatticeConfig)
    engine: EngineConfig = Field(default_factory=EngineConfig)
    protocol: ProtocolConfig = Field(default_factory=ProtocolConfig)
    record_states: bool = False

    def build(self) -> tuple[SpinIce, np.ndarray]:
        """The engine and the (T, 2) field protocol (T)."""
        return self.engine.build(self.lattice.build()), self.protocol.build()

    def run(self) -> xr.Dataset:
        """Run the protocol; the result is :meth:`SpinIce.run`'s Dataset with this
        configuration (JSON) in ``attrs["config"]``."""
        engine, fields = self.build()
        ds = engine.run(fields, record_states=self.record_states)
        ds.attrs["config"] = self.model_dump_json()
        return ds


class SweepConfig(_Strict):
    """A parameter sweep over a base loop run.

    ``grid`` maps dotted paths into :class:`LoopRunConfig` (``"engine.disorder"``,
    ``"protocol.angle_deg"``, ``"lattice.params.wide_width"``) to the list of values to take;
    the sweep runs the Cartesian product.  Every point is validated up front.
    """

    base: LoopRunConfig = Field(default_factory=LoopRunConfig)
    grid: dict[str, list[GridValue]]

    @model_validator(mode="after")
    def _points_valid(self) -> "SweepConfig":
        if not self.grid:
            raise ValueError("grid must sweep at least one parameter")
        for key, values in self.grid.items():
            if not values:
                raise ValueError(f"grid.{key} has no values")
            for value in values:
                self.point_config({key: value})
        return self

    def point_config(self, point: dict[str, GridValue]) -> LoopRunConfig:
        """The base configuration with the dotted-path values of ``point`` set."""
        data = self.base.model_dump()
        for key, value in point.items():
            *parents, leaf = key.split(".")
            node = data
            for part in parents:
                if not isinstance(node.get(part), dict):
                    raise ValueError(f"grid key {key!r}: {part!r} is not a configuration section")
                node = node[part]
            node[leaf] = value
        try:
            return LoopRunConfig.model_validate(data)
        except ValidationError as exc:
            raise ValueError(f"grid point {point}: {validation_message(exc)}") from None

    def run_point(self, **point: GridValue) -> xr.Dataset:
        """Run one grid point (the sweep task)."""
        return self.point_config(point).run()


def validation_message(exc: ValidationError) -> str:
    """One line listing every failing field as ``dotted.path: message``."""
    parts = []
    for err in exc.errors():
        loc = ".".join(str(x) for x in err["loc"])
        msg = err["msg"].removeprefix("Value error, ")
        parts.append(f"{loc}: {msg}" if loc else msg)
    return "; ".join(parts)


def read_config_file(path: str | os.PathLike) -> dict:
    """The raw mapping in a ``.toml`` or ``.json`` file; ConfigError names the file."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"{path}: no such configuration file")
    suffix = path.suffix.lower()
    try:
        if suffix == ".toml":
            return tomllib.loads(path.read_text())
        if suffix == ".json":
            data = json.loads(path.read_text())
        else:
            raise ConfigError(f"{path}: unknown configuration format {suffix!r}; use .toml or .json")
    except (tomllib.TOMLDecodeError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot parse {suffix[1:].upper()}: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the top level must be a table/object")
    return data


def load_config(path: str | os.PathLike, model: type[M] = LoopRunConfig) -> M:
    """Read and validate a configuration file (``.toml`` or ``.json``) as ``model``.

    Raises:
        ConfigError: naming the file and every invalid field (dotted path).
    """
    data = read_config_file(path)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"{path}: {validation_message(exc)}") from None
