"""The ``nanomag`` command line: a thin layer over the Python API.

One module per group of commands, each registering on the shared :data:`app`:
``simulate`` (``demo``, ``lattices``, ``loop``, ``run``), ``sweeps`` (``sweep``),
``experiments`` (``compare``, ``train``), ``measured`` (``measured``), ``report``
(``report``).  Bad input prints a one-line error and exits with
status 2.
"""

# Importing a command module registers its commands; help lists them in this order.
from nanomag.cli import simulate  # noqa: F401  isort: skip
from nanomag.cli import sweeps  # noqa: F401  isort: skip
from nanomag.cli import experiments  # noqa: F401  isort: skip
from nanomag.cli import measured  # noqa: F401  isort: skip
from nanomag.cli import report  # noqa: F401  isort: skip
from nanomag.cli.app import app

__all__ = ["app"]
