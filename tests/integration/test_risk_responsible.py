"""A risk's responsible office holder (vastuuhenkilö) is shown wherever the register is:
every format of `risks` and the `report` document. Each runs on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook
from support.cli_helpers import Kuntaledger

RESPONSIBLE = "Hallintojohtaja Virtanen"
RISKS = ("risks", "--unit", "YP", "--year", "2024")


@pytest.fixture
def assessed(ledger_2024: Kuntaledger) -> Kuntaledger:
    ledger_2024.ok(
        "risks", "assess", "R1", "--unit", "TAL", "--year", "2024", "--class", "Talous",
        "--description", "Kustannukset nousevat", "--probability", "2", "--significance", "3",
        "--mitigation", "Seuranta", "--carried-out", "Kuukausiraportointi", "--responsible", RESPONSIBLE,
        "--on", "2024-10-01",
    )  # fmt: skip
    return ledger_2024


def test_the_json_register_names_the_responsible(assessed: Kuntaledger) -> None:
    (item,) = assessed.json(*RISKS)["items"]

    assert item["responsible"] == RESPONSIBLE


@pytest.mark.parametrize("fmt", ["table", "md"])
def test_the_printed_register_names_the_responsible(assessed: Kuntaledger, fmt: str) -> None:
    printed = assessed.ok(*RISKS, "--format", fmt, "--lang", "fi").stdout

    assert "Vastuu" in printed
    assert "Virtanen" in printed


def test_the_csv_register_has_a_responsible_column(assessed: Kuntaledger) -> None:
    rows = list(csv.DictReader(io.StringIO(assessed.ok(*RISKS, "--format", "csv").stdout), delimiter=";"))

    assert rows[0]["responsible"] == RESPONSIBLE


def test_the_xlsx_register_has_a_responsible_column(assessed: Kuntaledger) -> None:
    target = assessed.workdir / "risks.xlsx"
    assessed.ok(*RISKS, "--format", "xlsx", "--lang", "en", "--output", str(target))

    header, item = list(load_workbook(target).active.iter_rows(values_only=True))[1:3]

    assert item[header.index("Responsible")] == RESPONSIBLE


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_the_report_document_names_the_risks_responsible(assessed: Kuntaledger, fmt: str) -> None:
    args = ["report", "--unit", "YP", "--year", "2024", "--format", fmt]
    if fmt == "html":
        output = assessed.workdir / "report.html"
        assessed.ok(*args, "--output", str(output))
        document = output.read_text(encoding="utf-8")
    else:
        document = assessed.ok(*args).stdout

    assert f"Vastuu: {RESPONSIBLE}" in document


def test_a_risk_without_a_responsible_reads_back_as_empty(ledger_2024: Kuntaledger) -> None:
    ledger_2024.ok(
        "risks", "assess", "R2", "--unit", "TAL", "--year", "2024", "--class", "Talous", "--description", "D",
        "--probability", "1", "--significance", "1", "--on", "2024-10-01",
    )  # fmt: skip

    (item,) = json.loads(ledger_2024.ok(*RISKS, "--format", "json").stdout)["items"]

    assert item["responsible"] == ""


def test_a_history_file_records_the_responsible(ledger_2024: Kuntaledger) -> None:
    history = f"""
[[step]]
command = "risks assess"
recorded-at = "{datetime.now(UTC).isoformat()}"
actor = "riskit"
risk = "R1"
unit = "TAL"
year = 2024
class = "Talous"
description = "Kustannukset nousevat"
probability = 2
significance = 3
responsible = "{RESPONSIBLE}"
on = "2024-10-01"
"""
    ledger_2024.ok("load", ledger_2024.file("risks.toml", history))

    (item,) = ledger_2024.json(*RISKS)["items"]

    assert item["responsible"] == RESPONSIBLE
