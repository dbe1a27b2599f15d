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
from typing import Annotated, Any, TypeVar, Union

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
#: Largest number of observed values (input steps x channels) of one experiment: 0.8 GB.
MAX_OBSERVATION_VALUES = 100_000_000
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
#: Section name -> (tag key, tags) of each discriminated union, for the message that lists
#: the choices when a tag is missing or unknown.
UNION_CHOICES: dict[str, tuple[str, tuple[str, ...]]] = {}


def register_tags(*models: type[BaseModel], key: str) -> tuple[type[BaseModel], ...]:
    """Record the tags (default of field ``key``) of the members of a discriminated union."""
    for model in models:
        UNION_TAGS.add(model.model_fields[key].default)
    return models


def tagged_union(models: tuple[type[BaseModel], ...], key: str, section: str) -> Any:
    """A discriminated union of ``models`` on ``key``, used for the key ``section``; its tags
    are registered for :func:`validation_message`."""
    register_tags(*models, key=key)
    UNION_CHOICES[section] = (key, tuple(m.model_fields[key].default for m in models))
    return Annotated[Union[models], Field(discriminator=key)]  # noqa: UP007


def _tag_message(err: dict, loc: list[str]) -> str:
    """The message for a missing or unknown union tag, listing the choices."""
    section = next((part for part in reversed(loc) if part in UNION_CHOICES), None)
    if section is None:
        return err["msg"]
    key, tags = UNION_CHOICES[section]
    choices = ", ".join(json.dumps(t) for t in tags)
    if err["type"] == "union_tag_not_found":
        return f"needs {key} = one of {choices}"
    return f"{key} = {json.dumps(err['ctx'].get('tag'))} is not one of {choices}"


def validation_message(exc: ValidationError, drop_root: str | None = None) -> str:
    """One line listing every failing key as ``dotted.path: message`` (``drop_root``: a
    leading key to leave out of the paths)."""
    parts = []
    for err in exc.errors():
        full = [str(x) for x in err["loc"] if str(x) not in UNION_TAGS]
        loc = full[1:] if full and full[0] == drop_root else full
        path = ".".join(loc)
        msg = " ".join(err["msg"].removeprefix("Value error, ").split())
        if err["type"] == "extra_forbidden":
            msg = "unknown key"
        elif err["type"] in ("union_tag_not_found", "union_tag_invalid"):
            msg = _tag_message(err, full)
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
            raise ConfigError(
                f"{path}: unknown configuration format {suffix!r}; use .toml or .json")
    except (tomllib.TOMLDecodeError, json.JSONDecodeError, UnicodeDecodeError,
            RecursionError) as exc:
        message = " ".join(str(exc).split())
        raise ConfigError(f"{path}: cannot parse {suffix[1:].upper()}: {message}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the top level must be a table/object")
    return data


def validate(data: Any, model: type[M], source: str | os.PathLike = "config",
             drop_root: str | None = None) -> M:
    """``data`` validated as ``model``; ConfigError names ``source`` and every failing key
    (``drop_root`` as in :func:`validation_message`)."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"{source}: {validation_message(exc, drop_root)}") from None
