"""What the web view's front page and header read: the entity, its units, its fiscal
years, the log's head, and the log's recording moments to step known-at through."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import TYPE_CHECKING, Any

from ledger.clock import format_moment, from_micros, to_micros
from projections import reader
from projections.event_log import events

if TYPE_CHECKING:
    from sqlalchemy import Connection


@dataclass(frozen=True)
class UnitEntry:
    code: str
    name: str
    parent: str | None
    binding: str
    depth: int  # 0 for a unit at the top of the tree


@dataclass(frozen=True)
class Overview:
    entity: str
    units: tuple[UnitEntry, ...]  # the tree, depth first, in the order units were added
    years: tuple[int, ...]  # newest first
    head_position: int
    event_count: int
    head_recorded_at: datetime | None

    @property
    def top_unit(self) -> str | None:
        return next((unit.code for unit in self.units if unit.depth == 0), None)


def overview(conn: Connection | reader.Reader) -> Overview:
    db = reader.of(conn)
    entity = db.value('SELECT value FROM {rm_settings} WHERE "key" = :key', {"key": "entity"})
    rows = db.rows("SELECT code, name, parent, binding FROM {rm_units} ORDER BY position")
    years = db.rows(
        "SELECT fiscal_year FROM {rm_fiscal_years} UNION SELECT DISTINCT fiscal_year FROM {rm_log} "
        "WHERE fiscal_year IS NOT NULL"
    )
    head = db.rows("SELECT position, recorded_us FROM {rm_log} ORDER BY position DESC LIMIT 1")
    count = db.value("SELECT count(*) FROM {rm_log}")
    return Overview(
        entity=str(entity or ""),
        units=_tree([(str(r[0]), str(r[1]), r[2], str(r[3])) for r in rows]),
        years=tuple(sorted({int(r[0]) for r in years}, reverse=True)),
        head_position=int(head[0][0]) if head else 0,
        event_count=int(count or 0),
        head_recorded_at=from_micros(int(head[0][1])) if head else None,
    )


def _tree(rows: list[tuple[str, str, Any, str]]) -> tuple[UnitEntry, ...]:
    children: dict[str | None, list[tuple[str, str, Any, str]]] = {}
    known = {row[0] for row in rows}
    for row in rows:
        children.setdefault(row[2] if row[2] in known else None, []).append(row)
    placed: list[UnitEntry] = []

    def place(parent: str | None, depth: int) -> None:
        for code, name, up, binding in children.get(parent, []):
            placed.append(UnitEntry(code, name, up, binding, depth))
            place(code, depth + 1)

    place(None, 0)
    return tuple(placed)


def recording_moments(
    conn: Connection | reader.Reader, year: int, limit: int, zone: tzinfo = UTC
) -> list[dict[str, Any]]:
    """The newest `limit` events of the fiscal year, newest first, each with its recording
    moment in UTC (`known_at`, to pin a page at) and in `zone` (`recorded_at`, to show)."""
    found = events(conn, None, None, year, limit, zone)
    db = reader.of(conn)
    positions = [record["position"] for record in found]
    if not positions:
        return []
    names, params = reader.placeholders("p", positions)
    rows = db.rows(f"SELECT position, recorded_us FROM {{rm_log}} WHERE position IN ({names})", params)
    micros = {int(row[0]): int(row[1]) for row in rows}
    return [
        {**record, "known_at": format_moment(from_micros(micros[record["position"]]))} for record in reversed(found)
    ]


def neighbouring_moments(conn: Connection | reader.Reader, known_at: datetime) -> tuple[str | None, str | None]:
    """The log's recording moments just before and just after what `known_at` sees (UTC,
    as `known_at` parameters): the moment before the newest event recorded by then, and
    the first one recorded after it; None at either end of the log."""
    db = reader.of(conn)
    moment = to_micros(known_at)
    seen = db.value("SELECT max(recorded_us) FROM {rm_log} WHERE recorded_us <= :m", {"m": moment})
    earlier = None
    if seen is not None:
        earlier = db.value("SELECT max(recorded_us) FROM {rm_log} WHERE recorded_us < :m", {"m": int(seen)})
    later = db.value("SELECT min(recorded_us) FROM {rm_log} WHERE recorded_us > :m", {"m": moment})
    return (
        format_moment(from_micros(int(earlier))) if earlier is not None else None,
        format_moment(from_micros(int(later))) if later is not None else None,
    )
