"""Which events make up one figure of a report, each with its share, totalling the figure.

A figure is a cell: a unit (and the units below it), a row and a column, for a fiscal
year as of D, known at T. The row is a statement row key (`operating_margin`, whose
parts are included) or an investment line `GROUP:income|expenditure|net`. Actuals are
explained voucher by voucher (a reversal is an item of its own, on its own date) and
budgets decision by decision, each split by unit; an item of an event marked
illustrative carries the mark's note. The fold walks the decoded log, the
same way the reports' reference folds do, so the items total the report exactly.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import Connection

from ledger import clock
from ledger import events as ev
from ledger.errors import InvalidInput
from ledger.statement_rows import ROWS_BY_KEY, rows_under
from projections import query
from projections.illustrative import fold_marks
from projections.investments import query_investments
from projections.journal import JournalEntry, journal
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
            raise InvalidInput(f"--row '{row}': after ':' give income, expenditure or net")
        return _Target(frozenset(), group, frozenset({"income", "expenditure"} if side == "net" else {side}))
    if row not in ROWS_BY_KEY:
        raise InvalidInput(f"--row '{row}': not a statement row key (e.g. operating_margin) nor GROUP:side")
    return _Target(rows_under(row), None, frozenset())


def explain_figure(
    events: Iterable[ev.LedgerEvent], unit: str, row: str, column: str, year: int, as_of: date, known_at: datetime
) -> Explanation:
    if column not in COLUMNS:
        raise InvalidInput(f"--column '{column}': use {', '.join(COLUMNS)}")
    wanted = target(row)
    every = list(events)
    scope = query.scope_for(query.units_in(every, as_of, known_at), unit, year, as_of, known_at)
    seen = query.known(every, scope.known_at)
    if column in ("actual", "prior_year_actual"):
        period_year = year if column == "actual" else year - 1
        period_end = as_of if column == "actual" else clock.year_end(period_year)
        items = list(_actual_items(seen, scope, wanted, period_year, period_end))
    else:
        kinds = {"budget": (True, False), "original_budget": (True,), "budget_amendments": (False,)}[column]
        items = [i for adopted, i in _budget_items(seen, scope, wanted) if adopted in kinds]
    marks = fold_marks(seen)
    marked = (replace(item, illustrative=marks.note(item.position)) for item in items if item.amount_cents)
    return Explanation(scope, row, column, tuple(marked))


def _actual_items(
    seen: list[ev.LedgerEvent], scope: Scope, wanted: _Target, year: int, as_of: date
) -> Iterator[ExplainedItem]:
    book = journal(seen, year, as_of, scope.known_at)
    groups = {e.code: e.investment_group for e in seen if isinstance(e, ev.ProjectAdded)}
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


def _budget_items(seen: list[ev.LedgerEvent], scope: Scope, wanted: _Target) -> Iterator[tuple[bool, ExplainedItem]]:
    for event in seen:
        if not isinstance(event, ev.BudgetAdopted | ev.BudgetAmended):
            continue
        if event.fiscal_year != scope.fiscal_year or event.decision.decided_on > scope.as_of:
            continue
        shares: dict[str, int] = defaultdict(int)
        for line in event.lines:
            if line.unit in scope.members and _budgeted(line, wanted):
                shares[line.unit] += line.amount_cents
        adopted = isinstance(event, ev.BudgetAdopted)
        text = f"{event.kind} amendment: {event.reason}" if isinstance(event, ev.BudgetAmended) else "original budget"
        for unit, amount in shares.items():
            yield (
                adopted,
                ExplainedItem(
                    event.position,
                    ev.type_name(event),
                    event.decision.reference,
                    unit,
                    amount,
                    event.decision.decided_on,
                    event.recorded_at,
                    event.actor,
                    text,
                ),
            )


def _budgeted(line: ev.BudgetLine, wanted: _Target) -> bool:
    if wanted.group is None:
        return line.row in wanted.rows
    return line.investment_group == wanted.group and line.investment_side in wanted.sides


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
