"""Cumulative actual operating expenditure (toimintakulut) by month, as of D, known at T.

For the report's chart of the sector's spending through the year against its budget.
Amounts are in the statement's sign (costs negative), like every budget comparison:
`budget_cents` is the operating-expenses budget after amendments decided by as-of, and
each month holds the operating expenses dated in it (up to as-of) and their running sum.
Months after as-of are absent. Two faces, as in `statement.py`: `fold_monthly` over the
decoded log (the specification) and `query_monthly` over the read-model tables.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Connection

from ledger import events as ev
from ledger.money import percent
from ledger.statement_rows import EXPENSE_ROWS
from ledger.store import tables as t
from projections import amounts, query
from projections.query import Scope


@dataclass(frozen=True)
class MonthFigure:
    month: int  # 1..12
    actual_cents: int  # operating expenses dated in the month, statement sign
    cumulative_cents: int  # January up to the end of this month (or as-of)


@dataclass(frozen=True)
class MonthlyExpenditure:
    scope: Scope
    budget_cents: int  # operating expenses, budget after amendments, statement sign
    months: tuple[MonthFigure, ...]

    def utilisation_pct(self, figure: MonthFigure) -> Decimal:
        """The running sum as a share of the year's budget (0,00 where there is none)."""
        return percent(figure.cumulative_cents, self.budget_cents)


def build_monthly(scope: Scope, budget_cents: int, by_month: Mapping[int, int]) -> MonthlyExpenditure:
    """`by_month`: operating expenses per month number, statement sign."""
    last = scope.actuals_until.month if scope.actuals_until >= scope.year_start else 0
    months: list[MonthFigure] = []
    running = 0
    for month in range(1, last + 1):
        running += by_month.get(month, 0)
        months.append(MonthFigure(month, by_month.get(month, 0), running))
    return MonthlyExpenditure(scope, budget_cents, tuple(months))


# The reference fold.


def fold_monthly(
    events: Iterable[ev.LedgerEvent], unit: str, year: int, as_of: date, known_at: datetime
) -> MonthlyExpenditure:
    every = list(events)
    scope = query.scope_for(query.units_in(every, as_of, known_at), unit, year, as_of, known_at)
    seen = query.known(every, scope.known_at)
    rows = amounts.account_rows(seen)
    by_month: Counter[int] = Counter()
    for posted in amounts.posted_amounts(seen):
        if rows.get(posted.account) not in EXPENSE_ROWS or posted.unit not in scope.members:
            continue
        if scope.year_start <= posted.effective_on <= scope.actuals_until:
            by_month[posted.effective_on.month] -= posted.amount_cents
    budget = sum(
        line.amount_cents
        for _, line in amounts.budget_events(seen, scope.fiscal_year, scope.as_of)
        if line.row in EXPENSE_ROWS and line.unit in scope.members
    )
    return build_monthly(scope, budget, by_month)


# The fast path.


def query_monthly(conn: Connection, unit: str, year: int, as_of: date, known_at: datetime) -> MonthlyExpenditure:
    scope = query.load_scope(conn, unit, year, as_of, known_at)
    position = query.position_known_at(conn, scope.known_at)
    a, b = t.amounts.c, t.budget_lines.c
    expense_rows = sorted(EXPENSE_ROWS)
    by_month: Counter[int] = Counter()
    for day, total in amounts.sum_postings(
        conn, [a.effective_on], scope.members, scope.year_start, scope.actuals_until, position, a.row.in_(expense_rows)
    ):
        by_month[day.month] -= int(total)
    budget = sum(
        int(total)
        for _, total in amounts.sum_budget_lines(
            conn, [], scope.members, scope.fiscal_year, scope.as_of, position, b.row.in_(expense_rows)
        )
    )
    return build_monthly(scope, budget, by_month)
