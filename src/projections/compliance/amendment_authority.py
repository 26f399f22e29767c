"""A budget decision that the deciding body had no power to make is in the log.

Source: Local Government Act 410/2015, section 110: the council adopts the budget and
decides every change to it, within the budget year and after adopting it; the board's operating-plan
amendments (käyttösuunnitelmamuutos) must leave each council binding unit's net (at a
gross unit its income and expenditure) and its investment groups unchanged. The
recording commands refuse such decisions, so only a history loaded from elsewhere
(`import-log`) can hold one; this rule makes sure it is reported, not accepted.
"""

from __future__ import annotations

from datetime import date

from ledger import clock
from ledger.budgeting import binding_changes
from ledger.money import format_fi
from projections.compliance.context import BudgetDecision, CheckContext
from projections.compliance.findings import Finding, Severity

RULE_ID = "amendment-authority"
SEVERITY: Severity = "error"
SUMMARY = (
    "a budget or amendment decided by the wrong body, too late or too early, "
    "or changing a binding figure without the council"
)
SOURCE = "Local Government Act 410/2015 § 110; the council's binding rules"


def evaluate(context: CheckContext) -> list[Finding]:
    findings = []
    for decision in context.budget_decisions:
        for unit, problem in _problems(decision, context):
            findings.append(Finding(RULE_ID, SEVERITY, unit, f"{_name(decision)}: {problem}", {}, (decision.position,)))
    return findings


def _name(decision: BudgetDecision) -> str:
    return f"the {decision.kind} budget decision '{decision.decision.reference}' at position {decision.position}"


def _problems(decision: BudgetDecision, context: CheckContext) -> list[tuple[str | None, str]]:
    body = decision.decision.body
    expected = "board" if decision.kind == "operating-plan" else "council"
    found: list[tuple[str | None, str]] = []
    if body != expected:
        found.append(
            (None, f"was decided by the {body}, but only the {expected} may; record the {expected}'s decision")
        )
    if decision.kind == "council" and decision.decision.decided_on > clock.year_end(context.fiscal_year):
        found.append(
            (
                None,
                f"was decided on {decision.decision.decided_on}, after the budget year; "
                "the council must amend a budget during its year",
            )
        )
    adopted_on = _adopted_on(context)
    if decision.kind != "original" and adopted_on is not None and decision.decision.decided_on < adopted_on:
        found.append(
            (
                None,
                f"was decided on {decision.decision.decided_on}, before the budget it amends was adopted "
                f"({adopted_on}); an amendment can only change an adopted budget",
            )
        )
    if decision.kind == "operating-plan":
        found.extend(_binding_changes(decision, context))
    return found


def _adopted_on(context: CheckContext) -> date | None:
    return next((d.decision.decided_on for d in context.budget_decisions if d.kind == "original"), None)


def _binding_changes(decision: BudgetDecision, context: CheckContext) -> list[tuple[str | None, str]]:
    def binding_of(code: str) -> tuple[str, str] | None:
        unit = context.units.get(code)
        binding = unit.binding_unit if unit else None
        return (binding, context.units[binding].binding) if binding else None

    return [
        (
            change.unit,
            f"changes the {change.what} of {change.unit}, bound by the council, by "
            f"{format_fi(change.change_cents, 2)} €; only the council may: record it as a council "
            "amendment, or correct the operating plan",
        )
        for change in binding_changes(decision.lines, binding_of)
    ]
