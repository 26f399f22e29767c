"""Plain lists: units, accounts, projects and the event log."""

from __future__ import annotations

from datetime import UTC, tzinfo
from typing import Any

from sqlalchemy import Connection, select

from ledger.clock import format_moment, from_micros
from ledger.errors import InvalidInput
from ledger.events import EVENT_TYPES, type_name
from ledger.store import tables as t
from projections.illustrative import query_marks


def units(conn: Connection) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(t.units.c.code, t.units.c.name, t.units.c.parent, t.units.c.binding).order_by(t.units.c.position)
    ).all()
    names, closings = _changes(conn, "unit")
    return [
        {"code": r[0], "name": names.get(r[0], r[1]), "parent": r[2], "binding": r[3], "closed_on": closings.get(r[0])}
        for r in rows
    ]


def accounts(conn: Connection) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(t.accounts.c.code, t.accounts.c.name, t.accounts.c.row, t.accounts.c.account_class).order_by(
            t.accounts.c.code
        )
    ).all()
    names, closings = _changes(conn, "account")
    return [
        {"code": r[0], "name": names.get(r[0], r[1]), "row": r[2], "class": r[3], "closed_on": closings.get(r[0])}
        for r in rows
    ]


def _changes(conn: Connection, kind: str) -> tuple[dict[str, str], dict[str, str]]:
    """The newest name of each renamed code (by effective date, then log position; a rename
    effective later shows already) and each closed code's closing date (ISO)."""
    c = t.reference_changes.c
    rows = conn.execute(
        select(c.code, c.change, c.name, c.effective_on).where(c.kind == kind).order_by(c.effective_on, c.position)
    ).all()
    names = {r[0]: r[2] for r in rows if r[1] == "renamed"}
    closings = {r[0]: r[3].isoformat() for r in rows if r[1] == "closed"}
    return names, closings


def projects(conn: Connection) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(t.projects.c.code, t.projects.c.name, t.projects.c.investment_group, t.projects.c.unit).order_by(
            t.projects.c.code
        )
    ).all()
    return [{"code": r[0], "name": r[1], "group": r[2], "unit": r[3]} for r in rows]


def events(
    conn: Connection,
    event_type: str | None = None,
    unit: str | None = None,
    year: int | None = None,
    limit: int | None = None,
    zone: tzinfo = UTC,
) -> list[dict[str, Any]]:
    """The log in order; with `limit`, its newest `limit` entries that pass the filters;
    recording times in `zone`."""
    check_event_type(event_type)
    if limit is not None and limit < 1:
        raise InvalidInput(f"--limit {limit}: give a number of events, 1 or more")
    query = select(t.log.c.position, t.log.c.recorded_us, t.log.c.actor, t.log.c.type, t.log.c.summary)
    if event_type:
        query = query.where(t.log.c.type == event_type)
    if unit:
        query = query.where(t.log.c.units.contains(f" {unit} ", autoescape=True))
    if year is not None:
        query = query.where(t.log.c.fiscal_year == year)
    if limit:
        rows = conn.execute(query.order_by(t.log.c.position.desc()).limit(limit)).all()[::-1]
    else:
        rows = conn.execute(query.order_by(t.log.c.position)).all()
    marks = query_marks(conn)
    return [
        {
            "position": r[0],
            "recorded_at": format_moment(from_micros(r[1]), zone),
            "actor": r[2],
            "type": r[3],
            "summary": r[4],
            "illustrative": marks.note(r[0]),
        }
        for r in rows
    ]


def check_event_type(event_type: str | None) -> None:
    names = [type_name(cls) for cls in EVENT_TYPES]
    if event_type is not None and event_type not in names:
        raise InvalidInput(f"--type '{event_type}': no such event type; use one of {', '.join(names)}")
