"""`export` (beancount, csv, json) and `import-log` (a JSON log export into an empty store)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer

from cli.common import (
    StoreOption,
    TzOption,
    check_format,
    existing_file,
    open_ledger,
    parse_date_option,
    parse_moment_option,
    parse_zone_option,
)
from cli.files import checked_output
from ledger.clock import HOME_ZONE

EXPORT_FORMATS = ("beancount", "csv", "json")


def register(app: typer.Typer) -> None:
    app.command("export")(export)
    app.command("import-log")(import_log)


def export(
    fmt: Annotated[str, typer.Option("--format", help="beancount, csv (the year's journal) or json (the log).")],
    output: Annotated[Path, typer.Option("--output", help="The file to write.")],
    year: Annotated[
        int | None, typer.Option("--year", help="Fiscal year (beancount, csv); json holds the whole log.")
    ] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Last effective date (default 31.12.)")] = None,
    known_at: Annotated[str | None, typer.Option("--known-at", help="Only what was recorded by then.")] = None,
    store: StoreOption = None,
    tz: TzOption = HOME_ZONE,
) -> None:
    """Export for the auditors' tools: beancount or CSV journal of a year, or the log as JSON
    (times in UTC, as stored; --tz only reads --known-at)."""
    from ledger.errors import InvalidInput

    check_format(fmt, EXPORT_FORMATS)
    checked_output("--output", output)
    moment = parse_moment_option("--known-at", known_at, parse_zone_option(tz))
    if fmt == "json":
        if as_of:
            raise InvalidInput("--as-of: a JSON export is the log itself, every event; cut it with --known-at")
        from ledger.log_file import export_log, write_json

        with open_ledger(store) as ledger:
            document = export_log(ledger, moment)
        write_json(document, output)
        typer.echo(f"wrote {len(document['events'])} events to {output}", err=True)
        return
    if year is None:
        raise InvalidInput(f"--year: a {fmt} export is one fiscal year's journal, e.g. --year 2024")
    day = parse_date_option("--as-of", as_of) if as_of else date(year, 12, 31)
    text, entries = _journal_text(fmt, store, year, day, moment)
    output.write_text(text, encoding="utf-8")
    typer.echo(f"wrote {entries} journal entries of {year} to {output}", err=True)


def _journal_text(fmt: str, store: str | None, year: int, as_of: date, known_at: datetime | None) -> tuple[str, int]:
    from ledger import clock
    from projections.journal import account_balances, journal
    from projections.journal_files import to_beancount, to_csv

    moment = known_at or clock.now()
    with open_ledger(store) as ledger, ledger.state() as state:
        book = journal(state.conn, ledger.events_at, year, as_of, moment)
        if fmt == "csv":
            return to_csv(book), len(book.entries)
        balances = account_balances(state.conn, year, as_of, moment)
    return to_beancount(book, balances), len(book.entries)


def import_log(
    file: Annotated[Path, typer.Argument(help="A JSON log from `kuntaledger export --format json`.")],
    store: StoreOption = None,
) -> None:
    """Load an exported log into an empty store: same positions, times, actors and chain hashes.
    Then print what `check` finds in each budgeted year (exit 1 on an error, as `check`)."""
    from cli.audit import count_findings, print_findings
    from ledger.log_file import import_log as load
    from projections.compliance import findings_by_year

    with open_ledger(store, create=True) as ledger:
        count = load(ledger, existing_file("FILE", file))
        by_year = findings_by_year(ledger)
    typer.echo(f"imported {count} events from {file.name}; the chain verifies", err=True)
    for year, findings in by_year.items():
        if findings:
            print_findings(findings, f"Findings {year}")
        typer.echo(f"{year}: {count_findings(findings) if findings else 'no findings'}", err=True)
    if any(finding.severity == "error" for findings in by_year.values() for finding in findings):
        raise typer.Exit(1)
