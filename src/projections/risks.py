"""The risk register (riskienhallinta) as of D, known at T.

Each risk of a unit is shown by its latest assessment in effective-date order among those
effective on or before as-of and recorded by T; risks are listed in the order they were
first assessed. Both faces hand the events' JSON content to `build_risks`.
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
class RiskItem:
    risk: str
    unit: str
    risk_class: str
    description: str
    probability: int
    significance: int
    mitigation: str
    carried_out: str
    assessed_on: date
    responsible: str  # the office holder who answers for the mitigation; "" when not recorded


@dataclass(frozen=True)
class RiskReport:
    report_name: ClassVar[str] = "risks"
    scope: Scope
    items: tuple[RiskItem, ...]


def build_risks(scope: Scope, assessments: Iterable[tuple[int, dict[str, Any]]]) -> RiskReport:
    """`assessments` are (position, RiskAssessed content) pairs known at T, in any order."""
    relevant = sorted(
        (
            (date.fromisoformat(fields["effective_on"]), position, fields)
            for position, fields in assessments
            if fields["unit"] in scope.members and fields["fiscal_year"] == scope.fiscal_year
        ),
        key=lambda found: (found[0], found[1]),
    )
    latest: dict[tuple[str, str], RiskItem] = {}
    first_seen: dict[tuple[str, str], int] = {}
    for assessed_on, position, fields in relevant:
        if assessed_on > scope.as_of:
            continue
        key = (fields["unit"], fields["risk"])
        first_seen[key] = min(position, first_seen.get(key, position))
        latest[key] = _item(fields, assessed_on)
    return RiskReport(scope, tuple(latest[key] for key in sorted(latest, key=lambda k: (first_seen[k], k))))


def _item(fields: dict[str, Any], assessed_on: date) -> RiskItem:
    return RiskItem(
        risk=fields["risk"],
        unit=fields["unit"],
        risk_class=fields["risk_class"],
        description=fields["description"],
        probability=int(fields["probability"]),
        significance=int(fields["significance"]),
        mitigation=fields["mitigation"],
        carried_out=fields["carried_out"],
        assessed_on=assessed_on,
        responsible=fields.get("responsible", ""),  # absent from a version-1 payload
    )


# The reference fold.


def fold_risks(events: Iterable[ev.LedgerEvent], unit: str, year: int, as_of: date, known_at: datetime) -> RiskReport:
    every = list(events)
    scope = query.scope_for(query.units_in(every, as_of, known_at), unit, year, as_of, known_at)
    from ledger import events as ev

    found = [(e.position, e.content()) for e in query.known(every, scope.known_at) if isinstance(e, ev.RiskAssessed)]
    return build_risks(scope, found)


# The fast path.


def query_risks(conn: Connection | reader.Reader, unit: str, year: int, as_of: date, known_at: datetime) -> RiskReport:
    db = reader.of(conn)
    scope = query.load_scope(db, unit, year, as_of, known_at)
    position = query.position_known_at(db, scope.known_at)
    units, members = reader.placeholders("u", sorted(scope.members))
    rows = db.rows(
        f"SELECT position, payload FROM {{rm_risk_events}} WHERE unit IN ({units})"
        " AND fiscal_year = :year AND effective_on <= :as_of AND position <= :position",
        {**members, "year": scope.fiscal_year, "as_of": scope.as_of, "position": position},
    )
    return build_risks(scope, [(int(row[0]), json.loads(row[1])) for row in rows])
