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
    order = [sector, *areas]
    rows = []
    for decision in decisions:
        changes = dict(decision.margin_cents)
        by_area = "\n".join(f"{unit.name} {format_fi(changes[unit.code])}" for unit in order if changes.get(unit.code))
        rows.append(
            Row(
                (
                    decision.reference,
                    labels.format_date(decision.decided_on, lang),
                    words.text(f"decision_{decision.kind}", lang),
                    decision.reason,
                    by_area if decision.kind != "original" else "",
                    format_fi(decision.total_cents),
                )
            )
        )
    keys = ("decision", "decided_on", "decision_kind", "decision_reason", "decision_changes", "decision_margin")
    columns = tuple(words.text(key, lang) for key in keys)
    return Table(
        columns,
        (False, False, False, False, False, True),
        tuple(rows),
        variant="words",
        widths=(14, 10, 14, 28, 22, 12),
    )
