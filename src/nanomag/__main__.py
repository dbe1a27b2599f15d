"""``python -m nanomag``: the command line."""

from nanomag.cli import app

app(prog_name="nanomag")
