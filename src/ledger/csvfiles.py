"""Readers for the files users give: budgets, amendments and vouchers, as CSV or XLSX.

`;` or `,` delimiter (taken from the header line), decimal comma or point, spaces as
thousands separators, UTF-8 with or without BOM (or another encoding when named). A
workbook (by its name or its first bytes) is read from its first sheet, with the same
columns. Headers may use the Finnish names (`HEADER_ALIASES`), resolved once per file;
errors name the columns by their English names. Every problem is reported as 'FILE line
N, column FIELD: what and how to fix', and all of a file's problems (up to a limit) are
reported together.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, NamedTuple

from ledger.clock import parse_date
from ledger.counting import counted
from ledger.errors import InvalidInput, located
from ledger.money import MAX_CENTS, parse_cents

MAX_REPORTED_ERRORS = 20
MAX_FIELD_CHARS = 10_000
MAX_VOUCHER_CHARS = 128  # the read models' key (rm_vouchers.voucher) holds no more
MAX_EURO_DIGITS = len(str(MAX_CENTS // 100))  # longer amounts go to parse_cents, which refuses them

BUDGET_COLUMNS = ("unit", "line", "amount")
BUDGET_OPTIONAL = ("service_class", "sector")  # the reporting dimensions (ADR 0039)
VOUCHER_COLUMNS = ("voucher", "date", "account", "unit", "amount", "text")
VOUCHER_OPTIONAL = ("project",)
# The Finnish column names of a finance office's exports, and the English column each is.
HEADER_ALIASES = {
    "yksikkö": "unit",
    "kustannuspaikka": "unit",
    "rivi": "line",
    "summa": "amount",
    "tosite": "voucher",
    "pvm": "date",
    "päivämäärä": "date",
    "tili": "account",
    "selite": "text",
    "projekti": "project",
    "palveluluokka": "service_class",
    "sektori": "sector",
}
ZIP_MAGIC = b"PK\x03\x04"  # an XLSX workbook is a zip archive
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an Excel 97-2003 .xls
XLSX_SUFFIXES = (".xlsx", ".xlsm")


PLAN_YEARS = 3  # a budget file's plan columns: plan_Y+1 .. plan_Y+3 for budget year Y


@dataclass(frozen=True)
class BudgetRow:
    line_no: int
    unit: str
    line: str
    amount_cents: int
    service_class: str = ""
    sector: str = ""
    plan_cents: tuple[tuple[int, int], ...] = ()  # (plan year, amount) of the plan_YEAR columns given


def plan_columns(year: int) -> tuple[str, ...]:
    """The plan-year columns a budget file for `year` may have: plan_2026;plan_2027;plan_2028."""
    return tuple(f"plan_{year + offset}" for offset in range(1, PLAN_YEARS + 1))


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


def _open_binary(path: Path) -> io.BufferedReader:
    try:
        return path.open("rb")
    except OSError as error:
        raise InvalidInput(f"{path.name}: cannot read the file ({error.strerror})") from None


def _decoded_lines(path: Path, encoding: str | None) -> Iterator[str]:
    name = path.name
    with _open_binary(path) as handle:
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


def _resolve_header(
    name: str, written: list[str], required: tuple[str, ...], optional: tuple[str, ...], delimiter: str
) -> list[str]:
    """The header's columns by their English names; refused if one is missing, unknown or twice."""
    header = [HEADER_ALIASES.get(column, column) for column in written]
    twice = next((c for c in header if c and header.count(c) > 1), None)
    if twice:
        names = ", ".join(w for w, c in zip(written, header, strict=True) if c == twice)
        raise InvalidInput(f"{name} line 1: header names {twice} twice ({names}); keep one of them")
    missing = [c for c in required if c not in header]
    unknown = [w for w, c in zip(written, header, strict=True) if c not in required and c not in optional]
    if missing or unknown:
        problems = []
        if missing:
            problems.append(f"missing {', '.join(missing)}")
        if unknown:
            problems.append(f"unknown {', '.join(unknown)}")
        finnish = [next((f for f, c in HEADER_ALIASES.items() if c == column), column) for column in required]
        raise InvalidInput(
            f"{name} line 1: header has {'; '.join(problems)}; expected {delimiter.join(required + optional)} "
            f"(or in Finnish {delimiter.join(finnish)})"
        )
    return header


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


