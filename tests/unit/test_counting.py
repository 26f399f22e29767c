"""Counts in messages take the noun's number."""

from __future__ import annotations

import pytest

from ledger.counting import counted, were


@pytest.mark.parametrize(
    ("count", "expected"), [(0, "0 lines"), (1, "1 line"), (2, "2 lines"), (-1, "-1 lines"), (1000, "1000 lines")]
)
def test_a_count_takes_the_plural_except_for_one(count: int, expected: str) -> None:
    assert counted(count, "line") == expected


def test_an_irregular_plural_is_given() -> None:
    assert (counted(1, "entry", "entries"), counted(3, "entry", "entries")) == ("1 entry", "3 entries")


def test_the_verb_follows_the_count() -> None:
    assert (were(1), were(0), were(2)) == ("was", "were", "were")
