"""List commands: units, accounts, projects and the event log."""

from __future__ import annotations

import sys
from datetime import UTC
from typing import Annotated

import typer

from cli.common import (
    FormatOption,
    StoreOption,
    TzOption,
    open_ledger,
    parse_zone_option,
    print_records,
    read_models,
)
from cli.groups import accounts_app, projects_app, units_app
from ledger.clock import HOME_ZONE


def register(app: typer.Typer) -> None:
    app.command("events")(events)


@units_app.command("list")
def units_list(store: StoreOption = None, fmt: FormatOption = "table") -> None:
    """List the organisation units (code, current name, parent, binding, closing date)."""
    from projections import listing

    with open_ledger(store) as ledger, ledger.state() as state:
        records = listing.units(state.conn)
    print_records(records, ("code", "name", "parent", "binding", "closed_on"), fmt, "Units")


@accounts_app.command("list")
def accounts_list(store: StoreOption = None, fmt: FormatOption = "table") -> None:
    """List the chart of accounts (code, current name, row, class, closing date)."""
    from projections import listing

    with open_ledger(store) as ledger, ledger.state() as state:
        records = listing.accounts(state.conn)
    print_records(records, ("code", "name", "row", "class", "closed_on"), fmt, "Accounts")


@projects_app.command("list")
def projects_list(store: StoreOption = None, fmt: FormatOption = "table") -> None:
    """List the investment projects (code, name, group, unit)."""
    from projections import listing

    with open_ledger(store) as ledger, ledger.state() as state:
        records = listing.projects(state.conn)
    print_records(records, ("code", "name", "group", "unit"), fmt, "Projects")


def events(
    event_type: Annotated[str | None, typer.Option("--type", help="Only this event type, e.g. VouchersPosted.")] = None,
    unit: Annotated[str | None, typer.Option("--unit", help="Only events that touch this unit.")] = None,
    year: Annotated[int | None, typer.Option("--year", help="Only events of this fiscal year.")] = None,
    limit: Annotated[int | None, typer.Option("--limit", help="Only the newest N (still in log order).")] = None,
    store: StoreOption = None,
    fmt: FormatOption = "table",
    tz: TzOption = HOME_ZONE,
) -> None:
    """The event log: position, recorded-at (in --tz; UTC in JSON), actor, type, summary, and
    * where it is illustrative."""
    from projections import event_log

    zone = parse_zone_option(tz)
    shown_in = UTC if fmt == "json" else zone
    records, problem = read_models(store, lambda db: event_log.events(db, event_type, unit, year, limit, shown_in))
    if problem:
        from projections import consistency

        sys.stderr.write(consistency.warning(problem))
    if fmt != "table":
        print_records(records, (), fmt, "Events")
        return
    marked = [{**record, "illustrative": "*" if record["illustrative"] else None} for record in records]
    print_records(marked, ("position", "recorded_at", "actor", "type", "summary", "illustrative"), fmt, "Events")
    if any(record["illustrative"] for record in records):
        from cli.tracing import ILLUSTRATIVE_LEGEND

        typer.echo(ILLUSTRATIVE_LEGEND)