def _csv_header(
    name: str, header_line: str, required: tuple[str, ...], optional: tuple[str, ...]
) -> tuple[list[str], str]:
    """The header's column names and the file's delimiter (the more frequent of `;` and `,`)."""
    if not header_line.strip():
        raise InvalidInput(f"{name} line 1: the file is empty; expected the header {';'.join(required)}")
    delimiter = ";" if header_line.count(";") >= header_line.count(",") else ","
    try:
        written = [column.strip().lower() for column in next(csv.reader([header_line], delimiter=delimiter))]
    except csv.Error as error:
        raise InvalidInput(located(name, 1, None, _csv_problem(error))) from None
    header = _resolve_header(name, written, required, optional, delimiter)
    csv.field_size_limit(MAX_FIELD_CHARS * 4)
    return header, delimiter


def _odd_line(name: str, number: int, header: list[str], cells: list[str]) -> None:
    """Refuse a line of the wrong width or with a too long field; a blank line returns (skip it)."""
    if len(cells) != len(header):
        if not any(cell.strip() for cell in cells):
            return
        raise InvalidInput(located(name, number, None, f"expected {counted(len(header), 'field')}, found {len(cells)}"))
    too_long = next(h for h, c in zip(header, cells, strict=True) if len(c) > MAX_FIELD_CHARS)
    raise InvalidInput(located(name, number, too_long, f"longer than {MAX_FIELD_CHARS} characters"))


def _csv_cells(
    path: Path, required: tuple[str, ...], optional: tuple[str, ...], encoding: str | None
) -> Iterator[tuple[int, list[str], list[str]]]:
    """Yield (line number, header, raw cells) for each non-blank data line of a CSV file."""
    lines = _decoded_lines(path, encoding)
    header, delimiter = _csv_header(path.name, next(lines, ""), required, optional)
    reader = csv.reader(lines, delimiter=delimiter)
    width = len(header)
    for cells in _split_lines(reader, path.name):
        number = reader.line_num + 1  # the reader never saw the header line
        if len(cells) != width or max(map(len, cells)) > MAX_FIELD_CHARS:
            _odd_line(path.name, number, header, cells)
            continue
        yield number, header, cells


def read_rows(
    path: Path,
    required: tuple[str, ...],
    optional: tuple[str, ...] = (),
    encoding: str | None = None,
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, {column: stripped text}) for each non-blank data line."""
    for number, header, cells in _table_cells(path, required, optional, encoding):
        if not any(cell.strip() for cell in cells):
            continue
        yield number, {h: c.strip() for h, c in zip(header, cells, strict=True)}


def read_budget_file(path: Path, encoding: str | None = None, year: int | None = None) -> list[BudgetRow]:
    """The budget year's lines; for a budget `year`, also its plan years' columns
    (`plan_columns`), where a cell left empty is no line for that year."""
    errors = ErrorCollector(path.name)
    rows: list[BudgetRow] = []
    optional = plan_columns(year) if year is not None else ()
    for number, cells in read_rows(path, BUDGET_COLUMNS, BUDGET_OPTIONAL + optional, encoding=encoding):
        for column in BUDGET_COLUMNS[:2]:
            if not cells[column]:
                errors.add(number, column, "is empty")
        try:
            amount = parse_cents(cells["amount"])
        except ValueError as error:
            errors.add(number, "amount", str(error))
            continue
        plan = []
        for column in optional:
            if cells.get(column):
                try:
                    plan.append((int(column.removeprefix("plan_")), parse_cents(cells[column])))
                except ValueError as error:
                    errors.add(number, column, str(error))
        service_class, sector = (cells.get(column, "") for column in BUDGET_OPTIONAL)
        rows.append(BudgetRow(number, cells["unit"], cells["line"], amount, service_class, sector, tuple(plan)))
    errors.raise_if_any()
    if not rows:
        raise InvalidInput(f"{path.name}: no lines after the header")
    return rows


def posting_cells(path: Path, encoding: str | None = None) -> Iterator[tuple[int, list[str]]]:
    """(line number, [voucher, date, account, unit, amount, text, project]) of each data line,
    stripped, from a CSV file or an XLSX workbook's first sheet (same columns)."""
    order: list[int] | None = None
    for number, header, cells in _table_cells(path, VOUCHER_COLUMNS, VOUCHER_OPTIONAL, encoding):
        if order is None:
            order = [header.index(c) if c in header else -1 for c in (*VOUCHER_COLUMNS, *VOUCHER_OPTIONAL)]
        picked = [cells[i].strip() if i >= 0 else "" for i in order]
        if any(picked):
            yield number, picked


