"""The report's words: unit descriptions, goals, risks and the explanation of a deviation."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from ledger.vocabulary.declaring import Command, argument, option

if TYPE_CHECKING:
    from ledger.commands import Check

_ON = option("Effective date.", today=True, show_default=False)
_UNIT = option("Unit code.")
_YEAR = option("Fiscal year.")


@dataclass(frozen=True, kw_only=True)
class UnitsDescribe(Command):
    """Record a unit's description, its responsible or a section's note for a year's report."""

    verb: ClassVar[str] = "units describe"
    code: str = field(metadata=argument("Unit code."))
    year: int = field(metadata=_YEAR)
    text: str = field(metadata=option("What the unit does and did that year."))
    kind: str = field(
        default="description",
        metadata=option(
            "description; responsible (the office holder who answers for the report); or the note opening a "
            "section: council-goals, summary, investments, plan-goals, risks."
        ),
    )
    on: date = field(metadata=_ON)

    def check(self) -> Check:
        from ledger import commands

        return commands.describe_unit(self.code, self.year, self.text, self.on, self.kind)


@dataclass(frozen=True, kw_only=True)
class GoalsSet(Command):
    """Set a goal."""

    verb: ClassVar[str] = "goals set"
    goal: str = field(metadata=argument("Goal id, e.g. YP-2024-K1."))
    year: int = field(metadata=_YEAR)
    unit: str = field(metadata=_UNIT)
    level: str = field(metadata=option("council or operating-plan."))
    text: str = field(metadata=option("The goal."))
    strategic_goal: str = field(default="", metadata=option("The strategic goal it serves."))
    metric: str = field(default="", metadata=option("Metric (mittari)."))
    target: str = field(default="", metadata=option("Target level (tavoitetaso)."))
    responsible: str = field(default="", metadata=option("Responsible office holder."))
    on: date = field(metadata=_ON)

    def check(self) -> Check:
        from ledger import commands

        return commands.set_goal(
            self.goal, self.year, self.unit, self.level, self.strategic_goal, self.text, self.metric, self.target,
            self.responsible, self.on,
        )  # fmt: skip


@dataclass(frozen=True, kw_only=True)
class GoalsReword(Command):
    """Reword a goal (its earlier wording stays in the history)."""

    verb: ClassVar[str] = "goals reword"
    goal: str = field(metadata=argument("Goal id."))
    text: str = field(metadata=option("The new wording."))
    metric: str | None = field(default=None, metadata=option("New metric."))
    target: str | None = field(default=None, metadata=option("New target level."))
    on: date = field(metadata=_ON)

    def check(self) -> Check:
        from ledger import commands

        return commands.reword_goal(self.goal, self.text, self.metric, self.target, self.on)


@dataclass(frozen=True, kw_only=True)
class GoalsReport(Command):
    """Report a goal's outcome and status as of a date."""

    verb: ClassVar[str] = "goals report"
    goal: str = field(metadata=argument("Goal id."))
    status: str = field(metadata=option("achieved, partly-achieved, not-achieved or not-assessed."))
    text: str = field(default="", metadata=option("The outcome (toteuma); none for a status alone."))
    on: date = field(metadata=_ON)

    def check(self) -> Check:
        from ledger import commands

        return commands.report_goal(self.goal, self.on, self.text, self.status)


@dataclass(frozen=True, kw_only=True)
class RisksAssess(Command):
    """Assess a risk (a later assessment of the same id supersedes it)."""

    verb: ClassVar[str] = "risks assess"
    risk: str = field(metadata=argument("Risk id."))
    unit: str = field(metadata=_UNIT)
    year: int = field(metadata=_YEAR)
    risk_class: str = field(metadata=option("Risk class (riskiluokka).", spelled="--class"))
    description: str = field(metadata=option("The identified risk."))
    probability: int = field(metadata=option("1-3."))
    significance: int = field(metadata=option("1-3."))
    mitigation: str = field(default="", metadata=option("Mitigation (hallintakeino)."))
    carried_out: str = field(default="", metadata=option("How the mitigation was carried out."))
    responsible: str = field(default="", metadata=option("Who answers for the mitigation (vastuuhenkilö)."))
    on: date = field(metadata=_ON)

    def check(self) -> Check:
        from ledger import commands

        return commands.assess_risk(
            self.risk, self.unit, self.year, self.risk_class, self.description, self.probability, self.significance,
            self.mitigation, self.carried_out, self.on, self.responsible,
        )  # fmt: skip


@dataclass(frozen=True, kw_only=True)
class ExplainDeviation(Command):
    """Record the explanation of a unit's deviation from its budget."""

    verb: ClassVar[str] = "explain-deviation"
    unit: str = field(metadata=_UNIT)
    year: int = field(metadata=_YEAR)
    text: str = field(metadata=option("The explanation printed under the statement."))
    on: date = field(metadata=_ON)

    def check(self) -> Check:
        from ledger import commands

        return commands.explain_deviation(self.unit, self.year, self.text, self.on)
