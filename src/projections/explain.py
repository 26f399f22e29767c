"""Which events make up one figure of a report, each with its share, totalling the figure.

A figure is a cell: a unit (and the units below it), a row and a column, for a fiscal
year as of D, known at T. The row is a statement row key (`operating_margin`, whose
parts are included) or an investment line `GROUP:income|expenditure|net`. Actuals are
explained voucher by voucher (a reversal is an item of its own, on its own date) and
budgets decision by decision, each split by unit; an item of an event marked
illustrative carries the mark's note. Budgets come from the read models alone
(rm_budget_lines, rm_budget_decisions, rm_log); actuals need each voucher's id, text
and lines, so the journal (`journal.py`) reads the events behind them from the log at
their positions, never the whole log (ADR 0007). The items total the report exactly.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import Connection, select

from ledger import clock
from ledger import events as ev
from ledger.errors import InvalidInput
from ledger.statement_rows import ROWS_BY_KEY, rows_under
from ledger.store import tables as t
from projections import query
from projections.illustrative import query_marks
from projections.investments import query_investments
from projections.journal import EventsAt, Journal, JournalEntry, journal
from projections.query import Scope
from projections.statement import query_statement

COLUMNS = ("actual", "budget", "original_budget", "budget_amendments", "prior_year_actual")
INVESTMENT_SIDES = ("income", "expenditure", "net")


@dataclass(frozen=True)
class ExplainedItem:
    position: int
    event_type: str  # VouchersPosted | VoucherReversed | BudgetAdopted | BudgetAmended
    reference: str  # the voucher id or the decision's reference
    unit: str
    amount_cents: int  # the share of the figure, in the report's sign
    effective_on: date
    recorded_at: datetime
    actor: str
    text: str
    illustrative: str | None = None  # the note of the mark on its event (ADR 0028)


@dataclass(frozen=True)
class Explanation:
    scope: Scope
    row: str
    column: str
    items: tuple[ExplainedItem, ...]

    @property
    def total_cents(self) -> int:
        return sum(item.amount_cents for item in self.items)


@dataclass(frozen=True)
class _Target:
    """What a line must be to count: statement rows, or an investment group and sides."""

    rows: frozenset[str]
    group: str | None
    sides: frozenset[str]


def target(row: str) -> _Target:
    group, colon, side = row.partition(":")
    if colon:
        if side not in INVESTMENT_SIDES:
            raise InvalidInput(f"'{row}': after ':' give income, expenditure or net", field="row", value=row)
        return _Target(frozenset(), group, frozenset({"income", "expenditure"} if side == "net" else {side}))
    if row not in ROWS_BY_KEY:
        raise InvalidInput(
            f"'{row}': not a statement row key (e.g. operating_margin) nor GROUP:side", field="row", value=row
        )
    return _Target(rows_under(row), None, frozenset())


class Evidence:
    """What figures are explained from: the read models (`conn`) and the events at some
    log positions (`events_at`, as `Ledger.events_at` reads them). Each period's journal
    is built once, for the many figures of `diff` and of an approved report."""

    def __init__(self, conn: Connection, events_at: EventsAt) -> None:
        self.conn = conn
        self.events_at = events_at
        self._journals: dict[tuple[int, date, datetime], Journal] = {}

    def journal(self, year: int, as_of: date, known_at: datetime) -> Journal:
        key = (year, as_of, clock.as_utc(known_at))
        if key not in self._journals:
            self._journals[key] = journal(self.conn, self.events_at, *key)
        return self._journals[key]


def explain_figure(
    evidence: Evidence, unit: str, row: str, column: str, year: int, as_of: date, known_at: datetime
) -> Explanation:
    if column not in COLUMNS:
        raise InvalidInput(f"'{column}': use {', '.join(COLUMNS)}", field="column", value=column)
    wanted = target(row)
    conn = evidence.conn
    position = query.position_known_at(conn, known_at)
    scope = query.load_scope(conn, unit, year, as_of, known_at, position)
    if column in ("actual", "prior_year_actual"):
        period_year = year if column == "actual" else year - 1
        period_end = as_of if column == "actual" else clock.year_end(period_year)
        book = evidence.journal(period_year, period_end, scope.known_at)
        items = list(_actual_items(conn, book, scope, wanted))
    else:
        kinds = {"budget": (True, False), "original_budget": (True,), "budget_amendments": (False,)}[column]
        items = [i for adopted, i in _budget_items(conn, scope, wanted, position) if adopted in kinds]
    marks = query_marks(conn, position)
    marked = (replace(item, illustrative=marks.note(item.position)) for item in items if item.amount_cents)
    return Explanation(scope, row, column, tuple(marked))


def _actual_items(conn: Connection, book: Journal, scope: Scope, wanted: _Target) -> Iterator[ExplainedItem]:
    groups = dict(conn.execute(select(t.projects.c.code, t.projects.c.investment_group)).tuples().all())
    for entry in book.entries:
        shares: dict[str, int] = defaultdict(int)
        texts: dict[str, list[str]] = defaultdict(list)  # the counted lines' own texts
        for line in entry.lines:
            account = book.accounts.get(line.account)
            if line.unit in scope.members and _counts(entry, line, account, wanted, groups):
                shares[line.unit] -= line.amount_cents
                if line.text and line.text not in texts[line.unit]:
                    texts[line.unit].append(line.text)
        for unit, amount in shares.items():
            own = entry.text if entry.kind == "reversal" else "; ".join(texts[unit])  # a reversal: its reason
            yield _voucher_item(entry, unit, amount, own)


def _counts(
    entry: JournalEntry, line: ev.PostingLine, account: ev.Account | None, wanted: _Target, groups: dict[str, str]
) -> bool:
    row = account.row if account else None
    if wanted.group is None:
        return row in wanted.rows
    if row is not None or line.project is None or groups.get(line.project) != wanted.group:
        return False
    original = line.amount_cents if entry.kind == "posting" else -line.amount_cents
    return ("expenditure" if original > 0 else "income") in wanted.sides


def _voucher_item(entry: JournalEntry, unit: str, amount: int, text: str) -> ExplainedItem:
    kind = "VouchersPosted" if entry.kind == "posting" else "VoucherReversed"
    return ExplainedItem(
        entry.position,
        kind,
        entry.voucher,
        unit,
        amount,
        entry.effective_on,
        entry.recorded_at,
        entry.actor,
        text,
    )


def _budget_items(
    conn: Connection, scope: Scope, wanted: _Target, position: int
) -> Iterator[tuple[bool, ExplainedItem]]:
    """Each budget decision's share per unit, from its lines in rm_budget_lines (in order)."""
    b, d, log = t.budget_lines.c, t.budget_decisions.c, t.log.c
    rows = conn.execute(
        select(b.position, b.unit, b.row, b.investment_group, b.investment_side, b.amount_cents)
        .where(
            b.fiscal_year == scope.fiscal_year,
            b.effective_on <= scope.as_of,
            b.position <= position,
            b.unit.in_(sorted(scope.members)),
        )
        .order_by(b.position, b.id)
    ).tuples()
    shares: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for at, unit, row, group, side, amount in rows:
        if _budgeted(row, group, side, wanted):
            shares[at][unit] += amount
    decisions = conn.execute(
        select(d.position, d.kind, d.reference, d.decided_on, d.reason, log.type, log.recorded_us, log.actor)
        .join(t.log, log.position == d.position)
        .where(d.position.in_(sorted(shares)))
        .order_by(d.position)
    ).tuples()
    for at, kind, reference, decided_on, reason, event_type, recorded_us, actor in decisions:
        adopted = event_type == "BudgetAdopted"
        text = "original budget" if adopted else f"{kind} amendment: {reason}"
        for unit, amount in shares[at].items():
            item = ExplainedItem(
                at, event_type, reference, unit, amount, decided_on, clock.from_micros(recorded_us), actor, text
            )
            yield adopted, item


def _budgeted(row: str | None, group: str | None, side: str | None, wanted: _Target) -> bool:
    if wanted.group is None:
        return row in wanted.rows
    return group == wanted.group and side in wanted.sides


def report_figure(conn: Connection, explanation: Explanation) -> int:
    """The same cell as the printed report computes it (the fast path), to hold the items against."""
    scope, column = explanation.scope, explanation.column
    if ":" not in explanation.row:
        statement = query_statement(conn, scope.unit, scope.fiscal_year, scope.as_of, scope.known_at)
        return int(getattr(statement.line(explanation.row).figures, column))
    group, _, side = explanation.row.partition(":")
    report = query_investments(conn, scope.unit, scope.fiscal_year, scope.as_of, scope.known_at)
    for lines in report.groups:
        if lines.group == group:
            return int(getattr(next(line for line in lines.lines if line.key == side).figures, column))
    return 0
