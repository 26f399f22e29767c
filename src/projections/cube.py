"""The statutory reporting cube (issue 15, ADR 0039): a unit's actuals from 1 January to a
day, by account × service class × counterparty sector, as known at a moment; and with
`budget`, its budget lines (original and after amendments) by statement row × service
class × sector.

Posted lines do not name their dimensions yet: a line counts under its unit's default
service class on the day (as known at the moment) and under the mapping's unknown sector.
A unit without a default service class of its own takes the nearest unit's above it. A
budget line names its own dimensions, or falls back alike. Totals by statement row equal the
income statement's (`row_totals`; a test holds them to it).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from ledger import clock
from ledger.money import format_plain
from ledger.units import ancestry
from projections import query, reader
from projections.reader import placeholders

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from projections.query import Scope
    from projections.render.sheet import Sheet
    from projections.reporting_map import ReportingMap

UNKNOWN = "unknown"


@dataclass(frozen=True)
class Cell:
    account: str | None  # None on a budget cell: budget lines are by statement row
    row: str
    service_class: str
    sector: str
    amount_cents: int  # statement sign: income +, costs -


@dataclass(frozen=True)
class BudgetCell:
    row: str
    service_class: str
    sector: str
    original_cents: int
    amended_cents: int  # after the amendments decided by the day


@dataclass(frozen=True)
class Cube:
    scope: Scope
    position: int
    actual: tuple[Cell, ...]
    budget: tuple[BudgetCell, ...] | None = None
    mapping: ReportingMap | None = field(default=None, compare=False)

    def row_totals(self) -> dict[str, int]:
        """{statement row: the sum of its cells}: the income statement's actual of the row
        (before its parts are added to it)."""
        totals: dict[str, int] = defaultdict(int)
        for cell in self.actual:
            totals[cell.row] += cell.amount_cents
        return dict(totals)


def query_cube(
    conn: Connection | reader.Reader, unit: str, year: int, through: date, known_at: datetime, budget: bool = False
) -> Cube:
    db = reader.of(conn)
    header = query.load_header(db, through, known_at)
    scope, position = header.scope(unit, year, through, known_at), header.position
    members = sorted(scope.members)
    own = _service_classes(db, scope.actuals_until, position)
    classes = {
        member: next((own[u.code] for u in ancestry(header.units, member) if u.code in own), UNKNOWN)
        for member in members
    }
    mapping = _mapping(year)
    sector = mapping.unknown_sector if mapping else UNKNOWN
    units_in, params = placeholders("u", members)
    found = db.rows(
        "SELECT unit, account, row, sum(amount_cents) FROM {rm_amounts}"
        f" WHERE unit IN ({units_in}) AND row IS NOT NULL AND effective_on >= :start AND effective_on <= :end"
        " AND position <= :position GROUP BY unit, account, row",
        {**params, "start": scope.year_start, "end": scope.actuals_until, "position": position},
    )
    cells: dict[tuple[str, str, str], int] = defaultdict(int)
    for unit_code, account, row, total in found:
        cells[(account, row, classes.get(unit_code, UNKNOWN))] -= int(total or 0)
    actual = tuple(
        Cell(account, row, service_class, sector, amount)
        for (account, row, service_class), amount in sorted(cells.items())
    )
    budget_cells = _budget(db, scope, members, classes, sector, position) if budget else None
    return Cube(scope, position, actual, budget_cells, mapping)


def _service_classes(db: reader.Reader, on: date, position: int) -> dict[str, str]:
    """{unit: the default service class set for it on `on`, as known at `position`}; a unit
    without one takes the nearest unit's above it (`query_cube`)."""
    found = db.rows(
        "SELECT unit, service_class, effective_on, position FROM {rm_unit_service_classes} WHERE position <= :position",
        {"position": position},
    )
    chosen: dict[str, tuple[str, int, str]] = {}
    for unit, code, effective_on, at in found:
        since = str(effective_on or "")  # ISO text or a date: both order as days
        if since and since > on.isoformat():
            continue
        key = (since, int(at), code)
        if unit not in chosen or key > chosen[unit]:
            chosen[unit] = key
    return {unit: key[2] for unit, key in chosen.items()}


