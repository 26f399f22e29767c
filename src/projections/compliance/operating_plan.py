"""A service area's net, or one of its expense rows, exceeds its operating-plan budget.

Source: the council's binding rules and the board's operating plan (käyttösuunnitelma),
which distributes a binding unit's appropriation to service areas; Local Government Act
410/2015, section 110(4). Within the binding level it is not a breach of the budget, so
this is a warning: move money with an operating-plan amendment or explain it.
"""

from __future__ import annotations

from ledger.money import format_fi
from ledger.statement_rows import ROWS_BY_KEY
from projections.compliance.context import CheckContext, UnitFigures
from projections.compliance.findings import Finding, Severity

RULE_ID = "operating-plan-overrun"
SEVERITY: Severity = "warning"
SUMMARY = "a service area's net or an expense row exceeds its operating-plan budget"
SOURCE = "the board's operating plan (käyttösuunnitelma) under the council's binding rules; LGA 410/2015 § 110(4)"

EXPENSE_ROWS = ROWS_BY_KEY["operating_expenses"].parts


def evaluate(context: CheckContext) -> list[Finding]:
    findings = []
    for unit in context.units.values():
        if unit.binding != "none" or unit.binding_unit is None:
            continue
        for row in ("operating_margin", *EXPENSE_ROWS):
            figures = unit.statement.line(row).figures
            if figures.actual < figures.budget:
                findings.append(_finding(unit, row, figures.budget, figures.actual))
    return findings


def _finding(unit: UnitFigures, row: str, budget: int, actual: int) -> Finding:
    label = ROWS_BY_KEY[row].label_en.lower()
    return Finding(
        RULE_ID,
        SEVERITY,
        unit.code,
        f"{unit.code} {unit.name}: {label} ({row}) is {format_fi(actual)} € against an operating-plan budget of "
        f"{format_fi(budget)} €, {format_fi(budget - actual)} € over; move the money with an operating-plan "
        f"amendment within {unit.binding_unit}, or explain the overrun",
        {"budget": budget, "actual": actual, "overrun": budget - actual},
        unit.events,
    )
