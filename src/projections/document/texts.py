"""The report's own words about each unit: its description, its responsible, its sections'
notes and its deviation explanation.

For a unit, a fiscal year and a kind (UnitDescribed's kind, or `deviation` from
DeviationExplained), the text shown is the latest one, in effective-date order (then log
order), among those recorded by T and counting at as-of. A year's closing words are
written after the year ends (the seed's are dated 26.03.2025), so a report as of the
year's end or later counts every text of the year; an interim report (as-of inside the
year) counts those dated on or before its as-of. Two faces.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import get_args

from sqlalchemy import Connection, select

from ledger import clock
from ledger import events as ev
from ledger.store import tables as t
from projections import query
from projections.query import Scope

# The kinds of text that open a section of the report (the section's key)
SECTION_NOTES = tuple(kind for kind in get_args(ev.UnitTextKind) if kind not in ("description", "responsible"))


@dataclass(frozen=True)
class TextRecord:
    unit: str
    kind: str  # deviation, or a UnitDescribed kind: description, responsible, a section's note
    effective_on: date
    position: int
    text: str


@dataclass(frozen=True)
class UnitTexts:
    """(unit, kind) -> the text in force; units without one are absent."""

    texts: dict[tuple[str, str], str]

    def get(self, unit: str, kind: str) -> str | None:
        return self.texts.get((unit, kind))


def last_counted_day(scope: Scope) -> date | None:
    """The last effective date that counts: as-of inside the year, none (all) from its end."""
    return scope.as_of if scope.as_of < clock.year_end(scope.fiscal_year) else None


def build_texts(scope: Scope, records: Iterable[TextRecord]) -> UnitTexts:
    """`records` are the known texts of the scope's units and year, in any order."""
    last = last_counted_day(scope)
    chosen: dict[tuple[str, str], TextRecord] = {}
    for record in records:
        if (last is not None and record.effective_on > last) or record.unit not in scope.members:
            continue
        key = (record.unit, record.kind)
        held = chosen.get(key)
        if held is None or (record.effective_on, record.position) > (held.effective_on, held.position):
            chosen[key] = record
    return UnitTexts({key: record.text for key, record in chosen.items()})


def _kind(event: ev.UnitDescribed | ev.DeviationExplained) -> str:
    return event.kind if isinstance(event, ev.UnitDescribed) else "deviation"


def fold_texts(events: Iterable[ev.LedgerEvent], scope: Scope) -> UnitTexts:
    records = [
        TextRecord(e.unit, _kind(e), e.effective_on, e.position, e.text)
        for e in query.known(events, scope.known_at)
        if isinstance(e, ev.UnitDescribed | ev.DeviationExplained) and e.fiscal_year == scope.fiscal_year
    ]
    return build_texts(scope, records)


def query_texts(conn: Connection, scope: Scope) -> UnitTexts:
    position = query.position_known_at(conn, scope.known_at)
    u = t.unit_texts.c
    last = last_counted_day(scope)
    found = select(u.unit, u.kind, u.effective_on, u.position, u.text).where(
        u.unit.in_(sorted(scope.members)), u.fiscal_year == scope.fiscal_year, u.position <= position
    )
    if last is not None:
        found = found.where(u.effective_on <= last)
    rows = conn.execute(found).all()
    return build_texts(scope, [TextRecord(r[0], r[1], r[2], int(r[3]), r[4]) for r in rows])