def _budget(
    db: reader.Reader, scope: Scope, members: list[str], classes: dict[str, str], sector: str, position: int
) -> tuple[BudgetCell, ...]:
    units_in, params = placeholders("u", members)
    found = db.rows(
        "SELECT unit, row, service_class, sector, kind, sum(amount_cents) FROM {rm_budget_lines}"
        f" WHERE unit IN ({units_in}) AND fiscal_year = :year AND row IS NOT NULL AND effective_on <= :day"
        " AND position <= :position GROUP BY unit, row, service_class, sector, kind",
        {**params, "year": scope.fiscal_year, "day": scope.as_of, "position": position},
    )
    sums: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    for unit, row, service_class, line_sector, kind, total in found:
        key = (row, service_class or classes.get(unit, UNKNOWN), line_sector or sector)
        sums[key][0 if kind == "original" else 1] += int(total or 0)
    return tuple(
        BudgetCell(row, service_class, line_sector, original, original + amendments)
        for (row, service_class, line_sector), (original, amendments) in sorted(sums.items())
    )


def _mapping(year: int) -> ReportingMap | None:
    from ledger.errors import NotFound
    from projections import reporting_map

    try:
        return reporting_map.shipped(year)
    except NotFound:
        return None


def document(cube: Cube) -> dict[str, Any]:
    """The cube as JSON (docs/json.md): `as_of` and `known_at` on top, so that `submit`
    reads them from the export."""
    mapping = cube.mapping

    def code(row: str, report_set: str) -> dict[str, Any]:
        entry = mapping.rows.get(row) if mapping else None
        if entry is None:
            return {"reporting_code": None, "reporting_code_verified": False}
        return {"reporting_code": getattr(entry, report_set), "reporting_code_verified": entry.verified}

    found: dict[str, Any] = {
        "report": "cube",
        "unit": cube.scope.unit,
        "unit_name": cube.scope.unit_name,
        "fiscal_year": cube.scope.fiscal_year,
        "as_of": cube.scope.actuals_until.isoformat(),
        "known_at": clock.format_moment(cube.scope.known_at),
        "mapping": None if mapping is None else {"year": mapping.year, "taxonomy": mapping.taxonomy,
                                                 "unverified_entries": len(mapping.unverified)},
        "actual": [
            {"account": c.account, "row": c.row, "service_class": c.service_class, "sector": c.sector,
             "amount": format_plain(c.amount_cents), **code(c.row, "kknr")}
            for c in cube.actual
        ],
        "row_totals": {row: format_plain(total) for row, total in sorted(cube.row_totals().items())},
    }  # fmt: skip
    if cube.budget is not None:
        found["budget"] = [
            {"row": c.row, "service_class": c.service_class, "sector": c.sector,
             "original": format_plain(c.original_cents), "amended": format_plain(c.amended_cents),
             **code(c.row, "ktas")}
            for c in cube.budget
        ]  # fmt: skip
    return found


def sheet(cube: Cube) -> Sheet:
    """The cube's actuals (or, with the budget, its budget cells too) as a sheet for
    table, csv and xlsx: one line a cell."""
    from projections.render.sheet import Column, Sheet

    mapping = cube.mapping
    scope = cube.scope
    title = (
        f"Cube {scope.unit} {scope.unit_name} {scope.fiscal_year}: {scope.fiscal_year}-01-01–{scope.actuals_until.isoformat()}, "
        f"known at {clock.format_moment(scope.known_at)}"
    )
    text = ("account", "row", "service_class", "sector", "reporting_code")
    columns = [Column(key, key, "text") for key in ("set", *text)]
    columns += [Column(key, key, "money") for key in ("actual", "original", "amended")]
    lines: list[tuple[Any, ...]] = []
    for c in cube.actual:
        entry = mapping.rows.get(c.row) if mapping else None
        code = entry.kknr if entry else None
        lines.append(("KKNR", c.account, c.row, c.service_class, c.sector, code, c.amount_cents, None, None))
    for b in cube.budget or ():
        entry = mapping.rows.get(b.row) if mapping else None
        code = entry.ktas if entry else None
        lines.append(("KTAS", None, b.row, b.service_class, b.sector, code, None, b.original_cents, b.amended_cents))
    notes: tuple[str, ...] = ()
    if mapping is not None and mapping.unverified:
        notes = (f"{len(mapping.unverified)} reporting codes of the {mapping.year} mapping are not verified.",)
    return Sheet(title, tuple(columns), tuple(lines), notes)
