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
from datetime import date, datetime
from pathlib import Path
from typing import Any, NamedTuple

from ledger.clock import parse_date
from ledger.errors import InvalidInput, located
from ledger.money import MAX_CENTS, parse_cents

MAX_REPORTED_ERRORS = 20
MAX_FIELD_CHARS = 10_000
MAX_VOUCHER_CHARS = 128  # the read models' key (rm_vouchers.voucher) holds no more
MAX_EURO_DIGITS = len(str(MAX_CENTS // 100))  # longer amounts go to parse_cents, which refuses them

BUDGET_COLUMNS = ("unit", "line", "amount")
VOUCHER_COLUMNS = ("voucher", "date", "account", "unit", "amount", "text")
VOUCHER_OPTIONAL = ("project",)


@dataclass(frozen=True)
class BudgetRow:
    line_no: int
    unit: str
    line: str
    amount_cents: int


class PostingRow(NamedTuple):
    """One voucher line as parsed (a tuple: a million of them are read per import)."""

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
                line = raw.decode(encoding or "utf-8")
            except (UnicodeDecodeError, LookupError) as error:
                hint = (
                    "the file is not UTF-8 (Latin-1 or Windows-1252?); save it as UTF-8 or pass --encoding latin-1"
                    if isinstance(error, UnicodeDecodeError)
                    else f"unknown encoding '{encoding}'"
                )
                raise InvalidInput(located(name, number, None, hint)) from None
            if "\x00" in line:  # PostgreSQL cannot store it; no text file holds one
                hint = "contains a NUL character; is it a text file? (UTF-16 needs --encoding utf-16)"
                raise InvalidInput(located(name, number, None, hint))
            yield line


def _check_header(
    name: str, header: list[str], required: tuple[str, ...], optional: tuple[str, ...], delimiter: str
) -> None:
    missing = [c for c in required if c not in header]
    unknown = [c for c in header if c not in required and c not in optional]
    if missing or unknown:
        problems = []
        if missing:
            problems.append(f"missing {', '.join(missing)}")
        if unknown:
            problems.append(f"unknown {', '.join(unknown)}")
        raise InvalidInput(
            f"{name} line 1: header has {'; '.join(problems)}; expected {delimiter.join(required + optional)}"
        )


def _csv_problem(error: csv.Error) -> str:
    if "new-line" in str(error):
        return (
            "a line break (CR) inside an unquoted field; save the file with LF or CR LF line endings, "
            "or quote the field"
        )
    if "field limit" in str(error):
        return f"a field is longer than {MAX_FIELD_CHARS} characters"
    return f"not readable as CSV ({error})"


def _split_lines(reader: Any, name: str) -> Iterator[list[str]]:
    """The csv reader's rows; a line it cannot split is refused with its line number."""
    while True:
        try:
            cells: list[str] = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise InvalidInput(located(name, reader.line_num + 1, None, _csv_problem(error))) from None
        yield cells


def _csv_cells(
    path: Path, required: tuple[str, ...], optional: tuple[str, ...], encoding: str | None
) -> Iterator[tuple[int, list[str], list[str]]]:
    """Yield (line number, header, raw cells) for each non-blank data line of a CSV file."""
    errors = ErrorCollector(path.name)
    lines = _decoded_lines(path, encoding, errors)
    header_line = next(lines, None)
    if header_line is None or not header_line.strip():
        raise InvalidInput(f"{path.name} line 1: the file is empty; expected the header {';'.join(required)}")
    delimiter = ";" if header_line.count(";") >= header_line.count(",") else ","
    try:
        header = [name.strip().lower() for name in next(csv.reader([header_line], delimiter=delimiter))]
    except csv.Error as error:
        raise InvalidInput(located(path.name, 1, None, _csv_problem(error))) from None
    _check_header(path.name, header, required, optional, delimiter)
    csv.field_size_limit(MAX_FIELD_CHARS * 4)
    reader = csv.reader(lines, delimiter=delimiter)
    width = len(header)
    for cells in _split_lines(reader, path.name):
        number = reader.line_num + 1  # the reader never saw the header line
        if len(cells) != width:
            if not any(cell.strip() for cell in cells):
                continue
            raise InvalidInput(
                located(path.name, number, None, f"expected {len(header)} fields, found {len(cells)}")
            )
        if max(map(len, cells)) > MAX_FIELD_CHARS:
            too_long = next(h for h, c in zip(header, cells, strict=True) if len(c) > MAX_FIELD_CHARS)
            raise InvalidInput(
                located(path.name, number, too_long, f"longer than {MAX_FIELD_CHARS} characters")
            )
        yield number, header, cells


def read_rows(
    path: Path,
    required: tuple[str, ...],
    optional: tuple[str, ...] = (),
    encoding: str | None = None,
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, {column: stripped text}) for each non-blank data line."""
    for number, header, cells in _csv_cells(path, required, optional, encoding):
        if not any(cell.strip() for cell in cells):
            continue
        yield number, {h: c.strip() for h, c in zip(header, cells, strict=True)}


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


def posting_cells(path: Path, encoding: str | None = None) -> Iterator[tuple[int, list[str]]]:
    """(line number, [voucher, date, account, unit, amount, text, project]) of each data line,
    stripped, from a CSV file or an XLSX workbook's first sheet (same columns)."""
    if path.suffix.lower() in XLSX_SUFFIXES:
        yield from _xlsx_cells(path)
        return
    order: list[int] | None = None
    for number, header, cells in _csv_cells(path, VOUCHER_COLUMNS, VOUCHER_OPTIONAL, encoding):
        if order is None:
            order = [header.index(c) if c in header else -1 for c in (*VOUCHER_COLUMNS, *VOUCHER_OPTIONAL)]
        picked = [cells[i].strip() if i >= 0 else "" for i in order]
        if any(picked):
            yield number, picked


XLSX_SUFFIXES = (".xlsx", ".xlsm")


def _xlsx_cells(path: Path) -> Iterator[tuple[int, list[str]]]:
    """The first sheet of a workbook, read in openpyxl's streaming read-only mode."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        raise InvalidInput(f"{path.name}: not a readable XLSX workbook ({error})") from None
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        first = next(rows, None)
        header = [_xlsx_text(c).lower() for c in first or ()]
        while header and not header[-1]:
            header.pop()
        if not header:
            raise InvalidInput(
                f"{path.name} row 1: the sheet is empty; expected the header {';'.join(VOUCHER_COLUMNS)}"
            )
        _check_header(path.name, header, VOUCHER_COLUMNS, VOUCHER_OPTIONAL, ";")
        order = [header.index(c) if c in header else -1 for c in (*VOUCHER_COLUMNS, *VOUCHER_OPTIONAL)]
        for number, values in enumerate(rows, start=2):
            picked = [_xlsx_text(values[i]) if 0 <= i < len(values) else "" for i in order]
            if any(picked):
                yield number, picked
    finally:
        workbook.close()


def _xlsx_text(value: Any) -> str:
    """A cell as the text a CSV would hold: dates as ISO dates, numbers without a float's noise."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value) if not value.is_integer() else str(int(value))
    return str(value).strip()


def fast_cents(text: str) -> int:
    """`parse_cents` for the shapes a ledger export writes ('-1234.56', '1234,56'), else the full parser."""
    if len(text) > 3 and text[-3] in ".," and text[-2:].isdigit() and text.isascii():
        whole = text[:-3]
        negative = whole[:1] == "-"
        digits = whole[1:] if negative or whole[:1] == "+" else whole
        if digits.isdigit():
            cents = int(digits) * 100 + int(text[-2:])
            if cents <= MAX_CENTS:
                return -cents if negative else cents
    return parse_cents(text)


class PostingParser:
    """Turns the cells of one voucher line into a PostingRow, collecting its problems."""

    def __init__(self, errors: ErrorCollector) -> None:
        self.errors = errors
        self.dates: dict[str, date | str] = {}  # text -> date, or the error message

    def parse(self, number: int, cells: list[str]) -> PostingRow | None:
        voucher, day, account, unit, amount, text, project = cells
        errors = self.errors
        ok = True
        if not (voucher and account and unit):
            for column, value in (("voucher", voucher), ("account", account), ("unit", unit)):
                if not value:
                    errors.add(number, column, "is empty")
            ok = False
        if len(voucher) > MAX_VOUCHER_CHARS:
            errors.add(number, "voucher", f"longer than {MAX_VOUCHER_CHARS} characters; use a shorter voucher id")
            ok = False
        effective_on = self.dates.get(day)
        if effective_on is None:
            try:
                effective_on = parse_date(day)
            except ValueError as error:
                effective_on = str(error)
            self.dates[day] = effective_on
        if isinstance(effective_on, str):
            errors.add(number, "date", effective_on)
            ok = False
        try:
            cents = fast_cents(amount)
        except ValueError as error:
            errors.add(number, "amount", str(error))
            ok = False
        if not ok:
            return None
        assert isinstance(effective_on, date)
        return PostingRow(number, voucher, effective_on, account, unit, cents, text, project or None)


def iter_posting_rows(path: Path, errors: ErrorCollector, encoding: str | None = None) -> Iterator[PostingRow]:
    """Parse voucher lines, collecting (not raising) per-line problems."""
    parser = PostingParser(errors)
    for number, cells in posting_cells(path, encoding):
        row = parser.parse(number, cells)
        if row is not None:
            yield row
