"""The event log as `kuntaledger events` lists it: from the read models' `rm_log`, through a `Reader`."""

from __future__ import annotations

from datetime import UTC, tzinfo
from typing import TYPE_CHECKING, Any

from ledger.clock import format_moment, from_micros
from ledger.errors import InvalidInput
from projections import reader
from projections.illustrative import query_marks

if TYPE_CHECKING:
    from sqlalchemy import Connection


def events(
    conn: Connection | reader.Reader,
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
        raise InvalidInput(f"{limit}: give a number of events, 1 or more", field="limit", value=limit)
    db = reader.of(conn)
    filters, params = _filters(event_type, unit, year)
    where = f" WHERE {' AND '.join(filters)}" if filters else ""
    found = "SELECT position, recorded_us, actor, type, summary FROM {rm_log}" + where
    if limit:
        rows = db.rows(f"{found} ORDER BY position DESC LIMIT :limit", {**params, "limit": limit})[::-1]
    else:
        rows = db.rows(f"{found} ORDER BY position", params)
    return _records(db, rows, zone)


def page(
    conn: Connection | reader.Reader,
    event_type: str | None,
    unit: str | None,
    year: int | None,
    after: int,
    size: int,
    zone: tzinfo = UTC,
) -> list[dict[str, Any]]:
    """Keyset paging: the first `size` entries after log position `after` that pass the
    filters, in log order; one index range scan, however deep the page."""
    check_event_type(event_type)
    db = reader.of(conn)
    filters, params = _filters(event_type, unit, year)
    filters.append("position > :after")
    sql = "SELECT position, recorded_us, actor, type, summary FROM {rm_log} WHERE " + " AND ".join(filters)
    rows = db.rows(f"{sql} ORDER BY position LIMIT :size", {**params, "after": after, "size": size})
    return _records(db, rows, zone)


def _records(db: reader.Reader, rows: Any, zone: tzinfo) -> list[dict[str, Any]]:
    marks = query_marks(db)
    return [
        {
            "position": int(r[0]),
            "recorded_at": format_moment(from_micros(int(r[1])), zone),
            "actor": r[2],
            "type": r[3],
            "summary": r[4],
            "illustrative": marks.note(int(r[0])),
        }
        for r in rows
    ]


def _filters(event_type: str | None, unit: str | None, year: int | None) -> tuple[list[str], dict[str, Any]]:
    """SQL conditions and their parameters: the type, a unit among those the event
    touches (`units` is ' A B '), the fiscal year."""
    filters: list[str] = []
    params: dict[str, Any] = {}
    if event_type:
        filters.append("type = :type")
        params["type"] = event_type
    if unit:
        escaped = f" {unit} ".replace("/", "//").replace("%", "/%").replace("_", "/_")
        filters.append("units LIKE :units ESCAPE '/'")
        params["units"] = f"%{escaped}%"
    if year is not None:
        filters.append("fiscal_year = :year")
        params["year"] = year
    return filters, params


def check_event_type(event_type: str | None) -> None:
    if event_type is None:
        return
    from ledger.events import EVENT_TYPES, type_name

    names = [type_name(cls) for cls in EVENT_TYPES]
    if event_type not in names:
        raise InvalidInput(
            f"'{event_type}': no such event type; use one of {', '.join(names)}", field="type", value=event_type
        )
