"""Compliance rules: one small module per rule, each returning findings as data (ADR 0008).

A rule module has `RULE_ID`, `SEVERITY` (its usual severity), `SUMMARY`, `SOURCE` (the
section of law or the council's rule it enforces, also cited in its docstring) and
`evaluate(context) -> list[Finding]`. `check` runs them all over one `CheckContext`.
"""

from __future__ import annotations

from collections.abc import Iterable
from types import ModuleType

from ledger import clock
from ledger.application import Ledger
from projections.compliance import (
    amendment_authority,
    binding_level,
    budget_timing,
    deviation_explanation,
    goal_outcomes,
    investment_groups,
    operating_plan,
    trial_balance,
)
from projections.compliance.context import CheckContext, budget_years, gather
from projections.compliance.findings import Finding, severity_order

RULES: tuple[ModuleType, ...] = (
    binding_level,
    operating_plan,
    deviation_explanation,
    goal_outcomes,
    investment_groups,
    amendment_authority,
    budget_timing,
    trial_balance,
)


def evaluate(context: CheckContext, focus: Iterable[str] | None = None) -> list[Finding]:
    """The rules' findings, errors first; with `focus`, only those of these units (and the log-wide ones)."""
    units = set(focus) if focus is not None else None
    findings = [finding for rule in RULES for finding in rule.evaluate(context)]
    kept = [f for f in findings if units is None or f.unit is None or f.unit in units]
    return sorted(kept, key=lambda f: (severity_order(f), f.rule, f.unit or ""))


def findings_by_year(ledger: Ledger) -> dict[int, list[Finding]]:
    """What `check` finds in every year with an adopted budget, as of its year end and known
    now (for `import-log`); a year without a budget has nothing to check the figures against."""
    with ledger.state() as state:
        years = [year for year in budget_years(state.conn) if state.budget_adopted(year)]
    return {year: evaluate(gather(ledger, year, clock.year_end(year), clock.now())) for year in years}
