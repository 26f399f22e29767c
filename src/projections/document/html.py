"""The document as one self-contained HTML file: inline CSS, charts as SVG data URIs.

No scripts, no external fonts, images or style sheets, so it opens offline and prints on
A4 (`templates/document.css`). The template is autoescaped: every user text (goal,
description, explanation, unit name) is escaped; the charts' SVG is base64-encoded
inside an <img>, so it is neither parsed as the page's markup nor shares its ids.
Every printed page carries a running header (an @page margin box); a heading is kept
on one page with the lead-in and the table it introduces (`_lead`). Figures print
negative amounts with the true minus sign (U+2212), as typeset reports do.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from functools import cache
from importlib import resources

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from projections.document.layout import Block, Chart, Layout, Note, Paragraphs, Table


def _true_minus(figure: str) -> str:
    """A figure's leading hyphen-minus as the typographic minus sign (U+2212)."""
    return "\u2212" + figure[1:] if figure.startswith("-") else figure


def _css_string(text: str) -> Markup:
    """The text as a quoted CSS string, every character but ASCII letters and digits escaped
    as six hex digits (spaces too: CSS drops one after an escape): safe inside <style>."""
    escaped = "".join(c if c.isascii() and c.isalnum() else f"\\{ord(c):06x}" for c in text)
    return Markup(f'"{escaped}"')


def _lead(blocks: Sequence[Block]) -> int:
    """How many leading blocks print on one page with their heading: the lead-in words and
    the figures table or chart they introduce. None where only words follow (they may break
    anywhere), and a words table (goals, risks) is not held whole: its rows may break."""
    for count, block in enumerate(blocks, 1):
        if isinstance(block, Chart) or (isinstance(block, Table) and block.variant == "figures"):
            return count
        if not isinstance(block, Paragraphs | Note):
            return count - 1
    return 0


def _svg_base64(svg: str) -> str:
    return base64.b64encode(svg.encode("utf-8")).decode("ascii")


@cache
def _environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("projections.document", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html", "j2"), default=True),
        trim_blocks=False,
        lstrip_blocks=False,
        keep_trailing_newline=True,
    )
    environment.filters["svg_base64"] = _svg_base64
    environment.filters["true_minus"] = _true_minus
    environment.filters["css_string"] = _css_string
    environment.filters["lead"] = _lead
    return environment


@cache
def _css() -> Markup:
    """The package's own style sheet: trusted, so not escaped (quotes must stay quotes)."""
    css = resources.files("projections.document").joinpath("templates", "document.css").read_text(encoding="utf-8")
    assert "</" not in css, "the style sheet must not close its <style> element"
    return Markup(css)


def render_html(layout: Layout) -> str:
    return _environment().get_template("document.html.j2").render(layout=layout, css=_css())
