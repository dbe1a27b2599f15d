"""Which run a configuration describes, and sweeps over any of its keys.

A run configuration is an experiment (:class:`ExperimentConfig`, ``kind = "experiment"``)
or a field-protocol run (:class:`LoopRunConfig`, ``kind = "loop"``).  Files without a
``kind`` key are loops when they have a loop's sections (``protocol``, ``lattice``,
``engine``, ``record_states``) and experiments otherwise, so loop files written before
experiments existed keep working.

A sweep configuration is a run configuration plus ``grid``, a table of dotted keys
(``"substrate.spectral_radius"``, ``"tasks.0.horizon"``) to lists of values; the older form
with the run under ``base`` is accepted too.
"""

from __future__ import annotations

import math
import os
from typing import Annotated, Any, Union

import xarray as xr
from pydantic import (
    AfterValidator,
    Discriminator,
    Field,
    Tag,
    ValidationError,
    model_validator,
)

from nanomag.config.base import (
    UNION_CHOICES,
    ConfigError,
    StrictModel,
    field,
    read_config_file,
    register_tags,
    validate,
    validation_message,
)
from nanomag.config.experiment import ExperimentConfig
from nanomag.config.loop import LoopRunConfig

#: Keys that mark a configuration without ``kind`` as a loop run.
LOOP_KEYS = frozenset({"protocol", "lattice", "engine", "record_states"})
#: Values of ``kind`` of a run configuration.
RUN_KINDS = ("experiment", "loop")


def _grid_value(value: Any) -> bool | int | float | str:
    if not isinstance(value, bool | int | float | str):
        raise ValueError(  # noqa: TRY004 - pydantic turns ValueErrors into messages
            f"grid values must be numbers, strings or booleans, got {type(value).__name__}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"grid values must be finite, got {value}")
    return value


#: Values a sweep can take along one axis (they become coordinates of the combined result).
GridValue = Annotated[Any, AfterValidator(_grid_value)]


def run_kind(data: Any) -> str:
    """``"loop"`` or ``"experiment"``: the ``kind`` key, else inferred from the sections."""
    if isinstance(data, ExperimentConfig | LoopRunConfig):
        return data.kind
    if not isinstance(data, dict):
        return "experiment"
    kind = data.get("kind")
    if isinstance(kind, str):
        return kind
    return "loop" if LOOP_KEYS & set(data) else "experiment"


register_tags(ExperimentConfig, LoopRunConfig, key="kind")
UNION_CHOICES["base"] = ("kind", RUN_KINDS)
RunConfig = Annotated[
    Union[Annotated[ExperimentConfig, Tag("experiment")],  # noqa: UP007
          Annotated[LoopRunConfig, Tag("loop")]],
    Discriminator(run_kind),
]


class SweepConfig(StrictModel):
    """A parameter sweep over a base run (experiment or loop).

    ``grid`` maps dotted keys into the run configuration (list entries by index:
    ``"tasks.0.horizon"``) to the values to take; the sweep runs the Cartesian product.
    Every point is validated before anything runs.
    """

    base: RunConfig = field(unit="", description="the run every point starts from, an "
                            "(experiment) or (loop) configuration; in the flat form, every "
                            "key beside `grid`",
                            default_factory=LoopRunConfig)
    grid: dict[str, Annotated[list[GridValue], Field(min_length=1, max_length=10_000)]] = field(
        unit="", description="dotted key -> list of values; the sweep runs every combination")

    @model_validator(mode="before")
    @classmethod
    def _flat_form(cls, data: Any) -> Any:
        if isinstance(data, dict) and "base" not in data and "grid" in data:
            base = {k: v for k, v in data.items() if k != "grid"}
            grid = data["grid"]
            swept = {str(key).split(".")[0] for key in grid} if isinstance(grid, dict) else set()
            if "kind" not in base and LOOP_KEYS & swept:
                base["kind"] = "loop"  # a loop sweep given only by its grid
            return {"base": base, "grid": grid}
        return data

    @model_validator(mode="after")
    def _points_valid(self) -> SweepConfig:
        if not self.grid:
            raise ValueError("grid must sweep at least one key")
        for key, values in self.grid.items():
            for value in values:
                self.point_config({key: value})
        return self

    def point_config(self, point: dict[str, GridValue]) -> ExperimentConfig | LoopRunConfig:
        """The base configuration with the dotted-key values of ``point`` set."""
        data = self.base.model_dump()
        for key, value in point.items():
            _set_dotted(data, key, value)
        model = type(self.base)
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            raise ValueError(f"grid point {point}: {validation_message(exc)}") from None

    def run_point(self, **point: GridValue) -> xr.Dataset:
        """Run one grid point (the sweep task): a loop's full result, or an experiment's
        scalar metrics (:meth:`ExperimentConfig.summary`)."""
        config = self.point_config(point)
        return config.summary() if isinstance(config, ExperimentConfig) else config.run()


def _set_dotted(data: dict, key: str, value: GridValue) -> None:
    """Set ``data[a][b][c] = value`` for ``key = "a.b.c"``; integer parts index lists."""
    *parents, leaf = key.split(".")
    node: Any = data
    for depth, part in enumerate([*parents, leaf]):
        where = ".".join([*parents, leaf][:depth + 1])
        if isinstance(node, list):
            if not part.isdigit() or int(part) >= len(node):
                raise ValueError(f"grid key {key!r}: {where} is not an entry of a list of "
                                 f"{len(node)}")
            part = int(part)  # type: ignore[assignment]
        elif not isinstance(node, dict):
            raise ValueError(  # noqa: TRY004 - pydantic turns ValueErrors into messages
                f"grid key {key!r}: {where.rsplit('.', 1)[0]} is not a section")
        if depth == len(parents):
            node[part] = value
        else:
            if isinstance(node, dict) and part not in node:
                raise ValueError(f"grid key {key!r}: no section {where!r}")
            node = node[part]
            if node is None:
                raise ValueError(f"grid key {key!r}: section {where!r} is not set in the "
                                 "base configuration")


def load_config(path: str | os.PathLike, model: type | None = None):
    """Read and validate a configuration file (``.toml`` or ``.json``) as ``model``; without
    ``model``, as a run (:class:`ExperimentConfig` or :class:`LoopRunConfig`, see
    :func:`run_kind`).

    Raises:
        ConfigError: one line naming the file and every invalid key (dotted path).
    """
    data = read_config_file(path)
    if model is None:
        kind = run_kind(data)
        if kind not in RUN_KINDS:
            raise ConfigError(f'{path}: kind = "{kind}" is not one of "experiment", "loop"')
        model = LoopRunConfig if kind == "loop" else ExperimentConfig
    # a flat sweep file writes the base run's keys at the top level: name them so
    root = "base" if model is SweepConfig and "base" not in data else None
    return validate(data, model, path, drop_root=root)
