"""The ``nanomag`` Typer application and what its commands share: consoles, the one-line
error for bad input, and the output options."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console

from nanomag.config import ConfigError, validation_message
from nanomag.store import StoreError
from nanomag.sweep import SweepError

app = typer.Typer(
    help="nanomag: nanomagnetic physical reservoir computing.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
errors = Console(stderr=True)

#: Exit status for bad input (files, values), as for command-line usage errors.
EXIT_BAD_INPUT = 2

OutOption = Annotated[
    Path | None, typer.Option("--out", help="results store: DIR(.zarr) or FILE.nc")
]
FigureOption = Annotated[Path | None, typer.Option("--figure", help="M(H) figure, e.g. loop.png")]
OverwriteOption = Annotated[
    bool, typer.Option("--overwrite", help="replace existing --out / --figure files")
]


@contextlib.contextmanager
def bad_input_exits() -> Iterator[None]:
    """Turn errors caused by the user's input into a one-line message and exit status 2."""
    try:
        yield
    except ValidationError as exc:
        fail(validation_message(exc))
    except (ConfigError, StoreError, SweepError, ValueError, FileExistsError,
            FileNotFoundError) as exc:
        fail(str(exc))


def fail(message: str) -> None:
    """Print ``message`` on one line to stderr and exit with :data:`EXIT_BAD_INPUT`."""
    errors.print(f"[bold red]error:[/] {' '.join(message.split())}", highlight=False,
                 soft_wrap=True)
    raise typer.Exit(EXIT_BAD_INPUT)


def fresh_directory(base: Path) -> Path:
    """``base`` if it does not exist yet, else the first free ``base-2``, ``base-3``, ..."""
    candidate, n = base, 1
    while candidate.exists():
        n += 1
        candidate = base.with_name(f"{base.name}-{n}")
    return candidate


def refuse_existing(paths: Iterable[Path | None], overwrite: bool) -> None:
    """Raise ``FileExistsError`` for the first existing path unless ``overwrite``."""
    for path in paths:
        if path is not None and path.exists() and not overwrite:
            raise FileExistsError(f"{path} already exists; pass --overwrite to replace it")
