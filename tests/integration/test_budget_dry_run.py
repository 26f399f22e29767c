"""`budget adopt|amend --dry-run`: the full check, a report of what would be recorded, nothing written."""

from __future__ import annotations

from support.cli_helpers import Kuntaledger

ADOPT = ("--decision", "Kv 12.12.2024 § 90", "--decided-on", "12.12.2024")
BUDGET_2025 = "unit;line;amount\nTAL;sales_income;50 000\nTAL;personnel_expenses;-400 000\n"
AMEND = ("--decision", "Kh 3.6.2024 § 120", "--decided-on", "3.6.2024", "--reason", "Resurssit")


def test_adopt_dry_run_reports_the_budget_and_records_nothing(ledger_2024: Kuntaledger) -> None:
    before = ledger_2024.events()
    budget = ledger_2024.file("budget_2025.csv", BUDGET_2025)
    run = ledger_2024.ok("budget", "adopt", "--year", "2025", "--file", budget, *ADOPT, "--dry-run")
    assert "dry run, nothing recorded; it would have adopted the 2025 budget: 2 lines" in run.stderr
    assert ledger_2024.events() == before
    ledger_2024.ok("budget", "adopt", "--year", "2025", "--file", budget, *ADOPT)
    assert len(ledger_2024.events()) == len(before) + 1


def test_adopt_dry_run_refuses_what_adopt_refuses(ledger_2024: Kuntaledger) -> None:
    budget = ledger_2024.file("budget_2024b.csv", BUDGET_2025)
    run = ledger_2024("budget", "adopt", "--year", "2024", "--file", budget, *ADOPT, "--dry-run")
    assert run.exit_code == 2
    assert "the budget for 2024 is adopted already" in run.stderr


def test_amend_dry_run_reports_the_amendment_and_records_nothing(ledger_2024: Kuntaledger) -> None:
    before = ledger_2024.events()
    move = ledger_2024.file(
        "move.csv", "unit;line;amount\nTAL;personnel_expenses;10 000\nHEN;purchases_of_services;-10 000\n"
    )
    run = ledger_2024.ok(
        "budget", "amend", "--year", "2024", "--kind", "operating-plan", "--file", move, *AMEND, "--dry-run"
    )
    assert (
        "dry run, nothing recorded; it would have recorded the operating-plan amendment to 2024: 2 lines" in run.stderr
    )
    assert ledger_2024.events() == before


def test_amend_dry_run_refuses_an_operating_plan_change_of_the_binding_net(ledger_2024: Kuntaledger) -> None:
    before = ledger_2024.events()
    more = ledger_2024.file("more.csv", "unit;line;amount\nTAL;personnel_expenses;-10 000\n")
    run = ledger_2024(
        "budget", "amend", "--year", "2024", "--kind", "operating-plan", "--file", more, *AMEND, "--dry-run"
    )
    assert run.exit_code == 2
    assert "more.csv" in run.stderr
    assert ledger_2024.events() == before


def test_a_dry_run_checks_the_recording_time_too(ledger_2024: Kuntaledger) -> None:
    budget = ledger_2024.file("budget_2025.csv", BUDGET_2025)
    run = ledger_2024(
        "budget",
        "adopt",
        "--year",
        "2025",
        "--file",
        budget,
        *ADOPT,
        "--recorded-at",
        "2000-01-01T00:00:00Z",
        "--dry-run",
    )
    assert run.exit_code == 2
    assert "recording times never go backwards" in run.stderr
