"""Posted amounts and budget lines, read both ways: folded from events, summed in SQL.

The fold's side walks the decoded events; the SQL side sums the pre-aggregated rows of
`rm_amounts` and `rm_budget_lines` with GROUP BY over indexed columns. Amounts here are
debit positive (postings) or in the statement's sign (budget lines), as stored.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from projections import reader

if TYPE_CHECKING:
    from sqlalchemy import ColumnElement, Connection

    from ledger import events as ev

# What the statement reads (`row_sums`, `budget_row_sums`) is plain SQL through
# `projections.reader`, so that the CLI's lean report path imports neither SQLAlchemy nor
# pydantic (ADR 0015); the fold's side and the SQLAlchemy helpers import them when called.


@dataclass(frozen=True)
class PostedAmount:
    """One posting line as it counts: a reversal is the original line negated, on its own date."""

    unit: str
    account: str
    project: str | None
    side: str | None  # expenditure (a debit in the original voucher) or income, for project lines
    effective_on: date
    position: int
    amount_cents: int  # debit positive


def posted_amounts(events: Iterable[ev.LedgerEvent]) -> Iterator[PostedAmount]:
    from ledger import events as ev

    posted: dict[str, ev.Voucher] = {}
    for event in events:
        if isinstance(event, ev.VouchersPosted):
            for voucher in event.vouchers:
                posted[voucher.voucher] = voucher
                yield from _lines(voucher, voucher.effective_on, event.position, 1)
        elif isinstance(event, ev.VoucherReversed):
            yield from _lines(posted[event.voucher], event.effective_on, event.position, -1)


def _lines(voucher: ev.Voucher, effective_on: date, position: int, sign: int) -> Iterator[PostedAmount]:
    for line in voucher.lines:
        side = None
        if line.project:
            side = "expenditure" if line.amount_cents > 0 else "income"
        yield PostedAmount(
            line.unit, line.account, line.project, side, effective_on, position, sign * line.amount_cents
        )


def account_rows(events: Iterable[ev.LedgerEvent]) -> dict[str, str | None]:
    from ledger import events as ev

    return {a.code: a.row for e in events if isinstance(e, ev.AccountsAdded) for a in e.accounts}


def project_groups(events: Iterable[ev.LedgerEvent]) -> dict[str, str]:
    from ledger import events as ev

    return {e.code: e.investment_group for e in events if isinstance(e, ev.ProjectAdded)}


def budget_events(events: Iterable[ev.LedgerEvent], year: int, as_of: date) -> Iterator[tuple[bool, ev.BudgetLine]]:
    """(is the original budget, line) of the year's budget decisions taken on or before as-of."""
    from ledger import events as ev

    for event in events:
        if not isinstance(event, ev.BudgetAdopted | ev.BudgetAmended):
            continue
        if event.fiscal_year == year and event.decision.decided_on <= as_of:
            for line in event.lines:
                yield isinstance(event, ev.BudgetAdopted), line


# The SQL side.


def sum_postings(
    conn: Connection,
    keys: Sequence[ColumnElement[Any]],
    members: frozenset[str],
    start: date,
    end: date,
    position: int,
    *conditions: ColumnElement[bool],
) -> list[tuple[Any, ...]]:
    """(*keys, debit-positive sum) over the members' amounts dated start..end, known at position."""
    from sqlalchemy import func, select

    from ledger.store import tables as t

    if start > end or position <= 0:
        return []
    a = t.amounts.c
    query = (
        select(*keys, func.sum(a.amount_cents))
        .where(
            a.unit.in_(sorted(members)),
            a.effective_on >= start,
            a.effective_on <= end,
            a.position <= position,
            *conditions,
        )
        .group_by(*keys)
    )
    return [tuple(row) for row in conn.execute(query).all()]


