"""Every refusal of issue 2, point 5: exit code 2, a message naming the file, line and
column where there is one, and not one event written. Each runs on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from support.cli_helpers import Kuntaledger, Run, one_line, refused

from ledger.clock import format_moment

HEADER = "voucher;date;account;unit;amount;text\n"
BALANCED = HEADER + "V-1;2024-03-01;4010;TAL;100,00;palkka\nV-1;2024-03-01;1900;TAL;-100,00;pankki\n"


def amend(cli: Kuntaledger, file: str, kind: str, decided_on: str, *extra: str, year: str = "2024") -> Run:
    return refused(
        cli, "budget", "amend", "--year", year, "--kind", kind, "--file", file, "--decision", "Kv 1/2024",
        "--decided-on", decided_on, "--reason", "test", *extra,
    )  # fmt: skip


# Unknown units and accounts


def test_budget_line_for_an_unknown_unit_is_refused(ledger_2024: Kuntaledger) -> None:
    file = ledger_2024.file("adopt_2025.csv", "unit;line;amount\nTAL;personnel_expenses;-1\nXYZ;sales_income;5\n")

    run = refused(
        ledger_2024, "budget", "adopt", "--year", "2025", "--file", file, "--decision", "Kv 2024 § 1",
        "--decided-on", "2024-12-10",
    )  # fmt: skip

    assert one_line(run) == (
        "error: adopt_2025.csv line 3, column unit: unknown unit 'XYZ'; see `kuntaledger units list`"
    )


@pytest.mark.parametrize(
    ("line", "column", "quoted"),
    [
        ("V-1;2024-03-01;9999;TAL;100;x", "account", "unknown account '9999'"),
        ("V-1;2024-03-01;4010;NOPE;100;x", "unit", "unknown unit 'NOPE'"),
    ],
)
def test_voucher_line_naming_an_unknown_account_or_unit_is_refused(
    ledger_2024: Kuntaledger, line: str, column: str, quoted: str
) -> None:
    file = ledger_2024.file("gl.csv", HEADER + line + "\nV-1;2024-03-01;1900;TAL;-100;x\n")

    message = one_line(refused(ledger_2024, "post", "--file", file))

    assert message.startswith(f"error: gl.csv line 2, column {column}: {quoted}")


def test_unknown_parent_unit_is_refused(ledger_2024: Kuntaledger) -> None:
    message = one_line(refused(ledger_2024, "units", "add", "X1", "--name", "X", "--parent", "NOPE"))

    assert "--parent 'NOPE'" in message


# Vouchers


def test_unbalanced_voucher_is_refused_and_nothing_is_written(ledger_2024: Kuntaledger) -> None:
    file = ledger_2024.file(
        "unbalanced.csv",
        BALANCED + "V-2;2024-03-02;4010;TAL;100,00;x\nV-2;2024-03-02;1900;TAL;-99,99;x\n",
    )

    message = one_line(refused(ledger_2024, "post", "--file", file))

    # The balanced V-1 in the same file is not posted either: a file is all or nothing.
    assert message.startswith("error: unbalanced.csv line 5, column amount: voucher V-2 does not balance")
    assert "0,01 €" in message
    assert ledger_2024.events("--type", "VouchersPosted") == []


def test_used_voucher_id_with_different_content_is_refused(ledger_2024: Kuntaledger) -> None:
    ledger_2024.ok("post", "--file", ledger_2024.file("first.csv", BALANCED))
    changed = ledger_2024.file("changed.csv", BALANCED.replace("100,00", "100,01"))

    message = one_line(refused(ledger_2024, "post", "--file", changed))

    assert message.startswith("error: changed.csv line 2, column voucher: voucher id V-1 is already used")


def test_identical_voucher_posted_again_is_a_no_op_that_says_so(ledger_2024: Kuntaledger) -> None:
    ledger_2024.ok("post", "--file", ledger_2024.file("first.csv", BALANCED))
    before = ledger_2024.event_count()

    run = ledger_2024("post", "--file", ledger_2024.file("again.csv", BALANCED))

    assert run.exit_code == 0
    assert "1 voucher was already posted identically" in run.stderr
    assert ledger_2024.event_count() == before


def test_posting_dated_in_a_closed_fiscal_year_is_refused(ledger_2024: Kuntaledger) -> None:
    ledger_2024.ok("close-year", "--year", "2024", "--decision", "Kv 2025 § 30", "--decided-on", "2025-05-20")
    file = ledger_2024.file("late.csv", HEADER + "L-1;31.12.2024;4010;TAL;10;x\nL-1;31.12.2024;1900;TAL;-10;x\n")

    run = refused(ledger_2024, "post", "--file", file)

    lines = run.stderr.strip().splitlines()
    assert lines[0] == "error: late.csv line 2, column date: 2024-12-31 is in the closed fiscal year 2024"
    assert lines[1] == "late.csv line 3, column date: 2024-12-31 is in the closed fiscal year 2024"


def test_reversal_dated_in_a_closed_fiscal_year_is_refused(ledger_2024: Kuntaledger) -> None:
    ledger_2024.ok("post", "--file", ledger_2024.file("v.csv", BALANCED))
    ledger_2024.ok("close-year", "--year", "2024", "--decision", "Kv 2025 § 30", "--decided-on", "2025-05-20")

    message = one_line(refused(ledger_2024, "reverse", "V-1", "--on", "2024-12-31", "--reason", "late"))

    assert "fiscal year 2024 is closed" in message


# Budget amendments


def test_operating_plan_amendment_changing_the_net_of_a_net_bound_unit_is_refused(ledger_2024: Kuntaledger) -> None:
    file = ledger_2024.file("ksm.csv", "unit;line;amount\nTAL;personnel_expenses;-10 000\nHEN;sales_income;9 000\n")

    message = one_line(amend(ledger_2024, file, "operating-plan", "2024-06-01"))

    assert message.startswith("error: ksm.csv: this operating-plan amendment changes the net of YP")
    assert "-1 000,00 €" in message
    assert "--kind council" in message


def test_operating_plan_amendment_moving_money_between_areas_of_a_net_bound_unit_is_accepted(
    ledger_2024: Kuntaledger,
) -> None:
    file = ledger_2024.file("ksm.csv", "unit;line;amount\nTAL;personnel_expenses;-10 000\nHEN;sales_income;10 000\n")

    ledger_2024.ok(
        "budget", "amend", "--year", "2024", "--kind", "operating-plan", "--file", file, "--decision", "Kh § 5",
        "--decided-on", "2024-06-01", "--reason", "move",
    )  # fmt: skip

    assert ledger_2024.events()[-1]["type"] == "BudgetAmended"


def test_operating_plan_amendment_moving_costs_below_the_operating_margin_is_refused(
    ledger_2024: Kuntaledger,
) -> None:
    # The council binds the operating margin: moving 5 000 of costs to depreciation keeps
    # the sum of the lines at zero but makes the operating margin 5 000 better.
    file = ledger_2024.file(
        "ksm.csv", "unit;line;amount\nTAL;personnel_expenses;5 000\nTAL;planned_depreciation;-5 000\n"
    )

    message = one_line(amend(ledger_2024, file, "operating-plan", "2024-06-01"))

    assert "changes the net of YP" in message


def test_operating_plan_amendment_changing_the_income_of_a_gross_bound_unit_is_refused(
    ledger_2024: Kuntaledger,
) -> None:
    # Net unchanged (+20 000 income, -20 000 costs), but TEK is bound at gross level.
    file = ledger_2024.file("ksm.csv", "unit;line;amount\nKAD;sales_income;20 000\nTIE;purchases_of_services;-20 000\n")

    message = one_line(amend(ledger_2024, file, "operating-plan", "2024-06-01"))

    assert message.startswith("error: ksm.csv: this operating-plan amendment changes the expenditure of TEK")
    assert "bound by the council at gross level" in message


def test_operating_plan_amendment_moving_costs_inside_a_gross_bound_unit_is_accepted(
    ledger_2024: Kuntaledger,
) -> None:
    file = ledger_2024.file(
        "ksm.csv", "unit;line;amount\nKAD;materials_and_supplies;15 000\nTIE;purchases_of_services;-15 000\n"
    )

    ledger_2024.ok(
        "budget", "amend", "--year", "2024", "--kind", "operating-plan", "--file", file, "--decision", "Kh § 6",
        "--decided-on", "2024-06-01", "--reason", "move",
    )  # fmt: skip

    assert ledger_2024.events()[-1]["type"] == "BudgetAmended"


def test_council_amendment_decided_after_the_fiscal_year_is_refused(ledger_2024: Kuntaledger) -> None:
    file = ledger_2024.file("ta_muutos.csv", "unit;line;amount\nTAL;personnel_expenses;-10 000\n")

    message = one_line(amend(ledger_2024, file, "council", "2025-01-15"))

    assert "--decided-on 2025-01-15" in message
    assert "by 31.12.2024" in message


def test_council_amendment_decided_on_the_last_day_of_the_year_is_accepted(ledger_2024: Kuntaledger) -> None:
    file = ledger_2024.file("ta_muutos.csv", "unit;line;amount\nTAL;personnel_expenses;-10 000\n")

    ledger_2024.ok(
        "budget", "amend", "--year", "2024", "--kind", "council", "--file", file, "--decision", "Kv § 99",
        "--decided-on", "31.12.2024", "--reason", "more staff",
    )  # fmt: skip


def test_amendment_of_a_year_without_an_adopted_budget_is_refused(ledger_2024: Kuntaledger) -> None:
    file = ledger_2024.file("ta_muutos.csv", "unit;line;amount\nTAL;personnel_expenses;-10 000\n")

    message = one_line(amend(ledger_2024, file, "council", "2023-06-01", year="2023"))

    assert "no budget is adopted for 2023" in message


@pytest.mark.parametrize(
    ("kind", "body", "words"),
    [
        ("operating-plan", "council", "an operating-plan amendment is decided by the board"),
        ("council", "board", "a council amendment is decided by the council"),
    ],
)
def test_amendment_by_the_wrong_body_is_refused(ledger_2024: Kuntaledger, kind: str, body: str, words: str) -> None:
    file = ledger_2024.file("muutos.csv", "unit;line;amount\nTAL;personnel_expenses;-1\nHEN;sales_income;1\n")

    message = one_line(amend(ledger_2024, file, kind, "2024-06-01", "--body", body))

    assert f"--body {body}" in message
    assert words in message


def test_budget_adopted_by_the_board_is_refused(ledger_2024: Kuntaledger) -> None:
    file = ledger_2024.file("ta_2025.csv", "unit;line;amount\nTAL;personnel_expenses;-1\n")

    run = refused(
        ledger_2024, "budget", "adopt", "--year", "2025", "--file", file, "--decision", "Kh § 1",
        "--decided-on", "2024-12-01", "--body", "board",
    )  # fmt: skip
    message = one_line(run)

    assert "--body board" in message


# Malformed input


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("12,5,0", "'12,5,0' is not an amount"),
        ("1.234", "'1.234' has more than two decimals"),
        ("1 234,567", "'1 234,567' has more than two decimals"),
        ("twelve", "'twelve' is not an amount"),
        ("1e3", "'1e3' is not an amount"),
        ("12 34", "spaces may only separate thousands"),
        ("", "'' is not an amount"),
        ("1 000 000 000 000", "is too large"),
        ("99999999999999999999.00", "is too large"),
    ],
)
def test_malformed_amount_in_a_voucher_file_is_refused(ledger_2024: Kuntaledger, amount: str, words: str) -> None:
    file = ledger_2024.file("gl.csv", HEADER + f"V-1;2024-03-01;4010;TAL;{amount};x\nV-1;2024-03-01;1900;TAL;-1;x\n")

    message = one_line(refused(ledger_2024, "post", "--file", file))

    assert message.startswith("error: gl.csv line 2, column amount: ")
    assert words in message


@pytest.mark.parametrize("amount", ["12,5,0", "1.234", "abc"])
def test_malformed_amount_in_a_budget_file_is_refused(ledger_2024: Kuntaledger, amount: str) -> None:
    file = ledger_2024.file("ta_2025.csv", f"unit;line;amount\nTAL;personnel_expenses;-1\nHEN;sales_income;{amount}\n")

    run = refused(
        ledger_2024, "budget", "adopt", "--year", "2025", "--file", file, "--decision", "Kv § 1",
        "--decided-on", "2024-12-01",
    )  # fmt: skip
    message = one_line(run)

    assert message.startswith(f"error: ta_2025.csv line 3, column amount: '{amount}'")


@pytest.mark.parametrize(
    ("day", "words"),
    [
        ("31.2.2024", "'31.2.2024' is not a real date"),
        ("2024-13-01", "'2024-13-01' is not a real date"),
        ("garbage", "'garbage' is not a date"),
        ("2024/03/01", "'2024/03/01' is not a date"),
    ],
)
def test_malformed_date_in_a_voucher_file_is_refused(ledger_2024: Kuntaledger, day: str, words: str) -> None:
    file = ledger_2024.file("gl.csv", HEADER + f"V-1;2024-03-01;4010;TAL;1;x\nV-1;{day};1900;TAL;-1;x\n")

    message = one_line(refused(ledger_2024, "post", "--file", file))

    assert message.startswith(f"error: gl.csv line 3, column date: {words}")


@pytest.mark.parametrize("day", ["31.2.2024", "2024-13-01", "garbage"])
def test_malformed_decision_date_option_is_refused(ledger_2024: Kuntaledger, day: str) -> None:
    file = ledger_2024.file("ta_2025.csv", "unit;line;amount\nTAL;personnel_expenses;-1\n")

    run = refused(
        ledger_2024, "budget", "adopt", "--year", "2025", "--file", file, "--decision", "Kv § 1",
        "--decided-on", day,
    )  # fmt: skip
    message = one_line(run)

    assert message.startswith(f"error: --decided-on: '{day}'")


def test_latin1_file_is_refused_with_a_hint_and_accepted_when_the_encoding_is_named(
    ledger_2024: Kuntaledger,
) -> None:
    text = HEADER + "V-1;2024-03-01;4010;TAL;1;työterveys\nV-1;2024-03-01;1900;TAL;-1;pankkitilisiirto ä\n"
    file = ledger_2024.file("latin1.csv", text, encoding="latin-1")

    message = one_line(refused(ledger_2024, "post", "--file", file))
    ledger_2024.ok("post", "--file", file, "--encoding", "latin-1")

    assert message.startswith("error: latin1.csv line 2: the file is not UTF-8")
    assert "--encoding latin-1" in message
    assert ledger_2024.events()[-1]["type"] == "VouchersPosted"


def test_unknown_encoding_name_is_refused(ledger_2024: Kuntaledger) -> None:
    file = ledger_2024.file("gl.csv", BALANCED)

    message = one_line(refused(ledger_2024, "post", "--file", file, "--encoding", "klingon"))

    assert "unknown encoding 'klingon'" in message


def test_file_with_a_wrong_header_is_refused(ledger_2024: Kuntaledger) -> None:
    file = ledger_2024.file("gl.csv", "voucher;day;account;unit;amount;text\nV-1;2024-03-01;4010;TAL;1;x\n")

    message = one_line(refused(ledger_2024, "post", "--file", file))

    assert message.startswith("error: gl.csv line 1: header has missing date; unknown day")


def test_missing_input_file_is_refused(ledger_2024: Kuntaledger) -> None:
    message = one_line(refused(ledger_2024, "post", "--file", str(ledger_2024.workdir / "nope.csv")))

    assert "no such file" in message


# The store itself


def test_init_on_an_initialised_store_is_refused(ledger_2024: Kuntaledger) -> None:
    message = one_line(refused(ledger_2024, "init"))

    assert "already initialised" in message


def test_recording_on_an_uninitialised_store_is_refused(kuntaledger: Kuntaledger) -> None:
    message = one_line(refused(kuntaledger, "units", "add", "YP", "--name", "Y"))

    assert "kuntaledger init" in message


def test_recorded_at_earlier_than_the_newest_event_is_refused(ledger_2024: Kuntaledger) -> None:
    newest = datetime.fromisoformat(ledger_2024.events()[-1]["recorded_at"])
    earlier = format_moment(newest - timedelta(seconds=1))

    message = one_line(refused(ledger_2024, "units", "add", "X2", "--name", "X", "--recorded-at", earlier))

    assert f"--recorded-at {earlier} is earlier than the newest recorded event" in message


def test_malformed_recorded_at_is_refused(ledger_2024: Kuntaledger) -> None:
    message = one_line(refused(ledger_2024, "units", "add", "X1", "--name", "X", "--recorded-at", "yesterday"))

    assert message.startswith("error: --recorded-at: 'yesterday' is not a timestamp")
