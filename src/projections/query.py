"""What every report shares: the unit and its subtree, the period, and P(T).

A report is asked for a unit (its code or its exact name), a fiscal year, an as-of date
(effective dates up to it count) and a known-at moment (events recorded up to it count).
P(T) is the last log position recorded at or before T; since recording times never go
backwards along the log, "recorded at or before T" and "position <= P(T)" are the same
filter (ADR 0007).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING

from ledger import clock
from ledger.errors import InvalidInput, NotFound
from ledger.units import Unit
from projections import reader

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from ledger import events as ev

# The fast path reads through `projections.reader` (plain SQL); the fold's side imports
# the pydantic events only when it runs, so that the CLI's lean report path never does
# (ADR 0015).


@dataclass(frozen=True)
class Scope:
    """The header of every report: whose figures, for which year, as of and known at when."""

    unit: str
    unit_name: str
    fiscal_year: int
    as_of: date
    known_at: datetime
    members: frozenset[str]  # the unit and all its descendants

    @property
    def year_start(self) -> date:
        return clock.year_start(self.fiscal_year)

    @property
    def actuals_until(self) -> date:
        """The last effective date whose postings count: as-of, but not past the year's end."""
        return min(self.as_of, clock.year_end(self.fiscal_year))


def period(year: int | None, as_of: date | None, known_at: datetime | None) -> tuple[int, date, datetime]:
    """Defaults: the year of --as-of, as-of = 31.12. of the year, known-at = now."""
    if year is None:
        if as_of is None:
            raise InvalidInput("name the fiscal year, e.g. 2024 (or give the as-of date)", field="year")
        year = as_of.year
    return year, as_of or clock.year_end(year), clock.as_utc(known_at) if known_at else clock.now()


def resolve_unit(units: Mapping[str, Unit], text: str) -> Unit:
    """A unit by its code, else by its exact name."""
    wanted = text.strip()
    if wanted in units:
        return units[wanted]
    named = [unit for unit in units.values() if unit.name == wanted]
    if len(named) == 1:
        return named[0]
    if named:
        codes = ", ".join(sorted(unit.code for unit in named))
        raise InvalidInput(
            f"'{wanted}': several units have this name ({codes}); give the code", field="unit", value=wanted
        )
    raise NotFound(
        f"'{wanted}': no unit has this code or name; see `kuntaledger units list`", field="unit", value=wanted
    )


def subtree(units: Mapping[str, Unit], code: str) -> frozenset[str]:
    """The unit and every unit below it."""
    children: dict[str, list[str]] = {}
    for unit in units.values():
        if unit.parent:
            children.setdefault(unit.parent, []).append(unit.code)
    found: set[str] = set()
    pending = [code]
    while pending:
        current = pending.pop()
        if current not in found:
            found.add(current)
            pending.extend(children.get(current, ()))
    return frozenset(found)


def scope_for(units: Mapping[str, Unit], unit: str, year: int, as_of: date, known_at: datetime) -> Scope:
    """`units` with the names in effect on `as_of` as known at `known_at` (ADR 0020)."""
    node = resolve_unit(units, unit)
    return Scope(node.code, node.name, year, as_of, clock.as_utc(known_at), subtree(units, node.code))


def renamed(units: dict[str, Unit], names: Iterable[tuple[str, str]]) -> dict[str, Unit]:
    """`units` with each (code, name) of `names` applied in order: the last one wins."""
    for code, name in names:
        if code in units:
            units[code] = replace(units[code], name=name)
    return units


# The fast path's side: read from the tables, through a SQLAlchemy connection or a Reader.


def load_units(
    conn: Connection | reader.Reader, as_of: date | None = None, position: int | None = None
) -> dict[str, Unit]:
    """Every unit, by the name it was added with; given `as_of` and P(T) `position`, by the
    name in effect on `as_of` as known at P(T)."""
    db = reader.of(conn)
    units = {r[0]: Unit(*r) for r in db.rows("SELECT code, name, parent, binding FROM {rm_units}")}
    if as_of is None or position is None:
        return units
    names = db.rows(
        "SELECT code, name FROM {rm_reference_changes} WHERE kind = 'unit' AND change = 'renamed'"
        " AND effective_on <= :as_of AND position <= :position ORDER BY effective_on, position",
        {"as_of": as_of, "position": position},
    )
    return renamed(units, ((r[0], r[1]) for r in names))


def load_scope(
    conn: Connection | reader.Reader,
    unit: str,
    year: int,
    as_of: date,
    known_at: datetime,
    position: int | None = None,
) -> Scope:
    db = reader.of(conn)
    known = position_known_at(db, known_at) if position is None else position
    return scope_for(load_units(db, as_of, known), unit, year, as_of, known_at)


def position_known_at(conn: Connection | reader.Reader, known_at: datetime) -> int:
    """P(T): the last log position recorded at or before T (0 when nothing was)."""
    found = reader.of(conn).value(
        "SELECT max(position) FROM {rm_log} WHERE recorded_us <= :moment", {"moment": clock.to_micros(known_at)}
    )
    return int(found or 0)


def setting(conn: Connection | reader.Reader, key: str, default: str) -> str:
    value = reader.of(conn).value('SELECT value FROM {rm_settings} WHERE "key" = :key', {"key": key})
    return str(value) if value is not None else default


@dataclass(frozen=True)
class Header:
    """What every report of one (as-of, known-at) reads first, whichever its unit: P(T),
    the units by their names then, and the entity's deviation sign."""

    position: int
    units: Mapping[str, Unit]
    deviation_sign: str

    def scope(self, unit: str, year: int, as_of: date, known_at: datetime) -> Scope:
        return scope_for(self.units, unit, year, as_of, known_at)


def load_header(db: reader.Reader, as_of: date, known_at: datetime) -> Header:
    position = position_known_at(db, clock.as_utc(known_at))
    return Header(position, load_units(db, as_of, position), setting(db, "deviation_sign", DEFAULT_DEVIATION_SIGN))


def report_header(db: reader.Reader, unit: str, year: int, as_of: date, known_at: datetime) -> tuple[Scope, int, str]:
    """What every report reads first: its scope, P(T) and the entity's deviation sign."""
    header = load_header(db, as_of, known_at)
    return header.scope(unit, year, as_of, known_at), header.position, header.deviation_sign


# The reference fold's side: read from the events.


def units_in(
    events: Iterable[ev.LedgerEvent], as_of: date | None = None, known_at: datetime | None = None
) -> dict[str, Unit]:
    """Every unit added; given both moments, by the name in effect on `as_of` as known at `known_at`."""
    from ledger import events as ev

    every = list(events)
    units = {e.code: Unit(e.code, e.name, e.parent, e.binding) for e in every if isinstance(e, ev.UnitAdded)}
    if as_of is None or known_at is None:
        return units
    renames = [e for e in known(every, known_at) if isinstance(e, ev.UnitRenamed) and e.effective_on <= as_of]
    renames.sort(key=lambda e: (e.effective_on, e.position))
    return renamed(units, ((e.code, e.name) for e in renames))


def known(events: Iterable[ev.LedgerEvent], known_at: datetime) -> list[ev.LedgerEvent]:
    """The events recorded at or before `known_at`."""
    moment = clock.as_utc(known_at)
    return [e for e in events if e.recorded_at <= moment]


def deviation_sign_in(events: Iterable[ev.LedgerEvent]) -> str:
    from ledger import events as ev

    for event in events:
        if isinstance(event, ev.LedgerInitialised):
            return event.deviation_sign
    return DEFAULT_DEVIATION_SIGN


DEFAULT_DEVIATION_SIGN = "budget-minus-actual"
