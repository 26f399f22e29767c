"""The stable JSON of every report (docs/json.md): amounts as strings with two decimals.

Every row is kept, zero or not; keys never depend on the language.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeAlias

from ledger import clock
from ledger.money import format_percent, format_plain
from projections.comparison import AMOUNT_COLUMNS, Comparison
from projections.query import Scope

if TYPE_CHECKING:  # goals, risks and investments read with SQLAlchemy: not for the lean path (ADR 0015)
    from projections.goals import GoalReport
    from projections.investments import InvestmentGroupLines, Investments
    from projections.plan import Plan
    from projections.risks import RiskReport
    from projections.statement import Statement
    from projections.summary import Summary

Report: TypeAlias = "Statement | Summary | Investments | Plan | GoalReport | RiskReport"


def header(report: str, scope: Scope) -> dict[str, Any]:
    return {
        "report": report,
        "unit": scope.unit,
        "unit_name": scope.unit_name,
        "fiscal_year": scope.fiscal_year,
        "as_of": scope.as_of.isoformat(),
        "known_at": clock.format_moment(scope.known_at),
    }


def figures(comparison: Comparison) -> dict[str, str]:
    found = {key: format_plain(getattr(comparison, key)) for key in AMOUNT_COLUMNS}
    found["utilisation_pct"] = format_percent(comparison.utilisation_pct)
    return found


def statement_document(report: Statement) -> dict[str, Any]:
    rows = [
        {"key": line.key, "label_fi": line.label_fi, "label_en": line.label_en, **figures(line.figures)}
        for line in report.lines
    ]
    return {**header("statement", report.scope), "deviation_sign": report.deviation_sign, "rows": rows}


def summary_document(report: Summary) -> dict[str, Any]:
    rows = [
        {
            "key": line.key,
            "label_fi": line.label_fi,
            "label_en": line.label_en,
            "statement_row": line.row,
            **figures(line.figures),
        }
        for line in report.lines
    ]
    return {**header("summary", report.scope), "deviation_sign": report.deviation_sign, "rows": rows}


def _group(group: InvestmentGroupLines) -> dict[str, Any]:
    return {
        "group": group.group,
        "name_fi": group.name_fi,
        "name_en": group.name_en,
        "rows": [
            {"key": line.key, "label_fi": line.label_fi, "label_en": line.label_en, **figures(line.figures)}
            for line in group.lines
        ],
    }


def investments_document(report: Investments) -> dict[str, Any]:
    return {
        **header("investments", report.scope),
        "deviation_sign": report.deviation_sign,
        "groups": [_group(group) for group in report.groups],
        "total": _group(report.total),
    }


def plan_document(report: Plan) -> dict[str, Any]:
    year = report.scope.fiscal_year
    rows = [
        {
            "key": line.key,
            "label_fi": line.label_fi,
            "label_en": line.label_en,
            f"budget_{year}": format_plain(line.budget),
            **{f"plan_{y}": format_plain(amount) for y, amount in zip(report.plan_years, line.plan, strict=True)},
        }
        for line in report.lines
    ]
    return {**header("plan", report.scope), "plan_years": list(report.plan_years), "rows": rows}


def goals_document(report: GoalReport) -> dict[str, Any]:
    items = [
        {
            "goal": item.goal,
            "unit": item.unit,
            "level": item.level,
            "strategic_goal": item.strategic_goal,
            "text": item.text,
            "metric": item.metric,
            "target": item.target,
            "responsible": item.responsible,
            "outcome": item.outcome,
            "outcome_on": item.outcome_on.isoformat() if item.outcome_on else None,
            "status": item.status,
        }
        for item in report.items
    ]
    return {**header("goals", report.scope), "items": items}


def risks_document(report: RiskReport) -> dict[str, Any]:
    items = [
        {
            "risk": item.risk,
            "unit": item.unit,
            "class": item.risk_class,
            "description": item.description,
            "probability": item.probability,
            "significance": item.significance,
            "mitigation": item.mitigation,
            "carried_out": item.carried_out,
            "responsible": item.responsible,
            "assessed_on": item.assessed_on.isoformat(),
        }
        for item in report.items
    ]
    return {**header("risks", report.scope), "items": items}


DOCUMENTS: dict[str, Callable[[Any], dict[str, Any]]] = {
    "statement": statement_document,
    "summary": summary_document,
    "investments": investments_document,
    "plan": plan_document,
    "goals": goals_document,
    "risks": risks_document,
}


def document(report: Report) -> dict[str, Any]:
    """Chosen by the report's name, so that rendering a statement imports no other report."""
    return DOCUMENTS[report.report_name](report)


def read_models(problem: str | None) -> dict[str, Any]:
    """The key every report's JSON ends with: did its read models agree with the log?"""
    return {"read_models": {"consistent": problem is None, "problem": problem}}