def row_sums(
    conn: Connection | reader.Reader,
    unit: str,
    periods: Sequence[tuple[date, date]],
    position: int,
) -> list[dict[str, int]]:
    """Per period, {statement row: debit-positive sum} of the subtree's amounts dated in it,
    known at position: per row, the difference of the unit's balances at the period's end
    and the day before its start, each as known at position (ADR 0007, Revisions). The
    cost is the rows in the answer, not the postings; one statement, so a projector
    committing meanwhile cannot make its parts disagree."""
    spans = [(start, end if start <= end else start - timedelta(days=1)) for start, end in periods]
    found: list[dict[str, int]] = [{} for _ in spans]
    if position <= 0 or not spans:
        return found
    params: dict[str, Any] = {"position": position, "unit": unit}
    for i, (start, end) in enumerate(spans):
        params.update({f"e{i}": end, f"b{i}": start - timedelta(days=1)})
    for row, *sums in reader.of(conn).rows(_row_sums_sql(len(spans)), params):
        for period, total_cents in zip(found, sums, strict=True):
            period[row] = int(total_cents or 0)
    return found


_ROW_SUMS: dict[int, str] = {}


def _row_sums_sql(span_count: int) -> str:
    """The SQL of `row_sums` for a number of periods (built once per number).

    Per key, its latest version known at P(T) (`ix_rm_balance_versions_known`): of its
    newest day then, so it is the balance of any day from that one on. An earlier day
    walks the primary key down from the day, skipping the versions written after P(T)
    on days up to it (a back-dated posting's, or a later import's of the same day)."""
    if span_count in _ROW_SUMS:
        return _ROW_SUMS[span_count]

    def latest(column: str) -> str:
        return (
            f'(SELECT v.{column} FROM {{rm_balance_versions}} v WHERE v.unit = k.unit AND v."row" = k."row"'
            " AND v.position <= :position ORDER BY v.position DESC, v.effective_on DESC LIMIT 1)"
        )

    def balance_on(day: str) -> str:
        return (
            f"CASE WHEN n.newest_day IS NULL THEN 0 WHEN n.newest_day <= :{day} THEN n.newest_balance"
            " ELSE coalesce((SELECT b.balance_cents FROM {rm_balance_versions} b"
            f' WHERE b.unit = n.unit AND b."row" = n."row" AND b.effective_on <= :{day}'
            " AND b.position <= :position ORDER BY b.effective_on DESC, b.position DESC LIMIT 1), 0) END"
        )

    sums = ", ".join(f"{balance_on(f'e{i}')} - {balance_on(f'b{i}')}" for i in range(span_count))
    keys = (
        f'SELECT k.unit, k."row", {latest("effective_on")} AS newest_day, {latest("balance_cents")} AS newest_balance'
        " FROM {rm_balance_keys} k WHERE k.unit = :unit"
    )
    sql = f'SELECT n."row", {sums} FROM ({keys}) n'
    _ROW_SUMS[span_count] = sql
    return sql


def budget_row_sums(
    conn: Connection | reader.Reader, members: frozenset[str], year: int, as_of: date, position: int
) -> list[tuple[str, str, int]]:
    """(statement row, kind, sum) of the year's budget lines on statement rows decided on or
    before as-of, known at position (`sum_budget_lines` for the statement, in plain SQL)."""
    if position <= 0:
        return []
    units = sorted(members)
    params: dict[str, Any] = {"year": year, "as_of": as_of, "position": position}
    params.update({f"u{i}": code for i, code in enumerate(units)})
    sql = (
        'SELECT "row", kind, sum(amount_cents) FROM {rm_budget_lines}'
        f" WHERE fiscal_year = :year AND unit IN ({', '.join(f':u{i}' for i in range(len(units)))})"
        ' AND effective_on <= :as_of AND position <= :position AND "row" IS NOT NULL GROUP BY "row", kind'
    )
    return [(row, kind, int(total)) for row, kind, total in reader.of(conn).rows(sql, params)]


def sum_budget_lines(
    conn: Connection,
    keys: Sequence[ColumnElement[Any]],
    members: frozenset[str],
    year: int,
    as_of: date,
    position: int,
    *conditions: ColumnElement[bool],
) -> list[tuple[Any, ...]]:
    """(*keys, kind, sum) of the year's budget lines decided on or before as-of, known at position."""
    from sqlalchemy import func, select

    from ledger.store import tables as t

    if position <= 0:
        return []
    b = t.budget_lines.c
    query = (
        select(*keys, b.kind, func.sum(b.amount_cents))
        .where(
            b.fiscal_year == year,
            b.unit.in_(sorted(members)),
            b.effective_on <= as_of,
            b.position <= position,
            *conditions,
        )
        .group_by(*keys, b.kind)
    )
    return [tuple(row) for row in conn.execute(query).all()]
