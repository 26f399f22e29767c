"""`report`: the whole document of a unit and year (HTML or Markdown), in the seed's order."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.common import (
    StoreOption,
    TzOption,
    open_ledger,
    parse_date_option,
    parse_known_at_option,
    parse_zone_option,
    warn_if_read_models_disagree,
)
from cli.reports import AsOfOption, KnownAtOption, LangOption, UnitOption, YearOption, explained, write
from ledger.clock import HOME_ZONE
from ledger.errors import InvalidInput

DocumentFormat = Annotated[str, typer.Option("--format", help="html (one self-contained file) or md.")]
DocumentOutput = Annotated[
    Path | None,
    typer.Option("--output", help="Write to FILE (html needs it; md goes to stdout without it).", show_default=False),
]


def register(app: typer.Typer) -> None:
    app.command("report")(report)


def check_document_options(fmt: str, lang: str, output: Path | None) -> None:
    from projections.document import FORMATS
    from projections.render.labels import LANGS

    if fmt not in FORMATS:
        raise InvalidInput(f"--format '{fmt}': the report is written as html or md")
    if lang not in LANGS:
        raise InvalidInput(f"--lang '{lang}': use fi or en")
    if fmt == "html" and output is None:
        raise InvalidInput("--format html writes a file to open in a browser; give --output FILE.html")


def report(
    unit: UnitOption,
    year: YearOption = None,
    as_of: AsOfOption = None,
    known_at: KnownAtOption = None,
    fmt: DocumentFormat = "html",
    output: DocumentOutput = None,
    lang: LangOption = "fi",
    store: StoreOption = None,
    tz: TzOption = HOME_ZONE,
) -> None:
    """The whole report: goals, descriptions, budget summary, statements with their deviation
    explanations, investments, operating-plan goals and risks, with two charts in HTML.
    Without --known-at, an approved year-end report is its latest approved version, with
    the cells changed since listed first (ADR 0027)."""
    from dataclasses import replace

    from ledger import clock
    from projections import approvals
    from projections.document import render_document
    from projections.document.assemble import query_document
    from projections.query import period

    check_document_options(fmt, lang, output)
    zone = parse_zone_option(tz)
    day = parse_date_option("--as-of", as_of) if as_of else None
    fiscal_year, as_of_day, moment = period(year, day, parse_known_at_option("--known-at", known_at, zone))
    version = None
    with open_ledger(store) as ledger:
        with ledger.state() as state:
            approval = approvals.applying(state.conn, unit, fiscal_year, as_of_day) if known_at is None else None
            at = approval.recorded_at if approval else moment
            document = query_document(state.conn, unit, fiscal_year, as_of_day, at)
            if approval is not None:
                today = query_document(state.conn, unit, fiscal_year, as_of_day, clock.now())
                changes = approvals.changed_cells(document.reports(), today.reports())
                version = approvals.version(state.conn, approval, changes)
            warn_if_read_models_disagree(ledger, state.conn)
        if version is not None and version.changes:
            version = explained(ledger, version, as_of_day)
    write(render_document(replace(document, version=version), fmt, lang, zone), output)
