"""The SQLAlchemy engine for the read models, on the same database as the log."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, MetaData, Table, create_engine, event, insert, inspect, select, update
from sqlalchemy.exc import IntegrityError

from ledger.store import tables as t
from ledger.store.projector import MAIN, reset
from ledger.store.url import StoreConfig

CACHE_KIB = 65536  # SQLite's page cache per connection (default 2 MB); filled only as pages are read


SNAPSHOT = "kuntaledger_snapshot"  # a connection's execution option: it only reads


def make_engine(config: StoreConfig, read_only: bool = False) -> Engine:
    """An engine whose transactions take SQLite's write lock up front (BEGIN IMMEDIATE),
    so that concurrent writers and projectors serialise instead of failing on a stale
    snapshot; except on a connection with the execution option SNAPSHOT (`snapshot`),
    whose transaction is a plain deferred BEGIN: it reads one snapshot of the WAL and
    takes no lock that a writer waits for. A `read_only` engine (a reader such as the web
    view) may not write on SQLite (PRAGMA query_only) and begins every transaction deferred."""
    if config.kind == "sqlite":
        engine = create_engine(config.sqlalchemy_url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _connect(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            if not read_only:
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
            if read_only:
                cursor.execute("PRAGMA query_only=ON")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _begin(conn: Any) -> None:
            deferred = read_only or conn.get_execution_options().get(SNAPSHOT)
            conn.exec_driver_sql("BEGIN" if deferred else "BEGIN IMMEDIATE")

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


class TablesMissing(Exception):
    """The read models need tables created or changed, and the role may not (ADR 0011)."""


def ensure_schema(
    engine: Engine, schema: str | None = None, *, can_create: bool = True, can_project: bool = True
) -> bool:
    """The one way read models are created and upgraded; True when they are to be
    projected again from the log (the next catch-up does).

    Missing read models are created. Read models of an older SCHEMA_VERSION (other
    tables, other rows, other summaries) get the tables and indexes they lack, lose the
    obsolete ones, and are emptied. Only a role that may create tables runs DDL
    (`can_create`); one that may only write the read models empties those of an older
    version when it needs no DDL for that; a reader changes nothing. Raises TablesMissing
    when the role may not run the DDL that is needed."""
    if not inspect(engine).has_table(t.position.name, schema=schema):
        if not can_create:
            raise TablesMissing()
        t.metadata.create_all(engine)
    elif not can_project:
        return False
    with engine.connect() as conn:
        version = conn.execute(select(t.position.c.schema_version).where(t.position.c.name == MAIN)).scalar()
    if version is None:
        _insert_position(engine)
        return False
    if version == t.SCHEMA_VERSION:
        return False
    if can_create:
        _drop_changed_tables(engine, schema)  # emptied below anyway: made again with their new columns
        t.metadata.create_all(engine)  # the tables it lacks, with their indexes
        for table in t.PROJECTED_TABLES:
            for index in table.indexes:
                index.create(engine, checkfirst=True)  # the indexes its tables lack
        obsolete = MetaData()
        for name in t.OBSOLETE_TABLES:
            Table(name, obsolete).drop(engine, checkfirst=True)
    elif any(not inspect(engine).has_table(table.name, schema=schema) for table in t.PROJECTED_TABLES):
        raise TablesMissing()
    with engine.begin() as conn:  # once, when processes open the store at the same time
        older = t.position.c.schema_version != t.SCHEMA_VERSION
        upgraded = conn.execute(update(t.position).where(older).values(schema_version=t.SCHEMA_VERSION))
        if not upgraded.rowcount:
            return False
        reset(conn)
    return True


def _drop_changed_tables(engine: Engine, schema: str | None) -> None:
    """Drop the read models whose stored table lacks a column the current version has."""
    inspector = inspect(engine)
    for table in t.PROJECTED_TABLES:
        if not inspector.has_table(table.name, schema=schema):
            continue
        stored = {column["name"] for column in inspector.get_columns(table.name, schema=schema)}
        if any(column.name not in stored for column in table.columns):
            table.drop(engine)


def _insert_position(engine: Engine) -> None:
    try:
        with engine.begin() as conn:
            row = {"name": MAIN, "notification_id": 0, "log_position": 0, "schema_version": t.SCHEMA_VERSION}
            conn.execute(insert(t.position).values(row))
    except IntegrityError:  # another process inserted it first
        pass
