"""What changed in a unit's reports between two known-at moments, and which events did it.

Every report (statement, investments, goals, risks; the summary is three statement rows)
is folded as known at each moment with the same as-of date. A money figure that differs
is explained (`explain.py`) as known at the later moment, and the items recorded after
the earlier one are the events that changed it: they total the change exactly. A goal
or risk field that differs lists the goal's or risk's events recorded in between.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any

from ledger import clock
from ledger import events as ev
from projections.explain import ExplainedItem, explain_figure
from projections.goals import fold_goals
from projections.investments import fold_investments
from projections.risks import fold_risks
from projections.statement import fold_statement

MONEY_COLUMNS = ("prior_year_actual", "original_budget", "budget_amendments", "budget", "actual")
TEXT_EVENTS = (ev.GoalSet, ev.GoalReworded, ev.GoalOutcomeReported, ev.RiskAssessed)


@dataclass(frozen=True)
class ChangedFigure:
    report: str  # statement | investments | goals | risks
    key: str  # a statement row, GROUP:side, a goal or a risk
    column: str  # a money column or a field
    earlier: Any
    later: Any
    events: tuple[ExplainedItem, ...]  # recorded between the two moments; money items total the change

    @property
    def is_money(self) -> bool:
        return self.report in ("statement", "investments")

    @property
    def change_cents(self) -> int | None:
        return self.later - self.earlier if self.is_money else None


@dataclass(frozen=True)
class ReportDiff:
    unit: str
    fiscal_year: int
    as_of: date
    earlier: datetime
    later: datetime
    changes: tuple[ChangedFigure, ...]


def diff_reports(
    events: Sequence[ev.LedgerEvent], unit: str, year: int, as_of: date, one: datetime, other: datetime
) -> ReportDiff:
    earlier, later = sorted((clock.as_utc(one), clock.as_utc(other)))
    changes = [
        *_money(events, "statement", _statement_cells, unit, year, as_of, earlier, later),
        *_money(events, "investments", _investment_cells, unit, year, as_of, earlier, later),
        *_texts(events, "goals", unit, year, as_of, earlier, later),
        *_texts(events, "risks", unit, year, as_of, earlier, later),
    ]
    code = fold_statement(events, unit, year, as_of, later).scope.unit
    return ReportDiff(code, year, as_of, earlier, later, tuple(changes))


def _statement_cells(
    events: Sequence[ev.LedgerEvent], unit: str, year: int, as_of: date, at: datetime
) -> dict[tuple[str, str], int]:
    statement = fold_statement(events, unit, year, as_of, at)
    return {(line.key, column): getattr(line.figures, column) for line in statement.lines for column in MONEY_COLUMNS}


def _investment_cells(
    events: Sequence[ev.LedgerEvent], unit: str, year: int, as_of: date, at: datetime
) -> dict[tuple[str, str], int]:
    report = fold_investments(events, unit, year, as_of, at)
    return {
        (f"{group.group}:{line.key}", column): getattr(line.figures, column)
        for group in report.groups
        for line in group.lines
        for column in MONEY_COLUMNS
    }


def _money(
    events: Sequence[ev.LedgerEvent],
    report: str,
    cells: Any,
    unit: str,
    year: int,
    as_of: date,
    earlier: datetime,
    later: datetime,
) -> Iterator[ChangedFigure]:
    before, after = cells(events, unit, year, as_of, earlier), cells(events, unit, year, as_of, later)
    for (key, column), value in after.items():
        old = before.get((key, column), 0)
        if value != old:
            explained = explain_figure(events, unit, key, column, year, as_of, later)
            between = tuple(item for item in explained.items if item.recorded_at > earlier)
            yield ChangedFigure(report, key, column, old, value, between)


def _texts(
    events: Sequence[ev.LedgerEvent], report: str, unit: str, year: int, as_of: date, earlier: datetime, later: datetime
) -> Iterator[ChangedFigure]:
    fold = fold_goals if report == "goals" else fold_risks
    before = {_item_key(i): i for i in fold(events, unit, year, as_of, earlier).items}
    after = {_item_key(i): i for i in fold(events, unit, year, as_of, later).items}
    for key in sorted(before.keys() | after.keys()):
        old, new = before.get(key), after.get(key)
        present = new if new is not None else old
        assert present is not None
        for name in (f.name for f in fields(present)):
            old_value, new_value = getattr(old, name, None), getattr(new, name, None)
            if old_value != new_value:
                yield ChangedFigure(report, key, name, old_value, new_value, text_events(events, key, earlier, later))


def _item_key(item: Any) -> str:
    return str(getattr(item, "goal", None) or item.risk)


def text_events(
    events: Sequence[ev.LedgerEvent], key: str, earlier: datetime, later: datetime
) -> tuple[ExplainedItem, ...]:
    """The events of a goal or risk recorded after `earlier`, up to `later`."""
    found = []
    for event in events:
        if not isinstance(event, TEXT_EVENTS) or not earlier < event.recorded_at <= later:
            continue
        name = event.risk if isinstance(event, ev.RiskAssessed) else event.goal
        if name == key:
            unit = event.unit if isinstance(event, ev.RiskAssessed | ev.GoalSet) else ""
            text = event.description if isinstance(event, ev.RiskAssessed) else event.text
            found.append(
                ExplainedItem(
                    event.position,
                    ev.type_name(event),
                    key,
                    unit,
                    0,
                    event.effective_on,
                    event.recorded_at,
                    event.actor,
                    text,
                )
            )
    return tuple(found)
