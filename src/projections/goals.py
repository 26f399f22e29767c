"""Goal status (tavoitteet) as of D, known at T: each goal's wording and latest outcome.

A goal counts once its GoalSet is effective (on or before as-of) and known (recorded by
T). Its wording is the GoalSet's, replaced by each GoalReworded in effective-date order
(a rewording without a metric or target keeps the earlier one); its outcome is the last
GoalOutcomeReported in that order. Both faces hand the same records, the events' JSON
content, to `build_goals`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from projections import query, reader
from projections.query import Scope

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from ledger import events as ev


@dataclass(frozen=True)
class GoalItem:
    goal: str
    unit: str
    level: str
    strategic_goal: str
    text: str
    metric: str
    target: str
    responsible: str
    outcome: str | None
    outcome_on: date | None
    status: str  # achieved | partly-achieved | not-achieved | not-assessed


@dataclass(frozen=True)
class GoalReport:
    report_name: ClassVar[str] = "goals"
    scope: Scope
    items: tuple[GoalItem, ...]


@dataclass(frozen=True)
class GoalRecord:
    kind: str
    goal: str
    effective_on: date
    position: int
    fields: dict[str, Any]


def build_goals(scope: Scope, records: Iterable[GoalRecord]) -> GoalReport:
    """The goals of the scope's units and year; `records` are known, in any order."""
    effective = sorted(
        (r for r in records if r.effective_on <= scope.as_of), key=lambda r: (r.effective_on, r.position)
    )
    sets = [
        r
        for r in effective
        if r.kind == "set" and r.fields["unit"] in scope.members and r.fields["fiscal_year"] == scope.fiscal_year
    ]
    items = [_item(goal_set, [r for r in effective if r.goal == goal_set.goal]) for goal_set in sets]
    order = {r.goal: r.position for r in sets}
    return GoalReport(scope, tuple(sorted(items, key=lambda item: order[item.goal])))


def _item(goal_set: GoalRecord, history: list[GoalRecord]) -> GoalItem:
    wording = dict(goal_set.fields)
    outcome: GoalRecord | None = None
    for record in history:
        if record.kind == "reworded":
            wording["text"] = record.fields["text"]
            for key in ("metric", "target"):
                if record.fields[key] is not None:
                    wording[key] = record.fields[key]
        elif record.kind == "outcome":
            outcome = record
    return GoalItem(
        goal=goal_set.goal,
        unit=wording["unit"],
        level=wording["level"],
        strategic_goal=wording["strategic_goal"],
        text=wording["text"],
        metric=wording["metric"],
        target=wording["target"],
        responsible=wording["responsible"],
        outcome=outcome.fields["text"] if outcome else None,
        outcome_on=outcome.effective_on if outcome else None,
        status=outcome.fields["status"] if outcome else "not-assessed",
    )


def _record(kind: str, position: int, fields: dict[str, Any]) -> GoalRecord:
    return GoalRecord(kind, fields["goal"], date.fromisoformat(fields["effective_on"]), position, fields)


# The reference fold.


def fold_goals(events: Iterable[ev.LedgerEvent], unit: str, year: int, as_of: date, known_at: datetime) -> GoalReport:
    from ledger import events as ev

    every = list(events)
    scope = query.scope_for(query.units_in(every, as_of, known_at), unit, year, as_of, known_at)
    kinds: dict[type[ev.LedgerEvent], str] = {
        ev.GoalSet: "set",
        ev.GoalReworded: "reworded",
        ev.GoalOutcomeReported: "outcome",
    }
    records = [
        _record(kinds[type(e)], e.position, e.content()) for e in query.known(every, scope.known_at) if type(e) in kinds
    ]
    return build_goals(scope, records)


# The fast path.


def query_goals(conn: Connection | reader.Reader, unit: str, year: int, as_of: date, known_at: datetime) -> GoalReport:
    db = reader.of(conn)
    scope = query.load_scope(db, unit, year, as_of, known_at)
    position = query.position_known_at(db, scope.known_at)
    units, members = reader.placeholders("u", sorted(scope.members))
    rows = db.rows(
        f"SELECT kind, position, payload FROM {{rm_goal_events}} WHERE unit IN ({units})"
        " AND fiscal_year = :year AND effective_on <= :as_of AND position <= :position",
        {**members, "year": scope.fiscal_year, "as_of": scope.as_of, "position": position},
    )
    return build_goals(scope, [_record(r[0], int(r[1]), json.loads(r[2])) for r in rows])
