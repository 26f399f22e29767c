"""The comparison's columns, exactly: TA after amendments = original + amendments,
Poikkeama in the entity's sign (either), Toteuma % = actual / TA x 100 rounded half away
from zero to two decimals (0,00 where TA is 0), for any amounts, ties included."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st
from support.oracles import comparison_errors, utilisation
from support.strategies import MAX_CENTS, examples

from ledger.money import percent
from projections.comparison import compare

# Small amounts make the exact ties (0,125 %) that rounding rules disagree on.
cents = st.integers(-MAX_CENTS, MAX_CENTS) | st.integers(-2_000, 2_000) | st.sampled_from([0, 1, -1, 8, 800, -800])
signs = st.sampled_from(["budget-minus-actual", "actual-minus-budget"])


@examples(4)
@given(prior=cents, original=cents, amendments=cents, actual=cents, sign=signs)
@example(prior=0, original=800, amendments=0, actual=1, sign="budget-minus-actual")  # 0,125 % -> 0,13
@example(prior=0, original=-800, amendments=0, actual=1, sign="actual-minus-budget")  # -0,125 % -> -0,13
def test_the_comparison_columns_follow_their_formulas(
    prior: int, original: int, amendments: int, actual: int, sign: str
) -> None:
    figures = compare(prior, original, amendments, actual, sign)
    assert (figures.prior_year_actual, figures.original_budget, figures.actual) == (prior, original, actual)
    assert comparison_errors("row", figures, sign) == []


@examples(4)
@given(part=cents, whole=cents)
def test_percent_is_exact_and_rounds_half_away_from_zero(part: int, whole: int) -> None:
    assert percent(part, whole) == utilisation(part, whole)
