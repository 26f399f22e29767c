"""Posted amounts and budget lines, read both ways: folded from events, summed in SQL.

The fold's side walks the decoded events; the SQL side sums the pre-aggregated rows of
`rm_amounts` and `rm_budget_lines` with GROUP BY over indexed columns. Amounts here are
debit positive (postings) or in the statement's sign (budget lines), as stored.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Connection, func, select

from ledger import events as ev
from projections import tables as t


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
    return {a.code: a.row for e in events if isinstance(e, ev.AccountsAdded) for a in e.accounts}


def project_groups(events: Iterable[ev.LedgerEvent]) -> dict[str, str]:
    return {e.code: e.investment_group for e in events if isinstance(e, ev.ProjectAdded)}


def budget_events(events: Iterable[ev.LedgerEvent], year: int, as_of: date) -> Iterator[tuple[bool, ev.BudgetLine]]:
    """(is the original budget, line) of the year's budget decisions taken on or before as-of."""
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
