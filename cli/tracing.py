"""`explain` (the events behind one figure) and `diff` (what changed between two known-at moments)."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cli.common import (
    FormatOption,
    StoreOption,
    TzOption,
    check_format,
    open_ledger,
    parse_date_option,
    parse_known_at_option,
    parse_zone_option,
    warn_if_read_models_disagree,
)
from ledger.clock import HOME_ZONE, format_moment
from ledger.counting import counted
from ledger.money import format_fi, format_plain
from projections.explain import ExplainedItem

if TYPE_CHECKING:
    from projections.diff import ReportDiff
    from projections.explain import Explanation

UnitOption = Annotated[str, typer.Option("--unit", help="Unit code or exact name (it and the units below it).")]
AsOfOption = Annotated[str | None, typer.Option("--as-of", help="Effective on or before DATE (default 31.12.).")]
ITEM_COLUMNS = ("position", "type", "reference", "unit", "effective_on", "recorded_at", "actor", "amount", "text")
ILLUSTRATIVE_LEGEND = "* illustrative: chosen or invented data, not from the record; --format json gives each note"


def register(app: typer.Typer) -> None:
    app.command("explain")(explain)
    app.command("diff")(diff)


def _period(year: int, as_of: str | None, known_at: str | None, zone: tzinfo) -> tuple[date, datetime]:
    from projections.query import period

    day = parse_date_option("--as-of", as_of) if as_of else None
    _, day, moment = period(year, day, parse_known_at_option("--known-at", known_at, zone))
    return day, moment


@dataclass(frozen=True)
class Explained:
    """One figure's events, as `explain` reads them, and the figure the report shows."""

    explanation: Explanation
    reported: int
    row: str
    column: str
    year: int
    as_of: date
    known_at: datetime

    def items(self, zone: tzinfo) -> list[dict[str, Any]]:
        return [_item(item, zone) for item in self.explanation.items]

    def json_text(self) -> str:
        document = {
            "unit": self.explanation.scope.unit,
            "row": self.row,
            "column": self.column,
            "fiscal_year": self.year,
            "as_of": self.as_of.isoformat(),
            "known_at": format_moment(self.known_at),
            "total": format_plain(self.explanation.total_cents),
            "report_figure": format_plain(self.reported),
            "items": self.items(UTC),
        }
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def explained(
    store: str | None,
    unit: str,
    row: str,
    column: str,
    year: int,
    as_of: str | None,
    known_at: str | None,
    zone: tzinfo,
    read_only: bool = False,
) -> Explained:
    """The events behind one figure, and the figure as the report shows it."""
    from projections.explain import Evidence, explain_figure, report_figure

    day, moment = _period(year, as_of, known_at, zone)
    with open_ledger(store, read_only=read_only) as ledger, ledger.state() as state:
        explanation = explain_figure(Evidence(state.conn, ledger.events_at), unit, row, column, year, day, moment)
        reported = report_figure(state.conn, explanation)
        warn_if_read_models_disagree(ledger, state.conn)
    return Explained(explanation, reported, row, column, year, day, moment)


def explain(
    unit: UnitOption,
    row: Annotated[
        str, typer.Option("--row", help="Statement row key (operating_margin) or GROUP:income|expenditure|net.")
    ],
    column: Annotated[
        str, typer.Option("--column", help="actual, budget, original_budget, budget_amendments or prior_year_actual.")
    ],
    year: Annotated[int, typer.Option("--year", help="Fiscal year.")],
    as_of: AsOfOption = None,
    known_at: Annotated[str | None, typer.Option("--known-at", help="Recorded by TIMESTAMP (default now).")] = None,
    store: StoreOption = None,
    fmt: FormatOption = "table",
    tz: TzOption = HOME_ZONE,
) -> None:
    """The events (vouchers, decisions) that make up one figure, totalling it exactly; the
    table shows times in --tz, JSON in UTC."""
    check_format(fmt, ("table", "json"))
    zone = parse_zone_option(tz)
    found = explained(store, unit, row, column, year, as_of, known_at, zone)
    explanation, reported = found.explanation, found.reported
    total = explanation.total_cents
    if fmt == "json":
        sys.stdout.write(found.json_text())
    else:
        items = found.items(zone)
        marked = [{**item, "illustrative": "*" if item["illustrative"] else ""} for item in items]
        _table(f"{explanation.scope.unit} {row} {column} {year}", (*ITEM_COLUMNS, "illustrative"), marked)
        if any(item["illustrative"] for item in items):
            typer.echo(ILLUSTRATIVE_LEGEND)
        typer.echo(
            f"total {format_fi(total, 2)} € from {counted(len(items), 'item')}; "
            f"the report shows {format_fi(reported, 2)} €"
        )
    if total != reported:
        typer.echo(
            f"error: the events total {format_fi(total, 2)} € but the report shows {format_fi(reported, 2)} €; "
            "run `kuntaledger verify`",
            err=True,
        )
        raise typer.Exit(1)


