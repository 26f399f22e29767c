"""Text formats of a Sheet: an aligned table (Finnish number format), Markdown and CSV."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

from ledger.money import format_fi, format_percent, format_percent_fi, format_plain
from projections.render import labels
from projections.render.grid import grid
from projections.render.sheet import Cell, Column, Sheet, neutralise

TABLE_WIDTH = 220
NUMERIC = ("money", "percent", "number")


def display(cell: Cell, column: Column, lang: str) -> str:
    """A cell as people read it: '-1 033 968', '91,53', '31.12.2024'."""
    if cell is None:
        return ""
    if column.kind == "money" and isinstance(cell, int):
        return format_fi(cell)
    if column.kind == "percent" and isinstance(cell, Decimal):
        return format_percent_fi(cell)
    if isinstance(cell, date):
        return labels.format_date(cell, lang)
    return str(cell)


def table(sheet: Sheet, lang: str) -> str:
    cells = [
        [display(cell, column, lang) for cell, column in zip(row, sheet.columns, strict=True)] for row in sheet.rows
    ]
    right = [column.kind in NUMERIC for column in sheet.columns]
    laid_out = grid(sheet.title, [column.label for column in sheet.columns], cells, right, TABLE_WIDTH)
    text = laid_out if laid_out is not None else rich_table(sheet, cells)
    notes = "".join(f"{note}\n" for note in sheet.notes)
    return f"{text}\n{notes}" if notes else text


def rich_table(sheet: Sheet, cells: list[list[str]]) -> str:
    from rich import box  # imported only here: most tables are plain (grid) (ADR 0015)
    from rich.console import Console
    from rich.table import Table

    layout = Table(title=sheet.title, title_justify="left", box=box.SIMPLE_HEAD, show_edge=False)
    for column in sheet.columns:
        layout.add_column(column.label, justify="right" if column.kind in NUMERIC else "left", overflow="fold")
    for row in cells:
        layout.add_row(*row)
    buffer = io.StringIO()
    Console(file=buffer, width=TABLE_WIDTH, color_system=None, soft_wrap=False).print(layout)
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n"


def _md_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def markdown(sheet: Sheet, lang: str) -> str:
    head = "| " + " | ".join(_md_cell(c.label) for c in sheet.columns) + " |"
    rule = "|" + "|".join("---:" if c.kind in NUMERIC else "---" for c in sheet.columns) + "|"
    body = [
        "| " + " | ".join(_md_cell(display(cell, c, lang)) for cell, c in zip(row, sheet.columns, strict=True)) + " |"
        for row in sheet.rows
    ]
    notes = ["", *(note.replace("|", "\\|") for note in sheet.notes)] if sheet.notes else []
    return "\n".join([f"**{_md_cell(sheet.title)}**", "", head, rule, *body, *notes]) + "\n"


def data_value(cell: Cell, column: Column, lang: str) -> str:
    """A cell for spreadsheets: '338433,00' and '137,84' in Finnish ('338433.00' and
    '137.84' in English), '2024-12-31'; text neutralised."""
    if cell is None:
        return ""
    if column.kind == "money" and isinstance(cell, int):
        return decimal_mark(format_plain(cell), lang)
    if column.kind == "percent" and isinstance(cell, Decimal):
        return decimal_mark(format_percent(cell), lang)
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, str):
        return neutralise(cell)
    return str(cell)


def decimal_mark(number: str, lang: str) -> str:
    return number.replace(".", ",") if lang == "fi" else number


def csv_text(sheet: Sheet, lang: str) -> str:
    """Semicolon-separated with the stable column keys as the header (like the input files),
    numbers with the language's decimal mark: what a Finnish or an English Excel opens."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow([column.key for column in sheet.columns])
    for row in sheet.rows:
        writer.writerow([data_value(cell, column, lang) for cell, column in zip(row, sheet.columns, strict=True)])
    return buffer.getvalue()
