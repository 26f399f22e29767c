"""Options and helpers shared by every command module."""

from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ledger.errors import InvalidInput
from ledger.store import STORE_ENV

if TYPE_CHECKING:
    from ledger.application import Ledger
    from ledger.drafts import Outcome

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
        help="Recording time, ISO 8601 (default now); never earlier than the newest event.",
        show_default=False,
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


def parse_moment_option(option: str, text: str | None) -> datetime | None:
    from ledger.clock import parse_moment

    if text is None:
        return None
    try:
        return parse_moment(text)
    except ValueError as error:
        raise InvalidInput(f"{option}: {error}") from None


def existing_file(option: str, path: Path) -> Path:
    if not path.is_file():
        raise InvalidInput(f"{option} {path}: no such file")
    return path


def checked_output(option: str, path: Path) -> Path:
    """A file the user named for writing: refused when it is a folder, a link (writing
    would follow it elsewhere), a device or pipe, or in a folder that does not exist."""
    if path.is_symlink():
        raise InvalidInput(
            f"{option} {path}: is a symbolic link (to {os.readlink(path)}); writing would follow it, "
            "so name the file itself"
        )
    if path.is_dir():
        raise InvalidInput(f"{option} {path}: is a folder; name a file in it, e.g. {path / 'report.csv'}")
    if path.exists() and not path.is_file():
        raise InvalidInput(f"{option} {path}: is not a regular file (a device or a pipe?); name a file")
    if not path.parent.is_dir():
        raise InvalidInput(f"{option} {path}: the folder {path.parent} does not exist; create it first")
    return path


def write_output(option: str, path: Path, content: str | bytes) -> None:
    """Write the whole file or nothing: into a temporary file beside it, then renamed over
    it. The rename replaces the name itself, so a hard link elsewhere is not written through."""
    checked_output(option, path)
    data = content.encode("utf-8") if isinstance(content, str) else content
    temporary: str | None = None
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
        temporary = None
    except OSError as error:
        raise InvalidInput(f"{option} {path}: cannot write the file ({error.strerror})") from None
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


@contextmanager
def open_ledger(store: str | None) -> Iterator[Ledger]:
    from ledger.application import Ledger
    from ledger.store import resolve_store_url

    ledger = Ledger(resolve_store_url(store), notify=lambda note: typer.echo(note, err=True))
    try:
        yield ledger
    finally:
        ledger.close()


def record(
    store: str | None,
    check: Any,
    actor: str | None,
    recorded_at: str | None,
    require_initialised: bool = True,
) -> Outcome:
    """Run one recording command and print what it did to stderr."""
    moment = parse_moment_option("--recorded-at", recorded_at)
    with open_ledger(store) as ledger:
        outcome = ledger.record(check, actor=actor, recorded_at=moment, require_initialised=require_initialised)
    for note in outcome.notes:
        typer.echo(note, err=True)
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
