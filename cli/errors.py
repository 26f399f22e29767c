"""The error boundary: ledger errors, and a database's refusals, become one line on stderr and exit code 2."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any

import typer


def guarded(function: Callable[..., Any]) -> Callable[..., Any]:
    """Run a command; a LedgerError prints 'error: ...' and exits with its code."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from ledger.errors import LedgerError

        try:
            return function(*args, **kwargs)
        except LedgerError as error:
            sys.stderr.write(f"error: {error}\n")
            raise typer.Exit(error.exit_code) from None
        except Exception as error:
            refusal = database_refusal(error)
            if refusal is None:
                raise
            sys.stderr.write(f"error: {refusal}\n")
            raise typer.Exit(2) from None

    return wrapper


# SQLSTATEs of a PostgreSQL server that refuses rather than fails.
_REFUSALS = {
    "42501": "the database refused: {detail}; this role may not do that (docs/deploy-postgresql.md lists the grants)",
    "25006": "the database is read-only here: {detail}; record through the writer role on the primary server",
    "55P03": "the store stayed locked by another process: {detail}; try again",
}


def database_refusal(error: BaseException) -> str | None:
    """A sentence for a database's permission, read-only or lock refusal, else None.

    The ledger checks privileges when it opens a store (ADR 0011); this catches what a
    database administrator changed under it, and SQLite files that may not be written."""
    seen: set[int] = set()
    cause: BaseException | None = error
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        detail = str(cause).strip().splitlines()[0] if str(cause).strip() else type(cause).__name__
        state = getattr(cause, "sqlstate", None)
        if isinstance(state, str) and state in _REFUSALS:
            return _REFUSALS[state].format(detail=detail)
        if "readonly database" in detail:
            return f"the store is read-only for this user: {detail}; nothing was recorded"
        if "database is locked" in detail:
            return f"the store stayed locked by another process: {detail}; try again"
        cause = getattr(cause, "orig", None) or cause.__cause__ or cause.__context__
    return None


class LedgerTyper(typer.Typer):
    """A Typer whose commands and callbacks all pass through `guarded`, with plain help (cli.help)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from cli.help import PlainHelpGroup

        super().__init__(*args, cls=PlainHelpGroup, **kwargs)

    def command(self, *args: Any, **kwargs: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        from cli.help import PlainHelpCommand

        register = super().command(*args, cls=PlainHelpCommand, **kwargs)
        return lambda function: register(guarded(function))

    def callback(self, *args: Any, **kwargs: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        register = super().callback(*args, **kwargs)
        return lambda function: register(guarded(function))
