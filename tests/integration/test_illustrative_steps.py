"""A history step's `illustrative` note enters the log: `events` and `explain` mark what it covers."""

from __future__ import annotations

import pytest
from support.cli_helpers import Kuntaledger
from support.illustrative_scenario import BUDGET, HISTORY, NOTE, VOUCHERS, load_scenario


@pytest.fixture
def loaded(kuntaledger: Kuntaledger) -> Kuntaledger:
    return load_scenario(kuntaledger)


def test_an_illustrative_step_is_marked_in_the_event_log(loaded: Kuntaledger) -> None:
    events = loaded.events()
    marked = {e["type"]: e["illustrative"] for e in events if e["type"] != "EventsMarkedIllustrative"}
    assert marked["VouchersPosted"] == NOTE
    assert marked["BudgetAdopted"] is None and marked["UnitAdded"] is None
    marking = next(e for e in events if e["type"] == "EventsMarkedIllustrative")
    posted = next(e for e in events if e["type"] == "VouchersPosted")
    assert marking["position"] == posted["position"] + 1
    assert f"position {posted['position']} illustrative: {NOTE}" in marking["summary"]


def test_the_events_table_marks_illustrative_events_and_says_what_the_mark_means(loaded: Kuntaledger) -> None:
    table = loaded.ok("events").stdout
    posted = next(line for line in table.splitlines() if "VouchersPosted" in line)
    adopted = next(line for line in table.splitlines() if "BudgetAdopted" in line)
    assert "*" in posted and "*" not in adopted
    assert "* illustrative" in table


def test_explain_marks_the_items_of_an_illustrative_step(loaded: Kuntaledger) -> None:
    args = ("explain", "--unit", "YP", "--row", "purchases_of_services", "--year", "2024")
    actual = loaded.json(*args, "--column", "actual")
    assert [item["illustrative"] for item in actual["items"]] == [NOTE]
    budget = loaded.json(*args, "--column", "budget")
    assert [item["illustrative"] for item in budget["items"]] == [None]
    table = loaded.ok(*args, "--column", "actual").stdout
    assert "* illustrative" in table


def test_the_marks_are_in_the_chain_and_the_store_verifies(loaded: Kuntaledger) -> None:
    events = loaded.events()
    assert any(e["type"] == "EventsMarkedIllustrative" for e in events)
    verified = loaded.ok("verify")
    assert f"chain: ok, {len(events)} events" in verified.stdout and "read models: ok" in verified.stdout


def test_load_says_what_the_history_calls_illustrative(kuntaledger: Kuntaledger) -> None:
    kuntaledger.file("budget.csv", BUDGET)
    kuntaledger.file("vouchers.csv", VOUCHERS)
    run = kuntaledger.ok("load", kuntaledger.file("history.toml", HISTORY))
    assert "voucher dates and texts are invented (1 of 4 steps marked illustrative" in run.stderr


def test_an_empty_illustrative_note_is_refused(kuntaledger: Kuntaledger) -> None:
    kuntaledger.file("budget.csv", BUDGET)
    kuntaledger.file("vouchers.csv", VOUCHERS)
    run = kuntaledger("load", kuntaledger.file("history.toml", HISTORY.replace(NOTE, " ")))
    assert run.exit_code == 2
    assert "history.toml step 4, key illustrative: the note is empty" in run.stderr
    assert kuntaledger.event_count() == 0
