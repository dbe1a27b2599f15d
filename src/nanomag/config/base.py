"""What every configuration model shares: strict validation, documented fields, resource
limits, one-line error messages and reading TOML / JSON files.

Strict means: unknown keys are errors, strings are never coerced to numbers or booleans
(``seed = "1"`` and ``record_states = "yes"`` are refused; a TOML integer for a float field is
fine), NaN and infinities are refused, and sizes that would exhaust memory are refused with the
key named before anything is allocated.
"""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

#: Largest seed accepted (numpy's generators take any non-negative integer; 2**63 - 1 keeps
#: seeds representable as int64 in stored results).
MAX_SEED = 2**63 - 1
#: Largest number of field steps of a protocol or input steps of a task (about 16 MB per
#: float array of fields; recorded microstates scale with it times the number of bars).
MAX_STEPS = 1_000_000
#: Largest number of lattice cells (nx * ny); about two bars per cell.
MAX_CELLS = 1_000_000
#: Largest number of observation channels / reservoir units of one substrate.
MAX_CHANNELS = 10_000
#: Highest temperature, K: above Permalloy's Curie temperature (about 870 K) the
#: Arrhenius switching model does not apply.
MAX_TEMPERATURE_K = 1000.0

M = TypeVar("M", bound=BaseModel)


class ConfigError(ValueError):
    """A configuration file that cannot be read or does not validate; the message (one line)
    names the file and the offending key."""


class StrictModel(BaseModel):
    """Base of every configuration model: no unknown keys, no coercion, finite floats."""

    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False,
                              validate_default=False)


def field(default: Any = ..., unit: str = "", description: str = "", **kw: Any) -> Any:
    """A pydantic ``Field`` with a ``unit`` (shown in the generated reference) and a
    description; ``kw`` are constraints (``gt``, ``ge``, ``le``, ``max_length``, ...) or
    ``default_factory``."""
    extra = {"unit": unit} if unit else None
    if "default_factory" in kw:
        return Field(description=description, json_schema_extra=extra, **kw)
    return Field(default, description=description, json_schema_extra=extra, **kw)


def seed_field(default: int | None = None, description: str = "random seed") -> Any:
    """A seed: a non-negative integer (or None where the default allows it)."""
    return field(default, "", description, ge=0, le=MAX_SEED)


#: Tags of the discriminated unions (``type`` / ``kind`` / ``name`` values); pydantic puts
#: the chosen tag into an error's location, which :func:`validation_message` leaves out so
#: that messages name the key as written in the file.
UNION_TAGS: set[str] = set()


def register_tags(*models: type[BaseModel], key: str) -> tuple[type[BaseModel], ...]:
    """Record the tags (default of field ``key``) of the members of a discriminated union."""
    for model in models:
        UNION_TAGS.add(model.model_fields[key].default)
    return models


def validation_message(exc: ValidationError) -> str:
    """One line listing every failing key as ``dotted.path: message``."""
    parts = []
    for err in exc.errors():
        loc = [str(x) for x in err["loc"] if str(x) not in UNION_TAGS]
        path = ".".join(loc)
        msg = " ".join(err["msg"].removeprefix("Value error, ").split())
        if err["type"] == "extra_forbidden":
            msg = "unknown key"
        part = f"{path}: {msg}" if path else msg
        if part not in parts:
            parts.append(part)
    return "; ".join(parts)


def read_config_file(path: str | os.PathLike) -> dict:
    """The raw mapping in a ``.toml`` or ``.json`` file; ConfigError names the file."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"{path}: no such configuration file")
    suffix = path.suffix.lower()
    try:
        if suffix == ".toml":
            data = tomllib.loads(path.read_text())
        elif suffix == ".json":
            data = json.loads(path.read_text())
        else:
            raise ConfigError(f"{path}: unknown configuration format {suffix!r}; use .toml or .json")
    except (tomllib.TOMLDecodeError, json.JSONDecodeError, UnicodeDecodeError,
            RecursionError) as exc:
        message = " ".join(str(exc).split())
        raise ConfigError(f"{path}: cannot parse {suffix[1:].upper()}: {message}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the top level must be a table/object")
    return data


def validate(data: Any, model: type[M], source: str | os.PathLike = "config") -> M:
    """``data`` validated as ``model``; ConfigError names ``source`` and every failing key."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"{source}: {validation_message(exc)}") from None
