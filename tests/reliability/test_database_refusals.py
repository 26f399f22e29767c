"""The CLI boundary turns a database's refusals into one sentence and exit code 2.

The ledger checks privileges when it opens a store (ADR 0011); these are the refusals
that can still come from below: a grant revoked under a running system, a read-only
standby, a lock held too long, a SQLite file that may not be written.
"""

from __future__ import annotations

import sqlite3

import psycopg
import pytest
import typer
from sqlalchemy.exc import OperationalError, ProgrammingError

from cli.errors import database_refusal, guarded


def _wrapped(error: Exception) -> Exception:
    """As SQLAlchemy raises it, with the driver's error as `orig` and cause."""
    kind = (
        OperationalError
        if isinstance(error, (sqlite3.OperationalError, psycopg.OperationalError))
        else ProgrammingError
    )
    wrapped = kind("SELECT 1", {}, error)
    wrapped.__cause__ = error
    return wrapped


@pytest.mark.parametrize(
    ("error", "says"),
    [
        (psycopg.errors.InsufficientPrivilege("permission denied for table rm_position"), "the database refused"),
        (psycopg.errors.ReadOnlySqlTransaction("cannot execute INSERT in a read-only transaction"), "read-only"),
        (psycopg.errors.LockNotAvailable("canceling statement due to lock timeout"), "stayed locked"),
        (sqlite3.OperationalError("attempt to write a readonly database"), "read-only for this user"),
        (sqlite3.OperationalError("database is locked"), "stayed locked by another process"),
    ],
    ids=["privilege", "read-only-transaction", "lock-timeout", "sqlite-read-only", "sqlite-locked"],
)
def test_a_database_refusal_becomes_one_sentence_and_exit_2(error: Exception, says: str) -> None:
    assert says in (database_refusal(_wrapped(error)) or "")

    @guarded
    def command() -> None:
        raise _wrapped(error)

    with pytest.raises(typer.Exit) as exited:
        command()
    assert exited.value.exit_code == 2


def test_any_other_database_error_becomes_one_sentence_without_sql_and_exit_2() -> None:
    error = _wrapped(psycopg.errors.UndefinedTable("relation rm_nothing does not exist\nLINE 1: SELECT 1"))

    @guarded
    def command() -> None:
        raise error

    with pytest.raises(typer.Exit) as exited:
        command()
    assert exited.value.exit_code == 2
    said = database_refusal(error) or ""
    assert "could not be used" in said and "relation rm_nothing does not exist" in said
    assert "SELECT" not in said and "sqlalche.me" not in said


def test_an_error_not_from_the_database_is_left_to_the_outer_boundary() -> None:
    @guarded
    def command() -> None:
        raise ZeroDivisionError("a bug")

    with pytest.raises(ZeroDivisionError):
        command()
