"""The report says which of its parts rest on events marked illustrative (ADR 0028)."""

from __future__ import annotations

import pytest
from support.cli_helpers import Kuntaledger
from support.illustrative_scenario import HISTORY, load_scenario


@pytest.fixture
def loaded(kuntaledger: Kuntaledger) -> Kuntaledger:
    return load_scenario(kuntaledger)


def test_the_report_says_on_its_first_page_which_parts_are_illustrative(loaded: Kuntaledger) -> None:
    document = loaded.ok("report", "--unit", "YP", "--year", "2024", "--format", "md", "--lang", "en").stdout
    first_section = document.index("\n## ")
    assert document.index("Illustrative data") < first_section
    assert "postings (vouchers): 1 event" in document[:first_section]
    assert "budget" not in document[document.index("Illustrative data") : first_section]


def test_the_monthly_chart_built_on_illustrative_voucher_dates_has_a_footnote(loaded: Kuntaledger) -> None:
    document = loaded.ok("report", "--unit", "YP", "--year", "2024", "--format", "md", "--lang", "en").stdout
    chart = document.index("Cumulative operating expenses by month")
    assert "illustrative voucher dates" in document[chart : document.index("\n## ", chart)]


def test_a_history_without_illustrative_steps_makes_a_report_without_the_notice(kuntaledger: Kuntaledger) -> None:
    plain = "\n".join(line for line in HISTORY.splitlines() if not line.startswith("illustrative"))
    load_scenario(kuntaledger, plain)
    events = kuntaledger.events()
    assert events, "the history was recorded"
    assert all(e["illustrative"] is None for e in events)
    assert "*" not in kuntaledger.ok("events").stdout
    document = kuntaledger.ok("report", "--unit", "YP", "--year", "2024", "--format", "md", "--lang", "en").stdout
    assert "llustrative" not in document
