"""The SQLAlchemy engine for the read models, on the same database as the log."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, insert, inspect, select, update
from sqlalchemy.exc import IntegrityError

from ledger.store import tables as t
from ledger.store.projector import MAIN, reset
from ledger.store.url import StoreConfig

CACHE_KIB = 65536  # SQLite's page cache per connection (default 2 MB); filled only as pages are read


SNAPSHOT = "kuntaledger_snapshot"  # a connection's execution option: it only reads


def make_engine(config: StoreConfig) -> Engine:
    """An engine whose transactions take SQLite's write lock up front (BEGIN IMMEDIATE),
    so that concurrent writers and projectors serialise instead of failing on a stale
    snapshot; except on a connection with the execution option SNAPSHOT (`snapshot`),
    whose transaction is a plain deferred BEGIN: it reads one snapshot of the WAL and
    takes no lock that a writer waits for."""
    if config.kind == "sqlite":
        engine = create_engine(config.sqlalchemy_url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _connect(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _begin(conn: Any) -> None:
            conn.exec_driver_sql("BEGIN" if conn.get_execution_options().get(SNAPSHOT) else "BEGIN IMMEDIATE")

        return engine
    options: dict[str, Any] = {"pool_pre_ping": True}
    if config.schema:
        options["execution_options"] = {"schema_translate_map": {None: config.schema}}
    return create_engine(config.sqlalchemy_url, **options)


def snapshot(conn: Connection) -> Connection:
    """`conn`, set to read in one snapshot that blocks no writer: a deferred transaction on
    SQLite, REPEATABLE READ on PostgreSQL. Call it before the connection's first statement."""
    if conn.dialect.name == "postgresql":
        return conn.execution_options(isolation_level="REPEATABLE READ")
    return conn.execution_options(**{SNAPSHOT: True})


def ensure_schema(engine: Engine, schema: str | None = None) -> bool:
    """Create the read-model tables and the position row when missing. Read models that an
    earlier version wrote (an older SCHEMA_VERSION: other summaries, other rows) are emptied
    here, to be projected again from the log by the next catch-up; True when that happened."""
    if not inspect(engine).has_table(t.position.name, schema=schema):
        t.metadata.create_all(engine)
    try:
        with engine.begin() as conn:
            found = conn.execute(select(t.position.c.schema_version).where(t.position.c.name == MAIN)).first()
            if found is None:
                conn.execute(
                    insert(t.position).values(
                        name=MAIN, notification_id=0, log_position=0, schema_version=t.SCHEMA_VERSION
                    )
                )
            elif found.schema_version != t.SCHEMA_VERSION:
                reset(conn)
                conn.execute(update(t.position).values(schema_version=t.SCHEMA_VERSION))
                return True
    except IntegrityError:  # another process created it first
        pass
    return False
