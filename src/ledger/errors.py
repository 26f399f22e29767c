"""One exception hierarchy; every message says what is wrong and how to fix it."""

from __future__ import annotations


class LedgerError(Exception):
    """Base of every error the ledger raises on purpose (exit code 2 at the CLI)."""

    exit_code = 2


class InvalidInput(LedgerError):
    """A file, option or value is malformed: nothing was written."""


class RuleViolation(LedgerError):
    """A well-formed command breaks a rule of the ledger (closed year, wrong body, ...)."""


class NotFound(LedgerError):
    """A unit, account, voucher or goal that the command names does not exist."""


class Conflict(LedgerError):
    """The store changed under us too many times, or the store is in the wrong state."""


class ReadOnly(LedgerError):
    """The store connection may read but not write."""


def located(source: str | None, line: int | None, field: str | None, message: str) -> str:
    """Prefix a message with 'FILE line N, column FIELD: ' for whatever is known."""
    where = " ".join(part for part in (source, f"line {line}" if line else None) if part)
    if field:
        where = f"{where}, column {field}" if where else f"column {field}"
    return f"{where}: {message}" if where else message
