"""The year's budget decisions that touch a unit: the adopted budget and each amendment,
with what it changed at each unit below (its operating margin, toimintakate).

A decision counts from its decision date (as the budget columns do: decided by as-of)
and once recorded (known at T). Two faces: `fold_decisions` walks the decoded log,
`query_decisions` reads rm_budget_decisions and rm_budget_lines; they must agree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, select

from ledger import events as ev
from ledger.statement_rows import rows_under
from ledger.store import tables as t
from projections import query
from projections.query import Scope

MARGIN_ROWS = rows_under("operating_margin")


@dataclass(frozen=True)
class BudgetDecision:
    position: int
    kind: str  # original | council | operating-plan
    body: str  # council | board
    reference: str
    decided_on: date
    reason: str
    margin_cents: tuple[tuple[str, int], ...]  # (unit, change of its operating margin), units in scope

    @property
    def total_cents(self) -> int:
        return sum(cents for _, cents in self.margin_cents)


def _decision(
    position: int, kind: str, body: str, reference: str, decided_on: date, reason: str, lines: Iterable[tuple[str, int]]
) -> BudgetDecision:
    by_unit: dict[str, int] = defaultdict(int)
    for unit, cents in lines:
        by_unit[unit] += cents
    return BudgetDecision(position, kind, body, reference, decided_on, reason, tuple(sorted(by_unit.items())))


def fold_decisions(events: Iterable[ev.LedgerEvent], scope: Scope) -> tuple[BudgetDecision, ...]:
    found = []
    for e in query.known(events, scope.known_at):
        if not isinstance(e, ev.BudgetAdopted | ev.BudgetAmended) or e.fiscal_year != scope.fiscal_year:
            continue
        if e.decision.decided_on > scope.as_of or not any(line.unit in scope.members for line in e.lines):
            continue
        kind, reason = (e.kind, e.reason) if isinstance(e, ev.BudgetAmended) else ("original", "")
        margin = [
            (line.unit, line.amount_cents if line.row in MARGIN_ROWS else 0)
            for line in e.lines
            if line.unit in scope.members
        ]
        d = e.decision
        found.append(_decision(e.position, kind, d.body, d.reference, d.decided_on, reason, margin))
    return tuple(found)


def query_decisions(conn: Connection, scope: Scope) -> tuple[BudgetDecision, ...]:
    position = query.position_known_at(conn, scope.known_at)
    d, b = t.budget_decisions.c, t.budget_lines.c
    decisions = conn.execute(
        select(d.position, d.kind, d.body, d.reference, d.decided_on, d.reason)
        .where(d.fiscal_year == scope.fiscal_year, d.position <= position, d.decided_on <= scope.as_of)
        .order_by(d.position)
    ).all()
    lines: dict[int, list[tuple[str, int]]] = defaultdict(list)
    found = conn.execute(
        select(b.position, b.unit, b.row, b.amount_cents).where(
            b.fiscal_year == scope.fiscal_year, b.position <= position, b.unit.in_(sorted(scope.members))
        )
    ).all()
    for at, unit, row, cents in found:
        lines[int(at)].append((unit, int(cents) if row in MARGIN_ROWS else 0))
    return tuple(
        _decision(int(at), kind, body, reference, decided_on, reason, lines[int(at)])
        for at, kind, body, reference, decided_on, reason in decisions
        if int(at) in lines
    )
