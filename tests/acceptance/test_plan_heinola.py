"""`plan` over the Heinola 2024 history: its budget was adopted without plan years, so the
plan is the budget year alone, the statement's TA after amendments row by row, also in the
version the board approved (the default without --known-at)."""

from __future__ import annotations

import json

from support.heinola_printed import AS_OF, SECTOR, YEAR, Report, by_key
from typer.testing import CliRunner

from cli.main import app


def test_the_plan_of_2024_is_the_budget_year_of_the_statement(report: Report) -> None:
    plan = report("plan", SECTOR)
    assert plan["plan_years"] == []
    statement = by_key(report("statement", SECTOR)["rows"])
    assert {row["key"]: row["budget_2024"] for row in plan["rows"]} == {k: r["budget"] for k, r in statement.items()}


def test_the_default_plan_is_the_approved_version(heinola_store: str) -> None:
    args = ["plan", "--unit", SECTOR, "--year", YEAR, "--as-of", AS_OF, "--format", "json", "--store", heinola_store]
    result = CliRunner().invoke(app, args, env={"KUNTALEDGER_STORE": None})
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["version"]["decision"] == "Kh 26.3.2025 § 79"
    assert by_key(document["rows"])["operating_margin"]["budget_2024"] == "-6802900.00"
