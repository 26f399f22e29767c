"""The document as GitHub Markdown: the same sections, tables as pipe tables, and each
chart as the table of the figures it draws."""

from __future__ import annotations

from collections.abc import Iterable

from projections.document.layout import Block, Chart, Layout, Note, Paragraphs, Subsection, Table


def _cell(text: str) -> str:
    """A cell on one line: pipes escaped, line breaks as <br>."""
    escaped = text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
    return "<br>".join(part.strip() for part in escaped.splitlines()) if "\n" in escaped else escaped


def _text(text: str) -> str:
    """User prose: HTML that Markdown would pass through is shown, not run."""
    return text.replace("<", "&lt;").replace(">", "&gt;")


def _table(table: Table) -> list[str]:
    head = "| " + " | ".join(_cell(column) for column in table.columns) + " |"
    rule = "|" + "|".join("---:" if numeric else "---" for numeric in table.numeric) + "|"
    body = []
    for row in table.rows:
        cells = [_cell(cell) for cell in row.cells]
        if row.style in ("total", "margin", "heading") and cells[0]:
            cells[0] = f"**{cells[0]}**"
        if row.style == "sub":
            cells[0] = f"&emsp;{cells[0]}"
        body.append("| " + " | ".join(cells) + " |")
    return [head, rule, *body, ""]


def _blocks(blocks: Iterable[Block], level: int) -> list[str]:
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraphs):
            for paragraph in block.paragraphs:
                lines += [_text(paragraph).replace("\n", "  \n"), ""]
        elif isinstance(block, Note):
            lines += [f"*{_text(block.text)}*", ""]
        elif isinstance(block, Table):
            lines += _table(block)
        elif isinstance(block, Chart):
            lines += [f"**{_text(block.title)}.** {_text(block.caption)}", "", *_table(block.data)]
            lines += [f"*{_text(block.footnote)}*", ""] if block.footnote else []
        elif isinstance(block, Subsection):
            lines += [f"{'#' * level} {_text(block.heading)}", "", *_blocks(block.blocks, level + 1)]
    return lines


def render_markdown(layout: Layout) -> str:
    title = layout.title
    lines = [f"# {_text(title.unit_name)}", "", f"**{_text(title.entity)}** – {_text(title.subtitle)}", ""]
    lines += [f"- {_text(label)}: {_text(value)}" for label, value in title.facts]
    lines += ["", f"*{' '.join(title.notes)}*", ""]
    for notice in title.notices:
        lines += [f"> **{_text(notice.heading)}.** {_text(notice.lead)}", ">"]
        lines += [*(f"> - {_text(item)}" for item in notice.items), ""]
    for section in layout.sections:
        lines += [f"## {_text(section.heading)}", "", *_blocks(section.blocks, 3)]
    return "\n".join(lines).rstrip() + "\n"
