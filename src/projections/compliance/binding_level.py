"""A council binding unit's actuals are worse than its budget after amendments.

Source: Local Government Act 410/2015, section 110(4): the budget binds the
municipality's operations and finances, and only the council may change it; the
council's binding rules (talousarvion sitovuus) say at which unit and level it binds.
At a `net` unit the operating margin (toimintakate) must not fall below the budget;
at a `gross` unit expenditure (toimintakulut) must not exceed, nor income
(toimintatuotot) fall short of, the budget. Section 115 lets the annual report explain
an overrun: once `explain-deviation` is recorded for the unit, the overrun is reported
as explained (info), with the explanation, and no longer fails `check`.
"""

from __future__ import annotations

from ledger.money import format_fi
from ledger.statement_rows import BOUND_ROWS
from projections.compliance.context import CheckContext, Explanation, UnitFigures
from projections.compliance.findings import Finding, Severity

RULE_ID = "binding-level-overrun"
SEVERITY: Severity = "error"
SUMMARY = "a council binding unit's net (or, at gross level, expenditure or income) is worse than its budget"
SOURCE = "Local Government Act 410/2015 § 110(4); the council's binding rules"

LABELS = {
    "operating_margin": "net (toimintakate)",
    "operating_expenses": "expenditure (toimintakulut)",
    "operating_income": "income (toimintatuotot)",
}
CHECKED_ROWS = {binding: tuple((row, LABELS[row]) for row in rows) for binding, rows in BOUND_ROWS.items()}


def evaluate(context: CheckContext) -> list[Finding]:
    findings = []
    for unit in context.binding_units():
        for row, label in CHECKED_ROWS.get(unit.binding, ()):
            figures = unit.statement.line(row).figures
            if figures.actual < figures.budget:
                explanation = context.deviation_explanations.get(unit.code)
                findings.append(_finding(unit, label, figures.budget, figures.actual, explanation))
    return findings


def _finding(unit: UnitFigures, label: str, budget: int, actual: int, explanation: Explanation | None) -> Finding:
    short = budget - actual
    overrun = (
        f"{unit.code} {unit.name}: the {label} is {format_fi(actual)} € against a budget of {format_fi(budget)} € "
        f"after amendments, {format_fi(short)} € worse"
    )
    figures = {"budget": budget, "actual": actual, "overrun": short}
    if explanation is None:
        return Finding(
            RULE_ID,
            SEVERITY,
            unit.code,
            f"{overrun}; the council must amend the budget (budget amend --kind council) before the year ends, "
            "or the overrun must be explained in the annual report (explain-deviation)",
            figures,
            unit.events,
        )
    return Finding(
        RULE_ID,
        "info",
        unit.code,
        f"explained: {overrun}; '{explanation.text}' (explain-deviation on {explanation.effective_on}, "
        f"event {explanation.events[-1]})",
        figures,
        tuple(sorted({*unit.events, *explanation.events})),
    )