def is_workbook(path: Path) -> bool:
    """Whether the file is an XLSX workbook, by its name or its first bytes; an .xls is refused."""
    with _open_binary(path) as handle:
        start = handle.read(len(OLE2_MAGIC))
    if start.startswith(OLE2_MAGIC):
        raise InvalidInput(
            f"{path.name}: an Excel 97-2003 workbook (.xls); save it as an Excel workbook (.xlsx) "
            "or as CSV UTF-8 (;-separated)"
        )
    return path.suffix.lower() in XLSX_SUFFIXES or start.startswith(ZIP_MAGIC)


def _table_cells(
    path: Path, required: tuple[str, ...], optional: tuple[str, ...], encoding: str | None
) -> Iterator[tuple[int, list[str], list[str]]]:
    """(line number, header, cells) of each data line of a CSV file or a workbook's first sheet."""
    if is_workbook(path):
        return _sheet_cells(path, required, optional)
    return _csv_cells(path, required, optional, encoding)


def _sheet_cells(
    path: Path, required: tuple[str, ...], optional: tuple[str, ...]
) -> Iterator[tuple[int, list[str], list[str]]]:
    """The first sheet of a workbook, read in openpyxl's streaming read-only mode, as text."""
    from openpyxl import load_workbook

    with _open_binary(path) as handle:  # a handle, so that a workbook saved as .csv is read too
        try:
            workbook = load_workbook(handle, read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
            raise InvalidInput(f"{path.name}: not a readable XLSX workbook ({error})") from None
        try:
            rows = workbook.worksheets[0].iter_rows(values_only=True)
            written = [_xlsx_text(c).lower() for c in next(rows, None) or ()]
            while written and not written[-1]:
                written.pop()
            if not written:
                raise InvalidInput(f"{path.name} row 1: the sheet is empty; expected the header {';'.join(required)}")
            header = _resolve_header(path.name, written, required, optional, ";")
            width = len(header)
            for number, values in enumerate(rows, start=2):
                cells = [_xlsx_text(value) for value in values[:width]]
                yield number, header, cells + [""] * (width - len(cells))
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
    size = len(text)
    if size > 3 and text[size - 3] in ".," and text.isascii():
        digits = text[:-3] + text[-2:]  # '-1234.56' -> '-123456'
        if digits.isdigit() or (size > 4 and digits[0] in "+-" and digits[1:].isdigit()):
            cents = int(digits)
            if -MAX_CENTS <= cents <= MAX_CENTS:
                return cents
    return parse_cents(text)


class PostingParser:
    """Turns the cells of one voucher line into a PostingRow, collecting its problems."""

    def __init__(self, errors: ErrorCollector) -> None:
        self.errors = errors
        self.dates: dict[str, date | str] = {}  # text -> date, or the error message
        # One string object per code and per run of equal texts: a million lines hold a few
        # hundred codes, and the import's spool (marshal) then writes each once.
        self.codes: dict[str, str] = {}
        self.text = ""

    def parse(self, number: int, cells: list[str]) -> PostingRow | None:
        voucher, day, account, unit, amount, text, project = cells
        effective_on = self.dates.get(day)
        if voucher and account and unit and len(voucher) <= MAX_VOUCHER_CHARS and type(effective_on) is date:
            try:
                cents = fast_cents(amount)
            except ValueError:
                return self._refuse(number, cells)
            codes = self.codes
            if text == self.text:
                text = self.text
            else:
                self.text = text
            return _new_row(
                PostingRow,
                (
                    number,
                    voucher,
                    effective_on,
                    codes.setdefault(account, account),
                    codes.setdefault(unit, unit),
                    cents,
                    text,
                    codes.setdefault(project, project) if project else None,
                ),
            )
        return self._refuse(number, cells)

    def _refuse(self, number: int, cells: list[str]) -> PostingRow | None:
        """The line's problems, each with its column (or, the first time a date is seen, the line)."""
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


_new_row = tuple.__new__  # PostingRow(...) without its Python-level __new__


def iter_posting_rows(path: Path, errors: ErrorCollector, encoding: str | None = None) -> Iterator[PostingRow]:
    """Parse voucher lines, collecting (not raising) per-line problems."""
    for _number, _voucher, row in posting_lines(path, errors, encoding):
        if row is not None:
            yield row


class FilePart(NamedTuple):
    """The data lines of a CSV file from byte `start` (a line's first byte) to `stop`, the
    first of them being the file's line `lines_before + 1`."""

    start: int
    stop: int
    lines_before: int


def posting_lines(
    path: Path, errors: ErrorCollector, encoding: str | None = None, part: FilePart | None = None
) -> Iterator[tuple[int, str, PostingRow | None]]:
    """(line number, voucher id, the parsed line or None if it has problems) of each data line
    of a voucher file, CSV or XLSX (or of a `part` of a CSV file that `splits`). A line's
    problems go to `errors`; the file's are raised."""
    parse = PostingParser(errors).parse
    if not splits(path, encoding):
        assert part is None, "only a file that splits is read in parts"
        return ((number, cells[0], parse(number, cells)) for number, cells in posting_cells(path, encoding))
    return _csv_posting_lines(path, encoding, parse, part)


SPLIT_MIN_BYTES = 8 << 20  # a smaller file is read in one part


def halves(path: Path, encoding: str | None) -> tuple[FilePart, FilePart] | None:
    """The data lines of a large CSV file as two parts that meet where one voucher id's run
    of lines ends and another's starts, near the middle; None for a small file, a file with
    a quote anywhere (a quoted field may hold a line break: only reading from the start
    tells), or one whose lines there are not plain lines of the header's width."""
    if not splits(path, encoding) or path.stat().st_size < SPLIT_MIN_BYTES:
        return None
    size = path.stat().st_size
    with _open_binary(path) as handle:
        first = handle.readline()
        header_end = handle.tell()
        try:
            text = first.removeprefix(b"\xef\xbb\xbf").decode(encoding or "utf-8")
            header, delimiter = _csv_header(path.name, text, VOUCHER_COLUMNS, VOUCHER_OPTIONAL)
        except (InvalidInput, UnicodeDecodeError):
            return None
        column, separator = header.index("voucher"), delimiter.encode()
        handle.seek(size // 2)
        handle.readline()  # the rest of the line the middle falls in
        previous = None
        while True:
            start = handle.tell()
            cells = handle.readline().split(separator)
            if len(cells) != len(header):
                return None
            voucher = cells[column].strip()
            if previous is not None and voucher != previous:
                break
            previous = voucher
        handle.seek(0)
        lines_before = done = 0
        while block := handle.read(1 << 20):
            if b'"' in block:
                return None
            if done < start:
                lines_before += block.count(b"\n", 0, start - done)
            done += len(block)
    return FilePart(header_end, start, 1), FilePart(start, size, lines_before)


def splits(path: Path, encoding: str | None) -> bool:
    """Whether the file is CSV in an encoding where a NUL byte, or a newline byte, is that
    character and nothing else (UTF-8, Latin-1, cp1252): read with `_csv_posting_lines`."""
    return _bytes_show_nul(encoding) and not is_workbook(path)


def _first_problem(path: Path, encoding: str | None) -> InvalidInput:
    """A decoding error or a NUL is met a block ahead of its line: read the file again line
    by line, which raises the first problem of the file, as it would have."""
    for _ in posting_cells(path, encoding):
        pass
    return InvalidInput(f"{path.name}: the file changed while it was read; run the command again")


def _bytes_show_nul(encoding: str | None) -> bool:
    """Whether a NUL byte in the file is a NUL character and nothing else is (UTF-8, Latin-1, cp1252)."""
    try:
        return codecs.lookup(encoding or "utf-8").name in ("utf-8", "iso8859-1", "cp1252")
    except LookupError:
        return False


class _NulFound(Exception):
    pass


class _NulGuard(io.RawIOBase):
    """The bytes of a file, refusing a NUL byte (block by block, not line by line)."""

    def __init__(self, source: io.BufferedReader, limit: int | None = None) -> None:
        self.source = source
        self.left = limit  # bytes still to read, or None: to the end

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        size = len(buffer) if self.left is None else min(len(buffer), self.left)
        data = self.source.read1(size) if size else b""
        if self.left is not None:
            self.left -= len(data)
        if b"\x00" in data:
            raise _NulFound
        buffer[: len(data)] = data
        return len(data)


def _csv_posting_lines(
    path: Path,
    encoding: str | None,
    parse: Callable[[int, list[str]], PostingRow | None],
    part: FilePart | None = None,
) -> Iterator[tuple[int, str, PostingRow | None]]:
    """`posting_lines` of a CSV file in an encoding where a NUL byte is a NUL character: the
    file decoded in blocks and split by the csv module, with a line's work kept to the least."""
    name = path.name
    with _open_binary(path) as handle:
        try:
            first = handle.readline().removeprefix(b"\xef\xbb\xbf")
            if b"\x00" in first:
                raise _NulFound
            header, delimiter = _csv_header(name, first.decode(encoding or "utf-8"), VOUCHER_COLUMNS, VOUCHER_OPTIONAL)
            order = [header.index(c) if c in header else -1 for c in (*VOUCHER_COLUMNS, *VOUCHER_OPTIONAL)]
            in_order = order == list(range(len(order)))
            width = len(header)
            lines_before = 1  # the reader never sees the header line
            if part is not None:
                handle.seek(part.start)
                lines_before = part.lines_before
            buffered = io.BufferedReader(_NulGuard(handle, part.stop - part.start if part else None), 1 << 16)
            reader = csv.reader(io.TextIOWrapper(buffered, encoding or "utf-8", newline="\n"), delimiter=delimiter)
            strip = str.strip
            for cells in reader:
                number = reader.line_num + lines_before
                if len(cells) != width or max(map(len, cells)) > MAX_FIELD_CHARS:
                    _odd_line(name, number, header, cells)
                    continue
                picked = list(map(strip, cells)) if in_order else [cells[i].strip() if i >= 0 else "" for i in order]
                voucher = picked[0]
                if voucher or any(picked):
                    yield number, voucher, parse(number, picked)
        except csv.Error as error:
            raise InvalidInput(located(name, reader.line_num + lines_before, None, _csv_problem(error))) from None
        except (UnicodeDecodeError, _NulFound):
            raise _first_problem(path, encoding) from None
