"""The columns of a budget comparison (toteutumisvertailu), shared by every money report.

All amounts are integer cents in the statement's sign (income +, costs -).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from ledger.money import percent

AMOUNT_COLUMNS = ("prior_year_actual", "original_budget", "budget_amendments", "budget", "actual", "deviation")
COLUMNS = (*AMOUNT_COLUMNS, "utilisation_pct")


@dataclass(frozen=True)
class Comparison:
    prior_year_actual: int
    original_budget: int
    budget_amendments: int
    budget: int
    actual: int
    deviation: int
    utilisation_pct: Decimal

    def amounts(self) -> tuple[int, ...]:
        return tuple(getattr(self, name) for name in AMOUNT_COLUMNS)

    @property
    def is_zero(self) -> bool:
        """Zero in every column (such a row is hidden where people read)."""
        return not any(self.amounts())


def compare(
    prior: int, original: int, amendments: int, actual: int, deviation_sign: str, percent_places: int = 2
) -> Comparison:
    """TA after amendments, the deviation in the entity's sign, and Toteuma % = actual / TA
    (two decimals as the statements print it; the investment table prints one)."""
    budget = original + amendments
    deviation = budget - actual if deviation_sign == "budget-minus-actual" else actual - budget
    return Comparison(prior, original, amendments, budget, actual, deviation, percent(actual, budget, percent_places))


@dataclass(frozen=True)
class Sums:
    """Own amounts per line key (a statement row, an investment side), per column source."""

    prior: Mapping[str, int]
    original: Mapping[str, int]
    amendments: Mapping[str, int]
    actual: Mapping[str, int]

    def compare(self, key: str, deviation_sign: str) -> Comparison:
        return compare(
            self.prior.get(key, 0),
            self.original.get(key, 0),
            self.amendments.get(key, 0),
            self.actual.get(key, 0),
            deviation_sign,
        )
