"""The document laid out as sections of blocks, every string ready to show.

Both outputs walk this one structure: `html.py` through a Jinja template (autoescaped:
the texts are users' words), `markdown.py` directly. Numbers are already in Finnish
format here; nothing below this layer formats a figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

# line: an ordinary row; sub: a part of a row above it (indented); heading: a caption row
# without figures (TOIMINTATUOTOT); total: a sum row; margin: a margin (Toimintakate).
RowStyle = Literal["line", "sub", "heading", "total", "margin"]


@dataclass(frozen=True)
class Row:
    cells: tuple[str, ...]
    style: RowStyle = "line"


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    numeric: tuple[bool, ...]  # right-aligned columns
    rows: tuple[Row, ...]
    variant: str = "figures"  # figures | words: words tables wrap long text in wide columns
    widths: tuple[int, ...] = ()  # column widths in per cent, where the layout sets them
    block: ClassVar[str] = "table"


@dataclass(frozen=True)
class Paragraphs:
    text: str  # the user's text; blank lines separate paragraphs
    block: ClassVar[str] = "paragraphs"

    @property
    def paragraphs(self) -> tuple[str, ...]:
        return tuple(part.strip() for part in self.text.replace("\r\n", "\n").split("\n\n") if part.strip())


@dataclass(frozen=True)
class Note:
    text: str  # the document's own remark (an empty section, a missing explanation)
    block: ClassVar[str] = "note"


@dataclass(frozen=True)
class Chart:
    key: str  # area | monthly
    title: str
    caption: str
    svg: str | None  # None where there is nothing to draw, or in Markdown
    data: Table  # the charted figures, for Markdown and for readers of the HTML without images
    footnote: str | None = None  # a remark under the chart (what it is drawn from)
    block: ClassVar[str] = "chart"


@dataclass(frozen=True)
class Subsection:
    heading: str
    blocks: tuple[Block, ...]
    block: ClassVar[str] = "subsection"


Block = Paragraphs | Note | Table | Chart | Subsection


@dataclass(frozen=True)
class Section:
    key: str  # a stable id: council-goals, descriptions, summary, statement, areas, ...
    heading: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Notice:
    """A remark on the first page about the report as a whole, with its points."""

    heading: str
    lead: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class TitleBlock:
    entity: str
    unit_name: str
    subtitle: str
    facts: tuple[tuple[str, str], ...]  # (label, value): unit, year, as-of, known-at, date
    notes: tuple[str, ...]
    running_header: str  # on every printed page: the unit, the year, as-of and known-at
    notices: tuple[Notice, ...] = ()


@dataclass(frozen=True)
class Layout:
    lang: str
    title: TitleBlock
    sections: tuple[Section, ...]
