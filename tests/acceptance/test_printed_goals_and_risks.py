"""The goal tables (texts and statuses) and the risk table, field by field, as printed.

Goals and risks of YP for 2024, as of 31.12.2024, known at the signing. Each test id
names the goal or risk and the field.
"""

from __future__ import annotations

from typing import Any

import pytest
from support.heinola_printed import PRINTED, SECTOR, Report, by_key

GOALS: list[dict[str, Any]] = PRINTED["goals"]
RISKS: list[dict[str, Any]] = PRINTED["risks"]
GOAL_FIELDS = ("unit", "level", "strategic_goal", "text", "metric", "target", "responsible", "outcome", "outcome_on")
RISK_FIELDS = ("unit", "class", "description", "probability", "significance", "mitigation", "carried_out")


def _params(items: list[dict[str, Any]], id_key: str, fields: tuple[str, ...]) -> list[Any]:
    return [
        pytest.param(item[id_key], field, item[field], id=f"{item[id_key]}-{field}")
        for item in items
        for field in fields
    ]


@pytest.mark.parametrize(("goal", "field", "printed"), _params(GOALS, "goal", GOAL_FIELDS))
def test_goal_text(report: Report, goal: str, field: str, printed: str) -> None:
    ours = by_key(report("goals", SECTOR)["items"], "goal")[goal]
    assert ours[field] == printed


@pytest.mark.parametrize(("goal", "field", "printed"), _params(GOALS, "goal", ("status",)))
def test_goal_status(report: Report, goal: str, field: str, printed: str) -> None:
    ours = by_key(report("goals", SECTOR)["items"], "goal")[goal]
    assert ours[field] == printed


def test_goals_are_the_printed_ones_in_the_printed_order(report: Report) -> None:
    ours = [item["goal"] for item in report("goals", SECTOR)["items"]]
    assert ours == [goal["goal"] for goal in GOALS]
    assert {goal["year"] for goal in GOALS} == {2024}
    assert report("goals", SECTOR)["fiscal_year"] == 2024


@pytest.mark.parametrize(("risk", "field", "printed"), _params(RISKS, "risk", RISK_FIELDS))
def test_risk(report: Report, risk: str, field: str, printed: str | int) -> None:
    ours = by_key(report("risks", SECTOR)["items"], "risk")[risk]
    assert ours[field] == printed


def test_risks_are_the_printed_ones_in_the_printed_order(report: Report) -> None:
    ours = [item["risk"] for item in report("risks", SECTOR)["items"]]
    assert ours == [risk["risk"] for risk in RISKS]
    assert {risk["year"] for risk in RISKS} == {2024}
    assert report("risks", SECTOR)["fiscal_year"] == 2024
