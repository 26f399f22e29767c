"""The budget was adopted during its own year, not before it (after it: an error).

Source: Local Government Act 410/2015, section 110(1): by the end of each year the
council adopts the budget for the following year. A budget adopted in its own year is
lawful to record (the year needs one, e.g. after the council rejected the first draft),
but unusual: until then the municipality ran without an approved budget, and every
figure as of an earlier date has no budget. The recording commands refuse a budget
adopted after its year has ended, so only a log loaded with `import-log` can hold one.
"""

from __future__ import annotations

from ledger import clock
from projections.compliance.context import CheckContext
from projections.compliance.findings import Finding, Severity

RULE_ID = "budget-adopted-late"
SEVERITY: Severity = "warning"
SUMMARY = "the budget was adopted during its own year instead of by 31.12. of the year before (after it: error)"
SOURCE = "Local Government Act 410/2015 § 110(1)"


def evaluate(context: CheckContext) -> list[Finding]:
    year = context.fiscal_year
    findings = []
    for decision in context.budget_decisions:
        decided_on = decision.decision.decided_on
        if decision.kind != "original" or decided_on <= clock.year_end(year - 1):
            continue
        after = decided_on > clock.year_end(year)
        when = "after the year had ended" if after else "during the year itself"
        findings.append(
            Finding(
                RULE_ID,
                "error" if after else SEVERITY,
                None,
                f"the {year} budget '{decision.decision.reference}' was adopted on {decided_on}, {when}; the council "
                f"adopts it by 31.12.{year - 1} (Local Government Act 110 §): say why in the annual report",
                {},
                (decision.position,),
            )
        )
    return findings
