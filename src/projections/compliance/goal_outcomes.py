"""A council-level goal has no outcome and status reported for the year's end.

Source: Local Government Act 410/2015, section 115: the annual report (toimintakertomus)
tells whether the operational and financial targets the council set were met. Before
the year is over a missing outcome is expected (info); once the period reaches 31.12.
and the year has ended, it is an error.
"""

from __future__ import annotations

from ledger import clock
from projections.compliance.context import CheckContext
from projections.compliance.findings import Finding, Severity

RULE_ID = "goal-outcome-missing"
SEVERITY: Severity = "error"
SUMMARY = "a council-level goal has no outcome and status reported for the year-end (info before the year ends)"
SOURCE = "Local Government Act 410/2015 § 115 (annual report)"


def evaluate(context: CheckContext) -> list[Finding]:
    year_end = clock.year_end(context.fiscal_year)
    severity: Severity = "error" if context.year_over else "info"
    findings = []
    for goal, positions in context.goals:
        if goal.level != "council":
            continue
        if goal.outcome_on is not None and goal.outcome_on >= year_end and goal.status != "not-assessed":
            continue
        found = f"its last outcome is dated {goal.outcome_on} ({goal.status})" if goal.outcome_on else "no outcome"
        findings.append(
            Finding(
                RULE_ID,
                severity,
                goal.unit,
                f"goal {goal.goal} of {goal.unit} ('{goal.text[:60]}') has {found} for 31.12.{context.fiscal_year}; "
                f"report it with `kuntaledger goals report {goal.goal} --on {year_end} --text ... --status ...`",
                {},
                positions,
            )
        )
    return findings
