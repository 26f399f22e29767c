"""The whole report of a unit and year as one document (HTML or Markdown), in the seed's order."""

from __future__ import annotations

from datetime import UTC, tzinfo

from ledger.errors import InvalidInput
from projections.document.model import Document

FORMATS = ("html", "md")


def render_document(document: Document, fmt: str, lang: str, zone: tzinfo = UTC) -> str:
    """The document as HTML (one self-contained file, with charts) or Markdown; its known-at
    and report date in `zone`."""
    from projections.document.view import layout

    if fmt == "html":
        from projections.document.html import render_html

        return render_html(layout(document, lang, zone, with_charts=True))
    if fmt == "md":
        from projections.document.markdown import render_markdown

        return render_markdown(layout(document, lang, zone, with_charts=False))
    raise InvalidInput(f"'{fmt}': use html or md", field="format", value=fmt)
