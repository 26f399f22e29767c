"""The whole report for one unit and year, as data: every section of the printed document.

The order of the fields is the order of the document (the seed's): the goals derived from
strategy (council level), the service areas' descriptions, the budget summary, the
sector's statement with its deviation explanation, each service area's statement with
its explanation, the investments, the operating-plan goals and the risk register. The
monthly expenditure feeds the chart. Nothing here is formatted: `view.py` does that.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from projections.approvals import Version
from projections.budget_decisions import BudgetDecision
from projections.goals import GoalItem, GoalReport
from projections.illustrative import Illustration
from projections.investments import Investments
from projections.monthly import MonthlyExpenditure
from projections.query import Scope
from projections.risks import RiskReport
from projections.statement import Statement
from projections.summary import Summary


@dataclass(frozen=True)
class UnitSection:
    """A unit's statement and its words: the description and the deviation explanation."""

    code: str
    name: str
    depth: int  # 0 the top of the organisation (kaupunki), 1 a sector, 2 a service area, ...
    binding: str  # the council's binding level at this unit: net | gross | none
    description: str | None
    deviation: str | None
    statement: Statement


@dataclass(frozen=True)
class Document:
    entity: str
    scope: Scope
    responsible: str | None  # the office holder who answers for the report (vastuuhenkilö)
    notes: dict[str, str]  # section key (council-goals, summary, ...) -> the note opening it
    goals: GoalReport
    summary: Summary
    sector: UnitSection
    areas: tuple[UnitSection, ...]  # the unit's direct children, in the order they were added
    investments: Investments
    risks: RiskReport
    monthly: MonthlyExpenditure
    decisions: tuple[BudgetDecision, ...]  # the year's budget decisions, changes summed by area
    illustration: Illustration  # what of the report rests on events marked illustrative
    version: Version | None = None  # the approval it shows and what changed since (ADR 0027)

    def reports(self) -> tuple[Any, ...]:
        """The reports whose cells it prints: the statements, the investments, goals and risks."""
        statements = (self.sector.statement, *(area.statement for area in self.areas))
        return (*statements, self.investments, self.goals, self.risks)

    def goals_at(self, level: str) -> tuple[GoalItem, ...]:
        """The goals of one level (council | operating-plan), in the order they were set."""
        return tuple(item for item in self.goals.items if item.level == level)
