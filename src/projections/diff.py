"""What changed in a unit's reports between two known-at moments, and which events did it.

Every report (statement, investments, goals, risks; the summary is three statement rows)
is read from the read models as known at each moment with the same as-of date. A money
figure that differs is explained (`explain.py`) as known at the later moment, and the
items recorded after the earlier one are the events that changed it: they total the
change exactly. A goal or risk field that differs lists the goal's or risk's events
recorded in between (rm_goal_events, rm_risk_events).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, select

from ledger import clock
from ledger.store import tables as t
from projections import query
from projections.explain import Evidence, ExplainedItem, explain_figure
from projections.goals import query_goals
from projections.investments import query_investments
from projections.risks import query_risks
from projections.statement import query_statement

MONEY_COLUMNS = ("prior_year_actual", "original_budget", "budget_amendments", "budget", "actual")
GOAL_EVENT_TYPES = {"set": "GoalSet", "reworded": "GoalReworded", "outcome": "GoalOutcomeReported"}


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


def diff_reports(evidence: Evidence, unit: str, year: int, as_of: date, one: datetime, other: datetime) -> ReportDiff:
    earlier, later = sorted((clock.as_utc(one), clock.as_utc(other)))
    conn = evidence.conn
    changes = [
        *_money(evidence, "statement", _statement_cells, unit, year, as_of, earlier, later),
        *_money(evidence, "investments", _investment_cells, unit, year, as_of, earlier, later),
        *_texts(conn, "goals", unit, year, as_of, earlier, later),
        *_texts(conn, "risks", unit, year, as_of, earlier, later),
    ]
    code = query.load_scope(conn, unit, year, as_of, later).unit
    return ReportDiff(code, year, as_of, earlier, later, tuple(changes))


def _statement_cells(conn: Connection, unit: str, year: int, as_of: date, at: datetime) -> dict[tuple[str, str], int]:
    statement = query_statement(conn, unit, year, as_of, at)
    return {(line.key, column): getattr(line.figures, column) for line in statement.lines for column in MONEY_COLUMNS}


def _investment_cells(conn: Connection, unit: str, year: int, as_of: date, at: datetime) -> dict[tuple[str, str], int]:
    report = query_investments(conn, unit, year, as_of, at)
    return {
        (f"{group.group}:{line.key}", column): getattr(line.figures, column)
        for group in report.groups
        for line in group.lines
        for column in MONEY_COLUMNS
    }


def _money(
    evidence: Evidence,
    report: str,
    cells: Any,
    unit: str,
    year: int,
    as_of: date,
    earlier: datetime,
    later: datetime,
) -> Iterator[ChangedFigure]:
    before, after = cells(evidence.conn, unit, year, as_of, earlier), cells(evidence.conn, unit, year, as_of, later)
    for (key, column), value in after.items():
        old = before.get((key, column), 0)
        if value != old:
            explained = explain_figure(evidence, unit, key, column, year, as_of, later)
            between = tuple(item for item in explained.items if item.recorded_at > earlier)
            yield ChangedFigure(report, key, column, old, value, between)


def _texts(
    conn: Connection, report: str, unit: str, year: int, as_of: date, earlier: datetime, later: datetime
) -> Iterator[ChangedFigure]:
    fold = query_goals if report == "goals" else query_risks
    before = {_item_key(i): i for i in fold(conn, unit, year, as_of, earlier).items}
    after = {_item_key(i): i for i in fold(conn, unit, year, as_of, later).items}
    for key in sorted(before.keys() | after.keys()):
        old, new = before.get(key), after.get(key)
        present = new if new is not None else old
        assert present is not None
        for name in (f.name for f in fields(present)):
            old_value, new_value = getattr(old, name, None), getattr(new, name, None)
            if old_value != new_value:
                events = text_events(conn, key, earlier, later)
                yield ChangedFigure(report, key, name, old_value, new_value, events)


def _item_key(item: Any) -> str:
    return str(getattr(item, "goal", None) or item.risk)


def text_events(conn: Connection, key: str, earlier: datetime, later: datetime) -> tuple[ExplainedItem, ...]:
    """The events of the goal or risk named `key` recorded after `earlier`, up to `later`."""
    first, last = (query.position_known_at(conn, moment) for moment in (earlier, later))
    found = [*_goal_events(conn, key, first, last), *_risk_events(conn, key, first, last)]
    return tuple(sorted(found, key=lambda item: item.position))


def _goal_events(conn: Connection, key: str, first: int, last: int) -> Iterator[ExplainedItem]:
    g, log = t.goal_events.c, t.log.c
    rows = conn.execute(
        select(g.position, g.kind, g.unit, g.effective_on, g.payload, log.recorded_us, log.actor)
        .join(t.log, log.position == g.position)
        .where(g.goal == key, g.position > first, g.position <= last)
    )
    for position, kind, unit, effective_on, payload, recorded_us, actor in rows.tuples():
        shown = unit if kind == "set" else ""  # a rewording or an outcome names no unit
        text = json.loads(payload)["text"]
        yield ExplainedItem(
            position, GOAL_EVENT_TYPES[kind], key, shown, 0, effective_on, clock.from_micros(recorded_us), actor, text
        )


def _risk_events(conn: Connection, key: str, first: int, last: int) -> Iterator[ExplainedItem]:
    r, log = t.risk_events.c, t.log.c
    rows = conn.execute(
        select(r.position, r.unit, r.effective_on, r.payload, log.recorded_us, log.actor)
        .join(t.log, log.position == r.position)
        .where(r.risk == key, r.position > first, r.position <= last)
    )
    for position, unit, effective_on, payload, recorded_us, actor in rows.tuples():
        text = json.loads(payload)["description"]
        yield ExplainedItem(
            position, "RiskAssessed", key, unit, 0, effective_on, clock.from_micros(recorded_us), actor, text
        )
