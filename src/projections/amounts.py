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

from sqlalchemy import ColumnElement, Connection, and_, bindparam, case, func, select, union_all

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


def row_sums(
    conn: Connection,
    unit: str,
    members: frozenset[str],  # the unit's subtree
    periods: Sequence[tuple[date, date]],
    position: int,
    way: str | None = None,  # "balances" or "amounts" to force one (tests); None: the cheaper
) -> list[dict[str, int]]:
    """Per period, {statement row: debit-positive sum} of the subtree's amounts dated in it,
    known at position; the cost is the rows in the answer, not the postings (ADR 0007,
    Revision). Known now (or nearly), it is the difference of two of the unit's rm_balances
    per row less the few rm_amounts rows recorded after P(T); known long ago, the few rows
    recorded up to P(T). rm_amount_marks says which are fewer. Each way is one statement,
    so a projector committing meanwhile cannot make its parts disagree. The statements are
    compiled once per shape (SQLAlchemy's per-call work cost more than the database's)."""
    spans = [(start, end if start <= end else start - timedelta(days=1)) for start, end in periods]
    found: list[dict[str, int]] = [{} for _ in spans]
    if position <= 0 or not spans:
        return found
    units = sorted(members)
    params: dict[str, Any] = {"position": position, "unit": unit}
    params.update({f"u{i}": code for i, code in enumerate(units)})
    for i, (start, end) in enumerate(spans):
        params.update({f"s{i}": start.isoformat(), f"e{i}": end.isoformat()})
        params[f"b{i}"] = (start - timedelta(days=1)).isoformat()
    params["low"] = min(s for s, _ in spans).isoformat()
    params["high"] = max(e for _, e in spans).isoformat()
    ((written, total),) = _run(conn, ("marks",), _marks_query, params)
    written, total = int(written or 0), int(total or 0)
    if way is None:
        way = "amounts" if written <= total - written else "balances"
    shape = (way, len(units), len(spans))
    for row, *sums in _run(conn, shape, lambda: _row_sums_query(*shape), params):
        for period, total_cents in zip(found, sums, strict=True):
            period[row] = period.get(row, 0) + int(total_cents or 0)
    return found


_COMPILED: dict[tuple[Any, ...], tuple[str, tuple[str, ...] | None, dict[str, Any]]] = {}


def _run(conn: Connection, shape: tuple[Any, ...], build: Any, params: dict[str, Any]) -> list[Any]:
    translate = conn.get_execution_options().get("schema_translate_map")
    key = (conn.dialect.name, repr(translate), *shape)
    if key not in _COMPILED:
        compiled = build().compile(
            dialect=conn.dialect, schema_translate_map=translate, render_schema_translate=bool(translate)
        )
        _COMPILED[key] = (compiled.string, compiled.positiontup, compiled.construct_params(_check=False))
    sql, order, defaults = _COMPILED[key]
    values = {**defaults, **params}
    args: Any = tuple(values[name] for name in order) if order is not None else values
    return list(conn.exec_driver_sql(sql, args).all())


def _marks_query() -> Any:
    """(rm_amounts rows written up to P(T), all of them)."""
    m = t.amount_marks.c
    through = select(func.max(m.rows_through)).where(m.position <= bindparam("position")).scalar_subquery()
    return select(through, func.max(m.rows_through))


def _row_sums_query(way: str, unit_count: int, span_count: int) -> Any:
    a, b, k = t.amounts.c, t.balances.c, t.balance_keys.c
    units: list[Any] = [bindparam(f"u{i}") for i in range(unit_count)]
    spans: list[tuple[Any, Any, Any]] = [
        (bindparam(f"s{i}"), bindparam(f"e{i}"), bindparam(f"b{i}")) for i in range(span_count)
    ]

    def amounts_where(sign: int, *known: ColumnElement[bool]) -> Any:
        # `unit || ''` keeps the planner off ix_rm_amounts_unit_day (it reads every row
        # of the units); ix_rm_amounts_position reads only the rows on the chosen side of P(T).
        amount = a.amount_cents if sign > 0 else -a.amount_cents
        sums = [func.sum(case((and_(a.effective_on >= s, a.effective_on <= e), amount), else_=0)) for s, e, _ in spans]
        return (
            select(a.row, *sums)
            .where(*known, a.unit.concat("").in_(units), a.row.is_not(None))
            .where(a.effective_on >= bindparam("low"), a.effective_on <= bindparam("high"))
            .group_by(a.row)
        )

    if way == "amounts":
        return amounts_where(1, a.position <= bindparam("position"))

    def balance_on(day: Any) -> Any:
        latest = (
            select(b.balance_cents)
            .where(b.unit == k.unit, b.row == k.row, b.effective_on <= day)
            .order_by(b.effective_on.desc())
            .limit(1)
            .scalar_subquery()
        )
        return func.coalesce(latest, 0)

    now = select(k.row, *(balance_on(e) - balance_on(before) for _, e, before in spans)).where(
        k.unit == bindparam("unit")
    )
    return union_all(now, amounts_where(-1, a.position > bindparam("position")))


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
