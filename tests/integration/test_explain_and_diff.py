"""`explain` (the events behind a figure) and `diff` (what changed between two known-at moments)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from support.cli_helpers import Kuntaledger

from ledger import commands
from ledger.application import Ledger
from ledger.statement_rows import ROWS
from projections.comparison import AMOUNT_COLUMNS
from projections.explain import COLUMNS, Evidence, explain_figure
from projections.statement import query_statement

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def explain(cli: Kuntaledger, unit: str, row: str, column: str, *args: str) -> dict[str, Any]:
    document: dict[str, Any] = cli.json(
        "explain", "--unit", unit, "--row", row, "--column", column, "--year", "2024", *args
    )
    return document


def brief(document: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    return [(i["type"], i["reference"], i["effective_on"], i["amount"]) for i in document["items"]]


def test_every_statement_cell_is_the_sum_of_its_explained_events(world: Kuntaledger) -> None:
    with Ledger(world.store_url) as ledger, ledger.state() as state:
        evidence = Evidence(state.conn, ledger.events_at)
        for known_at in (datetime(2024, 6, 30, tzinfo=UTC), NOW):
            for unit in ("YP", "HALL", "IT", "TEK", "KAD"):
                statement = query_statement(state.conn, unit, 2024, date(2024, 12, 31), known_at)
                for row in ROWS:
                    for column in COLUMNS:
                        explained = explain_figure(evidence, unit, row.key, column, 2024, date(2024, 12, 31), known_at)
                        figure = getattr(statement.line(row.key).figures, column)
                        assert explained.total_cents == figure, (unit, row.key, column, known_at)
    assert set(COLUMNS) <= set(AMOUNT_COLUMNS)


def test_an_actual_is_explained_voucher_by_voucher_with_its_reversal(world: Kuntaledger) -> None:
    document = explain(world, "HALL", "sales_income", "actual")

    assert brief(document) == [
        ("VouchersPosted", "V-2", "2024-03-05", "4000.50"),
        ("VoucherReversed", "V-2", "2024-12-31", "-4000.50"),
        ("VouchersPosted", "V-9", "2024-03-05", "4500.00"),
    ]
    assert document["total"] == document["report_figure"] == "4500.00"
    first = document["items"][0]
    assert (first["recorded_at"], first["actor"], first["unit"]) == ("2024-06-01T10:00:00+00:00", "carol", "HALL")


def test_explain_known_before_a_correction_shows_the_figure_as_it_stood(world: Kuntaledger) -> None:
    document = explain(world, "HALL", "sales_income", "actual", "--known-at", "2025-01-31")

    assert brief(document) == [("VouchersPosted", "V-2", "2024-03-05", "4000.50")]
    assert document["total"] == "4000.50"


def test_explain_as_of_a_date_counts_what_was_effective_by_then(world: Kuntaledger) -> None:
    document = explain(world, "YP", "purchases_of_services", "actual", "--as-of", "2024-06-30")

    assert brief(document) == [("VouchersPosted", "V-3", "2024-04-10", "-90000.00")]


def test_a_budget_is_explained_decision_by_decision(world: Kuntaledger) -> None:
    budget = explain(world, "IT", "purchases_of_services", "budget")
    original = explain(world, "IT", "purchases_of_services", "original_budget")
    amendments = explain(world, "YP", "purchases_of_services", "budget_amendments")

    assert brief(budget) == [
        ("BudgetAdopted", "Kv 11.12.2023 § 85", "2023-12-11", "-200000.00"),
        ("BudgetAmended", "Kv 17.6.2024 § 40", "2024-06-17", "-20000.00"),
        ("BudgetAmended", "Kh 2.9.2024 § 7", "2024-09-02", "-15000.00"),
    ]
    assert budget["total"] == "-235000.00"
    assert [i["amount"] for i in original["items"]] == ["-200000.00"]
    assert amendments["total"] == "-35000.00"
    assert {i["actor"] for i in budget["items"]} == {"bob"}


def test_a_sum_row_is_explained_by_the_events_of_its_parts(world: Kuntaledger) -> None:
    document = explain(world, "YP", "operating_margin", "actual")

    assert Decimal(document["total"]) == Decimal("-680500.00") == Decimal(document["report_figure"])
    assert {i["reference"] for i in document["items"]} == {"V-1", "V-2", "V-3", "V-6", "V-7", "V-9"}


def test_an_investment_line_is_explained_too(world: Kuntaledger) -> None:
    actual = explain(world, "YP", "movable_property:expenditure", "actual")
    budget = explain(world, "YP", "movable_property:net", "budget")

    assert brief(actual) == [("VouchersPosted", "V-5", "2024-05-02", "-30000.00")]
    assert budget["total"] == budget["report_figure"] == "-50000.00"


def test_explain_refuses_an_unknown_row_or_column_and_says_what_to_use(world: Kuntaledger) -> None:
    bad_row = world("explain", "--unit", "YP", "--row", "salaries", "--column", "actual", "--year", "2024")
    bad_column = world("explain", "--unit", "YP", "--row", "operating_margin", "--column", "ta", "--year", "2024")

    assert (bad_row.exit_code, bad_column.exit_code) == (2, 2)
    assert "operating_margin" in bad_row.stderr
    assert "original_budget" in bad_column.stderr


def diff(cli: Kuntaledger, unit: str, one: str, other: str) -> list[dict[str, Any]]:
    document = cli.json("diff", "--year", "2024", "--unit", unit, "--known-at", one, "--against", other)
    changes: list[dict[str, Any]] = document["changes"]
    return changes


def test_diff_shows_each_changed_figure_with_the_events_that_changed_it(world: Kuntaledger) -> None:
    changes = diff(world, "HALL", "2025-01-31", "2025-02-05")

    by_cell = {(c["report"], c["key"], c["column"]): c for c in changes}
    assert set(by_cell) == {
        ("statement", row, "actual")
        for row in ("sales_income", "operating_income", "operating_margin", "annual_margin", "result_for_period",
                    "surplus_or_deficit")
    }  # fmt: skip
    sales = by_cell[("statement", "sales_income", "actual")]
    assert (sales["earlier"], sales["later"], sales["change"]) == ("4000.50", "4500.00", "499.50")
    assert [(e["type"], e["reference"], e["amount"]) for e in sales["events"]] == [
        ("VoucherReversed", "V-2", "-4000.50"),
        ("VouchersPosted", "V-9", "4500.00"),
    ]
    for change in changes:
        assert sum(Decimal(e["amount"]) for e in change["events"]) == Decimal(change["change"])


def test_diff_is_the_same_whichever_moment_comes_first(world: Kuntaledger) -> None:
    assert diff(world, "YP", "2025-02-05", "2024-06-30") == diff(world, "YP", "2024-06-30", "2025-02-05")


def test_diff_shows_a_goal_whose_outcome_was_reported_in_between(world: Kuntaledger) -> None:
    changes = [c for c in diff(world, "YP", "2025-02-05", "2025-02-15") if c["report"] == "goals"]

    status = next(c for c in changes if c["column"] == "status")
    assert (status["key"], status["earlier"], status["later"]) == ("G-1", "not-assessed", "partly-achieved")
    assert [e["type"] for e in status["events"]] == ["GoalOutcomeReported"]


def test_diff_of_two_moments_with_nothing_recorded_between_is_empty(world: Kuntaledger) -> None:
    assert diff(world, "YP", "2024-07-01", "2024-08-01") == []


def test_an_explained_line_is_labelled_with_its_own_text(sqlite_store: str, tmp_path: Path) -> None:
    vouchers = tmp_path / "vouchers.csv"
    vouchers.write_text(
        "voucher;date;account;unit;amount;text\n"
        "V1;2024-03-31;4000;TAL;100;palkat maaliskuu\n"
        "V1;2024-03-31;4300;TAL;50;ICT-lisenssit\n"
        "V1;2024-03-31;1900;TAL;-150;\n",
        encoding="utf-8",
    )
    with Ledger(sqlite_store) as ledger:
        for check in (
            commands.initialise("Testikunta", "budget-minus-actual"),
            commands.add_unit("TAL", "Talouspalvelut", None, "net"),
            commands.post_file(vouchers),
        ):
            ledger.record(check, actor="test", recorded_at=NOW, require_initialised=False)
        with ledger.state() as state:
            explained = explain_figure(
                Evidence(state.conn, ledger.events_at),
                "TAL",
                "purchases_of_services",
                "actual",
                2024,
                date(2024, 12, 31),
                NOW,
            )
    assert [item.text for item in explained.items] == ["ICT-lisenssit"]
