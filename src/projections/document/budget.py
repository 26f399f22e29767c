"""The budget's phases and the decisions that made them.

The commentary refers to amendments ("käyttösuunnitelmamuutoksen jälkeen"), so the
document shows each area's operating margin (toimintakate) in the three phases (original,
amendments, after them), then the unit's, and lists the year's budget decisions with what
each changed, area by area: an operating-plan amendment moves money between areas and
leaves the unit's net as it was.
"""

from __future__ import annotations

from collections.abc import Sequence

from ledger.money import format_fi
from ledger.statement_rows import ROWS_BY_KEY
from projections.budget_decisions import BudgetDecision
from projections.document import labels as words
from projections.document.layout import Row, RowStyle, Subsection, Table
from projections.document.model import UnitSection
from projections.render import labels

PHASES = ("original_budget", "budget_amendments", "budget")


def phases_table(sector: UnitSection, areas: Sequence[UnitSection], lang: str) -> Table:
    year = sector.statement.scope.fiscal_year
    rows = [_row(area, "line") for area in areas]
    rows.append(_row(sector, "margin"))
    margin = ROWS_BY_KEY["operating_margin"]
    phases = (labels.column_label(key, lang, year) for key in PHASES)
    columns = (labels.pick((margin.label_fi, margin.label_en), lang), *phases)
    return Table(columns, (False, True, True, True), tuple(rows))


def _row(section: UnitSection, style: RowStyle) -> Row:
    figures = section.statement.line("operating_margin").figures
    return Row((section.name, *(format_fi(getattr(figures, key)) for key in PHASES)), style)


def budget_and_decisions(
    sector: UnitSection, areas: Sequence[UnitSection], decisions: Sequence[BudgetDecision], lang: str
) -> Subsection:
    year = sector.statement.scope.fiscal_year
    blocks = (
        phases_table(sector, areas, lang),
        *((decisions_table(sector, areas, decisions, lang),) if decisions else ()),
    )
    return Subsection(words.text("budget_phases", lang, year), blocks)


def decisions_table(
    sector: UnitSection, areas: Sequence[UnitSection], decisions: Sequence[BudgetDecision], lang: str
) -> Table:
    """A decision's row carries its first change; each further unit's change has a row of its
    own below it, and an amendment touching several units ends with their total."""
    rows: list[Row] = []
    for decision in decisions:
        changes = dict(decision.margin_cents)
        touched = [(unit.name, changes[unit.code]) for unit in (sector, *areas) if changes.get(unit.code)]
        if decision.kind == "original" or not touched:
            touched = [(sector.name, decision.total_cents)]
        elif len(touched) > 1:
            touched.append((words.text("decision_total", lang), decision.total_cents))
        head = (
            decision.reference,
            labels.format_date(decision.decided_on, lang),
            words.text(f"decision_{decision.kind}", lang),
            decision.reason,
        )
        for number, (name, cents) in enumerate(touched):
            told = head if number == 0 else ("",) * len(head)
            style: RowStyle = "total" if number and number == len(touched) - 1 and len(touched) > 2 else "line"
            rows.append(Row((*told, name, format_fi(cents)), style))
    keys = ("decision", "decided_on", "decision_kind", "decision_reason", "unit", "decision_margin")
    columns = tuple(words.text(key, lang) for key in keys)
    numeric = (False, False, False, False, False, True)
    return Table(columns, numeric, tuple(rows), variant="words", widths=(13, 10, 15, 27, 22, 13))
