"""The statutory reporting cube (`kuntaledger cube`, ADR 0039)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer

from cli.common import StoreOption, TzOption, parse_date_option, parse_known_at_option, parse_zone_option, read_models
from cli.reports import OutputOption, write
from ledger.clock import HOME_ZONE
from ledger.errors import InvalidInput

if TYPE_CHECKING:
    from projections.reader import Reader

FORMATS = ("table", "csv", "json", "xlsx")


def register(app: typer.Typer) -> None:
    app.command("cube")(cube)


def cube(
    year: Annotated[int, typer.Option("--year", help="Fiscal year.")],
    through: Annotated[str, typer.Option("--through", help="The last day counted (from 1 January on).")],
    known_at: Annotated[
        str | None, typer.Option("--known-at", help="Only what was recorded by then (default now).")
    ] = None,
    unit: Annotated[str | None, typer.Option("--unit", help="Unit code or name (default: the top unit).")] = None,
    budget: Annotated[
        bool, typer.Option("--budget", help="Add the budget lines (original, after amendments).")
    ] = False,
    fmt: Annotated[str, typer.Option("--format", help="table, csv, json or xlsx.")] = "table",
    output: OutputOption = None,
    store: StoreOption = None,
    tz: TzOption = HOME_ZONE,
) -> None:
    """Actuals from 1 January to --through by account × service class × sector (the unit's default
    service class, sector unknown, until lines carry their own), and with --budget the budget lines."""
    from ledger import clock
    from projections import cube as cubes

    if fmt not in FORMATS:
        raise InvalidInput(f"--format '{fmt}': use table, csv, json or xlsx")
    if fmt == "xlsx" and output is None:
        raise InvalidInput("--format xlsx: give --output FILE")
    zone = parse_zone_option(tz)
    day = parse_date_option("--through", through)
    if day.year != year:
        raise InvalidInput(f"--through {day}: give a day of {year}")
    moment = parse_known_at_option("--known-at", known_at, zone) or clock.now()

    def read(db: Reader) -> cubes.Cube:
        return cubes.query_cube(db, unit or _top_unit(db), year, day, moment, budget)

    found, _problem = read_models(store, read)
    if fmt == "json":
        write(json.dumps(cubes.document(found), ensure_ascii=False, indent=2) + "\n", output)
        return
    from projections.render import text

    sheet = cubes.sheet(found)
    if fmt == "table":
        write(text.table(sheet, "en"), output)
    elif fmt == "csv":
        write(text.csv_text(sheet, "en"), output)
    else:
        from projections.render import workbook

        write(workbook.xlsx_bytes(sheet, f"cube {year}"), output)


def _top_unit(db: Reader) -> str:
    """The one unit without a parent; a store with several must be given --unit."""
    tops = sorted(str(row[0]) for row in db.rows("SELECT code FROM {rm_units} WHERE parent IS NULL"))
    if len(tops) != 1:
        raise InvalidInput(f"give --unit: the store has {len(tops)} top units ({', '.join(tops) or 'none'})")
    return tops[0]
