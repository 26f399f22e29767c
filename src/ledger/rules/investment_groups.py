"""An investment group's expenditure exceeds its budget after amendments.

Source: Local Government Act 410/2015, section 110(3)-(4): the budget's investment
part (investointiosa) is adopted by the council and binds like the operating part;
only the council may change an appropriation. Spending on a group with no budget at
all is an overrun too.
"""

from __future__ import annotations

from ledger.money import format_fi
from ledger.rules.context import CheckContext
from ledger.rules.findings import Finding, Severity

RULE_ID = "investment-overrun"
SEVERITY: Severity = "error"
SUMMARY = "an investment group's expenditure exceeds its budget after amendments"
SOURCE = "Local Government Act 410/2015 § 110(3)-(4) (investment part)"


def evaluate(context: CheckContext) -> list[Finding]:
    findings = []
    for unit in context.investments:
        for group in unit.investments.groups:
            expenditure = next(line.figures for line in group.lines if line.key == "expenditure")
            if expenditure.actual >= expenditure.budget:  # statement sign: expenditure is negative
                continue
            over = expenditure.budget - expenditure.actual
            findings.append(
                Finding(
                    RULE_ID,
                    SEVERITY,
                    unit.unit,
                    f"{unit.unit}: investments in {group.group} ({group.name_fi}) spent {format_fi(-expenditure.actual)} € "
                    f"against a budget of {format_fi(-expenditure.budget)} € after amendments, {format_fi(over)} € "
                    "over; the council must amend the investment budget, or the overrun must be explained",
                    {"budget": expenditure.budget, "actual": expenditure.actual, "overrun": over},
                    unit.events.get(group.group, ()),
                )
            )
    return findings
