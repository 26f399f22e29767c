"""A report's people's sheet (`projections.render.sheets`) as cells of an HTML table, each
money figure with the `explain` row and column that total it, or None."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from projections.render.sheet import Sheet
from projections.render.text import NUMERIC, display

# The columns `explain` can total (cli/tracing.py `explain --column`).
EXPLAINED_COLUMNS = frozenset({"actual", "budget", "original_budget", "budget_amendments", "prior_year_actual"})


@dataclass(frozen=True)
class HtmlCell:
    text: str
    numeric: bool
    explain: tuple[str, str] | None  # (row, column) for /explain


@dataclass(frozen=True)
class HtmlTable:
    title: str
    headers: tuple[tuple[str, bool], ...]  # (label, numeric)
    rows: tuple[tuple[HtmlCell, ...], ...]
    notes: tuple[str, ...]


def row_keys(report: Any) -> list[str | None]:
    """The `explain` row of each row of the people's sheet, in its order; None for a row
    that no single figure explains (a caption, the investments' total)."""
    name = getattr(report, "report_name", "")
    if name == "statement":
        from projections.render.sheets import captioned_layout, visible_lines

        return [None if caption else line.key for caption, line in captioned_layout(visible_lines(report))]
    if name == "summary":
        return [line.row for line in report.lines]
    if name == "investments":
        groups = [group for group in report.groups if not group.is_zero]
        keys: list[str | None] = [f"{group.group}:{line.key}" for group in groups for line in group.lines]
        return keys + [None] * len(report.total.lines)
    return []


def html_table(sheet: Sheet, report: Any, lang: str) -> HtmlTable:
    keys = row_keys(report)
    rows = []
    for index, row in enumerate(sheet.rows):
        key = keys[index] if index < len(keys) else None
        cells = []
        for cell, column in zip(row, sheet.columns, strict=True):
            linked = key is not None and column.key in EXPLAINED_COLUMNS and cell is not None
            explain = (key, column.key) if key is not None and linked else None
            cells.append(HtmlCell(display(cell, column, lang), column.kind in NUMERIC, explain))
        rows.append(tuple(cells))
    headers = tuple((column.label, column.kind in NUMERIC) for column in sheet.columns)
    return HtmlTable(sheet.title, headers, tuple(rows), sheet.notes)