@dataclass(frozen=True)
class Diffed:
    """The figures that changed between two known-at moments, as `diff` reads them."""

    result: ReportDiff
    year: int
    as_of: date

    def changes(self, zone: tzinfo) -> list[dict[str, Any]]:
        return [
            {
                "report": c.report,
                "key": c.key,
                "column": c.column,
                "earlier": _value(c.earlier, c.is_money),
                "later": _value(c.later, c.is_money),
                "change": format_plain(c.change_cents) if c.change_cents is not None else None,
                "events": [_item(item, zone) for item in c.events],
            }
            for c in self.result.changes
        ]

    def json_text(self) -> str:
        document = {
            "unit": self.result.unit,
            "fiscal_year": self.year,
            "as_of": self.as_of.isoformat(),
            "earlier": format_moment(self.result.earlier),
            "later": format_moment(self.result.later),
            "changes": self.changes(UTC),
        }
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def diffed(
    store: str | None,
    year: int,
    unit: str,
    known_at: str,
    against: str,
    as_of: str | None,
    zone: tzinfo,
    read_only: bool = False,
) -> Diffed:
    """Every report's figures that changed between the two moments, and the events behind each change."""
    from projections.diff import diff_reports
    from projections.explain import Evidence

    day, one = _period(year, as_of, known_at, zone)
    other = parse_known_at_option("--against", against, zone)
    assert other is not None
    with open_ledger(store, read_only=read_only) as ledger, ledger.state() as state:
        result = diff_reports(Evidence(state.conn, ledger.events_at), unit, year, day, one, other)
    return Diffed(result, year, day)


def diff(
    year: Annotated[int, typer.Option("--year", help="Fiscal year.")],
    unit: UnitOption,
    known_at: Annotated[str, typer.Option("--known-at", help="One moment: the reports as recorded by then.")],
    against: Annotated[str, typer.Option("--against", help="The other moment to compare with.")],
    as_of: AsOfOption = None,
    store: StoreOption = None,
    fmt: FormatOption = "table",
    tz: TzOption = HOME_ZONE,
) -> None:
    """The figures of every report that changed between two known-at moments, and the events that changed each."""
    check_format(fmt, ("table", "json"))
    zone = parse_zone_option(tz)
    found = diffed(store, year, unit, known_at, against, as_of, zone)
    if fmt == "json":
        sys.stdout.write(found.json_text())
        return
    result = found.result
    rows = [{**c, "events": ", ".join(str(e["position"]) for e in c["events"])} for c in found.changes(zone)]
    earlier, later = format_moment(result.earlier, zone), format_moment(result.later, zone)
    title = f"{result.unit} {year}: changes from {earlier} to {later}"
    _table(title, ("report", "key", "column", "earlier", "later", "change", "events"), rows)


def _value(value: Any, money: bool) -> Any:
    if money:
        return format_plain(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _item(item: ExplainedItem, zone: tzinfo) -> dict[str, Any]:
    return {
        "position": item.position,
        "type": item.event_type,
        "reference": item.reference,
        "unit": item.unit,
        "effective_on": item.effective_on.isoformat(),
        "recorded_at": format_moment(item.recorded_at, zone),
        "actor": item.actor,
        "amount": format_plain(item.amount_cents),
        "text": item.text,
        "illustrative": item.illustrative,
    }


def _table(title: str, columns: tuple[str, ...], records: list[dict[str, Any]]) -> None:
    from cli.aligned import aligned

    sys.stdout.write(aligned(title, columns, records, right=("amount", "earlier", "later", "change")))
