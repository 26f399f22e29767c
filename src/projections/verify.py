"""Do the read models equal a fresh replay of the log?

The replay projects the log, with the same `Projector`, into a throwaway SQLite file,
up to the notification the store's read models have reached, and compares every
projected table as a multiset of rows. Surrogate `id` columns are left out: they
number rows in insertion order and a PostgreSQL sequence may skip. The store's tables
are read in one transaction (a snapshot), so a concurrent writer cannot tear them.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, select

from ledger import events as ev
from ledger.counting import counted
from ledger.store import parse_store_url
from projections import tables as t
from projections.database import ensure_schema, make_engine
from projections.projector import Projector

SKIPPED_COLUMNS = frozenset({"id"})


@dataclass(frozen=True)
class TableDifference:
    table: str
    only_in_store: int
    only_in_replay: int
    example: str  # one differing row, as text

    def __str__(self) -> str:
        return (
            f"read model {self.table} differs from a fresh replay of the log: "
            f"{counted(self.only_in_store, 'row')} only in the store, {self.only_in_replay} only in the replay "
            f"(e.g. {self.example}); it was changed outside "
            "the ledger: rebuild the read models from the log"
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

    with tempfile.TemporaryDirectory(prefix="kuntaledger-replay-") as folder:
        replay_engine = make_engine(parse_store_url(f"sqlite:///{Path(folder) / 'replay.db'}"))
        try:
            ensure_schema(replay_engine)
            replayer = Projector(replay_engine, until_stop, decode)
            replayer.catch_up()
            with replay_engine.connect() as conn:
                replay_rows = {table.name: _rows(conn, table) for table in t.PROJECTED_TABLES}
                replay_position = replayer.tracked(conn)
        finally:
            replay_engine.dispose()
    differences = [
        _difference(name, store_rows[name], replay_rows[name])
        for name in store_rows
        if store_rows[name] != replay_rows[name]
    ]
    if replay_position != (stop, log_position):
        differences.append(
            TableDifference(t.position.name, 1, 1, f"store at {log_position}, replay at {replay_position[1]}")
        )
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


def _rows(conn: Connection, table: Table) -> Counter[tuple[Any, ...]]:
    columns = [column for column in table.columns if column.name not in SKIPPED_COLUMNS]
    return Counter(tuple(row) for row in conn.execute(select(*columns)).all())


def _difference(name: str, store: Counter[tuple[Any, ...]], replay: Counter[tuple[Any, ...]]) -> TableDifference:
    only_store = store - replay
    only_replay = replay - store
    example = next(iter(only_store or only_replay))
    return TableDifference(name, sum(only_store.values()), sum(only_replay.values()), repr(example))
