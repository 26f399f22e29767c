"""The running balances (rm_balance_versions) that a batch's postings move.

A posting changes the balance of its unit and of every unit above it, on its day and
every later day, each as a new version at the event's position (ADR 0007, Revision 2).
The newest balance of each (unit, row) is read once for every key, then kept in memory
and carried from batch to batch while this projector is the one that advanced the
position (ADR 0014), so that postings in date order need no reads at all.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from itertools import accumulate, islice, repeat
from typing import Any

from sqlalchemy import Connection, bindparam, func, select

from ledger.store import tables as t
from ledger.store.pending_rows import PendingRows, insert_tuples

# (unit, row) -> (ISO day, balance_cents) of the key's newest day, in its latest version
Newest = dict[tuple[str, str], tuple[str, int]]
# (unit, row) -> {ISO day: debit-positive change}
Changes = dict[tuple[str, str], dict[str, int]]


class RunningBalances:
    """The changes of a batch's events, by position, until written; the newest balances."""

    def __init__(self) -> None:
        self.newest: Newest | None = None  # read at the first write, then kept current
        # position -> (unit, row) -> {ISO day: change} of the units' own postings
        self.changes: dict[int, defaultdict[tuple[str, str], defaultdict[str, int]]] = {}

    def of_event(self, position: int) -> defaultdict[tuple[str, str], defaultdict[str, int]]:
        """The changes of the event at `position`, to add to: (unit, row) -> day -> cents."""
        changes = self.changes.get(position)
        if changes is None:
            changes = self.changes[position] = defaultdict(lambda: defaultdict(int))
        return changes

    def write(self, conn: Connection, pending: PendingRows, chains: dict[str, tuple[str, ...]]) -> None:
        """Each unit's changes go to its own balances and to those of every unit above it
        (`chains`: a unit and its ancestors), event by event: versions at its position."""
        if not self.changes:
            return
        if self.newest is None:
            self.newest = newest_balances(conn)
        for position in sorted(self.changes):
            changes: Changes = {}
            for (unit, row), own in self.changes[position].items():
                for holder in chains[unit]:
                    by_day = changes.get((holder, row))
                    if by_day is None:
                        changes[(holder, row)] = dict(own)
                    else:
                        for day, amount in own.items():
                            by_day[day] = by_day.get(day, 0) + amount
            _versions(conn, pending, position, changes, self.newest)
        self.changes.clear()


def newest_balances(conn: Connection) -> Newest:
    """The newest balance of every (unit, row) key: one query, driven by the keys, two
    primary-key seeks per key (a join let SQLite scan every balance instead)."""
    b, k = t.balances.c, t.balance_keys.c

    def newest(column: Any) -> Any:
        return (
            select(column)
            .where(b.unit == k.unit, b.row == k.row)
            .order_by(b.effective_on.desc(), b.position.desc())
            .limit(1)
            .correlate(t.balance_keys)
            .scalar_subquery()
        )

    query = select(k.unit, k.row, newest(b.effective_on), newest(b.balance_cents))
    return {
        (unit, row): (day if isinstance(day, str) else day.isoformat(), int(balance))
        for unit, row, day, balance in conn.execute(query).tuples()
        if day is not None
    }


def _versions(conn: Connection, pending: PendingRows, position: int, changes: Changes, newest: Newest) -> None:
    """The versions that one event's changes make: for each (unit, row), its day changes
    move the balance of every day on or after a changed day; each moved day gets a version
    at `position`, a day new to the key starts from the balance before it. `newest` (kept
    up to date here) holds each key's newest balance, so a key whose changes come on or
    after its newest day (an import in date order, a rebuild) needs no read; a back-dated
    change reads the key's later days (`_back_dated`)."""
    inserts = pending.tuples_of(t.balances)
    new_keys = pending.tuples_of(t.balance_keys)
    back_dated: Changes = {}
    for key in sorted(changes):  # in primary-key order: cheaper B-tree inserts
        by_day = changes[key]
        unit, row = key
        days = sorted(by_day)
        known = newest.get(key)
        if known is None:
            new_keys.append(key)
            balance = 0
        else:
            last_day, balance = known
            if days[0] < last_day:
                back_dated[key] = by_day
                newest[key] = (last_day if last_day > days[-1] else days[-1], balance + sum(by_day.values()))
                continue
            if days[0] == last_day and not by_day[last_day]:
                del days[0]  # the newest day's balance stays as it is
                if not days:
                    continue
        running = list(accumulate(map(by_day.__getitem__, days), initial=balance))
        inserts.extend(zip(repeat(unit), repeat(row), days, repeat(position), islice(running, 1, None)))
        newest[key] = (days[-1], running[-1])
    if back_dated:
        _back_dated(conn, inserts, position, back_dated)


def _back_dated(conn: Connection, inserts: list[tuple[Any, ...]], position: int, changes: Changes) -> None:
    """Keys with a change before their newest day: one read each of the latest versions of
    the balance before the first changed day and of every later day; each day that moves
    gets a version at `position`, new days included, and so does the newest day even when
    the changes net to nothing by then (a key's latest version is of its newest day)."""
    if inserts:  # an earlier event of this batch may have written versions of these keys
        insert_tuples(conn, t.balances, inserts)
        inserts.clear()
    b = t.balances.c
    earlier = (
        select(func.max(b.effective_on))
        .where(b.unit == bindparam("u"), b.row == bindparam("r"), b.effective_on < bindparam("first"))
        .scalar_subquery()
    )
    known = (
        select(b.effective_on, b.balance_cents)
        .where(
            b.unit == bindparam("u"),
            b.row == bindparam("r"),
            b.effective_on >= func.coalesce(earlier, bindparam("first")),
        )
        .order_by(b.effective_on, b.position)  # a day's latest version last
    )
    # Sent straight to the driver: SQLAlchemy's per-execute work cost several times
    # SQLite's own. Dates go as ISO text to SQLite (its Date type stores that) and come
    # back as text there, as dates elsewhere.
    translate = conn.get_execution_options().get("schema_translate_map")
    compiled = known.compile(
        dialect=conn.dialect, schema_translate_map=translate, render_schema_translate=bool(translate)
    )
    as_text = conn.dialect.name == "sqlite"
    order = compiled.positiontup
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    for (unit, row), by_day in changes.items():
        first = min(by_day)
        values = {"u": unit, "r": row, "first": first if as_text else date.fromisoformat(first)}
        cursor.execute(compiled.string, [values[name] for name in order] if order is not None else values)
        before = 0
        existing: dict[str, int] = {}
        for stored_day, balance in cursor.fetchall():
            day = stored_day if isinstance(stored_day, str) else stored_day.isoformat()
            if day < first:
                before = int(balance)
            else:
                existing[day] = int(balance)
        moved = 0
        days = sorted(existing.keys() | by_day.keys())
        for day in days:
            moved += by_day.get(day, 0)
            if day in existing:
                before = existing[day]
                if moved or day == days[-1]:
                    inserts.append((unit, row, day, position, before + moved))
            else:
                inserts.append((unit, row, day, position, before + moved))
    cursor.close()
