"""An investment group's expenditure exceeds its budget after amendments.

Source: Local Government Act 410/2015, section 110(3)-(4): the budget's investment
part (investointiosa) is adopted by the council and binds like the operating part;
only the council may change an appropriation. Spending on a group with no budget at
all is an overrun too.
"""

from __future__ import annotations

from ledger.money import format_fi
from projections.compliance.context import CheckContext, GroupFigures
from projections.compliance.findings import Finding, Severity
from projections.investments import InvestmentGroupLines

RULE_ID = "investment-overrun"
SEVERITY: Severity = "error"
SUMMARY = "an investment group's expenditure exceeds its budget after amendments"
SOURCE = "Local Government Act 410/2015 § 110(3)-(4) (investment part)"


def evaluate(context: CheckContext) -> list[Finding]:
    findings = []
    for unit in context.investments:
        for group in unit.investments.groups:
            spent = next(line.figures for line in group.lines if line.key == "expenditure")
            if spent.actual < spent.budget:  # statement sign: expenditure is negative
                findings.append(_finding(unit, group, spent.budget, spent.actual))
    return findings


def _finding(unit: GroupFigures, group: InvestmentGroupLines, budget: int, actual: int) -> Finding:
    over = budget - actual
    return Finding(
        RULE_ID,
        SEVERITY,
        unit.unit,
        f"{unit.unit}: investments in {group.group} ({group.name_fi}) spent {format_fi(-actual)} € against a "
        f"budget of {format_fi(-budget)} € after amendments, {format_fi(over)} € over; the council must amend "
        "the investment budget, or the overrun must be explained",
        {"budget": budget, "actual": actual, "overrun": over},
        unit.events.get(group.group, ()),
    )
