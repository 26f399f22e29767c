"""Readers for the CSV files users give: budgets, amendments and vouchers.

`;` or `,` delimiter (taken from the header line), decimal comma or point, spaces as
thousands separators, UTF-8 with or without BOM (or another encoding when named).
Every problem is reported as 'FILE line N, column FIELD: what and how to fix', and all
of a file's problems (up to a limit) are reported together.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ledger.clock import parse_date
from ledger.errors import InvalidInput, located
from ledger.money import parse_cents

MAX_REPORTED_ERRORS = 20
MAX_FIELD_CHARS = 10_000

BUDGET_COLUMNS = ("unit", "line", "amount")
VOUCHER_COLUMNS = ("voucher", "date", "account", "unit", "amount", "text")
VOUCHER_OPTIONAL = ("project",)


@dataclass(frozen=True)
class BudgetRow:
    line_no: int
    unit: str
    line: str
    amount_cents: int


@dataclass(frozen=True)
class PostingRow:
    line_no: int
    voucher: str
    effective_on: date
    account: str
    unit: str
    amount_cents: int
    text: str
    project: str | None


class ErrorCollector:
    """Collects located errors; raises them together as one InvalidInput."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.messages: list[str] = []
        self.count = 0

    def add(self, line: int | None, field: str | None, message: str) -> None:
        self.count += 1
        if len(self.messages) < MAX_REPORTED_ERRORS:
            self.messages.append(located(self.source, line, field, message))

    def raise_if_any(self) -> None:
        if self.messages:
            more = self.count - len(self.messages)
            tail = [f"... and {more} more problems"] if more else []
            raise InvalidInput("\n".join(self.messages + tail))


def _decoded_lines(path: Path, encoding: str | None, errors: ErrorCollector) -> Iterator[str]:
    name = path.name
    try:
        handle = path.open("rb")
    except OSError as error:
        raise InvalidInput(f"{name}: cannot read the file ({error.strerror})") from None
    with handle:
        for number, raw in enumerate(handle, start=1):
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                yield raw.decode(encoding or "utf-8")
            except (UnicodeDecodeError, LookupError) as error:
                hint = (
                    "the file is not UTF-8 (Latin-1 or Windows-1252?); save it as UTF-8 or pass --encoding latin-1"
                    if isinstance(error, UnicodeDecodeError)
                    else f"unknown encoding '{encoding}'"
                )
                raise InvalidInput(located(name, number, None, hint)) from None


def read_rows(
    path: Path,
    required: tuple[str, ...],
    optional: tuple[str, ...] = (),
    encoding: str | None = None,
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, {column: stripped text}) for each non-blank data line."""
    errors = ErrorCollector(path.name)
    lines = _decoded_lines(path, encoding, errors)
    header_line = next(lines, None)
    if header_line is None or not header_line.strip():
        raise InvalidInput(f"{path.name} line 1: the file is empty; expected the header {';'.join(required)}")
    delimiter = ";" if header_line.count(";") >= header_line.count(",") else ","
    header = [name.strip().lower() for name in next(csv.reader([header_line], delimiter=delimiter))]
    missing = [c for c in required if c not in header]
    unknown = [c for c in header if c not in required and c not in optional]
    if missing or unknown:
        problems = []
        if missing:
            problems.append(f"missing {', '.join(missing)}")
        if unknown:
            problems.append(f"unknown {', '.join(unknown)}")
        raise InvalidInput(
            f"{path.name} line 1: header has {'; '.join(problems)}; expected {delimiter.join(required + optional)}"
        )
    csv.field_size_limit(MAX_FIELD_CHARS * 4)
    reader = csv.reader(lines, delimiter=delimiter)
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            raise InvalidInput(
                located(path.name, reader.line_num, None, f"expected {len(header)} fields, found {len(cells)}")
            )
        too_long = next((h for h, c in zip(header, cells, strict=True) if len(c) > MAX_FIELD_CHARS), None)
        if too_long:
            raise InvalidInput(
                located(path.name, reader.line_num, too_long, f"longer than {MAX_FIELD_CHARS} characters")
            )
        yield reader.line_num if reader.line_num else number, {h: c.strip() for h, c in zip(header, cells, strict=True)}


def read_budget_file(path: Path, encoding: str | None = None) -> list[BudgetRow]:
    errors = ErrorCollector(path.name)
    rows: list[BudgetRow] = []
    for number, cells in read_rows(path, BUDGET_COLUMNS, encoding=encoding):
        for column in BUDGET_COLUMNS[:2]:
            if not cells[column]:
                errors.add(number, column, "is empty")
        try:
            amount = parse_cents(cells["amount"])
        except ValueError as error:
            errors.add(number, "amount", str(error))
            continue
        rows.append(BudgetRow(number, cells["unit"], cells["line"], amount))
    errors.raise_if_any()
    if not rows:
        raise InvalidInput(f"{path.name}: no lines after the header")
    return rows


def iter_posting_rows(path: Path, errors: ErrorCollector, encoding: str | None = None) -> Iterator[PostingRow]:
    """Parse voucher lines, collecting (not raising) per-line problems."""
    for number, cells in read_rows(path, VOUCHER_COLUMNS, VOUCHER_OPTIONAL, encoding):
        ok = True
        for column in ("voucher", "account", "unit"):
            if not cells[column]:
                errors.add(number, column, "is empty")
                ok = False
        try:
            effective_on = parse_date(cells["date"])
        except ValueError as error:
            errors.add(number, "date", str(error))
            ok = False
        try:
            amount = parse_cents(cells["amount"])
        except ValueError as error:
            errors.add(number, "amount", str(error))
            ok = False
        if ok:
            yield PostingRow(
                number,
                cells["voucher"],
                effective_on,
                cells["account"],
                cells["unit"],
                amount,
                cells["text"],
                cells.get("project") or None,
            )
