"""Which events are marked illustrative, and what of a report rests on them (ADR 0028).

A mark (`EventsMarkedIllustrative`) covers a range of log positions and is known from
its own recording on. `Marks` answers "is the event at this position illustrative, and
why"; `Illustration` says which parts of a unit's report for a year rest on marked
events, and whether the monthly chart is drawn from marked vouchers' dates. Two faces,
as in `statement.py`: `fold_illustration` over the decoded log, `query_illustration`
over the read models; they must agree.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ledger.statement_rows import EXPENSE_ROWS
from projections import amounts, query, reader
from projections.query import Scope

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from ledger import events as ev

# The report's parts, by the type of event that feeds them; any other type is "other".
PARTS: dict[str, str] = {
    "VouchersPosted": "vouchers",
    "VoucherReversed": "vouchers",
    "BudgetAdopted": "decisions",
    "BudgetAmended": "decisions",
    "FinancialPlanRecorded": "decisions",
    "FiscalYearClosed": "decisions",
    "FiscalYearReopened": "decisions",
    "ReportApproved": "decisions",
    "GoalSet": "goals",
    "GoalReworded": "goals",
    "GoalOutcomeReported": "goals",
    "RiskAssessed": "risks",
    "UnitDescribed": "texts",
    "DeviationExplained": "texts",
    "LedgerInitialised": "organisation",
    "AccountsAdded": "organisation",
    "InvestmentGroupsAdded": "organisation",
    "UnitAdded": "organisation",
    "UnitRenamed": "organisation",
    "UnitClosed": "organisation",
    "AccountRenamed": "organisation",
    "AccountClosed": "organisation",
    "ProjectAdded": "organisation",
}
PART_ORDER = ("vouchers", "decisions", "goals", "risks", "texts", "organisation", "other")


class Marks:
    """The marked position ranges known at one moment, each with its note."""

    def __init__(self, ranges: Iterable[tuple[int, int, str]]) -> None:
        self.ranges = sorted(ranges)
        self.starts = [first for first, _, _ in self.ranges]

    def note(self, position: int) -> str | None:
        """The note of the latest mark covering `position`, or None."""
        index = bisect.bisect_right(self.starts, position)
        for first, last, note in reversed(self.ranges[:index]):
            if first <= position <= last:
                return note
        return None


def fold_marks(events: Iterable[ev.LedgerEvent]) -> Marks:
    from ledger import events as ev

    return Marks(
        (e.first_position, e.last_position, e.note) for e in events if isinstance(e, ev.EventsMarkedIllustrative)
    )


def query_marks(conn: Connection | reader.Reader, known_position: int | None = None) -> Marks:
    known = "" if known_position is None else " WHERE position <= :known"
    rows = reader.of(conn).rows(
        f"SELECT first_position, last_position, note FROM {{rm_illustrative_marks}}{known} ORDER BY position",
        {} if known_position is None else {"known": known_position},
    )
    return Marks((int(r[0]), int(r[1]), r[2]) for r in rows)


@dataclass(frozen=True)
class Illustration:
    """What of one report rests on illustrative events."""

    parts: tuple[tuple[str, int], ...]  # (part, marked events), in PART_ORDER
    positions: frozenset[int]  # every marked event the report rests on
    monthly: bool  # the monthly chart counts postings of a marked event

    def __bool__(self) -> bool:
        return bool(self.parts)


def _touches(scope: Scope, fiscal_year: int | None, units: Sequence[str]) -> bool:
    """The event is of the report's year or the year before (or of none), and of its units (or of none)."""
    in_year = fiscal_year is None or fiscal_year in (scope.fiscal_year, scope.fiscal_year - 1)
    return in_year and (not units or any(unit in scope.members for unit in units))


def _illustration(marked: Iterable[tuple[int, str]], monthly: bool) -> Illustration:
    """`marked`: (position, part) of each marked event the report rests on."""
    found = dict(marked)
    counts = Counter(found.values())
    parts = tuple((part, counts[part]) for part in PART_ORDER if counts[part])
    return Illustration(parts, frozenset(found), monthly)


def fold_illustration(events: Iterable[ev.LedgerEvent], scope: Scope) -> Illustration:
    from ledger import events as ev
    from ledger.store.log_entries import log_entry

    seen = query.known(events, scope.known_at)
    marks = fold_marks(seen)
    marked = []
    for event in seen:
        entry = log_entry(event)
        if marks.note(event.position) and _touches(scope, entry.fiscal_year, entry.units):
            marked.append((event.position, PARTS.get(ev.type_name(event), "other")))
    rows = amounts.account_rows(seen)
    monthly = any(
        marks.note(posted.position) is not None
        for posted in amounts.posted_amounts(seen)
        if rows.get(posted.account) in EXPENSE_ROWS
        and posted.unit in scope.members
        and scope.year_start <= posted.effective_on <= scope.actuals_until
    )
    return _illustration(marked, monthly)


def query_illustration(conn: Connection, scope: Scope) -> Illustration:
    from sqlalchemy import and_, exists, select

    from ledger.store import tables as t

    known = query.position_known_at(conn, scope.known_at)
    marks = query_marks(conn, known)
    log, a = t.log.c, t.amounts.c
    marked = []
    monthly = False
    for first, last, _ in marks.ranges:
        rows = conn.execute(
            select(log.position, log.type, log.fiscal_year, log.units).where(log.position.between(first, last))
        ).all()
        for position, kind, fiscal_year, units in rows:
            if _touches(scope, fiscal_year, units.split()):
                marked.append((int(position), PARTS.get(kind, "other")))
        monthly = monthly or bool(
            conn.execute(
                select(
                    exists().where(
                        and_(
                            a.position.between(first, last),
                            a.unit.in_(sorted(scope.members)),
                            a.effective_on.between(scope.year_start, scope.actuals_until),
                            a.row.in_(sorted(EXPENSE_ROWS)),
                        )
                    )
                )
            ).scalar()
        )
    return _illustration(marked, monthly)
