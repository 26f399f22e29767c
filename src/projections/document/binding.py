"""Whether the council's binding appropriation held, for each binding unit of the document.

At a net-bound unit the operating margin must not fall below its budget after amendments;
at a gross-bound unit expenses must not exceed it nor income fall short of it. The rows
bound are `BOUND_ROWS`, which the compliance rule (`projections.compliance.binding_level`) checks
too, so the report and `check` judge alike.
"""

from __future__ import annotations

from collections.abc import Sequence

from ledger.money import format_fi
from ledger.statement_rows import BOUND_ROWS, ROWS_BY_KEY
from projections.document import labels as words
from projections.document.figures import period
from projections.document.layout import Row, Subsection, Table
from projections.document.model import UnitSection
from projections.render import labels

VERDICTS = {  # (held, short): the row's words
    "operating_income": ("income_held", "income_short"),
}


def binding_held(units: Sequence[UnitSection], lang: str) -> Subsection | None:
    """One row per checked figure of each binding unit; None where nothing is bound."""
    rows = []
    for unit in units:
        for number, key in enumerate(BOUND_ROWS.get(unit.binding, ())):
            figures = unit.statement.line(key).figures
            row = ROWS_BY_KEY[key]
            item = f"{labels.pick((row.label_fi, row.label_en), lang)} ({words.text(f'binding_{unit.binding}', lang)})"
            held, short = VERDICTS.get(key, ("appropriation_held", "appropriation_overrun"))
            verdict = (
                words.text(held, lang)
                if figures.actual >= figures.budget
                else words.text(short, lang).format(amount=format_fi(figures.budget - figures.actual))
            )
            name = unit.name if number == 0 else ""
            rows.append(Row((name, item, format_fi(figures.budget), format_fi(figures.actual), verdict)))
    if not rows:
        return None
    scope = units[0].statement.scope
    columns = (
        words.text("binding_unit", lang),
        words.text("binding_item", lang),
        words.text("budget", lang).format(year=scope.fiscal_year),
        words.text("actual", lang).format(period=period(scope.as_of, lang, months=False)),
        words.text("binding_verdict", lang),
    )
    table = Table(columns, (False, False, True, True, False), tuple(rows))
    return Subsection(words.text("binding_held", lang), (table,))
