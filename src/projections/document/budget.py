"""The budget's phases: the original budget, the amendments and the budget after them.

The commentary refers to amendments ("käyttösuunnitelmamuutoksen jälkeen"), so the
document shows each area's operating margin (toimintakate) in the three phases, then the
unit's: an operating-plan amendment moves money between areas and leaves the unit's net
as it was.
"""

from __future__ import annotations

from collections.abc import Sequence

from ledger.money import format_fi
from ledger.statement_rows import ROWS_BY_KEY
from projections.document.layout import Row, RowStyle, Table
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
