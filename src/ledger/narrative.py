"""Goals, risks, unit descriptions and deviation explanations: the report's words."""

from __future__ import annotations

from datetime import date
from typing import get_args

from ledger import events as ev
from ledger.drafts import Draft, Outcome
from ledger.errors import InvalidInput, NotFound, RuleViolation
from ledger.state import LedgerState

GOAL_LEVELS = ("council", "operating-plan")
GOAL_STATUSES = ("achieved", "partly-achieved", "not-achieved", "not-assessed")
UNIT_TEXT_KINDS: tuple[str, ...] = get_args(ev.UnitTextKind)


def _unit(state: LedgerState, code: str) -> None:
    if code not in state.units:
        raise NotFound(f"'{code}': no such unit; see `kuntaledger units list`", field="unit", value=code)


def _text(field: str, text: str) -> str:
    if not text.strip():
        raise InvalidInput("the text is empty", field=field)
    return text.strip()


def set_goal(
    state: LedgerState,
    goal: str,
    year: int,
    unit: str,
    level: str,
    strategic_goal: str,
    text: str,
    metric: str,
    target: str,
    responsible: str,
    on: date,
) -> Outcome:
    _unit(state, unit)
    if level not in GOAL_LEVELS:
        raise InvalidInput(f"'{level}': use council or operating-plan", field="level", value=level)
    goal = goal.strip()  # the id recorded; ' G1' and 'G1' are one goal
    if not goal:
        raise InvalidInput("give the goal an id, e.g. YP-2024-1", field="goal")
    if state.goal_exists(goal):
        raise RuleViolation(f"goal {goal} exists already; change its words with `goals reword`")
    fields = {
        "goal": goal.strip(),
        "fiscal_year": year,
        "unit": unit,
        "level": level,
        "strategic_goal": strategic_goal.strip(),
        "text": _text("text", text),
        "metric": metric.strip(),
        "target": target.strip(),
        "responsible": responsible.strip(),
        "effective_on": on,
    }
    return Outcome([Draft(ev.GoalSet, fields)], [f"set goal {goal}"])


def _existing_goal(state: LedgerState, goal: str) -> None:
    if not state.goal_exists(goal):
        raise NotFound(f"no goal '{goal}'; see `kuntaledger goals`")


def reword_goal(state: LedgerState, goal: str, text: str, metric: str | None, target: str | None, on: date) -> Outcome:
    _existing_goal(state, goal)
    fields = {
        "goal": goal,
        "text": _text("text", text),
        "metric": metric.strip() if metric is not None else None,
        "target": target.strip() if target is not None else None,
        "effective_on": on,
    }
    return Outcome([Draft(ev.GoalReworded, fields)], [f"reworded goal {goal}"])


def report_goal(state: LedgerState, goal: str, on: date, text: str, status: str) -> Outcome:
    _existing_goal(state, goal)
    if status not in GOAL_STATUSES:
        raise InvalidInput(f"'{status}': use {', '.join(GOAL_STATUSES)}", field="status", value=status)
    # a status may stand without words (the printed table has a status and no outcome paragraph)
    fields = {"goal": goal, "text": text.strip(), "status": status, "effective_on": on}
    return Outcome([Draft(ev.GoalOutcomeReported, fields)], [f"reported the outcome of goal {goal}: {status}"])


def assess_risk(
    state: LedgerState,
    risk: str,
    unit: str,
    year: int,
    risk_class: str,
    description: str,
    probability: int,
    significance: int,
    mitigation: str,
    carried_out: str,
    on: date,
    responsible: str = "",
) -> Outcome:
    _unit(state, unit)
    for field, value in (("probability", probability), ("significance", significance)):
        if value not in (1, 2, 3):
            raise InvalidInput(f"{value}: use 1, 2 or 3", field=field, value=value)
    if not risk.strip():
        raise InvalidInput("give the risk an id", field="risk")
    fields = {
        "risk": risk.strip(),
        "unit": unit,
        "fiscal_year": year,
        "risk_class": _text("risk_class", risk_class),
        "description": _text("description", description),
        "probability": probability,
        "significance": significance,
        "mitigation": mitigation.strip(),
        "carried_out": carried_out.strip(),
        "effective_on": on,
        "responsible": responsible.strip(),
    }
    return Outcome([Draft(ev.RiskAssessed, fields)], [f"assessed risk {risk}"])


def describe_unit(state: LedgerState, unit: str, year: int, text: str, on: date, kind: str = "description") -> Outcome:
    _unit(state, unit)
    if kind not in UNIT_TEXT_KINDS:
        raise InvalidInput(f"'{kind}': use {', '.join(UNIT_TEXT_KINDS)}", field="kind", value=kind)
    fields = {"unit": unit, "fiscal_year": year, "text": _text("text", text), "effective_on": on, "kind": kind}
    return Outcome([Draft(ev.UnitDescribed, fields)], [f"recorded the {kind} text of {unit} for {year}"])


def explain_deviation(state: LedgerState, unit: str, year: int, text: str, on: date) -> Outcome:
    _unit(state, unit)
    fields = {"unit": unit, "fiscal_year": year, "text": _text("text", text), "effective_on": on}
    return Outcome([Draft(ev.DeviationExplained, fields)], [f"recorded the deviation explanation of {unit} for {year}"])
