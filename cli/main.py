"""The `kuntaledger` command's entry point: the typer app (`cli.app`) and the last line of
the error boundary."""

from __future__ import annotations

import sys

from cli.app import app

__all__ = ["app", "run", "unexpected"]


def run() -> None:
    """Console entry point. Ledger errors are handled per command (cli.errors); anything
    unexpected still ends as one line, never a traceback."""
    try:
        app()
    except Exception as error:
        unexpected(error)


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
