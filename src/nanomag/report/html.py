"""Page assembly: a small HTML template with inline style and HTML fragments for tables,
figures and text.  The page loads nothing from anywhere: figures are ``data:`` URIs and a
Content-Security-Policy forbids every other source."""

from __future__ import annotations

import base64
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

import numpy as np
from matplotlib.figure import Figure

from nanomag.report.figures import png_bytes

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto;
       max-width: 1100px; padding: 1.5em; color: #222; line-height: 1.45; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { border-bottom: 2px solid #ddd; padding-bottom: 0.2em; margin-top: 2em; }
h3 { margin-top: 1.4em; }
table { border-collapse: collapse; margin: 0.6em 0; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; }
th { background: #f3f3f3; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 0.8em 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { font-size: 0.85em; color: #555; }
nav ul { columns: 2; }
.note { color: #666; font-size: 0.9em; }
"""

CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"


@dataclass
class Section:
    """One part of the page: a heading, HTML blocks, and the result variables it shows."""

    title: str
    blocks: list[str] = field(default_factory=list)
    variables: set[str] = field(default_factory=set)


def page(title: str, parts: Sequence[tuple[str, Sequence[Section]]],
         preamble: Sequence[str] = ()) -> str:
    """The whole HTML document: ``parts`` are (heading, sections) pairs, one per result,
    after the ``preamble`` blocks (e.g. a table across results)."""
    nav, body = [], list(preamble)
    for i, (heading, sections) in enumerate(parts):
        anchor = f"result-{i + 1}"
        nav.append(f'<li><a href="#{anchor}">{escape(heading)}</a></li>')
        body.append(f'<h2 id="{anchor}">{escape(heading)}</h2>')
        for section in sections:
            body.append(f"<h3>{escape(section.title)}</h3>")
            body.extend(section.blocks)
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        f"<h1>{escape(title)}</h1>",
        "<nav><ul>" + "".join(nav) + "</ul></nav>" if len(parts) > 1 else "",
        *body,
        "</body>",
        "</html>",
        "",
    ])


def table(header: Sequence[str], rows: Sequence[Sequence[object]], caption: str = "") -> str:
    """An HTML table; numbers are formatted to four significant digits and right-aligned."""
    head = "".join(f"<th>{escape(str(h))}</th>" for h in header)
    lines = ["".join(_cell(value) for value in row) for row in rows]
    cap = f"<caption>{escape(caption)}</caption>" if caption else ""
    body = "".join(f"<tr>{line}</tr>" for line in lines)
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _cell(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        if isinstance(value, np.generic):
            return _cell(value.item())
        return f"<td>{escape(str(value))}</td>"
    return f'<td class="num">{format_number(value)}</td>'


def format_number(value: float) -> str:
    """Four significant digits (integers as they are, a dash for NaN)."""
    if isinstance(value, int):
        return str(value)
    return "\u2014" if math.isnan(value) else f"{value:.4g}"


def figure(fig: Figure, caption: str) -> str:
    """``fig`` embedded as a PNG, with ``caption`` (also its alt text)."""
    return image(png_bytes(fig), caption)


def image(png: bytes, caption: str) -> str:
    """PNG bytes embedded as a ``data:`` URI, with ``caption`` (also its alt text)."""
    uri = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    text = escape(caption)
    return (f'<figure><img src="{uri}" alt="{text}">'
            f"<figcaption>{text}</figcaption></figure>")


def paragraph(text: str, note: bool = False) -> str:
    """A paragraph of escaped text (smaller and grey with ``note``)."""
    css = ' class="note"' if note else ""
    return f"<p{css}>{escape(text)}</p>"

