"""The document as one self-contained HTML file: inline CSS, charts as SVG data URIs.

No scripts, no external fonts, images or style sheets, so it opens offline and prints on
A4 (`templates/document.css`). The template is autoescaped: every user text (goal,
description, explanation, unit name) is escaped; the charts' SVG is base64-encoded
inside an <img>, so it is neither parsed as the page's markup nor shares its ids.
Figures print negative amounts with the true minus sign (U+2212), as typeset reports do.
"""

from __future__ import annotations

import base64
from functools import cache
from importlib import resources

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from projections.document.layout import Layout


def _true_minus(figure: str) -> str:
    """A figure's leading hyphen-minus as the typographic minus sign (U+2212)."""
    return "\u2212" + figure[1:] if figure.startswith("-") else figure


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
    return environment


@cache
def _css() -> Markup:
    """The package's own style sheet: trusted, so not escaped (quotes must stay quotes)."""
    css = resources.files("projections.document").joinpath("templates", "document.css").read_text(encoding="utf-8")
    assert "</" not in css, "the style sheet must not close its <style> element"
    return Markup(css)


def render_html(layout: Layout) -> str:
    return _environment().get_template("document.html.j2").render(layout=layout, css=_css())
