"""The correction recorded after the signing changes today's view, not the signed report.

On 2025-04-15 voucher 2024-TIHA-12-004 was reversed and 2024-TIHA-12-905 posted, both
dated 31.12.2024: 1 000,00 € moves from Palvelujen ostot to Aineet, tarvikkeet ja tavarat
in Tietohallinto (and so in the sector). Known at the signing the report is as printed;
known at a later moment the two rows differ by 1 000 €, and every total is unchanged.
"""

from __future__ import annotations

import pytest
from support.heinola_printed import LATER, PERCENT, SECTOR, SIGNED, STATEMENTS, Report, by_key, euros

from ledger.money import parse_cents

MOVED_CENTS = 100_000
# unit -> row -> (known at the signing, known later), in whole euros
ACTUALS = {
    "TIHA": {"purchases_of_services": (-562_063, -561_063), "materials_and_supplies": (-11_626, -12_626)},
    SECTOR: {"purchases_of_services": (-3_045_339, -3_044_339), "materials_and_supplies": (-65_838, -66_838)},
}
TOTALS = ("operating_income", "operating_expenses", "operating_margin", "annual_margin", "result_for_period")
UNCHANGED_COLUMNS = ("prior_year_actual", "original_budget", "budget_amendments", "budget")


def _rows(report: Report, unit: str, known_at: str) -> dict[str, dict[str, str]]:
    return by_key(report("statement", unit, known_at=known_at)["rows"])


@pytest.mark.parametrize(
    ("unit", "row", "signed", "later"),
    [(unit, row, *figures) for unit, rows in ACTUALS.items() for row, figures in rows.items()],
)
def test_the_corrected_rows(report: Report, unit: str, row: str, signed: int, later: int) -> None:
    before = _rows(report, unit, SIGNED)[row]
    after = _rows(report, unit, LATER)[row]
    assert (euros(before["actual"]), euros(after["actual"])) == (signed, later)
    assert signed == STATEMENTS[unit][row]["actual"]
    moved = MOVED_CENTS if row == "purchases_of_services" else -MOVED_CENTS
    assert parse_cents(after["actual"]) - parse_cents(before["actual"]) == moved
    assert parse_cents(after["deviation"]) - parse_cents(before["deviation"]) == -moved
    assert after[PERCENT] != before[PERCENT]
    for column in UNCHANGED_COLUMNS:
        assert after[column] == before[column], column


@pytest.mark.parametrize("unit", list(STATEMENTS))
def test_totals_and_other_rows_are_unchanged(report: Report, unit: str) -> None:
    before, after = _rows(report, unit, SIGNED), _rows(report, unit, LATER)
    assert before.keys() == after.keys()
    changed = {row for row in before if before[row] != after[row]}
    assert changed == set(ACTUALS.get(unit, {}))
    for row in TOTALS:
        assert after[row] == before[row], row


def test_the_summary_is_unchanged(report: Report) -> None:
    assert report("summary", SECTOR, known_at=LATER)["rows"] == report("summary", SECTOR)["rows"]


def test_the_signing_date_alone_gives_the_signed_report(report: Report) -> None:
    """`--known-at 2025-03-26` (the end of that day) is the printed state too."""
    for unit in STATEMENTS:
        assert _rows(report, unit, "2025-03-26") == _rows(report, unit, SIGNED), unit
