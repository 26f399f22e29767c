"""One exception hierarchy; every message says what is wrong and how to fix it."""

from __future__ import annotations


class LedgerError(Exception):
    """Base of every error the ledger raises on purpose (exit code 2 at the CLI).

    An error about one parameter of a command names its `field` (the command's field,
    `decided_on`) rather than the way a user gave it, and carries the offending `value`;
    the message then starts with that value as it reads in the sentence
    (`"2025-01-01: that is in the future"`). Each front end names the field its own way
    (`spelled`): the CLI by its option (`--decided-on 2025-01-01: ...`), a history file by
    its key (`key decided-on: 2025-01-01: ...`); `str()` uses the field with dashes.
    """

    exit_code = 2

    def __init__(self, message: str, *, field: str | None = None, value: object = None) -> None:
        super().__init__(message)
        self.message, self.field, self.value = message, field, value

    def spelled(self, name: str) -> str:
        """The message with the field called `name`: 'NAME VALUE...' or, without a value, 'NAME: ...'."""
        if self.field is None:
            return self.message
        return f"{name} {self.message}" if self.value is not None else f"{name}: {self.message}"

    def __str__(self) -> str:
        return self.spelled(self.field.replace("_", "-")) if self.field else self.message


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
