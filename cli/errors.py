"""The error boundary: ledger errors, and a database's refusals, become one line on stderr and exit code 2."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any

import typer


def guarded(function: Callable[..., Any]) -> Callable[..., Any]:
    """Run a command; a LedgerError prints 'error: ...' (naming its field as an option) and exits
    with its code, a database error prints one sentence and exits 2."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from ledger.errors import LedgerError

        try:
            return function(*args, **kwargs)
        except LedgerError as error:
            sys.stderr.write(f"error: {error.spelled(option_of(error.field)) if error.field else error}\n")
            raise typer.Exit(error.exit_code) from None
        except Exception as error:
            refusal = database_refusal(error, kwargs.get("store"))
            if refusal is None:
                raise
            sys.stderr.write(f"error: {refusal}\n")
            raise typer.Exit(2) from None

    return wrapper


def option_of(field: str) -> str:
    """The CLI's option for a command's field where the command does not spell it otherwise:
    `decided_on` is `--decided-on`."""
    return "--" + field.replace("_", "-")


# SQLSTATEs of a PostgreSQL server that refuses rather than fails.
_REFUSALS = {
    "42501": "the database refused: {detail}; this role may not do that (docs/deploy-postgresql.md lists the grants)",
    "25006": "the database is read-only here: {detail}; record through the writer role on the primary server",
    "55P03": "the store stayed locked by another process: {detail}; try again",
}
_DAMAGED_STATES = {"XX001", "XX002"}  # data_corrupted, index_corrupted
_DAMAGED_WORDS = ("malformed", "not a database", "disk image", "invalid page", "could not read block")
_DATABASE_MODULES = ("sqlite3", "sqlalchemy.", "psycopg", "eventsourcing.persistence")


def database_refusal(error: BaseException, store: str | None = None) -> str | None:
    """A sentence for any error that came from the database, else None: its permission,
    read-only and lock refusals, a damaged store, and anything else it raised.

    The ledger checks privileges when it opens a store (ADR 0011); this catches what a
    database administrator changed under it, and SQLite files that may not be written.
    The sentence quotes the driver's first line, never the SQL or a library's address."""
    chain = _causes(error)
    if not any(_from_database(cause) for cause in chain):
        return None
    for cause in chain:
        detail = _first_line(cause)
        state = getattr(cause, "sqlstate", None)
        if isinstance(state, str) and state in _REFUSALS:
            return _REFUSALS[state].format(detail=detail)
        if "readonly database" in detail:
            return f"the store is read-only for this user: {detail}; nothing was recorded"
        if "database is locked" in detail:
            return f"the store stayed locked by another process: {detail}; try again"
    detail = _first_line(chain[-1])
    shown = _shown_store(store)
    if any(getattr(cause, "sqlstate", None) in _DAMAGED_STATES for cause in chain) or any(
        word in detail for word in _DAMAGED_WORDS
    ):
        return (
            f"the store {shown} is damaged: the database says '{detail}'; `kuntaledger verify` runs its check; "
            "restore the store from a backup"
        )
    return f"the store {shown} could not be used: the database says '{detail}'"


def _causes(error: BaseException) -> list[BaseException]:
    """The error, then what it wraps (SQLAlchemy's `orig`), its cause or context, in turn."""
    seen: list[BaseException] = []
    cause: BaseException | None = error
    while cause is not None and all(cause is not other for other in seen):
        seen.append(cause)
        cause = getattr(cause, "orig", None) or cause.__cause__ or cause.__context__
    return seen


def _from_database(error: BaseException) -> bool:
    return any(kind.__module__.startswith(_DATABASE_MODULES) for kind in type(error).__mro__)


def _first_line(error: BaseException) -> str:
    """The driver's own words: the first line, without SQLAlchemy's '(module.Class) ' prefix."""
    text = str(error).strip()
    line = text.splitlines()[0] if text else type(error).__name__
    if line.startswith("(") and ") " in line:
        line = line.split(") ", 1)[1]
    return line


def _shown_store(store: str | None) -> str:
    from ledger.store.url import masked_url, resolve_store_url

    return masked_url(resolve_store_url(store))


class LedgerTyper(typer.Typer):
    """A Typer whose commands and callbacks all pass through `guarded`, with plain help
    (cli.help) and plain values coerced without pydantic (cli.params)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from cli.params import LedgerGroup

        super().__init__(*args, cls=LedgerGroup, **kwargs)

    def command(self, *args: Any, **kwargs: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        from cli.params import LedgerCommand

        register = super().command(*args, cls=LedgerCommand, **kwargs)
        return lambda function: register(guarded(function))

    def callback(self, *args: Any, **kwargs: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        register = super().callback(*args, **kwargs)
        return lambda function: register(guarded(function))
