"""Name -> generator registry, so configs and the CLI can ask for a lattice by name."""

from __future__ import annotations

from typing import Callable

from nanomag._validate import instance_of
from nanomag.lattices.base import BarArray

_GENERATORS: dict[str, Callable[..., BarArray]] = {}


def register(name: str):
    """Decorator: register a lattice generator under ``name``."""

    def deco(fn: Callable[..., BarArray]) -> Callable[..., BarArray]:
        _GENERATORS[name] = fn
        return fn

    return deco


def available_lattices() -> list[str]:
    """Names accepted by :func:`make_lattice`."""
    _load_builtin()
    return sorted(_GENERATORS)


def lattice_description(name: str) -> str:
    """First line of the docstring of the generator registered as ``name``."""
    _load_builtin()
    if name not in _GENERATORS:
        raise ValueError(f"unknown lattice {name!r}; choose one of: {', '.join(sorted(_GENERATORS))}")
    doc = (_GENERATORS[name].__doc__ or "").strip()
    return doc.splitlines()[0] if doc else ""


def make_lattice(name: str, **params) -> BarArray:
    """Build the lattice called ``name`` with the generator's keyword parameters."""
    _load_builtin()
    instance_of(name, str, "name")
    try:
        gen = _GENERATORS[name]
    except KeyError:
        raise ValueError(
            f"unknown lattice {name!r}; choose one of: {', '.join(sorted(_GENERATORS))}"
        ) from None
    return gen(**params)


def _load_builtin() -> None:
    # Importing the generator modules registers them.
    from nanomag.lattices import generators  # noqa: F401
