"""List commands: units, accounts, projects and the event log."""

from __future__ import annotations

import json
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
from cli.groups import accounts_app, classes_app, projects_app, units_app
from ledger.clock import HOME_ZONE


def register(app: typer.Typer) -> None:
    app.command("events")(events)
    app.command("submissions")(submissions)


@units_app.command("list")
def units_list(store: StoreOption = None, fmt: FormatOption = "table") -> None:
    """List the organisation units (code, current name, parent, binding, closing date)."""
    from projections import listing, reporting

    with open_ledger(store) as ledger, ledger.state() as state:
        records = listing.units(state.conn)
        service_classes = reporting.unit_service_classes(state.conn)
    records = [{**record, "service_class": service_classes.get(record["code"])} for record in records]
    print_records(records, ("code", "name", "parent", "binding", "service_class", "closed_on"), fmt, "Units")


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


@classes_app.callback()
def classes(
    ctx: typer.Context,
    kind: Annotated[str | None, typer.Option("--kind", help="service-class or sector.")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="The day the list is valid on (default today).")] = None,
    known_at: Annotated[
        str | None, typer.Option("--known-at", help="As recorded by then (default now).", show_default=False)
    ] = None,
    store: StoreOption = None,
    fmt: FormatOption = "table",
    tz: TzOption = HOME_ZONE,
) -> None:
    """Reporting code lists: `classes --kind K [--as-of D]` lists the one valid on D; `classes load` records one."""
    if ctx.invoked_subcommand is not None:
        return
    from datetime import date

    from cli.common import parse_date_option, parse_known_at_option
    from ledger.classification import KINDS
    from ledger.errors import InvalidInput
    from projections import reporting

    if kind not in KINDS:
        raise InvalidInput(
            f"--kind {kind}: use service-class or sector" if kind else "give --kind service-class or sector"
        )
    day = parse_date_option("--as-of", as_of) if as_of else date.today()
    moment = parse_known_at_option("--known-at", known_at, parse_zone_option(tz))
    with open_ledger(store) as ledger, ledger.state() as state:
        header, records = reporting.class_codes(state.conn, kind, day, moment)
    if header is None:
        raise InvalidInput(f"no {kind} list is valid on {day}; load one with `kuntaledger classes load --kind {kind}`")
    if fmt == "json":
        sys.stdout.write(json.dumps({**header, "entries": records}, ensure_ascii=False, indent=2) + "\n")
        return
    shown = [{**record, "unverified": "unverified" if record["unverified"] else None} for record in records]
    title = f"{kind} list valid from {header['valid_from']} ({header['file']})"
    title += f": {header['source']}" if header["source"] else ""
    print_records(shown, ("code", "name", "parent", "unverified"), fmt, title)


def submissions(
    report_set: Annotated[str | None, typer.Option("--set", help="Only KKNR or KTAS.")] = None,
    store: StoreOption = None,
    fmt: FormatOption = "table",
) -> None:
    """What was submitted to the State Treasury: set, period, file, content hash, the (as-of,
    known-at) it was made at, who approved it, and the submission it corrects."""
    from projections import reporting

    with open_ledger(store) as ledger, ledger.state() as state:
        records = reporting.submissions(state.conn, report_set)
    columns = (
        "position",
        "set",
        "period",
        "file",
        "content_hash",
        "as_of",
        "known_at",
        "approved_by",
        "decision",
        "corrects",
    )
    if fmt == "table":
        records = [{**record, "content_hash": record["content_hash"][:12] + "…"} for record in records]
    print_records(records, columns, fmt, "Submissions")
