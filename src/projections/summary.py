"""The budget summary: TULOT, MENOT and NETTO, the statement's three binding rows.

TULOT is toimintatuotot, MENOT toimintakulut, NETTO toimintakate (which also holds
valmistus omaan käyttöön). Both faces are the statement's, summarised.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, ClassVar

from ledger.statement_rows import SUMMARY_ROWS
from projections.comparison import Comparison
from projections.query import Scope
from projections.statement import Statement, fold_statement, query_statement

if TYPE_CHECKING:  # the lean report path imports neither (ADR 0015)
    from sqlalchemy import Connection

    from ledger import events as ev
    from projections.reader import Reader


@dataclass(frozen=True)
class SummaryLine:
    key: str  # income | expenditure | net
    label_fi: str
    label_en: str
    row: str  # the statement row it is
    figures: Comparison


@dataclass(frozen=True)
class Summary:
    report_name: ClassVar[str] = "summary"
    scope: Scope
    deviation_sign: str
    lines: tuple[SummaryLine, ...]


def summarise(statement: Statement) -> Summary:
    lines = tuple(
        SummaryLine(key, label_fi, label_en, row, statement.line(row).figures)
        for key, label_fi, label_en, row in SUMMARY_ROWS
    )
    return Summary(statement.scope, statement.deviation_sign, lines)


def fold_summary(events: Iterable[ev.LedgerEvent], unit: str, year: int, as_of: date, known_at: datetime) -> Summary:
    return summarise(fold_statement(events, unit, year, as_of, known_at))


def query_summary(conn: Connection | Reader, unit: str, year: int, as_of: date, known_at: datetime) -> Summary:
    return summarise(query_statement(conn, unit, year, as_of, known_at))
