"""`load`: a history file is checked whole and recorded all or nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from support.cli_helpers import Kuntaledger

from ledger import commands
from ledger.application import Ledger
from ledger.errors import Conflict
from ledger.loading import load_history

HEAD = """
[[step]]
command = "init"
recorded-at = "2024-01-02T09:00:00+02:00"
actor = "talouspalvelut"
entity = "Esimerkin kunta"

[[step]]
command = "units add"
recorded-at = "2024-01-02T09:01:00+02:00"
actor = "talouspalvelut"
code = "YP"
name = "Yhteiset palvelut"
binding = "net"
"""

REFUSED_UNIT = """
[[step]]
command = "units add"
recorded-at = "2024-01-02T09:02:00+02:00"
actor = "talouspalvelut"
code = "TAL"
name = "Talouspalvelut"
parent = "NOWHERE"
"""

GOOD_UNIT = """
[[step]]
command = "units add"
recorded-at = "2024-01-02T09:02:00+02:00"
actor = "talouspalvelut"
code = "TAL"
name = "Talouspalvelut"
parent = "YP"
"""

MISSPELT_KEY = """
[[step]]
command = "units add"
recorded-at = "2024-01-02T09:03:00+02:00"
actor = "talouspalvelut"
code = "HEN"
nmae = "Henkilöstöpalvelut"
"""


def _log_length(store_url: str) -> int:
    with Ledger(store_url) as ledger:
        return ledger.log_length()


def test_a_refused_third_step_leaves_nothing_recorded(kuntaledger: Kuntaledger) -> None:
    history = kuntaledger.file("history.toml", HEAD + REFUSED_UNIT)
    run = kuntaledger("load", history)
    assert run.exit_code == 2
    assert "history.toml step 3 (units add)" in run.stderr
    assert "nothing from history.toml was recorded" in run.stderr
    assert _log_length(kuntaledger.store_url) == 0


def test_a_malformed_last_step_is_refused_before_anything_is_recorded(kuntaledger: Kuntaledger) -> None:
    history = kuntaledger.file("history.toml", HEAD + GOOD_UNIT + MISSPELT_KEY)
    run = kuntaledger("load", history)
    assert run.exit_code == 2
    assert "history.toml step 4, key name: is missing" in run.stderr
    assert _log_length(kuntaledger.store_url) == 0


def test_a_refused_step_leaves_an_existing_log_as_it_was(kuntaledger: Kuntaledger) -> None:
    kuntaledger.ok("load", kuntaledger.file("start.toml", HEAD))
    before = kuntaledger.events()
    more = GOOD_UNIT + REFUSED_UNIT.replace('"TAL"', '"HEN"').replace("09:02", "09:04")
    run = kuntaledger("load", kuntaledger.file("more.toml", more))
    assert run.exit_code == 2
    assert "more.toml step 2 (units add)" in run.stderr
    assert kuntaledger.events() == before


def test_a_whole_history_is_recorded_in_order_and_the_chain_verifies(kuntaledger: Kuntaledger) -> None:
    kuntaledger.ok("load", kuntaledger.file("start.toml", HEAD))
    run = kuntaledger.ok("load", kuntaledger.file("more.toml", GOOD_UNIT))
    assert "recorded 1 step from more.toml" in run.stderr
    units = [e["type"] for e in kuntaledger.events()]
    assert units[-1] == "UnitAdded" and len(units) == _log_length(kuntaledger.store_url)
    kuntaledger.ok("verify")
    assert [u["code"] for u in kuntaledger.json("units", "list")] == ["YP", "TAL"]


def test_a_step_recorded_before_the_step_above_it_is_refused_whole(kuntaledger: Kuntaledger) -> None:
    kuntaledger.ok("load", kuntaledger.file("start.toml", HEAD))
    before = _log_length(kuntaledger.store_url)
    backwards = GOOD_UNIT + GOOD_UNIT.replace('"TAL"', '"HEN"').replace("09:02", "09:01:30")
    run = kuntaledger("load", kuntaledger.file("backwards.toml", backwards))
    assert run.exit_code == 2
    assert "backwards.toml step 2 (units add)" in run.stderr
    assert "recording times never go backwards" in run.stderr
    assert _log_length(kuntaledger.store_url) == before


def test_a_writer_recording_during_the_check_makes_the_load_record_nothing(kuntaledger: Kuntaledger) -> None:
    kuntaledger.ok("load", kuntaledger.file("start.toml", HEAD))
    history = Path(kuntaledger.file("more.toml", GOOD_UNIT))
    with Ledger(kuntaledger.store_url) as ledger:
        before = ledger.log_length()

        def another_writer(_number: int, _command: str) -> None:
            ledger.record(commands.add_unit("HEN", "Henkilöstöpalvelut", "YP", "none"), actor="toinen")

        with pytest.raises(Conflict, match=r"another writer recorded while more\.toml was checked"):
            load_history(ledger, history, on_step=another_writer)
        assert ledger.log_length() == before + 1
    assert [u["code"] for u in kuntaledger.json("units", "list")] == ["YP", "HEN"]


def test_a_history_builds_on_vouchers_posted_before_it(ledger_2024: Kuntaledger) -> None:
    vouchers = (
        "voucher;date;account;unit;amount;text\nV-1;31.3.2024;4390;TAL;100;kone\nV-1;31.3.2024;2500;TAL;-100;kone\n"
    )
    ledger_2024.ok("post", "--file", ledger_2024.file("v.csv", vouchers))
    reversal = f"""
[[step]]
command = "reverse"
recorded-at = "{datetime.now(UTC).isoformat()}"
actor = "talouspalvelut"
voucher = "V-1"
on = "2024-04-02"
reason = "Väärä tili"
"""
    ledger_2024.ok("load", ledger_2024.file("reversal.toml", reversal))
    assert ledger_2024.events()[-1]["type"] == "VoucherReversed"
    ledger_2024.ok("verify")
    again = ledger_2024("load", ledger_2024.file("reversal.toml", reversal))
    assert again.exit_code == 2 and "reversal.toml step 1 (reverse)" in again.stderr


def test_a_history_post_step_is_refused_as_kuntaledger_post_refuses_the_file(ledger_2024: Kuntaledger) -> None:
    header = "voucher;date;account;unit;amount;text\n"
    ledger_2024.ok(
        "post",
        "--file",
        ledger_2024.file("v.csv", header + "V-1;31.3.2024;4390;TAL;100;kone\nV-1;31.3.2024;2500;TAL;-100;kone\n"),
    )
    changed = header + (
        "V-1;31.3.2024;4390;TAL;200;kone\nV-1;31.3.2024;2500;TAL;-200;kone\n"
        "V-2;31.3.2024;9999;TAL;5;kone\nV-2;31.3.2024;2500;TAL;-5;kone\n"
    )
    path = ledger_2024.file("w.csv", changed)
    step = f"""
[[step]]
command = "post"
recorded-at = "{datetime.now(UTC).isoformat()}"
actor = "talouspalvelut"
file = "w.csv"
"""
    problems = [
        "w.csv line 4, column account: unknown account '9999'",
        "w.csv line 2, column voucher: voucher id V-1 is already used by a different voucher",
    ]
    by_cli = ledger_2024("post", "--file", path)
    by_history = ledger_2024("load", ledger_2024.file("post.toml", step))
    assert by_cli.exit_code == by_history.exit_code == 2
    for run in (by_cli, by_history):
        found = [run.stderr.find(problem) for problem in problems]
        assert -1 not in found and found == sorted(found), run.stderr
    assert "post.toml step 1 (post)" in by_history.stderr
