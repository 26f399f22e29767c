"""The statement's columns and rows, from own amounts per row (no store needed)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from ledger.statement_rows import ROWS
from ledger.units import Unit
from projections.comparison import Sums, compare
from projections.query import Scope, period, resolve_unit, subtree
from projections.statement import build_statement

SCOPE = Scope("YP", "Yhteiset palvelut", 2024, date(2024, 12, 31), datetime(2025, 3, 26, tzinfo=UTC), frozenset({"YP"}))


def test_deviation_is_budget_minus_actual_as_heinola_prints_it() -> None:
    income = compare(0, 20_800_000, 0, 28_671_600, "budget-minus-actual")
    costs = compare(0, -701_090_000, 0, -616_360_700, "budget-minus-actual")
    assert income.deviation == -7_871_600
    assert costs.deviation == -84_729_300


def test_deviation_is_actual_minus_budget_where_the_entity_prints_it_so() -> None:
    figures = compare(0, 20_800_000, 0, 28_671_600, "actual-minus-budget")
    assert figures.deviation == 7_871_600


def test_budget_after_amendments_is_the_original_plus_the_amendments() -> None:
    figures = compare(0, -10_000_000, -500_000, -9_000_000, "budget-minus-actual")
    assert figures.budget == -10_500_000
    assert figures.utilisation_pct == Decimal("85.71")


def test_utilisation_is_zero_where_there_is_no_budget() -> None:
    assert compare(0, 0, 0, -123_400, "budget-minus-actual").utilisation_pct == Decimal("0.00")


def test_utilisation_rounds_half_up_to_two_decimals() -> None:
    assert compare(0, 800, 0, 1, "budget-minus-actual").utilisation_pct == Decimal("0.13")


def test_a_sum_row_holds_its_own_accounts_and_its_parts() -> None:
    own = {"personnel_expenses": -100, "wages_and_salaries": -1_000, "pension_costs": -200, "sales_income": 500}
    statement = build_statement(SCOPE, "budget-minus-actual", Sums({}, {}, {}, own))
    assert statement.line("personnel_expenses").figures.actual == -1_300
    assert statement.line("operating_expenses").figures.actual == -1_300
    assert statement.line("operating_margin").figures.actual == -800


def test_the_margins_follow_the_identities_of_the_statement() -> None:
    own = {
        "sales_income": 10_000,
        "manufacture_for_own_use": 700,
        "purchases_of_services": -9_000,
        "tax_revenue": 50_000,
        "state_contributions": 20_000,
        "interest_expenses": -300,
        "planned_depreciation": -4_000,
        "extraordinary_income": 100,
        "change_in_reserves": 250,
    }
    statement = build_statement(SCOPE, "budget-minus-actual", Sums({}, own, {}, {}))

    def budget(key: str) -> int:
        return statement.line(key).figures.budget

    assert budget("operating_margin") == budget("operating_income") + 700 + budget("operating_expenses")
    assert budget("annual_margin") == budget("operating_margin") + 50_000 + 20_000 + budget("financial_items")
    assert budget("result_for_period") == budget("annual_margin") - 4_000 + 100
    assert budget("surplus_or_deficit") == budget("result_for_period") + 250


def test_every_row_is_present_in_the_printed_order() -> None:
    statement = build_statement(SCOPE, "budget-minus-actual", Sums({}, {}, {}, {}))
    assert [line.key for line in statement.lines] == [row.key for row in ROWS]


def test_a_unit_reports_itself_and_every_unit_below_it() -> None:
    units = {
        "K": Unit("K", "Kaupunki", None),
        "YP": Unit("YP", "Yhteiset palvelut", "K"),
        "VA": Unit("VA", "Vaalit", "YP"),
        "KP": Unit("KP", "Vaalipaikka", "VA"),
        "TE": Unit("TE", "Tekniikka", "K"),
    }
    assert subtree(units, "YP") == {"YP", "VA", "KP"}
    assert subtree(units, "K") == set(units)
    assert resolve_unit(units, "Vaalit").code == "VA"


def test_the_period_defaults_to_the_year_end_and_the_year_of_as_of() -> None:
    year, as_of, _ = period(2024, None, None)
    assert (year, as_of) == (2024, date(2024, 12, 31))
    assert period(None, date(2024, 6, 30), None)[:2] == (2024, date(2024, 6, 30))
