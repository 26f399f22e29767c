"""Messages that count things say '1 line' and '2 lines', '1 voucher was' and '2 vouchers
were', on SQLite and PostgreSQL."""

from __future__ import annotations

from support.cli_helpers import Kuntaledger

HEADER = "voucher;date;account;unit;amount;text\n"
ONE_VOUCHER = HEADER + "V-1;2024-03-01;4010;TAL;100,00;palkka\nV-1;2024-03-01;1900;TAL;-100,00;pankki\n"


def test_a_budget_of_one_line_says_one_line(ledger_2024: Kuntaledger) -> None:
    file = ledger_2024.file("budget_2025.csv", "unit;line;amount\nTAL;sales_income;5 000\n")

    run = ledger_2024.ok(
        "budget", "adopt", "--year", "2025", "--file", file, "--decision", "Kv 1", "--decided-on", "2024-12-10"
    )

    assert "adopted the 2025 budget: 1 line, operating net" in run.stderr


def test_an_amendment_of_one_line_says_one_line(ledger_2024: Kuntaledger) -> None:
    file = ledger_2024.file("amend.csv", "unit;line;amount\nTAL;sales_income;1 000\n")

    run = ledger_2024.ok(
        "budget", "amend", "--year", "2024", "--kind", "council", "--file", file, "--decision", "Kv 2",
        "--decided-on", "2024-05-02", "--reason", "lisätulot",
    )  # fmt: skip

    assert "recorded the council amendment to 2024: 1 line\n" in run.stderr


def test_posting_one_voucher_says_one_voucher_and_again_that_it_was_posted(ledger_2024: Kuntaledger) -> None:
    file = ledger_2024.file("gl.csv", ONE_VOUCHER)

    first = ledger_2024.ok("post", "--file", file)
    dry = ledger_2024.ok("post", "--file", file, "--dry-run")
    again = ledger_2024.ok("post", "--file", file)

    assert "posted 1 voucher (2 lines) from gl.csv" in first.stderr
    assert "would post 0 vouchers (0 lines) from gl.csv" in dry.stderr
    assert "1 voucher was already posted identically" in dry.stderr
    assert "1 voucher was already posted identically; nothing to do for it" in again.stderr


def test_explain_of_one_item_says_one_item(ledger_2024: Kuntaledger) -> None:
    ledger_2024.ok("post", "--file", ledger_2024.file("gl.csv", ONE_VOUCHER))

    run = ledger_2024.ok(
        "explain", "--unit", "TAL", "--row", "personnel_expenses", "--column", "actual", "--year", "2024"
    )

    assert "from 1 item;" in run.stdout
