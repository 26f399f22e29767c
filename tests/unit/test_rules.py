"""Rules over hand-made contexts: the decisions the core refuses, and the threshold arithmetic."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from ledger import events as ev
from projections.compliance import amendment_authority, budget_timing, trial_balance
from projections.compliance.context import BudgetDecision, CheckContext, UnitFigures
from projections.compliance.deviation_explanation import beyond
from projections.compliance.findings import Thresholds

UNITS = {
    # code: (binding, binding unit)
    "YP": ("net", "YP"),
    "HALL": ("none", "YP"),
    "IT": ("none", "YP"),
    "TEK": ("gross", "TEK"),
    "KAD": ("none", "TEK"),
}


def context(**changes: Any) -> CheckContext:
    units = {
        code: UnitFigures(code, code, None, binding, owner, None, ())  # type: ignore[arg-type]
        for code, (binding, owner) in UNITS.items()
    }
    fields: dict[str, Any] = {
        "fiscal_year": 2024,
        "as_of": date(2024, 12, 31),
        "known_at": datetime(2025, 3, 1, tzinfo=UTC),
        "position": 100,
        "thresholds": Thresholds(),
        "units": units,
        "investments": (),
        "goals": (),
        "deviation_explanations": {},
        "budget_decisions": (),
        "trial_balance_cents": 0,
        "unbalanced_events": {},
        **changes,
    }
    return CheckContext(**fields)


def line(unit: str, row: str | None, cents: int, group: str | None = None, side: str | None = None) -> ev.BudgetLine:
    return ev.BudgetLine(
        unit=unit,
        line=row or f"{group}:{side}",
        row=row,
        investment_group=group,
        investment_side=side,  # type: ignore[arg-type]
        amount_cents=cents,
    )


def decision(kind: str, body: str, *lines: ev.BudgetLine, on: date = date(2024, 9, 1)) -> BudgetDecision:
    return BudgetDecision(41, kind, ev.Decision(body=body, reference="Kh § 1", decided_on=on), lines)  # type: ignore[arg-type]


def findings(*decisions: BudgetDecision) -> list[tuple[str | None, str]]:
    found = amendment_authority.evaluate(context(budget_decisions=decisions))
    return [(f.unit, f.message) for f in found]


def test_an_operating_plan_move_inside_a_net_unit_is_allowed() -> None:
    move = decision(
        "operating-plan", "board", line("HALL", "personnel_expenses", 100), line("IT", "sales_income", -100)
    )
    assert findings(move) == []


def test_an_operating_plan_amendment_changing_a_net_unit_is_reported_with_its_position() -> None:
    found = amendment_authority.evaluate(
        context(budget_decisions=(decision("operating-plan", "board", line("HALL", "personnel_expenses", -500)),))
    )

    (finding,) = found
    assert (finding.unit, finding.severity, finding.events) == ("YP", "error", (41,))
    assert "changes the net of YP" in finding.message and "council amendment" in finding.message


def test_moving_money_between_income_and_costs_of_a_gross_unit_is_reported() -> None:
    move = decision(
        "operating-plan", "board", line("KAD", "sales_income", 100), line("KAD", "materials_and_supplies", -100)
    )
    assert [unit for unit, _ in findings(move)] == ["TEK", "TEK"]


def test_an_operating_plan_amendment_changing_investments_is_reported() -> None:
    move = decision("operating-plan", "board", line("HALL", None, -100, "movable_property", "expenditure"))
    assert "movable_property investments" in findings(move)[0][1]


def test_a_council_amendment_after_the_year_and_a_budget_by_the_board_are_reported() -> None:
    late = decision("council", "council", line("HALL", "personnel_expenses", -1), on=date(2025, 1, 15))
    by_board = decision("original", "board", line("HALL", "personnel_expenses", -1))

    messages = [message for _, message in findings(late, by_board)]

    assert any("after the budget year" in m for m in messages)
    assert any("decided by the board, but only the council may" in m for m in messages)


def test_a_council_amendment_in_its_year_is_allowed() -> None:
    assert findings(decision("council", "council", line("HALL", "personnel_expenses", -1))) == []


def test_an_amendment_decided_before_the_budget_it_amends_is_reported() -> None:
    adopted = decision("original", "council", line("HALL", "personnel_expenses", -5), on=date(2023, 12, 11))
    early = decision("council", "council", line("HALL", "personnel_expenses", -1), on=date(2023, 12, 1))

    (message,) = [message for _, message in findings(adopted, early)]

    assert "before the budget it amends was adopted (2023-12-11)" in message


def test_a_budget_adopted_in_its_year_is_a_warning_and_after_it_an_error() -> None:
    def timing(on: date) -> list[str]:
        adopted = decision("original", "council", line("HALL", "personnel_expenses", -5), on=on)
        return [f.severity for f in budget_timing.evaluate(context(budget_decisions=(adopted,)))]

    assert timing(date(2023, 12, 31)) == []
    assert timing(date(2024, 1, 1)) == ["warning"]
    assert timing(date(2025, 1, 1)) == ["error"]


def test_an_unbalanced_event_and_a_nonzero_trial_balance_are_errors() -> None:
    found = trial_balance.evaluate(context(trial_balance_cents=250, unbalanced_events={17: 250}))

    assert [(f.severity, f.events) for f in found] == [("error", (17,)), ("error", (17,))]
    assert trial_balance.evaluate(context()) == []


def test_a_deviation_must_pass_both_limits_to_need_an_explanation() -> None:
    limits = Thresholds(Decimal("5"), 1_000_000)

    assert beyond(-100_000_000, -106_000_000, limits)  # 60 000 € and 6 %
    assert not beyond(-100_000_000, -104_000_000, limits)  # 40 000 € but 4 %
    assert not beyond(-10_000_000, -10_900_000, limits)  # 9 % but 9 000 €
    assert beyond(0, -1_500_000, limits)  # no budget at all


def test_the_fiscal_year_ends_at_midnight_in_helsinki() -> None:
    def over(known_at: datetime) -> bool:
        return context(known_at=known_at).year_over

    assert not over(datetime(2024, 12, 31, 21, 59, 59, tzinfo=UTC))  # 23.59.59 on 31 December in Helsinki
    assert over(datetime(2024, 12, 31, 22, 0, tzinfo=UTC))  # midnight in Helsinki, 22.00 in UTC
    assert not context(known_at=datetime(2025, 3, 1, tzinfo=UTC), as_of=date(2024, 12, 30)).year_over
