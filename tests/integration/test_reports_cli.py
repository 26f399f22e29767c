"""The report commands and `rebuild` as users run them."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from support.reports_scenario import Scenario, city_history
from typer.testing import CliRunner

from cli.main import app


class Cli:
    def __init__(self, store: str) -> None:
        self.store = store

    def __call__(self, *args: str) -> tuple[int, str, str]:
        result = CliRunner().invoke(app, [*args, "--store", self.store])
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result.exit_code, result.stdout, result.stderr

    def ok(self, *args: str) -> str:
        code, out, err = self(*args)
        assert code == 0, err
        return out


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cli]:
    """The city's history, read only by these tests."""
    directory = tmp_path_factory.mktemp("cli")
    scenario = Scenario(f"sqlite:///{directory / 'ledger.db'}", directory)
    city_history(scenario)
    scenario.close()
    yield Cli(f"sqlite:///{directory / 'ledger.db'}")


@pytest.fixture
def own_cli(sqlite_store: str, tmp_path: Path) -> Iterator[Cli]:
    """The city's history in a store these tests may change."""
    scenario = Scenario(sqlite_store, tmp_path)
    city_history(scenario)
    scenario.close()
    yield Cli(sqlite_store)


def test_the_statement_table_is_in_finnish_number_format_with_the_period_in_its_title(cli: Cli) -> None:
    out = cli.ok("statement", "--unit", "YP", "--year", "2024", "--known-at", "2025-03-26")
    title = out.splitlines()[0]
    assert title.startswith("Tuloslaskelma 2024 – YP Yhteiset palvelut")
    assert "tilanne 31.12.2024, tiedot 26.03.2025 klo 23.59.59 EET (UTC+02:00)" in title
    personnel = next(line for line in out.splitlines() if "Henkilöstökulut" in line)
    assert personnel.split()[1:] == [
        "-40",
        "000",
        "-300",
        "000",
        "0",
        "-300",
        "000",
        "-129",
        "500",
        "-170",
        "500",
        "43,17",
    ]
    assert "Maksutuotot" not in out
    assert "Tilikauden tulos" not in out


def test_a_unit_is_found_by_its_exact_name_and_english_labels_follow_lang(cli: Cli) -> None:
    out = cli.ok("summary", "--unit", "Yhteiset palvelut", "--year", "2024", "--lang", "en")
    assert "Budget summary 2024 – YP Yhteiset palvelut – as of 2024-12-31" in out
    assert [
        line.split()[0] for line in out.splitlines() if line.strip().startswith(("INCOME", "EXPENDITURE", "NET"))
    ] == [
        "INCOME",
        "EXPENDITURE",
        "NET",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("statement", "--unit", "XX", "--year", "2024"), "--unit 'XX': no unit has this code or name"),
        (("statement", "--unit", "YP", "--as-of", "31.2.2024"), "--as-of"),
        (("statement", "--unit", "YP", "--year", "2024", "--known-at", "eilen"), "--known-at"),
        (("statement", "--unit", "YP"), "--year"),
        (("summary", "--unit", "YP", "--year", "2024", "--format", "pdf"), "--format 'pdf'"),
        (("investments", "--unit", "YP", "--year", "2024", "--lang", "sv"), "--lang 'sv'"),
        (("statement", "--unit", "YP", "--year", "2024", "--format", "xlsx"), "--output"),
        (("goals", "--year", "2024"), "--unit"),
        (("risks",), "--unit"),
    ],
)
def test_a_refused_report_says_why_in_one_line_and_prints_nothing(
    cli: Cli, args: tuple[str, ...], message: str
) -> None:
    code, out, err = cli(*args)
    assert code == 2
    assert out == ""
    assert err.startswith("error: ")
    assert message in err
    assert len(err.strip().splitlines()) == 1


def test_xlsx_keeps_numbers_as_numbers_and_neutralises_text(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "goals.xlsx"
    cli.ok(
        "goals", "--unit", "TA", "--year", "2024", "--as-of", "2024-04-30", "--format", "xlsx", "--output", str(target)
    )
    rows = list(load_workbook(target).active.iter_rows(values_only=True))
    assert rows[0][0].startswith("Tavoitteet 2024 – TA Talouspalvelut")
    assert rows[2][4] == "'=Laskut ajallaan"
    statement = tmp_path / "statement.xlsx"
    cli.ok("statement", "--unit", "TA", "--year", "2024", "--format", "xlsx", "--output", str(statement))
    sales = next(r for r in load_workbook(statement).active.iter_rows(values_only=True) if r[0] == "sales_income")
    assert sales[6] == 15000


def test_csv_neutralises_text_but_not_negative_amounts(cli: Cli) -> None:
    goals = list(
        csv.reader(
            io.StringIO(cli.ok("goals", "--unit", "TA", "--as-of", "2024-04-30", "--format", "csv")), delimiter=";"
        )
    )
    assert goals[0][:2] == ["goal", "unit"]
    assert goals[1][4] == "'=Laskut ajallaan"
    statement = list(
        csv.reader(io.StringIO(cli.ok("statement", "--unit", "TA", "--year", "2024", "--format", "csv")), delimiter=";")
    )
    personnel = next(row for row in statement if row[0] == "personnel_expenses")
    assert personnel[6] == "-120000,00"


def test_output_writes_the_report_to_a_file(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "statement.md"
    code, out, err = cli("statement", "--unit", "VA", "--year", "2024", "--format", "md", "--output", str(target))
    assert code == 0
    assert out == ""
    assert f"wrote {target}" in err
    assert "| Palvelujen ostot |" in target.read_text(encoding="utf-8")


def test_the_goals_group_still_records_when_a_subcommand_is_given(own_cli: Cli) -> None:
    own_cli.ok(
        "goals", "report", "G2", "--text", "Laskut maksettiin ajallaan", "--status", "achieved", "--on", "2024-12-31"
    )
    out = own_cli.ok("goals", "--unit", "TA", "--year", "2024", "--lang", "en")
    assert "Laskut maksettiin ajallaan" in out
    assert "Achieved" in out


def test_rebuild_refills_the_read_models_and_the_reports_stay_the_same(own_cli: Cli) -> None:
    args = ("statement", "--unit", "YP", "--year", "2024", "--known-at", "2025-03-26", "--format", "json")
    before = own_cli.ok(*args)
    code, _, err = own_cli("rebuild")
    assert code == 0
    assert "rebuilt the read models from" in err
    assert "events/s" in err
    assert own_cli.ok(*args) == before
