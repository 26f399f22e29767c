"""The reporting cube (issue 15): its totals by statement row equal the income statement's
for every unit and quarter of the Heinola 2024 history, on both stores; the unit's default
service class, as known at the moment, decides a cell's class."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from importlib import resources

import pytest
from support.cli_helpers import Kuntaledger, refused

from ledger import commands
from ledger.application import Ledger
from ledger.loading import load_history, seed_history_path
from ledger.statement_rows import expand
from ledger.units import ancestry
from projections.approvals import figures_hash
from projections.cube import query_cube
from projections.statement import query_statement

QUARTER_ENDS = (date(2024, 3, 31), date(2024, 6, 30), date(2024, 9, 30), date(2024, 12, 31))
NOW = datetime(2030, 1, 1, tzinfo=UTC)


@pytest.fixture
def heinola(store_url: str) -> Ledger:
    ledger = Ledger(store_url)
    load_history(ledger, seed_history_path(), figures_hash=figures_hash)
    service_classes = resources.files("ledger").joinpath("data", "classes", "service_classes_2024.csv")
    with resources.as_file(service_classes) as path:
        ledger.record(commands.load_classes("service-class", path, date(2023, 1, 1)), actor="t")
    ledger.record(commands.set_unit_service_class("YP", "1100", date(2023, 1, 1)), actor="t")
    ledger.record(commands.set_unit_service_class("TARK", "1000", date(2024, 7, 1)), actor="t")
    return ledger


def test_the_cubes_totals_by_row_equal_the_statement_for_every_unit_and_quarter(heinola: Ledger) -> None:
    with heinola, heinola.state() as state:
        units = sorted(state.units)
        assert len(units) > 5
        for unit in units:
            for day in QUARTER_ENDS:
                cube = query_cube(state.conn, unit, 2024, day, NOW)
                statement = query_statement(state.conn, unit, 2024, day, NOW)
                totals = expand(cube.row_totals())
                assert {line.key: totals.get(line.key, 0) for line in statement.lines} == {
                    line.key: line.figures.actual for line in statement.lines
                }, (unit, day)


def test_a_cell_takes_its_units_default_service_class_or_the_nearest_above_it(heinola: Ledger) -> None:
    with heinola, heinola.state() as state:
        year_end = query_cube(state.conn, "YP", 2024, date(2024, 12, 31), NOW)
        first_half = query_cube(state.conn, "YP", 2024, date(2024, 6, 30), NOW)
        units = state.units
        under_yp = [code for code in units if any(u.code == "YP" for u in ancestry(units, code))]
    assert "TARK" in under_yp
    assert {cell.service_class for cell in year_end.actual} == {"1000", "1100"}  # TARK's own from July on
    assert {cell.service_class for cell in first_half.actual} == {"1100"}
    assert {cell.sector for cell in year_end.actual} == {"unknown"}


def test_the_cube_cli_writes_json_csv_and_refuses_a_day_of_another_year(kuntaledger: Kuntaledger) -> None:
    cli = kuntaledger
    cli.ok("init", "--recorded-at", "2024-01-01T08:00:00Z")
    cli.ok("units", "add", "K", "--name", "Kunta", "--recorded-at", "2024-01-01T08:01:00Z")
    vouchers = (
        "voucher;date;account;unit;amount;text\n"
        "V-1;2024-02-01;4300;K;100,00;ostot\nV-1;2024-02-01;1900;K;-100,00;pankki\n"
    )
    cli.ok("post", "--file", cli.file("v.csv", vouchers), "--recorded-at", "2024-02-02T08:00:00Z")
    budget = "unit;line;amount\nK;purchases_of_services;-1000\n"
    cli.ok("budget", "adopt", "--year", "2024", "--file", cli.file("b.csv", budget), "--decision", "Kv 1",
           "--decided-on", "2023-12-11", "--recorded-at", "2024-02-02T09:00:00Z")  # fmt: skip
    document = cli.json("cube", "--year", "2024", "--through", "2024-03-31", "--budget")
    assert (document["unit"], document["as_of"]) == ("K", "2024-03-31")
    assert [(c["account"], c["service_class"], c["sector"], c["amount"]) for c in document["actual"]] == [
        ("4300", "unknown", "unknown", "-100.00")
    ]
    assert document["row_totals"] == {"purchases_of_services": "-100.00"}
    assert [(b["row"], b["original"], b["amended"]) for b in document["budget"]] == [
        ("purchases_of_services", "-1000.00", "-1000.00")
    ]
    before = cli.json("cube", "--year", "2024", "--through", "2024-03-31", "--known-at", "2024-02-01T00:00:00Z")
    assert before["actual"] == []
    csv_text = cli.ok("cube", "--year", "2024", "--through", "2024-03-31", "--format", "csv").stdout
    assert csv_text.splitlines()[0] == "set;account;row;service_class;sector;reporting_code;actual;original;amended"
    refused(cli, "cube", "--year", "2024", "--through", "2025-01-31")
    refused(cli, "cube", "--year", "2024", "--through", "2024-01-31", "--format", "pdf")
    export = cli.workdir / "cube.json"
    cli.ok("cube", "--year", "2024", "--through", "2024-03-31", "--format", "json", "--output", str(export))
    cli.ok(
        "submit",
        "--set",
        "KKNR",
        "--period",
        "2024Q1",
        "--file",
        str(export),
        "--approved-by",
        "T",
        "--decision",
        "Kh 1",
    )
    (submitted,) = cli.json("submissions")
    assert (submitted["as_of"], submitted["known_at"]) == ("2024-03-31", json.loads(export.read_text())["known_at"])


def test_docs_json_describes_every_key_of_the_cube(kuntaledger: Kuntaledger) -> None:
    from pathlib import Path

    cli = kuntaledger
    cli.ok("init")
    cli.ok("units", "add", "K", "--name", "Kunta")
    document = cli.json("cube", "--year", "2024", "--through", "2024-03-31", "--budget")
    text = (Path(__file__).parents[2] / "docs" / "json.md").read_text(encoding="utf-8")
    section = text[text.index("## `cube`") : text.index("## CSV and xlsx")]
    for key in document:
        assert f"`{key}`" in section, key
