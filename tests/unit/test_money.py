"""Amounts: parsing user text into cents, and the Finnish renderings."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledger.money import (
    MAX_CENTS,
    cents_to_decimal,
    format_fi,
    format_percent,
    format_percent_fi,
    format_plain,
    parse_cents,
    percent,
    round_to_euros,
)


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("0", 0),
        ("12", 1200),
        ("1234,50", 123450),
        ("1234.50", 123450),
        ("1234,5", 123450),
        ("0,05", 5),
        ("-0,05", -5),
        ("+7", 700),
        ("-1 033 968", -103396800),
        ("1 234 567,89", 123456789),
        ("1\u00a0234,00", 123400),  # no-break space, as spreadsheets export
        ("1\u202f234", 123400),  # narrow no-break space
        ("\u2212250,00", -25000),  # the typographic minus sign
        ("  42,10  ", 4210),
        ("999 999 999 999,99", MAX_CENTS),
    ],
)
def test_parse_cents_reads_euros_with_comma_or_point_and_thousands_spaces(text: str, cents: int) -> None:
    assert parse_cents(text) == cents


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("12,5,0", "is not an amount"),
        ("1.234", "more than two decimals"),
        ("0,001", "more than two decimals"),
        ("1234.567", "more than two decimals"),
        ("12.5e3", "is not an amount"),
        ("1e3", "is not an amount"),
        ("inf", "is not an amount"),
        ("NaN", "is not an amount"),
        ("twelve", "is not an amount"),
        ("", "is not an amount"),
        ("-", "is not an amount"),
        (",50", "is not an amount"),
        ("12,", "is not an amount"),
        ("1.234,50", "is not an amount"),  # a point is never a thousands separator
        ("12 34", "spaces may only separate thousands"),
        ("1 2345", "spaces may only separate thousands"),
        ("- 5", "spaces may only separate thousands"),
        ("€ 5", "is not an amount"),
        ("1 000 000 000 000", "too large"),
        ("-1000000000000,00", "too large"),
    ],
)
def test_parse_cents_refuses_junk_with_a_hint(text: str, words: str) -> None:
    with pytest.raises(ValueError, match=words) as raised:
        parse_cents(text)

    assert f"'{text.strip()}'" in str(raised.value)


@given(st.integers(min_value=-MAX_CENTS, max_value=MAX_CENTS))
def test_every_amount_formatted_with_two_decimals_parses_back_to_the_same_cents(cents: int) -> None:
    assert parse_cents(format_fi(cents, 2)) == cents
    assert parse_cents(format_plain(cents)) == cents


@pytest.mark.parametrize(
    ("cents", "decimals", "text"),
    [
        (-103396800, 0, "-1 033 968"),
        (33843300, 0, "338 433"),
        (0, 0, "0"),
        (-49, 0, "0"),  # -0,49 € rounds to 0 and has no sign
        (-50, 0, "-1"),  # half away from zero
        (50, 0, "1"),
        (149, 0, "1"),
        (99999, 0, "1 000"),
        (-103396840, 2, "-1 033 968,40"),
        (5, 2, "0,05"),
        (-5, 2, "-0,05"),
        (100000, 2, "1 000,00"),
    ],
)
def test_format_fi_groups_thousands_with_spaces_and_uses_a_decimal_comma(cents: int, decimals: int, text: str) -> None:
    assert format_fi(cents, decimals) == text


def test_round_to_euros_rounds_half_away_from_zero() -> None:
    assert [round_to_euros(c) for c in (150, 250, -150, -250, 149, -149)] == [2, 3, -2, -3, 1, -1]


def test_exact_decimal_and_plain_format_keep_every_cent() -> None:
    assert cents_to_decimal(-123456789) == Decimal("-1234567.89")
    assert format_plain(33843300) == "338433.00"
    assert format_plain(-5) == "-0.05"


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [
        (28671600, 20800000, "137.84"),  # Toteuma / TA: 286 716 / 208 000
        (1, 3, "33.33"),
        (2, 3, "66.67"),
        (1, 800, "0.13"),  # 0.125 rounds half up
        (-1, 800, "-0.13"),
        (-616360700, -701090000, "87.91"),  # costs over costs is positive
        (5, 0, "0.00"),  # printed 0,00 where TA is 0
        (0, 0, "0.00"),
    ],
)
def test_percent_has_two_decimals_rounded_half_up(part: int, whole: int, expected: str) -> None:
    assert percent(part, whole) == Decimal(expected)


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [(36949800, 69000000, "53.6"), (1522800, -1000000, "-152.3"), (1, 800, "0.1"), (-1, 2000, "-0.1"), (5, 0, "0.0")],
)
def test_percent_with_one_decimal_keeps_one_place(part: int, whole: int, expected: str) -> None:
    """The investment table's Toteuma %: 369 498 / 690 000 is 53,6 (not 53,55), half up."""
    assert format_percent(percent(part, whole, places=1)) == expected


def test_percent_is_rendered_the_finnish_way() -> None:
    assert format_percent_fi(Decimal("91.53")) == "91,53"
    assert format_percent_fi(Decimal("-1234.50")) == "-1 234,50"
    assert format_percent_fi(Decimal("-1234.5")) == "-1 234,5"  # one decimal prints one
    assert format_percent_fi(Decimal("0.00")) == "0,00"
