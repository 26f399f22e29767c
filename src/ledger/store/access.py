"""What the connected role may do with a store, and reading without writing (ADR 0011).

On PostgreSQL the deployment has three roles (docs/deploy-postgresql.md): the owner
creates the tables, the finance office's writer records and keeps the read models
current, and the auditor only reads. `probe_access` asks the server once, when a
store is opened, so that the ledger never runs DDL it may not run, and a recording
command under a reader fails with a clear "read-only" error before it checks anything.

A reader cannot catch the read models up. When they are behind the log (a writer was
killed between saving and catching up), `replayed_read_models` projects the whole log
into a private SQLite file with the same projector, and the reader is served from it.
The same replay checks a log file before it is imported and the read models in `verify`.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, inspect, text

from ledger.store import tables as t
from ledger.store.database import ensure_schema, make_engine
from ledger.store.names import EVENT_TABLES
from ledger.store.projector import Projector
from ledger.store.url import StoreConfig, parse_store_url


@dataclass(frozen=True)
class StoreAccess:
    role: str
    events_table: str
    events_exist: bool  # the event table (and, on PostgreSQL, its type and function)
    read_models_exist: bool  # the rm_ tables
    can_create: bool  # may create tables: the owner, or anyone on a writable SQLite file
    can_record: bool  # may append events
    can_project: bool  # may write the read models: catch up and rebuild
    why_not: str  # why recording is refused, for the message; "" when it is not

    @property
    def tables_exist(self) -> bool:
        return self.events_exist and self.read_models_exist


def probe_access(engine: Engine, config: StoreConfig) -> StoreAccess:
    if config.kind == "postgresql":
        return _probe_postgresql(engine, config.schema or "public")
    return _probe_sqlite(engine, config)


def _probe_sqlite(engine: Engine, config: StoreConfig) -> StoreAccess:
    path = config.sqlite_path or Path(".")
    existing = path if path.exists() else path.parent
    writable = os.access(existing, os.W_OK) and os.access(path.parent, os.W_OK)
    tables = set(inspect(engine).get_table_names()) if path.exists() else set()
    events_table = EVENT_TABLES["sqlite"]
    why_not = "" if writable else f"the file {path} (or its folder) is not writable for this user"
    return StoreAccess(
        role=os_user(),
        events_table=events_table,
        events_exist=events_table in tables,
        read_models_exist=t.position.name in tables,
        can_create=writable,
        can_record=writable,
        can_project=writable,
        why_not=why_not,
    )


_POSTGRES_PROBE = """
SELECT current_user AS role,
       current_setting('transaction_read_only') = 'on' AS read_only,
       to_regnamespace(:schema) IS NOT NULL AS schema_exists,
       coalesce(has_schema_privilege(to_regnamespace(:schema), 'CREATE'), false) AS can_create,
       to_regclass(:events) IS NOT NULL AS events_exist,
       to_regclass(:position) IS NOT NULL AS read_models_exist,
       coalesce(has_table_privilege(to_regclass(:events), 'INSERT'), false) AS can_insert,
       coalesce(has_table_privilege(to_regclass(:events), 'UPDATE'), false) AS can_lock,
       coalesce(has_table_privilege(to_regclass(:position), 'UPDATE'), false) AS can_project
"""


def _probe_postgresql(engine: Engine, schema: str) -> StoreAccess:
    events_table = EVENT_TABLES["postgresql"]
    names = {
        "schema": schema,
        "events": f'"{schema}"."{events_table}"',
        "position": f'"{schema}"."{t.position.name}"',
    }
    with engine.connect() as conn:
        row = conn.execute(text(_POSTGRES_PROBE), names).mappings().one()
    role = str(row["role"])
    if row["read_only"]:
        why_not = "its sessions are read-only (default_transaction_read_only, or a standby server)"
    elif not row["schema_exists"]:
        why_not = f"the schema '{schema}' does not exist"
    elif not row["events_exist"]:
        why_not = f"the event table {schema}.{events_table} does not exist yet"
    elif not (row["can_insert"] and row["can_lock"]):
        why_not = (
            f"it lacks INSERT and UPDATE privileges on {schema}.{events_table} "
            "(UPDATE lets a writer take the table lock that orders the log)"
        )
    elif not row["can_project"]:
        why_not = f"it may not update the read models ({schema}.{t.position.name})"
    else:
        why_not = ""
    writable = not row["read_only"]
    return StoreAccess(
        role=role,
        events_table=events_table,
        events_exist=bool(row["events_exist"]),
        read_models_exist=bool(row["read_models_exist"]),
        can_create=writable and bool(row["can_create"]),
        can_record=why_not == "",
        can_project=writable and bool(row["can_project"]),
        why_not=why_not,
    )


def os_user() -> str:
    """The user this process runs as: a SQLite store's role, and the default actor."""
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return os.environ.get("USER", "unknown")


@contextmanager
def replayed_read_models(
    select_notifications: Callable[[int, int], Sequence[Any]],
    decode: Callable[[Any], Any],
    payload: Callable[[Any], bytes] | None = None,
) -> Iterator[Engine]:
    """The read models of the events `select_notifications` pages through (as the store's
    `Projector` takes them), projected into a private SQLite file removed on leaving.
    An event the projector cannot apply raises its error on entering."""
    with tempfile.TemporaryDirectory(prefix="kuntaledger-replay-") as folder:
        engine = make_engine(parse_store_url(f"sqlite:///{Path(folder) / 'read-models.db'}"))
        try:
            ensure_schema(engine)
            Projector(engine, select_notifications, decode, payload).catch_up()
            yield engine
        finally:
            engine.dispose()
