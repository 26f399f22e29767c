"""Store URLs: which eventsourcing persistence module and which SQLAlchemy URL.

`sqlite:///kuntaledger.db` (the default) or `postgresql://user[:password]@host[:port]/db`
(optionally `?schema=NAME`). The event log and the read models live in the same database.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit, urlunsplit

from ledger.errors import InvalidInput

DEFAULT_STORE = "sqlite:///kuntaledger.db"
COMPRESSOR = "ledger.compression:LargePayloadCompressor"  # large payloads zlib'd (ADR 0009)
STORE_ENV = "KUNTALEDGER_STORE"


@dataclass(frozen=True)
class StoreConfig:
    url: str = field(repr=False)  # may hold a password: print `shown`
    kind: str  # "sqlite" or "postgresql"
    eventsourcing_env: dict[str, str] = field(repr=False)
    sqlalchemy_url: str = field(repr=False)
    schema: str | None = None
    sqlite_path: Path | None = None

    @property
    def shown(self) -> str:
        """The URL as it may be printed or logged."""
        return masked_url(self.url)


def masked_url(url: str) -> str:
    """The URL with its password, if any, replaced by ***: the one form any message shows."""
    parts = urlsplit(url)
    if parts.scheme.startswith("sqlite") or parts.password is None:
        return url
    credentials, _, host = parts.netloc.rpartition("@")
    user = credentials.split(":", 1)[0]
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


def missing_store(config: StoreConfig, what: str) -> str:
    """The refusal of a command that needs a store where there is none."""
    roles = (
        "; where the roles are separate, the owner role runs `kuntaledger migrate` first (docs/deploy-postgresql.md)"
        if config.kind == "postgresql"
        else ""
    )
    return (
        f"the store {config.shown} does not exist ({what}); create it with `kuntaledger init` "
        f"(or name the right one with --store or ${STORE_ENV}){roles}"
    )


def resolve_store_url(explicit: str | None) -> str:
    """--store, else $KUNTALEDGER_STORE, else the default file in the working directory."""
    return explicit or os.environ.get(STORE_ENV) or DEFAULT_STORE


def parse_store_url(url: str) -> StoreConfig:
    parts = urlsplit(url)
    scheme = parts.scheme.split("+")[0]
    if scheme == "sqlite":
        raw_path = url.split(":///", 1)[1] if ":///" in url else ""
        if not raw_path or raw_path == ":memory:":
            raise InvalidInput(f"store '{masked_url(url)}': name a database file, e.g. sqlite:///kuntaledger.db")
        path = Path(unquote(raw_path))
        env = {
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": str(path),
            "SQLITE_LOCK_TIMEOUT": "30",
            "COMPRESSOR_TOPIC": COMPRESSOR,
        }
        return StoreConfig(url, "sqlite", env, f"sqlite:///{path}", sqlite_path=path)
    if scheme in ("postgresql", "postgres"):
        if not parts.hostname or not parts.path.strip("/"):
            raise InvalidInput(f"store '{masked_url(url)}': use postgresql://user@host:port/database")
        schema = parse_qs(parts.query).get("schema", [None])[0]
        env = {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": unquote(parts.path.strip("/")),
            "POSTGRES_HOST": parts.hostname,
            "POSTGRES_PORT": str(parts.port or 5432),
            "POSTGRES_USER": unquote(parts.username or os.environ.get("USER", "postgres")),
            "POSTGRES_PASSWORD": unquote(parts.password or ""),
            "POSTGRES_LOCK_TIMEOUT": "30",
            "POSTGRES_CONNECT_TIMEOUT": "10",
            "COMPRESSOR_TOPIC": COMPRESSOR,
        }
        if schema:
            env["POSTGRES_SCHEMA"] = schema
        netloc = parts.netloc
        sqlalchemy_url = f"postgresql+psycopg://{netloc}/{parts.path.strip('/')}"
        return StoreConfig(url, "postgresql", env, sqlalchemy_url, schema=schema)
    raise InvalidInput(
        f"store '{masked_url(url)}': unknown kind '{parts.scheme}'; use sqlite:///FILE or postgresql://user@host/db"
    )
