"""The reporting mapping files (ADR 0039): the shipped one reads and says it verifies
nothing; a malformed one is refused naming the entry and key."""

from __future__ import annotations

import pytest

from ledger.errors import InvalidInput, NotFound
from ledger.statement_rows import POSTABLE_KEYS
from ledger.submissions import period_end
from projections import reporting_map

ENTRY = '[[rows]]\nrow = "sales_income"\nkknr = "3000"\nktas = "3000"\nverified = true\n'


def test_the_shipped_2024_mapping_maps_postable_rows_and_marks_every_entry_unverified() -> None:
    mapping = reporting_map.shipped(2024)
    assert mapping.year == 2024
    assert set(mapping.rows) <= POSTABLE_KEYS
    assert {"sales_income", "personnel_expenses", "tax_revenue", "state_contributions"} <= set(mapping.rows)
    assert mapping.unverified == list(mapping.rows)  # nothing verified, and it says so
    assert "not verified" in mapping.taxonomy


def test_a_year_without_a_shipped_mapping_is_named() -> None:
    with pytest.raises(NotFound, match="1999: no reporting mapping"):
        reporting_map.shipped(1999)


def test_a_written_mapping_reads_back() -> None:
    mapping = reporting_map.parse("year = 2025\n" + ENTRY, "m.toml")
    assert mapping.rows["sales_income"].kknr == "3000"
    assert mapping.unverified == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (ENTRY, "m.toml: key year"),
        ("year = 2025\n", "m.toml: no \\[\\[rows\\]\\] entries"),
        ("year = 2025\ncolour = 1\n" + ENTRY, "unknown key colour"),
        ("year = 2025\n" + ENTRY.replace("sales_income", "operating_margin"), "rows entry 1, key row"),
        ("year = 2025\n" + ENTRY.replace('kknr = "3000"', 'kknr = ""'), "rows entry 1, key kknr"),
        ("year = 2025\n" + ENTRY.replace("verified = true", ""), "rows entry 1, key verified"),
        ("year = 2025\n" + ENTRY + ENTRY, "rows entry 2, key row: 'sales_income' is mapped twice"),
        ("year = 2025\n" + ENTRY.replace("verified", "checked"), "rows entry 1, key checked: unknown"),
        ("year = = 2", "m.toml: not TOML"),
    ],
)
def test_a_malformed_mapping_is_refused(text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        reporting_map.parse(text, "m.toml")


@pytest.mark.parametrize(
    ("report_set", "period", "end"),
    [("KKNR", "2024Q1", "2024-03-31"), ("KKNR", "2024Q2", "2024-06-30"), ("KKNR", "2024Q3", "2024-09-30"),
     ("KKNR", "2024Q4", "2024-12-31"), ("KTAS", "2025", "2025-12-31")],
)  # fmt: skip
def test_a_period_ends_on_its_last_day(report_set: str, period: str, end: str) -> None:
    assert period_end(report_set, period).isoformat() == end


@pytest.mark.parametrize(("report_set", "period"), [("KKNR", "2024"), ("KKNR", "2024Q5"), ("KTAS", "2024Q1")])
def test_a_period_of_the_wrong_form_is_refused(report_set: str, period: str) -> None:
    with pytest.raises(InvalidInput):
        period_end(report_set, period)
