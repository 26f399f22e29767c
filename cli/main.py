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
    sys.stderr.write(f"error: unexpected {type(error).__name__}: {error}\n")
    sys.exit(3)


def __getattr__(name: str) -> Any:
    """`app`, `COMMAND_MODULES`, ...: the typer app's module, imported when first asked for."""
    if name.startswith("__"):
        raise AttributeError(name)
    return getattr(import_module("cli.app"), name)
