"""Options and helpers shared by every command module."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from ledger.clock import ZONE_ENV
from ledger.errors import InvalidInput
from ledger.store.url import STORE_ENV

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from ledger.application import Ledger
    from ledger.drafts import Outcome
    from projections.reader import Reader

T = TypeVar("T")

StoreOption = Annotated[
    str | None,
    typer.Option(
        "--store",
        envvar=STORE_ENV,
        help="Store URL: sqlite:///FILE (default sqlite:///kuntaledger.db) or postgresql://user@host:port/db.",
        show_default=False,
    ),
]
ActorOption = Annotated[
    str | None, typer.Option("--actor", help="Who records this (default: the OS user).", show_default=False)
]
RecordedAtOption = Annotated[
    str | None,
    typer.Option(
        "--recorded-at",
        help="Recording time, ISO 8601 (default now; without an offset, in --tz); never earlier than the newest event "
        "nor ahead of the clock.",
        show_default=False,
    ),
]
TzOption = Annotated[
    str,
    typer.Option(
        "--tz",
        envvar=ZONE_ENV,
        help="Time zone (IANA name) in which times without an offset are read and text shows times; JSON keeps UTC.",
    ),
]
FormatOption = Annotated[str, typer.Option("--format", help="table or json.")]
YearOption = Annotated[int, typer.Option("--year", help="Fiscal year, e.g. 2024.")]


def parse_date_option(option: str, text: str) -> date:
    from ledger.clock import parse_date

    try:
        return parse_date(text)
    except ValueError as error:
        raise InvalidInput(f"{option}: {error}") from None


def parse_zone_option(name: str) -> tzinfo:
    from ledger.clock import zone

    try:
        return zone(name)
    except ValueError as error:
        raise InvalidInput(f"--tz: {error}") from None


def parse_moment_option(option: str, text: str | None, zone: tzinfo) -> datetime | None:
    """A moment in UTC; a naive timestamp or a bare date is read in `zone` (--tz)."""
    from ledger.clock import parse_moment

    if text is None:
        return None
    try:
        return parse_moment(text, zone)
    except ValueError as error:
        raise InvalidInput(f"{option}: {error}") from None


def parse_known_at_option(option: str, text: str | None, zone: tzinfo) -> datetime | None:
    """--known-at: a moment, a date (the end of that day; both read in `zone`) or the word `now`."""
    from ledger.clock import parse_known_at

    if text is None:
        return None
    try:
        return parse_known_at(text, zone)
    except ValueError as error:
        raise InvalidInput(f"{option}: {error}") from None


def existing_file(option: str, path: Path) -> Path:
    if not path.is_file():
        raise InvalidInput(f"{option} {path}: no such file")
    return path


@contextmanager
def open_ledger(store: str | None, create: bool = False, read_only: bool = False) -> Iterator[Ledger]:
    """The store, opened; only the commands that make a store (`init`, `demo`, `load`,
    `import-log`) pass `create`, every other one refuses a store that does not exist;
    `read_only` (the web view) opens it as a reader that writes nothing."""
    from ledger.application import Ledger
    from ledger.store.url import resolve_store_url

    ledger = Ledger(
        resolve_store_url(store),
        notify=lambda note: typer.echo(note, err=True),
        create=create and not read_only,
        read_only=read_only,
    )
    try:
        yield ledger
    finally:
        ledger.close()


def read_models(store: str | None, read: Callable[[Reader], T], read_only: bool = False) -> tuple[T, str | None]:
    """What `read` reads from the read models at the log's head, in one snapshot, and why
    they disagree with the log (`projections.consistency`) or None.

    Through the driver alone (`projections.reader.snapshot`: no SQLAlchemy, pydantic or
    eventsourcing) when they are at the head; else the ledger is opened, catches them up
    in short transactions of its own (or says in our words what is wrong with the store),
    and `read` runs on its snapshot. Neither takes a lock a writer waits for (ADR 0031).
    `read_only` opens it as a reader, which reads a private replay instead (ADR 0011)."""
    from projections import reader

    found = _read_at_head(store, read)
    if found is not None:
        return found
    with open_ledger(store, read_only=read_only) as ledger, ledger.state() as state:
        return read(reader.of(state.conn)), read_models_problem(ledger, state.conn)


def _read_at_head(store: str | None, read: Callable[[Reader], T]) -> tuple[T, str | None] | None:
    """`read_models` through the driver alone; None when the ledger must answer: the read
    models are behind the log, or the store is missing or cannot be read that way. A
    ledger error (an unknown unit, ...) is the answer, and raised."""
    from ledger.errors import LedgerError
    from ledger.store.url import parse_store_url, resolve_store_url
    from projections import consistency, reader

    try:
        config = parse_store_url(resolve_store_url(store))
        if config.kind == "sqlite" and not (config.sqlite_path and config.sqlite_path.is_file()):
            return None
        with reader.snapshot(config) as db:
            if db.log_behind():
                return None
            return read(db), consistency.problem(db)
    except LedgerError:
        raise
    except Exception:  # the ledger opens the store and says what is wrong in its own words
        return None


def read_models_problem(ledger: Ledger, conn: Connection) -> str | None:
    """Why the read models a report came from disagree with the log, or None; a private
    replay of the log (a reader that may not catch up, ADR 0011) agrees by construction."""
    from projections import consistency, reader

    if conn.engine is not ledger.engine:
        return None
    return consistency.problem(reader.of(conn))


def warn_if_read_models_disagree(ledger: Ledger, conn: Connection) -> str | None:
    """Say on stderr when the read models a command read disagree with the log (ADR 0022)."""
    problem = read_models_problem(ledger, conn)
    if problem:
        from projections import consistency

        sys.stderr.write(consistency.warning(problem))
    return problem


def record(
    store: str | None,
    check: Any,
    actor: str | None,
    recorded_at: str | None,
    tz: str,
    require_initialised: bool = True,
    dry_run: bool = False,
) -> Outcome:
    """Run one recording command (or, with `dry_run`, check it all) and print what it did to
    stderr. `init`, the one command that records on an uninitialised store, is also the one
    that creates it."""
    moment = parse_moment_option("--recorded-at", recorded_at, parse_zone_option(tz))
    with open_ledger(store, create=not require_initialised) as ledger:
        outcome = ledger.record(
            check, actor=actor, recorded_at=moment, require_initialised=require_initialised, dry_run=dry_run
        )
    for note in outcome.notes:
        typer.echo(f"dry run, nothing recorded; it would have {note}" if dry_run else note, err=True)
    return outcome


def check_format(fmt: str, allowed: Sequence[str]) -> None:
    if fmt not in allowed:
        raise InvalidInput(f"--format '{fmt}': use {' or '.join(allowed)}")


def print_records(records: list[dict[str, Any]], columns: Sequence[str], fmt: str, title: str) -> None:
    """A list of objects as JSON (exact keys) or as an aligned table."""
    check_format(fmt, ("table", "json"))
    if fmt == "json":
        sys.stdout.write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for column in columns:
        table.add_column(column)
    for item in records:
        table.add_row(*("" if item.get(c) is None else str(item.get(c)) for c in columns))
    Console(width=200).print(table)
