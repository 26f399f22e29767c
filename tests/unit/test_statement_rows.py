"""The income statement's rows: every sum row is the sum of its parts, exactly in cents."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ledger.statement_rows import (
    EXPENSE_ROWS,
    INCOME_ROWS,
    POSTABLE_KEYS,
    ROWS,
    ROWS_BY_KEY,
    expand,
    rows_under,
)

LEAVES = [row.key for row in ROWS if not row.is_sum]
amounts = st.dictionaries(
    st.sampled_from(sorted(POSTABLE_KEYS)), st.integers(min_value=-(10**13), max_value=10**13), max_size=12
)


@given(amounts)
def test_expanded_statement_satisfies_the_municipal_identities(own: dict[str, int]) -> None:
    rows = expand(own)

    assert rows["operating_margin"] == (
        rows["operating_income"] + rows["manufacture_for_own_use"] + rows["operating_expenses"]
    )
    assert rows["annual_margin"] == (
        rows["operating_margin"] + rows["tax_revenue"] + rows["state_contributions"] + rows["financial_items"]
    )
    assert rows["result_for_period"] == (
        rows["annual_margin"] + rows["depreciation_and_impairment"] + rows["extraordinary_items"]
    )
    assert rows["surplus_or_deficit"] == (
        rows["result_for_period"]
        + rows["change_in_depreciation_difference"]
        + rows["change_in_reserves"]
        + rows["change_in_funds"]
    )


@given(amounts)
def test_every_sum_row_is_its_own_amount_plus_its_parts(own: dict[str, int]) -> None:
    rows = expand(own)

    for row in ROWS:
        assert rows[row.key] == own.get(row.key, 0) + sum(rows[part] for part in row.parts)


@given(amounts, amounts)
def test_a_sector_statement_is_the_row_by_row_sum_of_its_service_areas(a: dict[str, int], b: dict[str, int]) -> None:
    together = {key: a.get(key, 0) + b.get(key, 0) for key in a.keys() | b.keys()}

    assert expand(together) == {key: expand(a)[key] + expand(b)[key] for key in ROWS_BY_KEY}


def test_the_seed_reports_2023_net_includes_manufacture_for_own_use() -> None:
    # TP 2023: 338 433 + 44 547 - 5 816 765 = -5 433 785 (DOMAIN.md, the budget summary).
    rows = expand({"sales_income": 33843300, "manufacture_for_own_use": 4454700, "personnel_expenses": -581676500})

    assert rows["operating_income"] == 33843300
    assert rows["operating_expenses"] == -581676500
    assert rows["operating_margin"] == -543378500


def test_amounts_posted_to_a_sum_row_count_beside_its_parts() -> None:
    # Account 4000 rolls into personnel_expenses itself, 4010 into wages_and_salaries.
    rows = expand({"personnel_expenses": -100, "wages_and_salaries": -20, "pension_costs": -3})

    assert rows["personnel_expenses"] == -123
    assert rows["operating_expenses"] == -123


def test_margins_are_computed_never_posted_to() -> None:
    computed = {row.key for row in ROWS if row.computed}

    assert computed == {"operating_margin", "annual_margin", "result_for_period", "surplus_or_deficit"}
    assert computed.isdisjoint(POSTABLE_KEYS)
    assert set(LEAVES) <= POSTABLE_KEYS


def test_every_part_names_an_existing_row_listed_after_nothing_circular() -> None:
    for row in ROWS:
        for part in row.parts:
            assert part in ROWS_BY_KEY
            assert row.key not in rows_under(part)


def test_income_and_expense_rows_are_the_operating_margins_parts_and_do_not_overlap() -> None:
    assert INCOME_ROWS.isdisjoint(EXPENSE_ROWS)
    assert INCOME_ROWS | EXPENSE_ROWS | {"operating_margin"} == rows_under("operating_margin")
    assert "manufacture_for_own_use" in INCOME_ROWS
    assert "wages_and_salaries" in EXPENSE_ROWS
    assert "financial_items" not in INCOME_ROWS | EXPENSE_ROWS
