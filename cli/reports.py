"""Report commands: statement, summary, investments, and the `goals` and `risks` reports.

Each reads the read models after catching them up with the log, as of a date and as
known at a moment, and renders the result as a table, csv, json, md or xlsx. Without
--known-at, a year-end report that was approved shows its latest approved version, with
the cells changed since (ADR 0027); `--known-at now` shows today's books.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, tzinfo
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cli.common import (
    StoreOption,
    TzOption,
    open_ledger,
    parse_date_option,
    parse_known_at_option,
    parse_zone_option,
    read_models,
)
from cli.files import write_output
from cli.groups import goals_app, risks_app
from ledger.clock import HOME_ZONE
from ledger.errors import InvalidInput

if TYPE_CHECKING:
    from ledger.application import Ledger
    from projections.approvals import Version
    from projections.reader import Reader

UnitOption = Annotated[
    str, typer.Option("--unit", help="Unit code or exact name; a unit reports itself and every unit below it.")
]
OptionalUnit = Annotated[str | None, typer.Option("--unit", help="Unit code or exact name (for the report).")]
YearOption = Annotated[
    int | None, typer.Option("--year", help="Fiscal year (default: the year of --as-of).", show_default=False)
]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of", help="Count what is effective on or before DATE (default 31.12. of the year).", show_default=False
    ),
]
KnownAtOption = Annotated[
    str | None,
    typer.Option(
        "--known-at",
        help="Count what was recorded at or before TIMESTAMP; a date alone means the end of that day; without an "
        "offset, in --tz; now: today's books (default: the latest approved version of a year-end report, else now).",
        show_default=False,
    ),
]
ReportFormat = Annotated[str, typer.Option("--format", help="table, csv, json, md or xlsx.")]
LangOption = Annotated[str, typer.Option("--lang", help="Labels in fi or en.")]
OutputOption = Annotated[
    Path | None, typer.Option("--output", help="Write to FILE instead of stdout (xlsx needs it).", show_default=False)
]

# Each report's query, `module:function`, imported when the report runs.
QUERIES = {
    "statement": "projections.statement:query_statement",
    "summary": "projections.summary:query_summary",
    "investments": "projections.investments:query_investments",
    "plan": "projections.plan:query_plan",
    "goals": "projections.goals:query_goals",
    "risks": "projections.risks:query_risks",
}


def register(app: typer.Typer) -> None:
    for name, summary in UNIT_REPORTS.items():
        app.command(name)(_unit_report(name, summary))


@dataclass(frozen=True)
class ReportRead:
    """A report as read for some options: what `render` lays out, and what it was read at."""

    report: Any
    version: Version | None
    problem: str | None  # why the read models disagree with the log, or None
    zone: tzinfo
    fiscal_year: int
    as_of: date
    known_at: datetime

    def rendered(self, fmt: str, lang: str) -> str | bytes:
        from projections.render import render

        return render(self.report, fmt, lang, self.problem, self.version, self.zone)

    def notes(self, fmt: str, lang: str) -> list[str]:
        """What the command says on stderr beside the report."""
        notes = []
        if self.problem:
            from projections import consistency

            notes.append(consistency.warning(self.problem))
        if self.version is not None and fmt == "csv":
            from projections.render.approval import csv_notice

            notes.append(csv_notice(self.report, self.version, lang, self.zone))
        return notes


def read_report(
    report_name: str,
    unit: str,
    year: int | None,
    as_of: str | None,
    known_at: str | None,
    store: str | None,
    tz: str,
    read_only: bool = False,
) -> ReportRead:
    """The report from the read models at the log's head (`read_models`), for the options
    as the command takes them; `read_only` (the web view) opens the store as a reader."""
    from projections.approvals import approved_report
    from projections.query import period

    zone = parse_zone_option(tz)
    day = parse_date_option("--as-of", as_of) if as_of else None
    fiscal_year, as_of_day, moment = period(year, day, parse_known_at_option("--known-at", known_at, zone))
    module, name = QUERIES[report_name].split(":")
    query = getattr(import_module(module), name)

    def read(db: Reader) -> tuple[Any, Version | None]:
        found = approved_report(db, query, unit, fiscal_year, as_of_day) if known_at is None else None
        return found or (query(db, unit, fiscal_year, as_of_day, moment), None)

    (report, version), problem = read_models(store, read, read_only=read_only)
    if version is not None and version.changes:
        with open_ledger(store, read_only=read_only) as ledger:
            version = explained(ledger, version, as_of_day)
    return ReportRead(report, version, problem, zone, fiscal_year, as_of_day, moment)


def run_report(
    report_name: str,
    unit: str,
    year: int | None,
    as_of: str | None,
    known_at: str | None,
    fmt: str,
    lang: str,
    output: Path | None,
    store: str | None,
    tz: str,
) -> None:
    """Check the options, read the report (`read_report`), write it out."""
    from projections.render import check_options

    check_options(fmt, lang)
    if fmt == "xlsx" and output is None:
        raise InvalidInput("--format xlsx writes a workbook, not text; give --output FILE.xlsx")
    found = read_report(report_name, unit, year, as_of, known_at, store, tz)
    for note in found.notes(fmt, lang):
        sys.stderr.write(note)
    write(found.rendered(fmt, lang), output)


def explained(ledger: Ledger, version: Version, as_of: date) -> Version:
    """The version with the events (log positions) that changed each cell since the approval."""
    from ledger import clock
    from projections.approval_changes import with_events

    approval = version.approval
    with ledger.state() as state:
        changes = with_events(
            version.changes,
            state.conn,
            ledger.events_at,
            approval.fiscal_year,
            as_of,
            approval.recorded_at,
            clock.now(),
        )
    return replace(version, changes=changes)


def write(content: str | bytes, output: Path | None) -> None:
    if output is None:
        assert isinstance(content, str), "binary formats go to --output"
        sys.stdout.write(content)
        return
    write_output("--output", output, content)
    typer.echo(f"wrote {output}", err=True)


def _unit_report(report_name: str, summary: str) -> Callable[..., None]:
    """A command that writes one report of a unit (statement, summary, investments)."""

    def command(
        unit: UnitOption,
        year: YearOption = None,
        as_of: AsOfOption = None,
        known_at: KnownAtOption = None,
        fmt: ReportFormat = "table",
        lang: LangOption = "fi",
        output: OutputOption = None,
        store: StoreOption = None,
        tz: TzOption = HOME_ZONE,
    ) -> None:
        run_report(report_name, unit, year, as_of, known_at, fmt, lang, output, store, tz)

    command.__name__ = report_name
    command.__doc__ = summary
    return command


UNIT_REPORTS = {
    "statement": "The income statement (tuloslaskelma) against the budget, as of a date, as known at a moment.",
    "summary": "The budget summary: TULOT, MENOT and NETTO against the budget.",
    "investments": "The investment table (investointiosa): income, expenditure and net per investment group.",
    "plan": "The financial plan (taloussuunnitelma): the budget year after amendments and its plan years.",
}


def _group_report(report_name: str, summary: str, missing_unit: str) -> Callable[..., None]:
    """A group's callback (goals, risks): without a subcommand, it writes the group's report."""

    def callback(
        ctx: typer.Context,
        unit: OptionalUnit = None,
        year: YearOption = None,
        as_of: AsOfOption = None,
        known_at: KnownAtOption = None,
        fmt: ReportFormat = "table",
        lang: LangOption = "fi",
        output: OutputOption = None,
        store: StoreOption = None,
        tz: TzOption = HOME_ZONE,
    ) -> None:
        if ctx.invoked_subcommand is not None:
            return
        if unit is None:
            raise InvalidInput(missing_unit)
        run_report(report_name, unit, year, as_of, known_at, fmt, lang, output, store, tz)

    callback.__name__ = report_name
    callback.__doc__ = summary
    return callback


goals_app.callback()(
    _group_report(
        "goals",
        "Goals: `goals --unit U --year Y` reports them; `goals set|reword|report` records.",
        "goals: give --unit U for the report, or a command: set, reword or report (see --help)",
    )
)
risks_app.callback()(
    _group_report(
        "risks",
        "Risks: `risks --unit U --year Y` reports the register; `risks assess` records.",
        "risks: give --unit U for the register, or the command assess (see --help)",
    )
)
