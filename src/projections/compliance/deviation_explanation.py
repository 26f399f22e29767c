"""A deviation at a council binding unit beyond the threshold has no explanation recorded.

Source: Local Government Act 410/2015, section 113 (the financial statements include
the budget comparison, toteutumisvertailu) and section 115 (the annual report tells
how the council's targets were met); the council's binding rules set how large a
deviation must be explained. Default: beyond both 5 % of the budget and 10 000 €,
settable with `check --deviation-pct` and `--deviation-amount`.
"""

from __future__ import annotations

from decimal import Decimal

from ledger.money import format_fi
from projections.compliance.context import CheckContext, UnitFigures
from projections.compliance.findings import Finding, Severity, Thresholds

RULE_ID = "deviation-unexplained"
SEVERITY: Severity = "warning"
SUMMARY = "a binding unit deviates from its budget beyond the threshold and no explanation is recorded"
SOURCE = "Local Government Act 410/2015 §§ 113, 115; the council's binding rules (threshold)"

ROWS = {"net": ("operating_margin",), "gross": ("operating_income", "operating_expenses")}


def beyond(budget: int, actual: int, thresholds: Thresholds) -> bool:
    gap = abs(actual - budget)
    return gap > thresholds.deviation_cents and Decimal(gap) * 100 > thresholds.deviation_pct * abs(budget)


def evaluate(context: CheckContext) -> list[Finding]:
    findings = []
    for unit in context.binding_units():
        if unit.code in context.deviation_explanations:
            continue
        for row in ROWS.get(unit.binding, ()):
            figures = unit.statement.line(row).figures
            if beyond(figures.budget, figures.actual, context.thresholds):
                findings.append(_finding(unit, row, figures.budget, figures.actual, context))
    return findings


def _finding(unit: UnitFigures, row: str, budget: int, actual: int, context: CheckContext) -> Finding:
    limits = f"{context.thresholds.deviation_pct} % and {format_fi(context.thresholds.deviation_cents)} €"
    return Finding(
        RULE_ID,
        SEVERITY,
        unit.code,
        f"{unit.code} {unit.name}: {row} deviates from the budget by {format_fi(actual - budget)} € "
        f"(actual {format_fi(actual)} €, budget {format_fi(budget)} €), beyond {limits}; record why with "
        f"`kuntaledger explain-deviation --unit {unit.code} --year {context.fiscal_year} --text ...`",
        {"budget": budget, "actual": actual, "difference": actual - budget},
        unit.events,
    )
