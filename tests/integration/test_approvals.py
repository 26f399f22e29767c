"""`approve`: the board approves a year-end report, the council later accepts it, and the
reports of that year default to the approved books (ADR 0027)."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.cli_helpers import Kuntaledger

from ledger import clock
from ledger.application import Ledger
from ledger.errors import InvalidInput
from ledger.loading import load_history

APPROVE = ("approve", "--unit", "YP", "--year", "2024", "--decided-on", "2025-03-26")
BOARD = (*APPROVE, "--body", "kaupunginhallitus", "--decision", "Kh 26.3.2025 § 79")
VOUCHERS = """voucher;date;account;unit;amount;text
V1;2024-05-02;4300;TAL;1500;ostot
V1;2024-05-02;2500;TAL;-1500;ostovelka
"""


def post(cli: Kuntaledger, name: str, text: str) -> None:
    cli.ok("post", "--file", cli.file(name, text))


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (("--unit", "NOSUCH", "--body", "kaupunginhallitus"), "--unit 'NOSUCH': no such unit"),
        (("--year", "2023", "--body", "kaupunginhallitus"), "no budget is adopted for 2023"),
        (("--body", "tarkastuslautakunta"), "no other body approves it"),
        (("--body", "board", "--decided-on", "2024-12-31"), "only after the year's end (31.12.2024)"),
        (("--body", "board", "--decided-on", "2099-01-01"), "that is in the future"),
        (("--body", "valtuusto"), "once the board has approved it"),
    ],
)
def test_an_approval_that_cannot_be_is_refused_and_records_nothing(
    ledger_2024: Kuntaledger, options: tuple[str, ...], message: str
) -> None:
    before = ledger_2024.event_count()
    base = dict(zip(APPROVE[1::2], APPROVE[2::2], strict=True)) | {"--decision": "Kh 26.3.2025 § 79"}
    given = base | dict(zip(options[::2], options[1::2], strict=True))
    run = ledger_2024("approve", *(word for pair in given.items() for word in pair))
    assert run.exit_code == 2, run.stderr
    assert message in run.stderr and run.stderr.count("\n") == 1
    assert ledger_2024.event_count() == before


def test_a_year_not_ended_is_refused(ledger_2024: Kuntaledger) -> None:
    year = clock.today().year
    budget = ledger_2024.file("budget.csv", "unit;line;amount\nTAL;personnel_expenses;-1000\n")
    ledger_2024.ok("budget", "adopt", "--year", str(year), "--file", budget, "--decision", "Kv 1",
                   "--decided-on", f"{year}-01-01")  # fmt: skip
    run = ledger_2024("approve", "--unit", "YP", "--year", str(year), "--body", "board", "--decision", "Kh 1",
                      "--decided-on", clock.today().isoformat())  # fmt: skip
    assert run.exit_code == 2 and f"the year has not ended; its report is approved after 31.12.{year}" in run.stderr


def test_the_approval_is_an_event_with_the_hash_of_its_figures(ledger_2024: Kuntaledger) -> None:
    post(ledger_2024, "v.csv", VOUCHERS)
    ledger_2024.ok(*BOARD)
    (event,) = ledger_2024.events("--type", "ReportApproved")
    assert event["summary"].startswith("report of YP for 2024 approved by the board (Kh 26.3.2025 § 79), figures ")
    version = ledger_2024.json("statement", "--unit", "TAL", "--year", "2024")["version"]
    assert (version["unit"], version["body"], version["position"]) == ("YP", "board", event["position"])
    assert version["figures_hash_matches"] is True
    assert event["summary"].endswith(f"figures {version['figures_hash'][:12]}…")


def test_the_council_accepts_later_and_its_acceptance_is_the_latest_version(ledger_2024: Kuntaledger) -> None:
    post(ledger_2024, "v.csv", VOUCHERS)
    ledger_2024.ok(*BOARD)
    correction = VOUCHERS.replace("V1", "V2").replace("1500", "500")
    post(ledger_2024, "c.csv", correction)
    changed = ledger_2024.json("statement", "--unit", "YP", "--year", "2024")
    assert changed["version"]["decision"] == "Kh 26.3.2025 § 79"
    assert {(c["unit"], c["row"], c["column"]) for c in changed["changed_since_approval"]} == {
        ("YP", row, column)
        for row in ("purchases_of_services", "operating_expenses", "operating_margin", "annual_margin",
                    "result_for_period", "surplus_or_deficit")
        for column in ("actual", "deviation", "utilisation_pct")
    }  # fmt: skip
    ledger_2024.ok("approve", "--unit", "YP", "--year", "2024", "--body", "valtuusto", "--decision",
                   "Kv 16.6.2025 § 41", "--decided-on", "2025-06-16")  # fmt: skip
    accepted = ledger_2024.json("statement", "--unit", "YP", "--year", "2024")
    assert (accepted["version"]["body"], accepted["version"]["decision"]) == ("council", "Kv 16.6.2025 § 41")
    assert accepted["changed_since_approval"] == []
    today = ledger_2024.json("statement", "--unit", "YP", "--year", "2024", "--known-at", "now")
    assert accepted["rows"] == today["rows"]


def test_a_unit_above_the_approved_one_is_not_its_approved_version(ledger_2024: Kuntaledger) -> None:
    ledger_2024.ok("units", "add", "KAUPUNKI", "--name", "Kaupunki")
    ledger_2024.ok(*BOARD)
    assert ledger_2024.json("statement", "--unit", "TEK", "--year", "2024")["version"] is None
    assert ledger_2024.json("goals", "--unit", "TAL", "--year", "2024")["version"]["unit"] == "YP"


def test_a_history_with_an_approval_needs_the_figures_hash(store_url: str, tmp_path: Path) -> None:
    history = tmp_path / "history.toml"
    history.write_text(
        '[[step]]\ncommand = "approve"\nrecorded-at = "2025-03-26T10:00:00+02:00"\nactor = "a"\nunit = "YP"\n'
        'year = 2024\nbody = "board"\ndecision = "Kh 1"\ndecided-on = "2025-03-26"\n',
        encoding="utf-8",
    )
    with Ledger(store_url) as ledger, pytest.raises(InvalidInput, match="approve needs the hash of the report"):
        load_history(ledger, history)
