"""`check`: each compliance rule fires on the history that breaks it, and only there."""

from __future__ import annotations

import json

from support.audit_world import execute_read_model
from support.cli_helpers import Kuntaledger, check, of
from typer.testing import CliRunner

from cli.main import app


def post(cli: Kuntaledger, name: str, lines: str) -> None:
    header = "voucher;date;account;unit;amount;text;project\n"
    cli.ok("post", "--file", cli.file(name, header + lines))


# binding-level-overrun


def test_a_gross_unit_whose_income_falls_short_of_its_budget_is_an_error(world: Kuntaledger) -> None:
    code, findings = check(world)

    (finding,) = of(findings, "binding-level-overrun")
    assert code == 1
    assert finding["severity"] == "error"
    assert finding["unit"] == "TEK"
    assert finding["figures"] == {"budget": "80000.00", "actual": "70000.00", "overrun": "10000.00"}
    assert "income" in finding["message"] and "budget amend" in finding["message"]


def test_a_net_unit_whose_net_is_worse_than_budget_is_an_error(world: Kuntaledger) -> None:
    post(world, "more.csv", "X-1;2024-12-15;4010;HALL;40 000;lisätyö;\nX-1;2024-12-15;1900;HALL;-40 000;;\n")

    _, findings = check(world)

    (finding,) = of(findings, "binding-level-overrun", "YP")
    assert finding["figures"] == {"budget": "-710000.00", "actual": "-720500.00", "overrun": "10500.00"}
    assert world.json("events", "--type", "VouchersPosted")[-1]["position"] in finding["events"]


def test_a_net_unit_within_its_budget_has_no_binding_level_finding(world: Kuntaledger) -> None:
    _, findings = check(world)

    assert of(findings, "binding-level-overrun", "YP") == []


# operating-plan-overrun


def test_a_service_area_over_its_operating_plan_is_a_warning_per_row(world: Kuntaledger) -> None:
    _, findings = check(world)

    hall = of(findings, "operating-plan-overrun", "HALL")
    assert {f["severity"] for f in hall} == {"warning"}
    assert sorted(f["message"].split("(")[1].split(")")[0] for f in hall) == ["operating_margin", "personnel_expenses"]
    assert of(findings, "operating-plan-overrun", "IT") == []


def test_no_operating_plan_finding_while_the_spending_is_within_it(world: Kuntaledger) -> None:
    _, findings = check(world, "--known-at", "2024-12-31")

    assert of(findings, "operating-plan-overrun") == []


# deviation-unexplained


def test_a_large_deviation_with_no_explanation_is_a_warning(world: Kuntaledger) -> None:
    _, findings = check(world)

    (finding,) = of(findings, "deviation-unexplained")
    assert finding["unit"] == "TEK"
    assert finding["figures"]["difference"] == "180000.00"
    assert "explain-deviation --unit TEK --year 2024" in finding["message"]


def test_a_recorded_explanation_answers_the_deviation(world: Kuntaledger) -> None:
    world.ok("explain-deviation", "--unit", "TEK", "--year", "2024", "--text", "Mild winter", "--on", "2025-02-20")

    _, findings = check(world)

    assert of(findings, "deviation-unexplained") == []


def test_the_deviation_threshold_is_settable(world: Kuntaledger) -> None:
    """YP deviates by 29 500 € (4.2 %); before its explanation was recorded only a 3 % limit catches it."""
    before_explanation = ("--known-at", "2025-02-10")

    assert of(check(world, *before_explanation)[1], "deviation-unexplained", "YP") == []
    (finding,) = of(check(world, *before_explanation, "--deviation-pct", "3")[1], "deviation-unexplained", "YP")
    assert finding["figures"]["difference"] == "29500.00"
    assert of(check(world, *before_explanation, "--deviation-pct", "3", "--deviation-amount", "30000")[1],
              "deviation-unexplained", "YP") == []  # fmt: skip


# goal-outcome-missing


def test_a_council_goal_without_a_year_end_outcome_is_an_error_once_the_year_is_over(world: Kuntaledger) -> None:
    _, findings = check(world, "--known-at", "2025-02-05")

    (finding,) = of(findings, "goal-outcome-missing")
    assert finding["severity"] == "error"
    assert finding["unit"] == "YP"
    assert "goals report G-1 --on 2024-12-31" in finding["message"]


def test_a_missing_goal_outcome_is_only_info_during_the_year(world: Kuntaledger) -> None:
    _, findings = check(world, "--known-at", "2024-06-30")

    assert [f["severity"] for f in of(findings, "goal-outcome-missing")] == ["info"]


def test_a_reported_outcome_and_operating_plan_goals_raise_nothing(world: Kuntaledger) -> None:
    _, findings = check(world)

    assert of(findings, "goal-outcome-missing") == []


# investment-overrun


def test_spending_beyond_an_investment_budget_is_an_error(world: Kuntaledger) -> None:
    post(world, "equipment.csv", "X-2;2024-11-02;1130;YP;25 000;kalusto;P-1\nX-2;2024-11-02;2500;YP;-25 000;;\n")

    _, findings = check(world)

    (finding,) = of(findings, "investment-overrun")
    assert finding["unit"] == "YP"
    assert finding["figures"] == {"budget": "-50000.00", "actual": "-55000.00", "overrun": "5000.00"}
    assert "movable_property" in finding["message"]


def test_investments_within_their_budget_raise_nothing(world: Kuntaledger) -> None:
    assert of(check(world)[1], "investment-overrun") == []


# amendment-authority and trial-balance on a recorded history (the crafted cases: test_exchange, unit tests)


def test_amendments_the_core_recorded_raise_nothing(world: Kuntaledger) -> None:
    assert of(check(world)[1], "amendment-authority") == []


def test_a_trial_balance_broken_outside_the_ledger_is_an_error(world: Kuntaledger) -> None:
    execute_read_model(
        world.store_url, "UPDATE rm_amounts SET amount_cents = amount_cents + 100 WHERE account = '4320'"
    )

    _, findings = check(world)

    found = of(findings, "trial-balance")
    assert {f["severity"] for f in found} == {"error"}
    assert any(f["figures"].get("trial_balance") == "2.00" for f in found)
    assert "kuntaledger verify" in found[0]["message"]


def test_the_trial_balance_of_a_recorded_history_is_zero(world: Kuntaledger) -> None:
    assert of(check(world)[1], "trial-balance") == []


# the command


def test_check_exits_0_when_it_finds_no_error(world: Kuntaledger) -> None:
    run = world("check", "--year", "2024", "--unit", "YP")

    assert run.exit_code == 0
    assert "0 errors" in run.stderr and "warnings" in run.stderr


def test_check_of_a_unit_reports_only_that_unit_and_those_below_it(world: Kuntaledger) -> None:
    _, findings = check(world, "--unit", "KAD")

    assert {f["unit"] for f in findings} <= {"KAD", None}


def test_rules_lists_every_rule_with_its_source() -> None:
    run = CliRunner().invoke(app, ["rules", "--format", "json"])
    rules = json.loads(run.stdout)

    assert [r["rule"] for r in rules] == [
        "binding-level-overrun",
        "operating-plan-overrun",
        "deviation-unexplained",
        "goal-outcome-missing",
        "investment-overrun",
        "amendment-authority",
        "budget-adopted-late",
        "trial-balance",
    ]
    assert all("410/2015" in r["source"] or "binding rules" in r["source"] for r in rules)
