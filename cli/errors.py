"""The error boundary: ledger errors become one line on stderr and exit code 2."""

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

    return wrapper


class LedgerTyper(typer.Typer):
    """A Typer whose commands and callbacks all pass through `guarded`."""

    def command(self, *args: Any, **kwargs: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        register = super().command(*args, **kwargs)
        return lambda function: register(guarded(function))

    def callback(self, *args: Any, **kwargs: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        register = super().callback(*args, **kwargs)
        return lambda function: register(guarded(function))
