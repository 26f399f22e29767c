"""The financial plan (taloussuunnitelma): the budget year and its plan years, per row.

The budget year's column is the statement's budget after amendments (TA muutosten
jälkeen, the same sums); each plan year's column is its lines of the year's
FinancialPlanRecorded events decided on or before as-of (original + Σ amendments), in the
statement's sign, every row with the rows it adds up (`expand`). Two faces, as in
`statement.py`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, ClassVar

from ledger.statement_rows import ROWS, expand
from projections import query, reader
from projections.query import Scope
from projections.statement import Statement, fold_statement, query_statement

if TYPE_CHECKING:  # the lean report path imports neither (ADR 0015)
    from sqlalchemy import Connection

    from ledger import events as ev


@dataclass(frozen=True)
class PlanRow:
    key: str
    label_fi: str
    label_en: str
    budget: int  # the budget year, after amendments
    plan: tuple[int, ...]  # one amount per plan year, in `Plan.plan_years` order

    @property
    def is_zero(self) -> bool:
        return not self.budget and not any(self.plan)


@dataclass(frozen=True)
class Plan:
    report_name: ClassVar[str] = "plan"
    scope: Scope
    plan_years: tuple[int, ...]
    lines: tuple[PlanRow, ...]

    def line(self, key: str) -> PlanRow:
        return next(line for line in self.lines if line.key == key)


def build_plan(statement: Statement, own: Mapping[int, Mapping[str, int]]) -> Plan:
    """`own`: each plan year's own amounts per statement row."""
    years = tuple(sorted(own))
    expanded = {year: expand(dict(own[year])) for year in years}
    lines = tuple(
        PlanRow(
            row.key,
            row.label_fi,
            row.label_en,
            statement.line(row.key).figures.budget,
            tuple(expanded[year][row.key] for year in years),
        )
        for row in ROWS
    )
    return Plan(statement.scope, years, lines)


# The reference fold.


def fold_plan(events: Iterable[ev.LedgerEvent], unit: str, year: int, as_of: date, known_at: datetime) -> Plan:
    from ledger import events as ev

    every = list(events)
    statement = fold_statement(every, unit, year, as_of, known_at)
    scope = statement.scope
    own: dict[int, dict[str, int]] = defaultdict(dict)
    for event in query.known(every, scope.known_at):
        if not isinstance(event, ev.FinancialPlanRecorded) or event.fiscal_year != year:
            continue
        if event.decision.decided_on > as_of:
            continue
        for line in event.lines:
            amounts = own[line.plan_year]
            if line.row is not None and line.unit in scope.members:
                amounts[line.row] = amounts.get(line.row, 0) + line.amount_cents
    return build_plan(statement, own)


# The fast path.


def query_plan(conn: Connection | reader.Reader, unit: str, year: int, as_of: date, known_at: datetime) -> Plan:
    db = reader.of(conn)
    statement = query_statement(db, unit, year, as_of, known_at)
    _, position, _ = query.report_header(db, unit, year, as_of, known_at)
    units, members = reader.placeholders("u", sorted(statement.scope.members))
    found = db.rows(  # every plan year decided, its amounts from the scope's rows
        f'SELECT plan_year, "row", sum(CASE WHEN unit IN ({units}) THEN amount_cents ELSE 0 END)'
        " FROM {rm_plan_lines} WHERE fiscal_year = :year AND effective_on <= :as_of AND position <= :position"
        ' GROUP BY plan_year, "row"',
        {**members, "year": year, "as_of": as_of, "position": position},
    )
    own: dict[int, dict[str, int]] = defaultdict(dict)
    for plan_year, row, total in found:
        amounts = own[int(plan_year)]
        if row is not None:
            amounts[row] = int(total)
    return build_plan(statement, own)
