"""`report`: the whole document of a unit and year (HTML or Markdown), in the seed's order."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.common import StoreOption, TzOption, open_ledger, parse_date_option, parse_moment_option, parse_zone_option
from cli.reports import AsOfOption, KnownAtOption, LangOption, UnitOption, YearOption, write
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
    explanations, investments, operating-plan goals and risks, with two charts in HTML."""
    from projections.document import render_document
    from projections.document.assemble import query_document
    from projections.query import period

    check_document_options(fmt, lang, output)
    zone = parse_zone_option(tz)
    day = parse_date_option("--as-of", as_of) if as_of else None
    fiscal_year, as_of_day, moment = period(year, day, parse_moment_option("--known-at", known_at, zone))
    with open_ledger(store) as ledger, ledger.state() as state:
        document = query_document(state.conn, unit, fiscal_year, as_of_day, moment)
    write(render_document(document, fmt, lang, zone), output)
