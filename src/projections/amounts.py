"""Posted amounts and budget lines, read both ways: folded from events, summed in SQL.

The fold's side walks the decoded events; the SQL side sums the pre-aggregated rows of
`rm_amounts` and `rm_budget_lines` with GROUP BY over indexed columns. Amounts here are
debit positive (postings) or in the statement's sign (budget lines), as stored.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, case, func, select, union_all

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


BY_POSITION = "INDEXED BY ix_rm_amounts_position"  # SQLite's planner, without statistics, prefers unit_day


def row_sums(
    conn: Connection,
    members: frozenset[str],
    periods: Sequence[tuple[date, date]],
    position: int,
    way: str | None = None,  # "balances" or "amounts" to force one (tests); None: the cheaper
) -> list[dict[str, int]]:
    """Per period, {statement row: debit-positive sum} of the members' amounts dated in it,
    known at position; the cost is the rows in the answer, not the postings (ADR 0007,
    Revision). Known now (or nearly), it is the difference of two rm_balances per (unit,
    row) less the few rm_amounts rows recorded after P(T); known long ago, the few rows
    recorded up to P(T). rm_amount_marks says which are fewer. Each way is one statement,
    so a projector committing meanwhile cannot make its parts disagree."""
    spans = [(start, end if start <= end else start - timedelta(days=1)) for start, end in periods]
    found: list[dict[str, int]] = [{} for _ in spans]
    if position <= 0 or not spans:
        return found
    a, b, k, m = t.amounts.c, t.balances.c, t.balance_keys.c, t.amount_marks.c
    through = select(func.max(m.rows_through)).where(m.position <= position).scalar_subquery()
    written, total = conn.execute(select(through, func.max(m.rows_through))).one()
    written, total = int(written or 0), int(total or 0)
    units = sorted(members)
    low, high = min(s for s, _ in spans), max(e for _, e in spans)

    def amounts_where(sign: int, *known: ColumnElement[bool]) -> Any:
        amount = a.amount_cents if sign > 0 else -a.amount_cents
        sums = [func.sum(case((and_(a.effective_on >= s, a.effective_on <= e), amount), else_=0)) for s, e in spans]
        return (
            select(a.row, *sums)
            .with_hint(t.amounts, BY_POSITION, "sqlite")
            .where(*known, a.unit.in_(units), a.row.is_not(None), a.effective_on >= low, a.effective_on <= high)
            .group_by(a.row)
        )

    if way == "amounts" or (way is None and written <= total - written):
        query = amounts_where(1, a.position <= position)
    else:

        def balance_on(day: date) -> Any:
            latest = (
                select(b.balance_cents)
                .where(b.unit == k.unit, b.row == k.row, b.effective_on <= day)
                .order_by(b.effective_on.desc())
                .limit(1)
                .scalar_subquery()
            )
            return func.coalesce(latest, 0)

        now = select(k.row, *(balance_on(e) - balance_on(s - timedelta(days=1)) for s, e in spans)).where(
            k.unit.in_(units)
        )
        query = union_all(now, amounts_where(-1, a.position > position))
    for row, *sums in conn.execute(query).all():
        for period, total_cents in zip(found, sums, strict=True):
            period[row] = period.get(row, 0) + int(total_cents or 0)
    return found


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
