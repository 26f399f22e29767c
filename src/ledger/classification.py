"""The statutory reporting dimensions' code lists: service classes (palveluluokat) and
counterparty sectors (sektorit), loaded as reference data and versioned by the day they
are valid from (ADR 0039).

A list file is CSV (`;` or `,`), UTF-8 unless named otherwise: `#` lines (before the
header, the file's account of where the list comes from), a header `code;name` with the
optional columns `parent` (a code of the same list) and `status` (empty, or `unverified`
for an entry not checked against the official publication), then one code a line.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import Connection, select

from ledger import events as ev
from ledger.codes import checked_code
from ledger.csvfiles import ErrorCollector, _decoded_lines
from ledger.drafts import Draft, Outcome
from ledger.errors import InvalidInput, NotFound
from ledger.store import tables as t

KINDS = ("service-class", "sector")
COLUMNS = ("code", "name", "parent", "status")
STATUSES = ("", "unverified")


@dataclass(frozen=True)
class ClassFile:
    """A code list as read from its file: where it says it comes from, and its codes."""

    name: str
    source: str
    codes: tuple[ev.ClassCode, ...]


@dataclass(frozen=True)
class ClassList:
    """The list of a kind valid on a day: the load that recorded it and its codes."""

    position: int
    valid_from: date
    names: dict[str, str]


def read_class_file(path: Path, encoding: str | None = None) -> ClassFile:
    """The list in `path`, or InvalidInput naming every problem by file, line and column."""
    errors = ErrorCollector(path.name)
    comments: list[str] = []
    header: list[str] | None = None
    delimiter = ";"
    rows: list[tuple[int, dict[str, str]]] = []
    for number, line in enumerate(_decoded_lines(path, encoding), start=1):
        if line.lstrip().startswith("#"):
            if header is None:
                comments.append(line.strip().lstrip("#").strip())
            continue
        if not line.strip():
            continue
        if header is None:
            delimiter = ";" if line.count(";") >= line.count(",") else ","
            header = [cell.strip().lower() for cell in next(csv.reader([line], delimiter=delimiter))]
            _check_header(path.name, number, header, delimiter)
            continue
        cells = next(csv.reader([line], delimiter=delimiter))
        if len(cells) != len(header):
            errors.add(number, None, f"expected {len(header)} fields, found {len(cells)}")
            continue
        rows.append((number, {h: c.strip() for h, c in zip(header, cells, strict=True)}))
    if header is None:
        raise InvalidInput(f"{path.name}: no header; expected code;name[;parent][;status]")
    codes = _codes(rows, errors)
    errors.raise_if_any()
    if not codes:
        raise InvalidInput(f"{path.name}: no codes after the header")
    return ClassFile(path.name, " ".join(comments), codes)


def _check_header(name: str, number: int, header: list[str], delimiter: str) -> None:
    missing = [column for column in COLUMNS[:2] if column not in header]
    unknown = [column for column in header if column not in COLUMNS]
    twice = [column for column in COLUMNS if header.count(column) > 1]
    if missing or unknown or twice:
        problems = [
            f"{what} {', '.join(columns)}"
            for what, columns in (("missing", missing), ("unknown", unknown), ("twice", twice))
            if columns
        ]
        raise InvalidInput(
            f"{name} line {number}: header has {'; '.join(problems)}; expected {delimiter.join(COLUMNS)} "
            "(parent and status may be left out)"
        )


def _codes(rows: list[tuple[int, dict[str, str]]], errors: ErrorCollector) -> tuple[ev.ClassCode, ...]:
    first_line: dict[str, int] = {}
    codes: list[ev.ClassCode] = []
    for number, cells in rows:
        code, name = cells["code"], cells["name"]
        parent, status = cells.get("parent", ""), cells.get("status", "")
        try:
            checked_code("a class", code)
        except InvalidInput as error:
            errors.add(number, "code", error.message)
            continue
        if code in first_line:
            errors.add(number, "code", f"'{code}' is on line {first_line[code]} already")
            continue
        first_line[code] = number
        if not name:
            errors.add(number, "name", "is empty")
        if status not in STATUSES:
            errors.add(number, "status", f"'{status}': leave it empty or write unverified")
        codes.append(ev.ClassCode(code=code, name=name or code, parent=parent or None, unverified=bool(status)))
    for listed in codes:
        if listed.parent is not None and listed.parent not in first_line:
            errors.add(first_line[listed.code], "parent", f"'{listed.parent}' is no code of this list")
    return tuple(codes)


def valid_list(conn: Connection, kind: str, on: date, known_at: int | None = None) -> ClassList | None:
    """The list of `kind` valid on `on` (the latest valid from then or before), as recorded
    up to log position `known_at` (None: all); None when no such list was loaded."""
    lists = t.class_lists.c
    query = select(lists.position, lists.valid_from).where(lists.kind == kind, lists.valid_from <= on)
    if known_at is not None:
        query = query.where(lists.position <= known_at)
    row = conn.execute(query.order_by(lists.valid_from.desc(), lists.position.desc()).limit(1)).first()
    if row is None:
        return None
    codes = t.class_codes.c
    names = conn.execute(select(codes.code, codes.name).where(codes.position == row[0])).all()
    return ClassList(int(row[0]), row[1], {code: name for code, name in names})


def checked_class(conn: Connection, kind: str, code: str, on: date, field: str) -> str:
    """`code` if the list of `kind` valid on `on` holds it, else NotFound naming `field`."""
    found = valid_list(conn, kind, on)
    if found is None:
        raise NotFound(
            f"'{code}': no {kind} list is valid on {on}; load one with `kuntaledger classes load --kind {kind}`",
            field=field,
            value=code,
        )
    if code not in found.names:
        raise NotFound(
            f"'{code}': no such {kind} in the list valid from {found.valid_from}; see `kuntaledger classes "
            f"--kind {kind} --as-of {on}`",
            field=field,
            value=code,
        )
    return code


def load(conn: Connection, kind: str, listed: ClassFile, valid_from: date) -> Outcome:
    """Record the list as valid from `valid_from`; loading the list in force for that very
    day again records nothing."""
    if kind not in KINDS:
        raise InvalidInput(f"'{kind}': use {' or '.join(KINDS)}", field="kind", value=kind)
    lists = t.class_lists.c
    same_day = conn.execute(
        select(lists.position)
        .where(lists.kind == kind, lists.valid_from == valid_from)
        .order_by(lists.position.desc())
        .limit(1)
    ).scalar()
    if same_day is not None and _stored_codes(conn, int(same_day)) == _in_order(listed.codes):
        return Outcome(
            [], [f"{listed.name}: the {kind} list valid from {valid_from} is this one already; nothing recorded"]
        )
    unverified = sum(code.unverified for code in listed.codes)
    notes = [
        f"loaded {len(listed.codes)} {kind} codes valid from {valid_from}"
        + (f" ({unverified} marked unverified)" if unverified else "")
        + (f", replacing the list loaded at position {same_day}" if same_day is not None else "")
    ]
    fields = {
        "kind": kind,
        "valid_from": valid_from,
        "codes": listed.codes,
        "source": listed.source,
        "file": listed.name,
    }
    return Outcome([Draft(ev.ClassesLoaded, fields)], notes)


def _stored_codes(conn: Connection, position: int) -> tuple[ev.ClassCode, ...]:
    codes = t.class_codes.c
    rows = conn.execute(
        select(codes.code, codes.name, codes.parent, codes.unverified).where(codes.position == position)
    ).all()
    return _in_order(ev.ClassCode(code=row[0], name=row[1], parent=row[2], unverified=bool(row[3])) for row in rows)


def _in_order(codes: Iterable[ev.ClassCode]) -> tuple[ev.ClassCode, ...]:
    return tuple(sorted(codes, key=lambda code: code.code))


def set_service_class(
    conn: Connection, units: set[str], unit: str, code: str, on: date | None, checked_on: date
) -> Outcome:
    """The unit's default service class from `on` (None: from the start), checked against
    the list valid on `checked_on`."""
    if unit not in units:
        raise NotFound(f"'{unit}': no such unit; see `kuntaledger units list`", field="code", value=unit)
    checked_class(conn, "service-class", code, checked_on, "service_class")
    since = f" from {on}" if on else ""
    return Outcome(
        [Draft(ev.UnitServiceClassSet, {"unit": unit, "service_class": code, "effective_on": on})],
        [f"unit {unit}: default service class {code}{since}"],
    )
