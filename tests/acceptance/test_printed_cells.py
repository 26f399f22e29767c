"""Every figure of every printed table, cell by cell, against our reports.

As of 31.12.2024, known at the signing (2025-03-26): the budget summary, the sector's
statement, the seven service-area statements and the investment table. Our amounts are
rounded to whole euros half away from zero (ledger.money.round_to_euros on the exact cents)
and compared with the printed integers; percentages are compared as strings, as printed
(two decimals, the investment table one: "53.6"). Each test id names the cell:
table-unit-row-column.
"""

from __future__ import annotations

from typing import Any

import pytest
from support.heinola_printed import (
    AMOUNT_COLUMNS,
    COLUMNS,
    PERCENT,
    PRINTED,
    PRINTED_ROWS,
    PRINTED_SUMS,
    SECTOR,
    STATEMENTS,
    Report,
    by_key,
    euros,
    printed_amount,
)

from ledger.money import parse_cents


def _cell_params(table: str, unit: str, rows: dict[str, dict[str, Any]]) -> list[Any]:
    return [
        pytest.param(unit, row, column, figures[column], id=f"{table}-{unit}-{row}-{column}")
        for row, figures in rows.items()
        for column in COLUMNS
    ]


SUMMARY_CELLS = _cell_params("summary", PRINTED["summary"]["unit"], PRINTED["summary"]["rows"])
STATEMENT_CELLS = [cell for unit, rows in STATEMENTS.items() for cell in _cell_params("statement", unit, rows)]
INVESTMENT_CELLS = [
    cell for group, rows in PRINTED["investments"].items() for cell in _cell_params("investments", group, rows)
]
CELL_COUNT = len(SUMMARY_CELLS) + len(STATEMENT_CELLS) + len(INVESTMENT_CELLS)


def _check(ours: dict[str, str], column: str, printed: int | str) -> None:
    if column == PERCENT:
        assert ours[column] == printed, f"ours {ours[column]}, printed {printed}"
    else:
        assert euros(ours[column]) == printed, f"ours {ours[column]} -> {euros(ours[column])}, printed {printed}"


@pytest.mark.parametrize(("unit", "row", "column", "printed"), SUMMARY_CELLS)
def test_summary_cell(report: Report, unit: str, row: str, column: str, printed: int | str) -> None:
    ours = by_key(report("summary", unit)["rows"])[row]
    _check(ours, column, printed)


@pytest.mark.parametrize(("unit", "row", "column", "printed"), STATEMENT_CELLS)
def test_statement_cell(report: Report, unit: str, row: str, column: str, printed: int | str) -> None:
    ours = by_key(report("statement", unit)["rows"])[row]
    _check(ours, column, printed)


@pytest.mark.parametrize(("group", "row", "column", "printed"), INVESTMENT_CELLS)
def test_investment_cell(report: Report, group: str, row: str, column: str, printed: int | str) -> None:
    groups = by_key(report("investments", SECTOR)["groups"], "group")
    ours = by_key(groups[group]["rows"])[row]
    _check(ours, column, printed)


@pytest.mark.parametrize("unit", list(STATEMENTS))
def test_rows_the_statement_does_not_print(report: Report, unit: str) -> None:
    """A row the printed statement leaves out is zero in ours, or, for a total (HEPA prints no
    Vuosikate), the sum of its printed parts."""
    ours = by_key(report("statement", unit)["rows"])
    for row in PRINTED_ROWS:
        if row not in STATEMENTS[unit]:
            figures = ours[row]
            expected = [printed_amount(unit, row, c) for c in AMOUNT_COLUMNS]
            assert [euros(figures[c]) for c in AMOUNT_COLUMNS] == expected, f"{unit} {row}: {figures}"
            if row not in PRINTED_SUMS:
                assert all(parse_cents(figures[c]) == 0 for c in AMOUNT_COLUMNS), f"{unit} {row}: {figures}"


def test_investment_groups_are_in_the_printed_order(report: Report) -> None:
    """Osakkeet ja osuudet before Irtain omaisuus, in both faces' JSON and in the table."""
    shown = [
        group["group"] for group in report("investments", SECTOR)["groups"] if group["group"] in PRINTED["investments"]
    ]
    assert shown == list(PRINTED["investments"]) == ["shares_and_holdings", "movable_property"]
    table = report("investments", SECTOR, fmt="table")
    assert table.index("Osakkeet ja osuudet") < table.index("Irtain omaisuus")


def test_investment_table_prints_one_decimal_percentages(report: Report) -> None:
    """The seed's Toteuma %: 100,0, -152,3 and 53,6 (not 53,55)."""
    lines = report("investments", SECTOR, fmt="table").splitlines()
    movable = [line for line in lines if "Irtain omaisuus" in line]
    assert [line.split()[-1] for line in movable if "Menot" in line or "Netto" in line] == ["53,6", "53,6"]
    shares = [line.split()[-1] for line in lines if "Osakkeet ja osuudet" in line]
    assert shares[1:] == ["100,0", "-152,3"]


def test_investment_rows_and_groups_not_printed_are_zero(report: Report) -> None:
    """Movable property prints no income row; the other investment groups are not printed at all."""
    document = report("investments", SECTOR)
    for group in document["groups"]:
        printed = PRINTED["investments"].get(group["group"], {})
        for row in group["rows"]:
            if row["key"] not in printed:
                amounts = [parse_cents(row[c]) for c in AMOUNT_COLUMNS]
                assert amounts == [0] * len(AMOUNT_COLUMNS), f"{group['group']} {row['key']}: {row}"


@pytest.mark.parametrize("column", AMOUNT_COLUMNS)
def test_investment_net_is_income_plus_expenditure(report: Report, column: str) -> None:
    for group in report("investments", SECTOR)["groups"]:
        rows = by_key(group["rows"])
        assert parse_cents(rows["net"][column]) == parse_cents(rows["income"][column]) + parse_cents(
            rows["expenditure"][column]
        ), group["group"]


SUMMARY_IDENTITY = {"income": "operating_income", "expenditure": "operating_expenses", "net": "operating_margin"}


@pytest.mark.parametrize(("line", "row"), SUMMARY_IDENTITY.items())
def test_summary_is_the_sector_statement(report: Report, line: str, row: str) -> None:
    """TULOT, MENOT and NETTO are the sector's toimintatuotot, toimintakulut and toimintakate,
    exactly, in every column; and so they are in print."""
    ours = by_key(report("summary", SECTOR)["rows"])[line]
    statement = by_key(report("statement", SECTOR)["rows"])[row]
    assert ours["statement_row"] == row
    for column in ("prior_year_actual", "original_budget", "budget_amendments", "budget", "actual", "deviation"):
        assert ours[column] == statement[column], column
    assert ours[PERCENT] == statement[PERCENT]
    assert PRINTED["summary"]["rows"][line] == STATEMENTS[SECTOR][row]


def test_every_printed_cell_is_checked() -> None:
    """17 sector rows + 88 service-area rows + 3 summary rows + 5 investment rows, 5 columns each."""
    assert [len(rows) for rows in STATEMENTS.values()] == [17, 10, 8, 13, 13, 14, 16, 14]
    assert (len(SUMMARY_CELLS), len(STATEMENT_CELLS), len(INVESTMENT_CELLS)) == (15, 525, 25)
    assert CELL_COUNT == 565
