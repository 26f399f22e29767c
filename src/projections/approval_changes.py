"""The events that changed each cell of an approved report since its approval (ADR 0027).

The same machinery as `diff`: a money cell is explained (`explain.py`) as known now, and
its items recorded after the approval are the events that changed it; a deviation or a
percentage changed with its row's actual or budget. A goal's or risk's field lists that
goal's or risk's events recorded since.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime

from sqlalchemy import Connection

from ledger.statement_rows import SUMMARY_ROWS
from projections.approvals import ChangedCell
from projections.diff import text_events
from projections.explain import Evidence, explain_figure
from projections.journal import EventsAt

# A printed column and the money columns whose events change it.
EXPLAINED_BY = {
    "prior_year_actual": ("prior_year_actual",),
    "original_budget": ("original_budget",),
    "budget_amendments": ("budget_amendments",),
    "budget": ("budget",),
    "actual": ("actual",),
    "deviation": ("budget", "actual"),
    "utilisation_pct": ("budget", "actual"),
}
STATEMENT_ROW_OF = {key: row for key, _, _, row in SUMMARY_ROWS}


def with_events(
    changes: Sequence[ChangedCell],
    conn: Connection,
    events_at: EventsAt,
    year: int,
    as_of: date,
    approved_at: datetime,
    now: datetime,
) -> tuple[ChangedCell, ...]:
    """`conn` reads the read models; `events_at` the events behind the changed money cells
    (`Ledger.events_at`)."""
    evidence = Evidence(conn, events_at)
    return tuple(replace(cell, events=_positions(cell, evidence, year, as_of, approved_at, now)) for cell in changes)


def _positions(
    cell: ChangedCell, evidence: Evidence, year: int, as_of: date, approved_at: datetime, now: datetime
) -> tuple[int, ...]:
    if cell.report in ("goals", "risks"):
        return tuple(sorted({item.position for item in text_events(evidence.conn, cell.key, approved_at, now)}))
    row = STATEMENT_ROW_OF.get(cell.key, cell.key) if cell.report == "summary" else cell.key
    found = {
        item.position
        for column in EXPLAINED_BY[cell.column]
        for item in explain_figure(evidence, cell.unit, row, column, year, as_of, now).items
        if item.recorded_at > approved_at
    }
    return tuple(sorted(found))
