"""A Sheet as an Excel workbook: numbers as numbers, text neutralised, the title on top."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from ledger.money import cents_to_decimal
from projections.render.sheet import Cell, Column, Sheet, neutralise

NUMBER_FORMATS = {"money": "#,##0.00", "percent": "0.00", "date": "yyyy-mm-dd", "number": "0"}
SHEET_NAME_CHARS = 31


def _value(cell: Cell, column: Column) -> Any:
    """Money as exact euros (Decimal), percent as Decimal, dates as dates, text neutralised."""
    if cell is None:
        return None
    if column.kind == "money" and isinstance(cell, int):
        return cents_to_decimal(cell)
    if isinstance(cell, Decimal | date | int):
        return cell
    return neutralise(str(cell))


def xlsx_bytes(sheet: Sheet, sheet_name: str) -> bytes:
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet_name[:SHEET_NAME_CHARS]
    worksheet.append([neutralise(sheet.title)])
    worksheet["A1"].font = Font(bold=True)
    worksheet.append([column.label for column in sheet.columns])
    for cell in worksheet[2]:
        cell.font = Font(bold=True)
    for row in sheet.rows:
        worksheet.append([_value(cell, column) for cell, column in zip(row, sheet.columns, strict=True)])
    if sheet.notes:
        worksheet.append([])
        for note in sheet.notes:
            worksheet.append([neutralise(note)])
    for index, column in enumerate(sheet.columns, start=1):
        number_format = NUMBER_FORMATS.get(column.kind)
        if number_format:
            for (cell,) in worksheet.iter_rows(min_row=3, min_col=index, max_col=index):
                cell.number_format = number_format
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
