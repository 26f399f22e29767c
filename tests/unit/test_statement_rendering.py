"""How a statement is shown to people and handed to machines."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime
from decimal import Decimal

from openpyxl import load_workbook

from projections.comparison import Sums
from projections.query import Scope
from projections.render import render
from projections.render.sheet import neutralise
from projections.render.sheets import visible_lines
from projections.statement import Statement, build_statement

SCOPE = Scope(
    "YP", "Yhteiset palvelut", 2024, date(2024, 12, 31), datetime(2025, 3, 26, 23, 59, 59, tzinfo=UTC), frozenset()
)


def statement(actual: dict[str, int], original: dict[str, int] | None = None) -> Statement:
    return build_statement(SCOPE, "budget-minus-actual", Sums({}, original or {}, {}, actual))


SECTOR = statement(
    {"sales_income": 28_671_600, "personnel_expenses": -103_396_840, "purchases_of_services": -512_963_900},
    {"sales_income": 20_800_000, "personnel_expenses": -120_000_000, "purchases_of_services": -581_090_000},
)


def test_rows_zero_in_every_column_are_hidden_where_people_read() -> None:
    keys = [line.key for line in visible_lines(SECTOR)]
    assert "sales_income" in keys
    assert "fee_income" not in keys
    assert "tax_revenue" not in keys


def test_the_result_rows_end_the_statement_where_nothing_more_happens() -> None:
    keys = [line.key for line in visible_lines(SECTOR)]
    assert keys[-1] == "annual_margin"
    with_depreciation = statement({"purchases_of_services": -1_000, "planned_depreciation": -500})
    keys = [line.key for line in visible_lines(with_depreciation)]
    assert keys[-1] == "result_for_period"
    with_reserves = statement({"purchases_of_services": -1_000, "change_in_reserves": 300})
    assert [line.key for line in visible_lines(with_reserves)][-2:] == ["change_in_reserves", "surplus_or_deficit"]


def test_the_table_uses_the_finnish_number_format_and_names_the_period() -> None:
    table = render(SECTOR, "table", "fi")
    assert isinstance(table, str)
    title = table.splitlines()[0]
    assert "YP Yhteiset palvelut" in title
    assert "2024" in title
    assert "tilanne 31.12.2024" in title
    assert "26.03.2025 klo 23.59.59 UTC" in title
    assert "-1 033 968" in table
    assert "137,84" in table
    assert "Maksutuotot" not in table


def test_english_labels_with_lang_en() -> None:
    table = render(SECTOR, "table", "en")
    assert isinstance(table, str)
    assert "Operating income" in table
    assert "Toimintatuotot" not in table
    assert "as of 2024-12-31" in table.splitlines()[0]


def test_json_amounts_are_strings_with_two_decimals_and_every_row_is_kept() -> None:
    text = render(SECTOR, "json", "fi")
    assert isinstance(text, str)
    document = json.loads(text, parse_float=_refuse_float)
    rows = {row["key"]: row for row in document["rows"]}
    assert rows["sales_income"]["actual"] == "286716.00"
    assert rows["sales_income"]["utilisation_pct"] == "137.84"
    assert rows["fee_income"]["actual"] == "0.00"
    assert rows["personnel_expenses"]["deviation"] == "-166031.60"
    assert document["known_at"] == "2025-03-26T23:59:59+00:00"


def _refuse_float(raw: str) -> None:
    raise AssertionError(f"a float in the JSON: {raw}")


def test_csv_keeps_numbers_as_numbers_and_every_row() -> None:
    text = render(SECTOR, "csv", "en")
    assert isinstance(text, str)
    lines = text.splitlines()
    assert lines[0].startswith("key;label;prior_year_actual;original_budget")
    personnel = next(line for line in lines if line.startswith("personnel_expenses;"))
    assert personnel.split(";")[6] == "-1033968.40"
    assert any(line.startswith("fee_income;") for line in lines)


def test_text_that_a_spreadsheet_would_run_is_neutralised() -> None:
    assert neutralise("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert neutralise("-ALV") == "'-ALV"
    assert neutralise("@SUM") == "'@SUM"
    assert neutralise("Palkat") == "Palkat"


def test_markdown_right_aligns_the_numbers() -> None:
    text = render(SECTOR, "md", "fi")
    assert isinstance(text, str)
    assert "|---|---:|" in text
    assert "| Myyntituotot | 0 | 208 000 | 0 | 208 000 | 286 716 | -78 716 | 137,84 |" in text


def test_xlsx_holds_amounts_as_numbers() -> None:
    content = render(SECTOR, "xlsx", "fi")
    assert isinstance(content, bytes)
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    header = [cell.value for cell in sheet[2]]
    assert header[:2] == ["Avain", "Rivi"]
    sales = next(row for row in sheet.iter_rows(min_row=3, values_only=True) if row[0] == "sales_income")
    assert sales[6] == 286716
    assert Decimal(str(sales[8])) == Decimal("137.84")
