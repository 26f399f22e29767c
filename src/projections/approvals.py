"""The approved version of a year-end report (ADR 0027).

A report of a unit as of 31.12. defaults to the books as they stood at the latest
approval (`ReportApproved`) of that unit or of a unit above it, for that year. This
module finds that approval, hashes the figures an approval approves, and compares the
approved report with today's, cell by cell. Plain SQL through a `Reader`, so that the
lean report path (ADR 0015) answers the same; the events behind each changed cell are
found by `approval_changes` (it replays the log, which the lean path never does).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from ledger import clock
from projections import query, reader
from projections.comparison import COLUMNS as COMPARISON_COLUMNS

if TYPE_CHECKING:
    from sqlalchemy import Connection

MONEY_COLUMNS = ("prior_year_actual", "original_budget", "budget_amendments", "budget", "actual")
EVERYTHING = datetime(9999, 12, 31, tzinfo=UTC)  # a known-at that sees every event the read models hold


@dataclass(frozen=True)
class Approval:
    position: int
    unit: str
    fiscal_year: int
    body: str  # board | council
    reference: str
    decided_on: date
    figures_hash: str
    recorded_at: datetime  # the approved books: everything recorded by then


@dataclass(frozen=True)
class ChangedCell:
    """One cell whose approved value differs from today's, and the events recorded since
    the approval that changed it (log positions)."""

    unit: str
    report: str  # statement | summary | investments | goals | risks
    key: str  # a statement row, a summary line, GROUP:side, a goal or a risk
    column: str
    approved: Any
    now: Any
    events: tuple[int, ...] = ()


@dataclass(frozen=True)
class Version:
    """The approval a report shows, whether its figures still hash as approved, and what changed since."""

    approval: Approval
    figures_hash_matches: bool
    changes: tuple[ChangedCell, ...]


def applying(db: Connection | reader.Reader, unit: str, year: int, as_of: date) -> Approval | None:
    """The latest approval of the unit's year-end report or of a unit above it; None when
    there is none, or when `as_of` is not 31.12. of the year (an approval is of the year's end)."""
    if as_of != clock.year_end(year):
        return None
    source = reader.of(db)
    units = query.load_units(source, as_of, query.position_known_at(source, EVERYTHING))
    chain, node = [], query.resolve_unit(units, unit)
    while node.code not in chain:
        chain.append(node.code)
        if node.parent is None or node.parent not in units:
            break
        node = units[node.parent]
    names, params = reader.placeholders("u", chain)
    rows = source.rows(
        "SELECT position, unit, fiscal_year, body, reference, decided_on, figures_hash, recorded_us "
        f"FROM {{rm_approvals}} WHERE fiscal_year = :year AND unit IN ({names}) ORDER BY position DESC LIMIT 1",
        {"year": year, **params},
    )
    if not rows:
        return None
    position, code, fiscal_year, body, reference, decided_on, figures_hash, recorded_us = rows[0]
    return Approval(
        int(position),
        str(code),
        int(fiscal_year),
        str(body),
        str(reference),
        decided_on if isinstance(decided_on, date) else date.fromisoformat(str(decided_on)),
        str(figures_hash),
        clock.from_micros(int(recorded_us)),
    )


def figures_hash(db: Connection | reader.Reader, unit: str, year: int, known_at: datetime = EVERYTHING) -> str:
    """The sha-256 of the year-end report's figures as known at `known_at` (by default every
    event the read models hold): each money column of the statement of the unit and of
    every unit below it, and of its investment groups, in cents, as canonical JSON."""
    from projections.investments import query_investments
    from projections.statement import query_statement

    source = reader.of(db)
    as_of = clock.year_end(year)
    top = query_statement(source, unit, year, as_of, known_at)
    statements = {}
    for code in sorted(top.scope.members):
        statement = top if code == top.scope.unit else query_statement(source, code, year, as_of, known_at)
        statements[code] = {line.key: [getattr(line.figures, c) for c in MONEY_COLUMNS] for line in statement.lines}
    groups = query_investments(source, top.scope.unit, year, as_of, known_at).groups
    investments = {
        f"{group.group}:{line.key}": [getattr(line.figures, c) for c in MONEY_COLUMNS]
        for group in groups
        for line in group.lines
    }
    figures = {"unit": top.scope.unit, "fiscal_year": year, "as_of": as_of.isoformat(), "statements": statements,
               "investments": investments}  # fmt: skip
    return hashlib.sha256(json.dumps(figures, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def cells(reports: Iterable[Any]) -> dict[tuple[str, str, str, str], Any]:
    """Every cell people read in the reports: (unit, report, key, column) -> value."""
    found: dict[tuple[str, str, str, str], Any] = {}
    for report in reports:
        name, unit = report.report_name, report.scope.unit
        if name in ("statement", "summary"):
            for line in report.lines:
                for column in COMPARISON_COLUMNS:
                    found[(unit, name, line.key, column)] = getattr(line.figures, column)
        elif name == "investments":
            for group in report.groups:
                for line in group.lines:
                    for column in COMPARISON_COLUMNS:
                        found[(unit, name, f"{group.group}:{line.key}", column)] = getattr(line.figures, column)
        elif name == "plan":
            for line in report.lines:
                found[(unit, name, line.key, f"budget_{report.scope.fiscal_year}")] = line.budget
                for plan_year, amount in zip(report.plan_years, line.plan, strict=True):
                    found[(unit, name, line.key, f"plan_{plan_year}")] = amount
        else:
            for item in report.items:
                key = item.goal if name == "goals" else item.risk
                for field in fields(item):
                    found[(item.unit, name, key, field.name)] = getattr(item, field.name)
    return found


def changed_cells(approved: Iterable[Any], now: Iterable[Any]) -> tuple[ChangedCell, ...]:
    """The cells whose values differ between the approved reports and today's, in report order."""
    before, after = cells(approved), cells(now)
    keys = list(before) + [key for key in after if key not in before]
    return tuple(
        ChangedCell(*key, before.get(key), after.get(key)) for key in keys if before.get(key) != after.get(key)
    )


Query = Callable[[Any, str, int, date, datetime], Any]


def approved_report(db: Any, query_report: Query, unit: str, year: int, as_of: date) -> tuple[Any, Version] | None:
    """The report at its latest approval and its version; None when no approval applies."""
    approval = applying(db, unit, year, as_of)
    if approval is None:
        return None
    report = query_report(db, unit, year, as_of, approval.recorded_at)
    today = query_report(db, unit, year, as_of, clock.now())
    return report, version(db, approval, changed_cells([report], [today]))


def version(db: Any, approval: Approval, changes: tuple[ChangedCell, ...]) -> Version:
    matches = figures_hash(db, approval.unit, approval.fiscal_year, approval.recorded_at) == approval.figures_hash
    return Version(approval, matches, changes)
