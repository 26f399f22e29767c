"""`approve`: the board's approval of a year-end report, or the council's acceptance of it (ADR 0027)."""

from __future__ import annotations

from typing import Annotated

import typer

from cli.common import ActorOption, RecordedAtOption, StoreOption, TzOption, parse_date_option, record
from ledger import commands
from ledger.clock import HOME_ZONE


def register(app: typer.Typer) -> None:
    app.command("approve")(approve)


def approve(
    unit: Annotated[str, typer.Option("--unit", help="The unit whose report (with the units below it) is approved.")],
    year: Annotated[int, typer.Option("--year", help="Fiscal year, ended.")],
    body: Annotated[
        str, typer.Option("--body", help="kaupunginhallitus (board) approves; valtuusto (council) later accepts.")
    ],
    decision: Annotated[str, typer.Option("--decision", help="The decision's reference, e.g. 'Kh 26.3.2025 § 79'.")],
    decided_on: Annotated[str, typer.Option("--decided-on", help="The decision's date, after the year's end.")],
    store: StoreOption = None,
    actor: ActorOption = None,
    recorded_at: RecordedAtOption = None,
    tz: TzOption = HOME_ZONE,
) -> None:
    """Record that the year-end report was approved: reports of the year then default to the
    books as they stand now, with a notice of anything changed later."""
    from projections.approvals import figures_hash

    check = commands.approve_report(
        unit, year, body, decision, parse_date_option("--decided-on", decided_on), figures_hash
    )
    record(store, check, actor, recorded_at, tz)
