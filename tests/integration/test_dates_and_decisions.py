"""Dates that cannot be right are refused (exit 2, one line, nothing written); dates that
are only unusual are `check` findings; a closed year is reopened by a recorded decision.
Each runs on SQLite and PostgreSQL (ADR 0024)."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from support.cli_helpers import Kuntaledger, one_line, refused
from typer.testing import CliRunner

from cli.main import app
from ledger.clock import now, today

HEADER = "voucher;date;account;unit;amount;text\n"


def vouchers(day: str, voucher: str = "V-1") -> str:
    return HEADER + f"{voucher};{day};4010;TAL;100,00;palkka\n{voucher};{day};1900;TAL;-100,00;pankki\n"


def parse(day: str) -> str:
    return day if "-" in day else date(*reversed([int(part) for part in day.split(".")])).isoformat()


def tomorrow() -> str:
    return (today() + timedelta(days=1)).isoformat()


def close_2024(cli: Kuntaledger) -> None:
    cli.ok("close-year", "--year", "2024", "--decision", "Kv 2025 § 30", "--decided-on", "2025-05-20")


def reopen_2024(cli: Kuntaledger, *extra: str) -> None:
    cli.ok(
        "reopen-year", "--year", "2024", "--decision", "Kv 2025 § 41", "--decided-on", "2025-06-16",
        "--reason", "Tilintarkastajan huomautus", *extra,
    )  # fmt: skip


# Posting dates


@pytest.mark.parametrize("day", ["1999-06-30", "2099-01-15", "31.12.2022", "1.1.2026"])
def test_a_voucher_dated_far_from_the_ledgers_fiscal_years_is_refused(ledger_2024: Kuntaledger, day: str) -> None:
    file = ledger_2024.file("far.csv", vouchers(day))

    message = one_line(refused(ledger_2024, "post", "--file", file))

    assert message.startswith(f"error: far.csv line 2, column date: {parse(day)} is outside the dates this ledger ")
    assert "accepts, 2023-01-01 to 2025-12-31: a year of its budgets or closings (2024) or one next to it" in message
    assert "budget adopt" in message


@pytest.mark.parametrize("day", ["2023-01-01", "2025-12-31"])
def test_a_voucher_in_the_year_before_or_after_a_budgeted_year_is_accepted(ledger_2024: Kuntaledger, day: str) -> None:
    ledger_2024.ok("post", "--file", ledger_2024.file("near.csv", vouchers(day)))

    assert ledger_2024.events("--type", "VouchersPosted")


def test_a_voucher_dated_after_next_year_by_the_clock_is_refused_even_without_budgets(
    kuntaledger: Kuntaledger,
) -> None:
    kuntaledger.ok("init")
    kuntaledger.ok("units", "add", "TAL", "--name", "Talouspalvelut")
    late = date(today().year + 2, 1, 1).isoformat()

    message = one_line(refused(kuntaledger, "post", "--file", kuntaledger.file("late.csv", vouchers(late))))

    assert f"late.csv line 2, column date: {late} is outside the dates this ledger accepts" in message
    assert f"no later than {today().year + 1}-12-31" in message


def test_a_reversal_dated_far_from_the_ledgers_fiscal_years_is_refused(ledger_2024: Kuntaledger) -> None:
    ledger_2024.ok("post", "--file", ledger_2024.file("v.csv", vouchers("2024-03-01")))

    message = one_line(refused(ledger_2024, "reverse", "V-1", "--on", "2099-01-01", "--reason", "virhe"))

    assert message.startswith("error: --on 2099-01-01 is outside the dates this ledger accepts, 2023-01-01 to")


# Budget and amendment decisions


def test_a_budget_adopted_after_its_year_has_ended_is_refused(ledger_2024: Kuntaledger) -> None:
    file = ledger_2024.file("b2023.csv", "unit;line;amount\nTAL;personnel_expenses;-1\n")

    message = one_line(
        refused(
            ledger_2024, "budget", "adopt", "--year", "2023", "--file", file, "--decision", "Kv 2024 § 1",
            "--decided-on", "2024-01-10",
        )
    )  # fmt: skip

    assert message == (
        "error: --decided-on 2024-01-10: the budget for 2023 cannot be adopted after its year has ended "
        "(31.12.2023); a budget is adopted before or during its year (Local Government Act 110 §)"
    )


@pytest.mark.parametrize("kind", ["council", "operating-plan"])
def test_an_amendment_decided_before_the_budget_it_amends_was_adopted_is_refused(
    ledger_2024: Kuntaledger, kind: str
) -> None:
    move = "unit;line;amount\nTAL;personnel_expenses;-100\nHEN;purchases_of_services;100\n"
    file = ledger_2024.file("move.csv", move)

    run = refused(
        ledger_2024, "budget", "amend", "--year", "2024", "--kind", kind, "--file", file, "--decision", "X § 1",
        "--decided-on", "2023-12-10", "--reason", "siirto",
    )  # fmt: skip

    assert one_line(run) == (
        "error: --decided-on 2023-12-10: the 2024 budget it amends was adopted on 2023-12-11; "
        "an amendment is decided on or after the adoption"
    )


def test_a_budget_adopted_during_its_own_year_is_a_check_warning(ledger_2024: Kuntaledger) -> None:
    file = ledger_2024.file("b2025.csv", "unit;line;amount\nTAL;personnel_expenses;-1\n")
    ledger_2024.ok(
        "budget", "adopt", "--year", "2025", "--file", file, "--decision", "Kv 3.3.2025 § 9",
        "--decided-on", "2025-03-03",
    )  # fmt: skip

    on_time = json.loads(ledger_2024("check", "--year", "2024", "--format", "json").stdout)["findings"]
    late = json.loads(ledger_2024("check", "--year", "2025", "--format", "json").stdout)["findings"]

    assert [f for f in on_time if f["rule"] == "budget-adopted-late"] == []
    (finding,) = [f for f in late if f["rule"] == "budget-adopted-late"]
    assert finding["severity"] == "warning"
    assert "Kv 3.3.2025 § 9" in finding["message"] and "2025-03-03" in finding["message"]
    assert finding["events"] == [ledger_2024.events("--type", "BudgetAdopted")[-1]["position"]]


def test_the_budget_timing_rule_is_listed() -> None:
    assert "budget-adopted-late" in CliRunner().invoke(app, ["rules"]).stdout


# Closing and reopening


def test_closing_a_year_on_a_future_date_is_refused(ledger_2024: Kuntaledger) -> None:
    message = one_line(
        refused(ledger_2024, "close-year", "--year", "2024", "--decision", "Kv § 1", "--decided-on", tomorrow())
    )

    assert message == (
        f"error: --decided-on {tomorrow()}: that is in the future (today is {today().isoformat()}); "
        "record the decision once it has been made"
    )


def test_a_reopened_year_accepts_postings_until_it_is_closed_again(ledger_2024: Kuntaledger) -> None:
    close_2024(ledger_2024)
    refused(ledger_2024, "post", "--file", ledger_2024.file("a.csv", vouchers("2024-12-31", "A-1")))

    reopen_2024(ledger_2024)
    ledger_2024.ok("post", "--file", ledger_2024.file("b.csv", vouchers("2024-12-31", "B-1")))
    ledger_2024.ok("close-year", "--year", "2024", "--decision", "Kv 2025 § 50", "--decided-on", "2025-06-30")
    run = refused(ledger_2024, "post", "--file", ledger_2024.file("c.csv", vouchers("2024-12-31", "C-1")))

    assert run.stderr.startswith("error: c.csv line 2, column date: 2024-12-31 is in the closed fiscal year 2024")


def test_reopening_is_an_event_the_log_summarises(ledger_2024: Kuntaledger) -> None:
    close_2024(ledger_2024)
    reopen_2024(ledger_2024, "--actor", "kirsi")

    (entry,) = ledger_2024.events("--type", "FiscalYearReopened")

    assert entry["actor"] == "kirsi"
    assert entry["summary"] == "fiscal year 2024 reopened (Kv 2025 § 41): Tilintarkastajan huomautus"
    assert ledger_2024.events("--year", "2024")[-1]["type"] == "FiscalYearReopened"


def test_a_report_known_before_the_reopening_is_unchanged(ledger_2024: Kuntaledger) -> None:
    start = now()

    def at(hours: float) -> tuple[str, str]:
        return ("--recorded-at", (start + timedelta(seconds=hours)).isoformat())

    ledger_2024.ok("post", "--file", ledger_2024.file("a.csv", vouchers("2024-06-01", "A-1")), *at(1))
    ledger_2024.ok(
        "close-year", "--year", "2024", "--decision", "Kv 2025 § 30", "--decided-on", "2025-05-20", *at(2)
    )  # fmt: skip
    signed = ledger_2024.json("statement", "--unit", "YP", "--year", "2024", "--known-at", at(2.5)[1])
    reopen_2024(ledger_2024, *at(3))
    ledger_2024.ok("post", "--file", ledger_2024.file("b.csv", vouchers("2024-12-31", "B-1")), *at(4))

    then = ledger_2024.json("statement", "--unit", "YP", "--year", "2024", "--known-at", at(2.5)[1])
    later = ledger_2024.json("statement", "--unit", "YP", "--year", "2024", "--known-at", at(5)[1])

    assert then == signed
    assert later["rows"] != signed["rows"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--year", "2023"), "error: fiscal year 2023 is not closed; only a closed year can be reopened"),
        (
            ("--year", "2024", "--decided-on", "2025-05-19"),
            "error: --decided-on 2025-05-19: fiscal year 2024 was closed on 2025-05-20; "
            "it can be reopened only by a decision made on or after that day",
        ),
        (("--year", "2024", "--reason", " "), "error: --reason: say why the year is reopened"),
        (("--year", "2024", "--decision", " "), "error: --decision: give the decision's reference"),
    ],
)
def test_reopening_what_cannot_be_reopened_is_refused(
    ledger_2024: Kuntaledger, args: tuple[str, ...], expected: str
) -> None:
    close_2024(ledger_2024)
    options = {"--decision": "Kv 2025 § 41", "--decided-on": "2025-06-16", "--reason": "syy"}
    options.update(dict(zip(args[2::2], args[3::2], strict=True)))

    run = refused(ledger_2024, "reopen-year", *args[:2], *(item for pair in options.items() for item in pair))

    assert one_line(run) == expected


def test_reopening_on_a_future_date_is_refused(ledger_2024: Kuntaledger) -> None:
    close_2024(ledger_2024)

    message = one_line(
        refused(
            ledger_2024, "reopen-year", "--year", "2024", "--decision", "Kv § 2", "--decided-on", tomorrow(),
            "--reason", "syy",
        )
    )  # fmt: skip

    assert message.startswith(f"error: --decided-on {tomorrow()}: that is in the future")
