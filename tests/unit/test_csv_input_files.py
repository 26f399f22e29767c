"""Reading the CSV files users give: delimiters, encodings, number formats, located errors."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from ledger.csvfiles import (
    MAX_REPORTED_ERRORS,
    BudgetRow,
    ErrorCollector,
    PostingRow,
    fast_cents,
    iter_posting_rows,
    read_budget_file,
)
from ledger.errors import InvalidInput
from ledger.money import parse_cents


def write(tmp_path: Path, text: str, name: str = "budget.csv", encoding: str = "utf-8", bom: bool = False) -> Path:
    path = tmp_path / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding))
    return path


def postings(path: Path, encoding: str | None = None) -> tuple[list[PostingRow], ErrorCollector]:
    errors = ErrorCollector(path.name)
    rows = list(iter_posting_rows(path, errors, encoding))
    return rows, errors


EXPECTED = [BudgetRow(2, "TAL", "personnel_expenses", -123456750), BudgetRow(3, "TAL", "sales_income", 5000)]


@pytest.mark.parametrize(
    "text",
    [
        "unit;line;amount\nTAL;personnel_expenses;-1 234 567,50\nTAL;sales_income;50\n",
        "unit;line;amount\nTAL;personnel_expenses;-1234567.50\nTAL;sales_income;50,00\n",
        'unit,line,amount\nTAL,personnel_expenses,"-1 234 567,50"\nTAL,sales_income,50\n',
        "unit,line,amount\nTAL,personnel_expenses,-1234567.5\nTAL,sales_income,50.00\n",
        "Unit ; Line ; Amount\r\n TAL ; personnel_expenses ; -1 234 567,50 \r\nTAL;sales_income;50\r\n",
    ],
    ids=["semicolon-comma", "semicolon-point", "comma-quoted", "comma-point", "spaces-crlf-header-case"],
)
def test_budget_file_reads_either_delimiter_and_either_decimal_mark(tmp_path: Path, text: str) -> None:
    assert read_budget_file(write(tmp_path, text)) == EXPECTED


def test_utf8_byte_order_mark_is_ignored(tmp_path: Path) -> None:
    text = "unit;line;amount\nTAL;personnel_expenses;-1 234 567,50\nTAL;sales_income;50\n"

    assert read_budget_file(write(tmp_path, text, bom=True)) == EXPECTED


def test_line_numbers_count_the_header_and_blank_lines(tmp_path: Path) -> None:
    text = "unit;line;amount\n\nTAL;sales_income;1\n;;\nTAL;fee_income;2\n"

    rows = read_budget_file(write(tmp_path, text))

    assert [(r.line_no, r.line) for r in rows] == [(3, "sales_income"), (5, "fee_income")]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "budget.csv line 1: the file is empty; expected the header unit;line;amount"),
        ("unit;row;amount\nTAL;x;1\n", "budget.csv line 1: header has missing line; unknown row"),
        ("unit;line\nTAL;x\n", "budget.csv line 1: header has missing amount"),
        ("unit;line;amount\n", "budget.csv: no lines after the header"),
        ("unit;line;amount\nTAL;x;1\nTAL;x\n", "budget.csv line 3: expected 3 fields, found 2"),
        ("unit;line;amount\nTAL;x;1;2\n", "budget.csv line 2: expected 3 fields, found 4"),
    ],
)
def test_malformed_budget_files_are_refused_with_the_line(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        read_budget_file(write(tmp_path, text))

    assert str(raised.value).startswith(message)


def test_every_problem_in_a_budget_file_is_reported_at_once(tmp_path: Path) -> None:
    text = "unit;line;amount\nTAL;sales_income;12,5,0\n;fee_income;1\nTAL;;x\n"

    with pytest.raises(InvalidInput) as raised:
        read_budget_file(write(tmp_path, text))

    assert str(raised.value).splitlines() == [
        "budget.csv line 2, column amount: '12,5,0' is not an amount; use 1234,50 or 1234.50",
        "budget.csv line 3, column unit: is empty",
        "budget.csv line 4, column line: is empty",
        "budget.csv line 4, column amount: 'x' is not an amount; use 1234,50 or 1234.50",
    ]


def test_latin1_file_is_refused_unless_the_encoding_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, "unit;line;amount\nTAL;sales_income;1\nHEN;sales_income;2\n", encoding="latin-1")
    path.write_bytes(path.read_bytes().replace(b"HEN", "Henkilöstö".encode("latin-1")))

    with pytest.raises(InvalidInput, match=r"budget.csv line 3: the file is not UTF-8 .* --encoding latin-1"):
        read_budget_file(path)
    rows = read_budget_file(path, encoding="latin-1")

    assert rows[1].unit == "Henkilöstö"


def test_posting_rows_parse_dates_amounts_and_the_optional_project(tmp_path: Path) -> None:
    text = (
        "voucher;date;account;unit;amount;text;project\n"
        "V-1;1.3.2024;4010;TAL;1 000,50;palkka;\n"
        "V-1;2024-03-01;1130;TAL;-1 000,50;kone;P-7\n"
    )

    rows, errors = postings(write(tmp_path, text, "gl.csv"))

    assert errors.messages == []
    assert rows == [
        PostingRow(2, "V-1", date(2024, 3, 1), "4010", "TAL", 100050, "palkka", None),
        PostingRow(3, "V-1", date(2024, 3, 1), "1130", "TAL", -100050, "kone", "P-7"),
    ]


def test_posting_file_without_the_project_column_is_accepted(tmp_path: Path) -> None:
    rows, errors = postings(write(tmp_path, "voucher,date,account,unit,amount,text\nV,2024-01-05,4010,T,1.5,x\n"))

    assert errors.messages == []
    assert rows[0].project is None and rows[0].amount_cents == 150


def test_bad_posting_lines_are_collected_not_yielded(tmp_path: Path) -> None:
    text = (
        "voucher;date;account;unit;amount;text\n"
        "V-1;31.2.2024;4010;TAL;1;x\n"
        "V-1;2024-03-01;;TAL;1.234;x\n"
        "V-2;2024-03-01;4010;TAL;5;ok\n"
    )

    rows, errors = postings(write(tmp_path, text, "gl.csv"))

    assert [r.line_no for r in rows] == [4]
    assert errors.messages == [
        "gl.csv line 2, column date: '31.2.2024' is not a real date (day is out of range for month)",
        "gl.csv line 3, column account: is empty",
        "gl.csv line 3, column amount: '1.234' has more than two decimals; amounts are in euros and cents",
    ]


def test_only_the_first_problems_are_listed_and_the_rest_are_counted(tmp_path: Path) -> None:
    bad_lines = MAX_REPORTED_ERRORS + 5
    text = "voucher;date;account;unit;amount;text\n" + "V;2024-01-01;4010;T;x;t\n" * bad_lines
    _, errors = postings(write(tmp_path, text, "gl.csv"))

    with pytest.raises(InvalidInput) as raised:
        errors.raise_if_any()

    lines = str(raised.value).splitlines()
    assert len(lines) == MAX_REPORTED_ERRORS + 1
    assert lines[-1] == "... and 5 more problems"


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match=r"nope\.csv: cannot read the file"):
        read_budget_file(tmp_path / "nope.csv")


amount_texts = st.one_of(
    st.from_regex(r"\A[+-]?[0-9]{1,16}[.,][0-9]{2}\Z"),
    st.text(alphabet="0123456789.,+- \u0661\u00a0", max_size=22),
)


@given(amount_texts)
@example("99999999999999999999.00")  # too large: must not slip through the fast path
@example("\u0661\u0662.00")  # Arabic-Indic digits are not amounts
@example("-0.05")
def test_the_fast_amount_parser_agrees_with_parse_cents(text: str) -> None:
    try:
        expected = parse_cents(text)
    except ValueError:
        with pytest.raises(ValueError):
            fast_cents(text)
        return
    assert fast_cents(text) == expected
