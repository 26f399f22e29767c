"""Plan years (taloussuunnitelma): `budget adopt|amend` with plan_YEAR columns, `kuntaledger plan`."""

from __future__ import annotations

from typing import Any

from support.cli_helpers import Kuntaledger, refused

ADOPT_2025 = ("--decision", "Kv 12.12.2024 § 90", "--decided-on", "12.12.2024")
BUDGET_2025 = """unit;line;amount;plan_2026;plan_2027
TAL;sales_income;50 000;52 000;54 000
TAL;personnel_expenses;-400 000;-410 000;-420 000
HEN;purchases_of_services;-120 000;-125 000;
"""
COUNCIL = ("--kind", "council", "--decision", "Kv 10.3.2025 § 20", "--decided-on", "10.3.2025", "--reason", "Palkat")


def plan(cli: Kuntaledger, unit: str, *args: str) -> dict[str, dict[str, Any]]:
    document = cli.json("plan", "--unit", unit, "--year", "2025", *args)
    return {row["key"]: row for row in document["rows"]}


def adopted(cli: Kuntaledger) -> Kuntaledger:
    cli.ok("budget", "adopt", "--year", "2025", "--file", cli.file("b2025.csv", BUDGET_2025), *ADOPT_2025)
    return cli


def test_a_budget_with_plan_columns_records_its_plan_years(ledger_2024: Kuntaledger) -> None:
    before = ledger_2024.event_count()
    adopted(ledger_2024)
    types = [event["type"] for event in ledger_2024.events()[before:]]
    assert types == ["BudgetAdopted", "FinancialPlanRecorded"]
    document = ledger_2024.json("plan", "--unit", "YP", "--year", "2025")
    assert document["plan_years"] == [2026, 2027]
    rows = {row["key"]: row for row in document["rows"]}
    assert rows["operating_income"] == {**rows["operating_income"], "budget_2025": "50000.00",
                                        "plan_2026": "52000.00", "plan_2027": "54000.00"}  # fmt: skip
    margin = rows["operating_margin"]
    assert (margin["budget_2025"], margin["plan_2026"], margin["plan_2027"]) == (
        "-470000.00",
        "-483000.00",
        "-366000.00",
    )
    hen = plan(ledger_2024, "HEN")["purchases_of_services"]
    assert (hen["budget_2025"], hen["plan_2026"], hen["plan_2027"]) == ("-120000.00", "-125000.00", "0.00")


def test_a_budget_without_plan_columns_records_one_event_as_before(ledger_2024: Kuntaledger) -> None:
    before = ledger_2024.event_count()
    budget = ledger_2024.file("plain.csv", "unit;line;amount\nTAL;sales_income;50 000\n")
    ledger_2024.ok("budget", "adopt", "--year", "2025", "--file", budget, *ADOPT_2025)
    assert [event["type"] for event in ledger_2024.events()[before:]] == ["BudgetAdopted"]
    assert ledger_2024.json("plan", "--unit", "YP", "--year", "2025")["plan_years"] == []


def test_an_amendment_changes_the_plan_years_from_its_decision_on(ledger_2024: Kuntaledger) -> None:
    adopted(ledger_2024)
    change = ledger_2024.file("a.csv", "unit;line;amount;plan_2026;plan_2027\nTAL;personnel_expenses;-5 000;-6 000;\n")
    run = ledger_2024.ok("budget", "amend", "--year", "2025", "--file", change, *COUNCIL)
    assert "with its plan years 2026" in run.stderr
    after = plan(ledger_2024, "TAL")["personnel_expenses"]
    assert (after["budget_2025"], after["plan_2026"], after["plan_2027"]) == ("-405000.00", "-416000.00", "-420000.00")
    before = plan(ledger_2024, "TAL", "--as-of", "2025-03-09")["personnel_expenses"]
    assert (before["budget_2025"], before["plan_2026"]) == ("-400000.00", "-410000.00")


def test_the_plan_table_shows_the_budget_year_and_each_plan_year(ledger_2024: Kuntaledger) -> None:
    adopted(ledger_2024)
    table = ledger_2024.ok("plan", "--unit", "YP", "--year", "2025").stdout
    assert "Taloussuunnitelma 2025" in table
    assert "TA 2025 muutosten jälkeen" in table and "TS 2026" in table and "TS 2027" in table
    assert "-483 000" in table
    csv = ledger_2024.ok("plan", "--unit", "YP", "--year", "2025", "--format", "csv", "--lang", "en").stdout
    assert csv.splitlines()[0] == "key;label;budget_2025;plan_2026;plan_2027"


def test_a_plan_year_out_of_range_is_refused(ledger_2024: Kuntaledger) -> None:
    far = ledger_2024.file("far.csv", "unit;line;amount;plan_2029\nTAL;sales_income;1;1\n")
    run = refused(ledger_2024, "budget", "adopt", "--year", "2025", "--file", far, *ADOPT_2025)
    assert "far.csv line 1" in run.stderr and "plan_2029" in run.stderr and "plan_2026" in run.stderr
    past = ledger_2024.file("past.csv", "unit;line;amount;plan_2024\nTAL;sales_income;1;1\n")
    refused(ledger_2024, "budget", "adopt", "--year", "2025", "--file", past, *ADOPT_2025)


def test_a_bad_plan_amount_names_its_line_and_column(ledger_2024: Kuntaledger) -> None:
    bad = ledger_2024.file("bad.csv", "unit;line;amount;plan_2026\nTAL;sales_income;1;12,5,0\n")
    run = refused(ledger_2024, "budget", "adopt", "--year", "2025", "--file", bad, *ADOPT_2025)
    assert "bad.csv line 2" in run.stderr and "plan_2026" in run.stderr


def test_an_amendment_to_a_closed_years_plan_is_refused(ledger_2024: Kuntaledger) -> None:
    ledger_2024.ok("close-year", "--year", "2024", "--decision", "Kv 20.5.2025 § 40", "--decided-on", "20.5.2025")
    change = ledger_2024.file("late.csv", "unit;line;amount;plan_2025\nTAL;personnel_expenses;0;-6 000\n")
    amend = ("--kind", "council", "--decision", "Kv 1.6.2025 § 50", "--decided-on", "1.6.2024", "--reason", "Myöhässä")
    run = refused(ledger_2024, "budget", "amend", "--year", "2024", "--file", change, *amend)
    assert "closed" in run.stderr


def test_an_operating_plan_amendment_may_not_change_a_plan_years_binding_net(ledger_2024: Kuntaledger) -> None:
    adopted(ledger_2024)
    more = ledger_2024.file("more.csv", "unit;line;amount;plan_2026\nTAL;personnel_expenses;0;-10 000\n")
    board = ("--kind", "operating-plan", "--decision", "Kh 3.3.2025 § 9", "--decided-on", "3.3.2025", "--reason", "x")
    run = refused(ledger_2024, "budget", "amend", "--year", "2025", "--file", more, *board)
    assert "plan year 2026" in run.stderr
    move = ledger_2024.file("move.csv", "unit;line;amount;plan_2026\nTAL;personnel_expenses;0;-10 000\n"
                                        "HEN;purchases_of_services;0;10 000\n")  # fmt: skip
    ledger_2024.ok("budget", "amend", "--year", "2025", "--file", move, *board)
    assert plan(ledger_2024, "YP")["operating_margin"]["plan_2026"] == "-483000.00"
