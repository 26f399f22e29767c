"""Input files as finance offices save them: Finnish headers, and budgets in Excel workbooks."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from support.cli_helpers import Kuntaledger

ADOPT = ("--decision", "Kv 12.12.2024 § 90", "--decided-on", "12.12.2024")
BUDGET_ROWS = [("TAL", "sales_income", "50 000"), ("TAL", "personnel_expenses", "-400 000")]


def _workbook(path: Path, header: list[str], rows: list[tuple[object, ...]]) -> str:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return str(path)


def _budget_2025(cli: Kuntaledger) -> list[dict[str, object]]:
    return [e for e in cli.events("--type", "BudgetAdopted") if "2025" in str(e["summary"])]


def test_vouchers_with_finnish_headers_are_posted(ledger_2024: Kuntaledger) -> None:
    text = (
        "Tosite;Pvm;Tili;Kustannuspaikka;Summa;Selite\n"
        "V-1;31.3.2024;4390;TAL;1 234,50;kone\nV-1;31.3.2024;2500;TAL;-1 234,50;kone\n"
    )
    ledger_2024.ok("post", "--file", ledger_2024.file("tositteet.csv", text))
    assert len(ledger_2024.events("--type", "VouchersPosted")) == 1


def test_a_finnish_voucher_header_names_its_columns_in_the_errors(ledger_2024: Kuntaledger) -> None:
    text = "tosite;pvm;tili;kustannuspaikka;summa;selite\nV-1;31.3.2024;4390;TAL;12,5,0;kone\n"
    run = ledger_2024("post", "--file", ledger_2024.file("tositteet.csv", text))
    assert run.exit_code == 2
    assert "tositteet.csv line 2, column amount:" in run.stderr


def test_a_budget_with_finnish_headers_is_adopted(ledger_2024: Kuntaledger) -> None:
    text = "yksikkö;rivi;summa\n" + "".join(f"{u};{r};{a}\n" for u, r, a in BUDGET_ROWS)
    budget = ledger_2024.file("talousarvio.csv", text)
    ledger_2024.ok("budget", "adopt", "--year", "2025", "--file", budget, *ADOPT)
    assert len(_budget_2025(ledger_2024)) == 1


def test_a_header_naming_one_column_twice_is_refused(ledger_2024: Kuntaledger) -> None:
    budget = ledger_2024.file("b.csv", "unit;yksikkö;line;amount\nTAL;TAL;sales_income;1\n")
    run = ledger_2024("budget", "adopt", "--year", "2025", "--file", budget, *ADOPT)
    assert run.exit_code == 2
    assert "b.csv line 1: header names unit twice (unit, yksikkö)" in run.stderr


@pytest.mark.parametrize("name", ["talousarvio.xlsx", "talousarvio.csv"])
def test_a_budget_workbook_is_read_from_its_first_sheet(ledger_2024: Kuntaledger, tmp_path: Path, name: str) -> None:
    rows = [("TAL", "sales_income", 50000), ("TAL", "personnel_expenses", -400000.5)]
    budget = _workbook(tmp_path / name, ["yksikkö", "rivi", "summa"], rows)
    ledger_2024.ok("budget", "adopt", "--year", "2025", "--file", budget, *ADOPT)
    (adopted,) = _budget_2025(ledger_2024)
    assert "2 lines" in str(adopted["summary"]) and "-350 000,50" in str(adopted["summary"])


def test_an_old_excel_file_is_named_as_such(ledger_2024: Kuntaledger, tmp_path: Path) -> None:
    path = tmp_path / "talousarvio.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    run = ledger_2024("budget", "adopt", "--year", "2025", "--file", str(path), *ADOPT)
    assert run.exit_code == 2
    assert "talousarvio.xls: an Excel 97-2003 workbook (.xls)" in run.stderr
    assert "not UTF-8" not in run.stderr


def test_a_voucher_workbook_saved_under_a_csv_name_is_read_as_a_workbook(
    ledger_2024: Kuntaledger, tmp_path: Path
) -> None:
    header = ["tosite", "pvm", "tili", "kustannuspaikka", "summa", "selite"]
    rows = [("V-1", "2024-03-31", "4390", "TAL", 10, "kone"), ("V-1", "2024-03-31", "2500", "TAL", -10, "kone")]
    ledger_2024.ok("post", "--file", _workbook(tmp_path / "tositteet.csv", header, rows))
    assert len(ledger_2024.events("--type", "VouchersPosted")) == 1
