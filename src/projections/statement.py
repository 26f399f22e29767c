"""The income statement (tuloslaskelma) with its budget comparison, as of D, known at T.

Two faces, one result type:
- `fold_statement(events, ...)`: the reference fold over the decoded log, the specification;
- `query_statement(conn, ...)`: the fast path, GROUP BY sums over the read-model tables.
Both gather the own amounts per statement row and hand them to `build_statement`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, ClassVar

from ledger.statement_rows import ROWS, expand
from projections import amounts, query, reader
from projections.comparison import Comparison, Sums
from projections.query import Scope

if TYPE_CHECKING:  # the lean report path imports neither (ADR 0015)
    from sqlalchemy import Connection

    from ledger import events as ev


@dataclass(frozen=True)
class StatementLine:
    key: str
    label_fi: str
    label_en: str
    figures: Comparison


@dataclass(frozen=True)
class Statement:
    report_name: ClassVar[str] = "statement"
    scope: Scope
    deviation_sign: str
    lines: tuple[StatementLine, ...]
    budgeted: frozenset[str] = frozenset()  # rows with a budget line, even of 0 (printed though zero)

    def line(self, key: str) -> StatementLine:
        return next(line for line in self.lines if line.key == key)


def build_statement(scope: Scope, deviation_sign: str, sums: Sums) -> Statement:
    """Every row of ROWS, in order: own amounts plus the rows it adds up (`expand`)."""
    expanded = Sums(
        prior=expand(dict(sums.prior)),
        original=expand(dict(sums.original)),
        amendments=expand(dict(sums.amendments)),
        actual=expand(dict(sums.actual)),
    )
    lines = tuple(
        StatementLine(row.key, row.label_fi, row.label_en, expanded.compare(row.key, deviation_sign)) for row in ROWS
    )
    return Statement(scope, deviation_sign, lines, frozenset(sums.original) | frozenset(sums.amendments))


# The reference fold.


def fold_statement(
    events: Iterable[ev.LedgerEvent], unit: str, year: int, as_of: date, known_at: datetime
) -> Statement:
    every = list(events)
    scope = query.scope_for(query.units_in(every, as_of, known_at), unit, year, as_of, known_at)
    seen = query.known(every, scope.known_at)
    return build_statement(scope, query.deviation_sign_in(every), _folded_sums(seen, scope))


def _folded_sums(seen: list[ev.LedgerEvent], scope: Scope) -> Sums:
    rows = amounts.account_rows(seen)
    prior: Counter[str] = Counter()
    actual: Counter[str] = Counter()
    for posted in amounts.posted_amounts(seen):
        row = rows.get(posted.account)
        if row is None or posted.unit not in scope.members:
            continue
        if scope.year_start <= posted.effective_on <= scope.actuals_until:
            actual[row] -= posted.amount_cents
        if posted.effective_on.year == scope.fiscal_year - 1:
            prior[row] -= posted.amount_cents
    original: Counter[str] = Counter()
    amendments: Counter[str] = Counter()
    for is_original, line in amounts.budget_events(seen, scope.fiscal_year, scope.as_of):
        if line.row is not None and line.unit in scope.members:
            (original if is_original else amendments)[line.row] += line.amount_cents
    return Sums(prior, original, amendments, actual)


# The fast path.


def query_statement(
    conn: Connection | reader.Reader, unit: str, year: int, as_of: date, known_at: datetime
) -> Statement:
    db = reader.of(conn)
    scope, position, sign = query.report_header(db, unit, year, as_of, known_at)
    return build_statement(scope, sign, queried_sums(db, scope, position))


def queried_sums(conn: Connection | reader.Reader, scope: Scope, position: int) -> Sums:
    previous = scope.fiscal_year - 1
    periods = [(date(previous, 1, 1), date(previous, 12, 31)), (scope.year_start, scope.actuals_until)]
    prior, actual = (
        {row: -total for row, total in found.items()} for found in amounts.row_sums(conn, scope.unit, periods, position)
    )
    original: dict[str, int] = {}
    amendments: dict[str, int] = {}
    for row, kind, total in amounts.budget_row_sums(conn, scope.members, scope.fiscal_year, scope.as_of, position):
        # a row budgeted at 0 keeps its key: the statement prints it (Statement.budgeted)
        target = original if kind == "original" else amendments
        target[row] = target.get(row, 0) + total
    return Sums(prior=prior, original=original, amendments=amendments, actual=actual)
