"""The statutory reporting lists (ADR 0039): a code list as valid on a day, the units'
default service classes, and what was submitted to the Treasury when."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, select

from ledger import clock
from ledger.classification import valid_list
from ledger.store import tables as t
from projections import query


def class_codes(
    conn: Connection, kind: str, as_of: date, known_at: datetime | None = None
) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """(the load of the list of `kind` valid on `as_of` as known at `known_at` (None: now),
    or None; its codes, by code)."""
    position = None if known_at is None else query.position_known_at(conn, known_at)
    found = valid_list(conn, kind, as_of, position)
    if found is None:
        return None, []
    lists, codes = t.class_lists.c, t.class_codes.c
    load = conn.execute(
        select(lists.position, lists.valid_from, lists.file, lists.source, lists.codes, lists.unverified).where(
            lists.position == found.position
        )
    ).one()
    rows = conn.execute(
        select(codes.code, codes.name, codes.parent, codes.unverified)
        .where(codes.position == found.position)
        .order_by(codes.code)
    ).all()
    header = {
        "kind": kind,
        "valid_from": load[1].isoformat(),
        "position": int(load[0]),
        "file": load[2],
        "source": load[3],
        "codes": int(load[4]),
        "unverified": int(load[5]),
    }
    return header, [{"code": r[0], "name": r[1], "parent": r[2], "unverified": bool(r[3])} for r in rows]


def unit_service_classes(conn: Connection, on: date | None = None) -> dict[str, str]:
    """{unit: its default service class on `on`}: the latest set effective by then (None:
    the latest of all), a later position winning between equal days."""
    c = t.unit_service_classes.c
    rows = conn.execute(select(c.unit, c.service_class, c.effective_on, c.position)).all()
    chosen: dict[str, tuple[date, int, str]] = {}
    for unit, code, effective_on, position in rows:
        since = effective_on or date.min
        if on is not None and since > on:
            continue
        key = (since, int(position), code)
        if unit not in chosen or key > chosen[unit]:
            chosen[unit] = key
    return {unit: key[2] for unit, key in chosen.items()}


def submissions(conn: Connection, report_set: str | None = None) -> list[dict[str, Any]]:
    """Every submission, in the order recorded, newest last."""
    s = t.submissions.c
    query = select(
        s.position,
        s.report_set,
        s.period,
        s.file,
        s.content_hash,
        s.as_of,
        s.known_at_us,
        s.recorded_us,
        s.approved_by,
        s.decision,
        s.corrects,
    ).order_by(s.position)
    if report_set is not None:
        query = query.where(s.report_set == report_set)
    return [
        {
            "position": int(r[0]),
            "set": r[1],
            "period": r[2],
            "file": r[3],
            "content_hash": r[4],
            "as_of": r[5].isoformat(),
            "known_at": clock.format_moment(clock.from_micros(int(r[6]))),
            "recorded_at": clock.format_moment(clock.from_micros(int(r[7]))),
            "approved_by": r[8],
            "decision": r[9],
            "corrects": None if r[10] is None else int(r[10]),
        }
        for r in conn.execute(query).all()
    ]
