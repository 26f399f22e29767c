"""`kuntaledger events`: `--limit N` shows the newest N in log order, and an unknown
`--type` is refused with the list of types. Each runs on SQLite and PostgreSQL."""

from __future__ import annotations

from support.cli_helpers import Kuntaledger


def test_limit_shows_the_newest_events_in_log_order(ledger_2024: Kuntaledger) -> None:
    every = [event["position"] for event in ledger_2024.events()]

    newest = [event["position"] for event in ledger_2024.events("--limit", "3")]

    assert newest == every[-3:]


def test_limit_applies_after_the_filters(ledger_2024: Kuntaledger) -> None:
    units = [event["summary"] for event in ledger_2024.events("--type", "UnitAdded")]

    newest = [event["summary"] for event in ledger_2024.events("--type", "UnitAdded", "--limit", "2")]

    assert newest == units[-2:]


def test_limit_of_zero_or_less_is_refused(ledger_2024: Kuntaledger) -> None:
    run = ledger_2024("events", "--limit", "0")

    assert run.exit_code == 2
    assert "--limit" in run.stderr


def test_an_unknown_event_type_is_refused_with_the_list_of_types(ledger_2024: Kuntaledger) -> None:
    run = ledger_2024("events", "--type", "VoucherPosted")

    assert run.exit_code == 2
    message = run.stderr.strip()
    assert "\n" not in message
    assert message.startswith("error: --type 'VoucherPosted': no such event type; use one of ")
    assert "VouchersPosted" in message and "UnitAdded" in message
    assert run.stdout == ""
