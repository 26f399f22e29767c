"""Plain SQL over the read models, on SQLite or PostgreSQL, without SQLAlchemy (ADR 0015, 0031).

The report queries are SQL text with `:name` parameters and `{rm_table}` placeholders; a
`Reader` turns them into the dialect's form (parameter style, the store's schema) once
and runs them. It runs them through one of two doors, the same text either way:
- `of(conn)`: a SQLAlchemy connection (the application's reads, every test), through
  `exec_driver_sql`, so its transaction, events and error translation stay SQLAlchemy's;
- `snapshot(config)`: a connection of its own (sqlite3, or psycopg) holding one read-only
  snapshot, for the CLI's reports at the log's head, which need not import SQLAlchemy,
  pydantic or eventsourcing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ledger.store.names import EVENT_TABLES, NOTIFICATION_ID, PROJECTOR, SCHEMA_VERSION

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from ledger.store.url import StoreConfig

Rows = Sequence[Sequence[Any]]
Run = Callable[[str, Mapping[str, Any]], Rows]


_PARAMETER = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")
_TABLE = re.compile(r"\{(\w+)\}")
_TRANSLATED: dict[tuple[str, str | None, str], str] = {}


class Reader:
    """Runs SQL templates on one connection, in the dialect's words."""

    def __init__(self, run: Run, dialect: str, schema: str | None) -> None:
        assert dialect in EVENT_TABLES, f"no SQL for the dialect {dialect}"
        self.run = run
        self.dialect = dialect
        self.schema = schema

    def rows(self, template: str, params: Mapping[str, Any] | None = None) -> Rows:
        values = {name: self._value(value) for name, value in (params or {}).items()}
        return self.run(self.sql(template), values)

    def value(self, template: str, params: Mapping[str, Any] | None = None) -> Any:
        """The first column of the first row, or None when there is no row."""
        found = self.rows(template, params)
        return found[0][0] if found else None

    def sql(self, template: str) -> str:
        key = (self.dialect, self.schema, template)
        if key not in _TRANSLATED:
            text = _TABLE.sub(lambda match: self.table(match.group(1)), template)
            if self.dialect == "postgresql":
                text = _PARAMETER.sub(r"%(\1)s", text)
            _TRANSLATED[key] = text
        return _TRANSLATED[key]

    def table(self, name: str) -> str:
        if self.schema is None:
            return name
        return f"{_quoted(self.schema)}.{_quoted(name)}"

    def _value(self, value: Any) -> Any:
        # sqlite3 stores dates as ISO text (as SQLAlchemy's Date does); psycopg sends a date.
        if self.dialect == "sqlite" and isinstance(value, date):
            return value.isoformat()
        return value

    def log_behind(self) -> bool:
        """Whether the log holds events that the read models do not (yet) show, or an
        earlier version wrote them (to be projected again): the projector's tracked
        notification against the log's newest, and its schema version, in one query."""
        events = self.table(EVENT_TABLES[self.dialect])
        tracked, version, head = self.rows(
            "SELECT (SELECT notification_id FROM {rm_position} WHERE name = :name),"
            " (SELECT schema_version FROM {rm_position} WHERE name = :name),"
            f" (SELECT max({NOTIFICATION_ID[self.dialect]}) FROM {events})",
            {"name": PROJECTOR},
        )[0]
        if tracked is None or version is None or int(version) != SCHEMA_VERSION:
            return True
        return int(tracked) != int(head or 0)


def placeholders(prefix: str, values: Sequence[Any]) -> tuple[str, dict[str, Any]]:
    """`:u0, :u1, ...` for an IN list, and the parameters that fill them."""
    names = [f"{prefix}{i}" for i in range(len(values))]
    return ", ".join(f":{name}" for name in names), dict(zip(names, values, strict=True))


def _quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def of(source: Connection | Reader) -> Reader:
    """A Reader on a SQLAlchemy connection (its schema from `schema_translate_map`)."""
    if isinstance(source, Reader):
        return source
    translate = source.get_execution_options().get("schema_translate_map") or {}

    def run(sql: str, params: Mapping[str, Any]) -> Rows:
        return source.exec_driver_sql(sql, dict(params)).all()

    return Reader(run, source.dialect.name, translate.get(None))


@contextmanager
def snapshot(config: StoreConfig) -> Iterator[Reader]:
    """A Reader on a connection of its own that sees one snapshot of the store and may not
    write. Raises the driver's error when the store is missing or cannot be read."""
    if config.kind == "sqlite":
        with _sqlite_snapshot(config) as reader:
            yield reader
    else:
        with _postgresql_snapshot(config) as reader:
            yield reader


@contextmanager
def _sqlite_snapshot(config: StoreConfig) -> Iterator[Reader]:
    import sqlite3

    assert config.sqlite_path is not None
    # mode=rw: never create a missing file.
    conn = sqlite3.connect(sqlite_uri(config.sqlite_path, "rw"), uri=True, timeout=30, isolation_level=None)
    try:
        conn.execute("PRAGMA query_only = ON")
        conn.execute("BEGIN")  # deferred: the first SELECT takes the snapshot, no lock

        def run(sql: str, params: Mapping[str, Any]) -> Rows:
            return conn.execute(sql, params).fetchall()

        yield Reader(run, "sqlite", None)
        conn.execute("ROLLBACK")
    finally:
        conn.close()


def sqlite_uri(path: Path, mode: str) -> str:
    """A `file:` URI that opens the file at `path` in `mode` (ro, rw), whatever its name."""
    quoted = path.absolute().as_posix().replace("%", "%25").replace("?", "%3f").replace("#", "%23")
    return f"file:{quoted}?mode={mode}"


@contextmanager
def _postgresql_snapshot(config: StoreConfig) -> Iterator[Reader]:
    import psycopg
    from psycopg.conninfo import make_conninfo

    env = config.eventsourcing_env
    conninfo = make_conninfo(
        dbname=env["POSTGRES_DBNAME"],
        host=env["POSTGRES_HOST"],
        port=env["POSTGRES_PORT"],
        user=env["POSTGRES_USER"],
        password=env["POSTGRES_PASSWORD"] or None,
        connect_timeout=env["POSTGRES_CONNECT_TIMEOUT"],
    )
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")

        def run(sql: str, params: Mapping[str, Any]) -> Rows:
            return conn.execute(sql, params).fetchall()

        yield Reader(run, "postgresql", config.schema)
        conn.execute("ROLLBACK")
