"""The recording clock follows the machine's clock (ADR 0021): a `--recorded-at` ahead of it
is refused, a plain command is stamped now, and a store stamped in the future by an older
version refuses to record, saying what happened and what to do."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from support.cli_helpers import Kuntaledger, one_line, refused

from ledger import clock, commands
from ledger.application import Ledger

VOUCHER = """voucher;date;account;unit;amount;text
V-9;2024-05-02;4300;TAL;100,00;palvelu
V-9;2024-05-02;1900;TAL;-100,00;pankki
"""
POISON = datetime(2036, 1, 1, tzinfo=UTC)


def _stamp(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_a_recorded_at_ahead_of_the_clock_is_refused_and_nothing_is_written(ledger_2024: Kuntaledger) -> None:
    vouchers = ledger_2024.file("v.csv", VOUCHER)

    message = one_line(refused(ledger_2024, "post", "--file", vouchers, "--recorded-at", "2036-01-01T00:00:00Z"))

    assert "--recorded-at 2036-01-01T00:00:00+00:00 is ahead of this machine's clock" in message
    assert "nothing was recorded" in message


def test_a_recorded_at_within_the_tolerance_of_the_clock_is_taken(ledger_2024: Kuntaledger) -> None:
    moment = clock.format_moment(clock.now() + timedelta(seconds=20))

    ledger_2024.ok("units", "add", "X1", "--name", "X", "--recorded-at", moment)

    assert ledger_2024.events()[-1]["recorded_at"] == moment


def test_a_plain_post_after_a_refused_future_one_is_stamped_now_and_shown_by_the_default_report(
    ledger_2024: Kuntaledger,
) -> None:
    vouchers = ledger_2024.file("v.csv", VOUCHER)
    assert ledger_2024("post", "--file", vouchers, "--recorded-at", "2036-01-01T00:00:00Z").exit_code == 2
    before = clock.now().replace(microsecond=0)

    ledger_2024.ok("post", "--file", vouchers)

    stamped = _stamp(ledger_2024.events()[-1]["recorded_at"])
    assert before <= stamped <= clock.now()
    report = json.loads(ledger_2024.ok("statement", "--unit", "TAL", "--year", "2024", "--format", "json").stdout)
    expenses = next(row for row in report["rows"] if row["key"] == "operating_expenses")
    assert expenses["actual"] == "-100.00", "the voucher just posted is missing from the report known now"


def _poison(store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Record one event stamped in 2036, as an older version accepted from --recorded-at."""
    with monkeypatch.context() as patched, Ledger(store_url) as ledger:
        patched.setattr(clock, "now", lambda: POISON)
        ledger.record(commands.add_unit("FUT", "Tulevaisuus", None, "none"), recorded_at=POISON)


def test_a_store_stamped_in_the_future_refuses_a_plain_command_and_says_what_to_do(
    ledger_2024: Kuntaledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    _poison(ledger_2024.store_url, monkeypatch)

    message = one_line(refused(ledger_2024, "units", "add", "X1", "--name", "X"))

    assert "the newest event (position" in message
    assert "was recorded at 2036-01-01T00:00:00+00:00, ahead of this machine's clock" in message
    assert "kuntaledger export --format json --known-at" in message and "import-log" in message
    assert ledger_2024.events()[-1]["recorded_at"].startswith("2036")
