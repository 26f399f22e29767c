"""The `kuntaledger` command's entry point.

A plain report (`statement`, `summary` or `investments`, with options the lean path fully
understands) is answered by `cli.quick` without importing typer, SQLAlchemy, pydantic or
eventsourcing; everything else, and anything unusual about such a report, goes to the
typer app in `cli.app` (ADR 0015). `from cli.main import app` still gives that app.
"""

from __future__ import annotations

import sys
from importlib import import_module
from typing import Any


def run() -> None:
    """Console entry point. Ledger errors are handled per command (cli.errors); anything
    unexpected still ends as one line, never a traceback."""
    from cli import quick

    try:
        if quick.answer(sys.argv[1:]):
            return
    except Exception as error:
        unexpected(error)
    import_module("cli.app").run()


def unexpected(error: Exception) -> None:
    """One line for an error no command handled: exit 2 for a database's, else exit 3."""
    from cli.errors import database_refusal

    refusal = database_refusal(error, _store_option(sys.argv[1:]))
    if refusal is not None:
        sys.stderr.write(f"error: {refusal}\n")
        sys.exit(2)
    sys.stderr.write(f"error: unexpected {type(error).__name__}: {error}\n")
    sys.exit(3)


def _store_option(argv: list[str]) -> str | None:
    """The value of --store on the command line, if there is one."""
    for word, following in zip(argv, [*argv[1:], None], strict=True):
        if word == "--store":
            return following
        if word.startswith("--store="):
            return word.partition("=")[2]
    return None


def __getattr__(name: str) -> Any:
    """`app`, `COMMAND_MODULES`, ...: the typer app's module, imported when first asked for."""
    if name.startswith("__"):
        raise AttributeError(name)
    return getattr(import_module("cli.app"), name)
