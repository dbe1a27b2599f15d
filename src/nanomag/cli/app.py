"""The ``nanomag`` Typer application and what its commands share: consoles, progress bars,
the one-line error for bad input, the output options and ``--version``."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

import nanomag
from nanomag.config import ConfigError, validation_message
from nanomag.kernels.cache import compiled
from nanomag.progress import reporting
from nanomag.store import StoreError, is_result
from nanomag.sweep import SweepError

#: Console width when stdout is not a terminal (and ``COLUMNS`` is unset): wide enough that
#: piped tables keep every column whole.
PIPE_WIDTH = 200


def _version(value: bool) -> None:
    if value:
        print(f"nanomag {nanomag.__version__}")
        raise typer.Exit()


app = typer.Typer(
    help="nanomag: nanomagnetic physical reservoir computing.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def main(
    version: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True, help="print the version and exit")] = False,
) -> None:
    """nanomag: nanomagnetic physical reservoir computing."""


console = Console(width=None if sys.stdout.isatty() or "COLUMNS" in os.environ else PIPE_WIDTH)
errors = Console(stderr=True)

#: Exit status for bad input (files, values), as for command-line usage errors.
EXIT_BAD_INPUT = 2

#: Suffixes of a results store path: a Zarr directory (none or ``.zarr``) or netCDF (``.nc``).
STORE_SUFFIXES = ("", ".zarr", ".nc")


def store_path(path: Path | None) -> Path | None:
    """``path`` if it names a results store (see :data:`STORE_SUFFIXES`), else a one-line
    error naming the option (``loop --out res.h5`` would otherwise write a Zarr folder named
    ``res.h5``)."""
    if path is not None and path.suffix.lower() not in STORE_SUFFIXES:
        fail(f"--out {path}: unknown results format {path.suffix!r}; use DIR, DIR.zarr "
             "(Zarr) or FILE.nc (netCDF)")
    return path


OutOption = Annotated[
    Path | None, typer.Option("--out", help="results store: DIR, DIR.zarr or FILE.nc",
                              callback=store_path)
]
FigureOption = Annotated[Path | None, typer.Option("--figure", help="M(H) figure, e.g. loop.png")]
OverwriteOption = Annotated[
    bool, typer.Option("--overwrite", help="replace existing --out / --figure files")
]


@contextlib.contextmanager
def progress_bars(notice: str | None = None) -> Iterator[None]:
    """Draw the progress that library code reports inside the block (:mod:`nanomag.progress`):
    one bar with ETA per label, on stderr, cleared when the block ends.

    ``notice`` (e.g. that kernels are about to compile) is printed to stderr first; call this
    once the command's input is validated.  Where stderr is not a terminal no bar is drawn.
    """
    if notice:
        errors.print(notice, highlight=False, soft_wrap=True)
    if not errors.is_terminal:
        yield
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn(), TextColumn("eta"), TimeRemainingColumn())
    with Progress(*columns, console=errors, transient=True) as bars:
        tasks: dict[str, int] = {}

        def draw(label: str, done: int, total: int) -> None:
            if label not in tasks:
                tasks[label] = bars.add_task(label, total=total)
            elif done == 0:
                bars.reset(tasks[label], total=total)
            bars.update(tasks[label], completed=done, total=total)

        with reporting(draw):
            yield


#: Printed before a run that compiles numba kernels (their on-disk cache is missing or stale).
COMPILE_NOTICE = ("first run: compiling the numba kernels this command needs (once; they are "
                  "cached for later runs) ...")


def compile_notice(kernels: Iterable) -> str | None:
    """:data:`COMPILE_NOTICE` unless numba's cache holds every dispatcher in ``kernels``."""
    return None if compiled(kernels) else COMPILE_NOTICE


def print_path(label: str, path: Path) -> None:
    """Print ``label path`` on one line, however long the path."""
    console.print(f"{label} {path}", highlight=False, soft_wrap=True)


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
    """Before any work: raise ``FileExistsError`` for the first existing path unless
    ``overwrite``, and even then for a results path (a directory, ``.zarr`` or ``.nc``) that
    holds something other than a nanomag result, which ``--overwrite`` never replaces."""
    for path in paths:
        if path is None or not path.exists():
            continue
        if not overwrite:
            raise FileExistsError(f"{path} already exists; pass --overwrite to replace it")
        if (path.is_dir() or path.suffix.lower() in (".zarr", ".nc")) and not is_result(path):
            raise FileExistsError(f"{path} exists and is not a nanomag result; --overwrite "
                                  "replaces only a result (move or remove it yourself, or "
                                  "choose another name)")
