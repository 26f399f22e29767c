"""Do the read models equal a fresh replay of the log?

The replay projects the log, with the same `Projector`, into a throwaway SQLite file
(`replayed_read_models`), up to the notification the store's read models have reached,
and compares every projected table as a multiset of rows. Surrogate `id` columns are
left out: they number rows in insertion order and a PostgreSQL sequence may skip. The
store's tables are read in one transaction (a snapshot), so a concurrent writer cannot
tear them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, Table, select

from ledger import events as ev
from ledger.store import tables as t
from ledger.store.access import replayed_read_models
from ledger.store.projector import Projector
from projections.differences import TableDifference, difference

SKIPPED_COLUMNS = frozenset({"id"})


ADVICE = (
    "the read models and the log disagree, and either may have been altered: do not rebuild yet. Compare the log "
    "against your last seal with `kuntaledger verify --sealed POSITION:HASH`. If the log matches it, the read "
    "models (or events after the seal) were altered, and `kuntaledger rebuild --sealed POSITION:HASH` refills "
    "them from the log; if it does not, the log was altered, and the read models may still show it as it was"
)


def replay_differences(
    engine: Engine,
    select_notifications: Callable[[int, int], Sequence[Any]],
    decode: Callable[[Any], ev.LedgerEvent],
) -> list[TableDifference]:
    with _snapshot(engine) as conn:
        stop, log_position = Projector(engine, select_notifications, decode).tracked(conn)
        store_rows = {table.name: _rows(conn, table) for table in t.PROJECTED_TABLES}

    def until_stop(start: int, limit: int) -> list[Any]:
        return [n for n in select_notifications(start, limit) if n.id <= stop]

    with replayed_read_models(until_stop, decode) as replay_engine, replay_engine.connect() as conn:
        replay_rows = {table.name: _rows(conn, table) for table in t.PROJECTED_TABLES}
        replay_position = Projector(replay_engine, until_stop, decode).tracked(conn)
    differences = [
        difference(table.name, _columns(table), store_rows[table.name], replay_rows[table.name])
        for table in t.PROJECTED_TABLES
        if store_rows[table.name] != replay_rows[table.name]
    ]
    if replay_position[1] != log_position:
        positions = [Counter([(position,)]) for position in (log_position, replay_position[1])]
        differences.append(difference(t.position.name, ["log_position"], *positions))
    return differences


@contextmanager
def _snapshot(engine: Engine) -> Iterator[Connection]:
    """A connection in a transaction that sees one consistent state."""
    if engine.dialect.name != "postgresql":
        with engine.begin() as conn:  # SQLite: BEGIN IMMEDIATE (database.make_engine)
            yield conn
        return
    with engine.connect() as conn:
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            yield conn


def _columns(table: Table) -> list[str]:
    return [column.name for column in table.columns if column.name not in SKIPPED_COLUMNS]


def _rows(conn: Connection, table: Table) -> Counter[tuple[Any, ...]]:
    return Counter(tuple(row) for row in conn.execute(select(*(table.c[name] for name in _columns(table)))).all())
