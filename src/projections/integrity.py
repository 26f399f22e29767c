"""The database's own check of a store (`kuntaledger verify`, before the hash chain).

SQLite checks every page, b-tree and index of the file (`PRAGMA integrity_check`), read
only. PostgreSQL checks nothing by itself; with the amcheck extension installed, every
b-tree index of the ledger's tables is checked against its table (`bt_index_check` with
`heapallindexed`). Without it, `checked` says so: the chain and the replay that `verify`
runs next still read every event and every read-model row.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from ledger.store.names import EVENT_TABLES
from ledger.store.url import StoreConfig
from projections.reader import sqlite_uri

MAX_PROBLEMS = 20  # SQLite stops listing after this many


@dataclass(frozen=True)
class StoreCheck:
    checked: str  # what the database checked, in words
    problems: list[str]


def check_store(engine: Engine, config: StoreConfig) -> StoreCheck:
    if config.kind == "sqlite":
        return _check_sqlite(config)
    return _check_postgresql(engine, config.schema or "public")


def _check_sqlite(config: StoreConfig) -> StoreCheck:
    checked = "SQLite integrity_check"
    assert config.sqlite_path is not None
    try:
        with closing(sqlite3.connect(sqlite_uri(config.sqlite_path, "ro"), uri=True, timeout=30)) as conn:
            found = [str(row[0]) for row in conn.execute(f"PRAGMA integrity_check({MAX_PROBLEMS})")]
    except sqlite3.DatabaseError as error:
        return StoreCheck(checked, [str(error)])
    return StoreCheck(checked, [] if found == ["ok"] else found)


_AMCHECK_SCHEMA = """
SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'amcheck'
"""
_LEDGER_INDEXES = r"""
SELECT i.relname, i.oid FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_am a ON a.oid = i.relam
JOIN pg_class t ON t.oid = x.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
WHERE n.nspname = :schema AND a.amname = 'btree' AND (t.relname = :events OR t.relname LIKE 'rm\_%')
ORDER BY i.relname
"""


def _check_postgresql(engine: Engine, schema: str) -> StoreCheck:
    with engine.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        amcheck = conn.execute(text(_AMCHECK_SCHEMA)).scalar()
        if amcheck is None:
            return StoreCheck(
                "PostgreSQL: not checked by the server (the amcheck extension is not installed; "
                "CREATE EXTENSION amcheck lets verify check every index against its table)",
                [],
            )
        names = {"schema": schema, "events": EVENT_TABLES["postgresql"]}
        indexes = conn.execute(text(_LEDGER_INDEXES), names).all()
        problems: list[str] = []
        for name, oid in indexes:
            call = f'SELECT "{amcheck.replace(chr(34), chr(34) * 2)}".bt_index_check(:oid, true)'
            try:
                conn.execute(text(call), {"oid": oid})
            except DBAPIError as error:
                detail = str(error.orig).strip().splitlines()[0]
                if getattr(error.orig, "sqlstate", None) == "42501":
                    return StoreCheck(f"PostgreSQL: not checked (this role may not run amcheck: {detail})", [])
                problems.append(f"index {name}: {detail}")
    return StoreCheck(f"PostgreSQL amcheck: {len(indexes)} indexes checked against their tables", problems)
