"""Plain lists: units, accounts and projects (the event log: `projections.event_log`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from ledger.store import tables as t


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
