"""The printed totals that differ from the sum of their printed parts (`rounding_notes`).

The document rounds every cell separately from exact cents, so a printed total may differ
by 1 € from the sum of its printed parts. Each note names such a cell; the test checks that
the note is true of the print (exactly 1 € apart) and that our report prints the printed
value, not the sum of the parts. Two kinds of notes are not about euros and are checked for
what they say: a Toteuma % that differs from the percent recomputed from the printed whole
euros, and the summary's NETTO 2023, which also holds Valmistus omaan käyttöön.
Finally, the notes are complete: no other printed total disagrees with its parts.
"""

from __future__ import annotations

from typing import Any

import pytest
from support.heinola_printed import (
    AMOUNT_COLUMNS,
    PERCENT,
    PRINTED,
    PRINTED_SUMS,
    SECTOR,
    SERVICE_AREAS,
    STATEMENTS,
    Report,
    by_key,
    euros,
    printed_amount,
)

from ledger.money import percent

NOTES: list[dict[str, Any]] = PRINTED["rounding_notes"]
AREAS_WHY = "the sector's cell is the exact sum of the service areas"
PARTS_WHY = "the parts are "


def _id(note: dict[str, Any]) -> str:
    return f"{note['table'].replace(' ', '-')}-{note['row']}-{note['column']}"


def _kind(note: dict[str, Any]) -> str:
    if note["table"].startswith("summary"):
        return "summary"
    if note["column"] == PERCENT:
        return "percent"
    if AREAS_WHY in note["why"]:
        return "areas"
    assert PARTS_WHY in note["why"], note
    return "rows"


def _notes(kind: str) -> list[Any]:
    return [pytest.param(note, id=_id(note)) for note in NOTES if _kind(note) == kind]


def _unit(note: dict[str, Any]) -> str:
    unit: str = note["table"].split()[1]
    return unit


def _our_row(report: Report, unit: str, row: str) -> dict[str, str]:
    return by_key(report("statement", unit)["rows"])[row]


@pytest.mark.parametrize("note", _notes("areas"))
def test_sector_cell_differs_by_one_euro_from_its_service_areas(report: Report, note: dict[str, Any]) -> None:
    row, column = note["row"], note["column"]
    assert _unit(note) == SECTOR
    printed = STATEMENTS[SECTOR][row][column]
    parts = sum(printed_amount(area, row, column) for area in SERVICE_AREAS)
    assert (note["printed"], note["sum_of_parts"]) == (printed, parts)
    assert abs(printed - parts) == 1, "the note is not a 1 € rounding difference"
    assert euros(_our_row(report, SECTOR, row)[column]) == printed
    assert sum(euros(_our_row(report, area, row)[column]) for area in SERVICE_AREAS) == parts


@pytest.mark.parametrize("note", _notes("rows"))
def test_total_differs_by_one_euro_from_its_rows(report: Report, note: dict[str, Any]) -> None:
    unit, row, column = _unit(note), note["row"], note["column"]
    named = tuple(note["why"].split(PARTS_WHY, 1)[1].split(" + "))
    assert named == PRINTED_SUMS[row]
    printed = STATEMENTS[unit][row][column]
    parts = sum(printed_amount(unit, part, column) for part in named)
    assert (note["printed"], note["sum_of_parts"]) == (printed, parts)
    assert abs(printed - parts) == 1, "the note is not a 1 € rounding difference"
    assert euros(_our_row(report, unit, row)[column]) == printed
    assert sum(euros(_our_row(report, unit, part)[column]) for part in named) == parts


@pytest.mark.parametrize("note", _notes("percent"))
def test_percent_is_from_exact_cents_not_from_printed_euros(report: Report, note: dict[str, Any]) -> None:
    unit, row = _unit(note), note["row"]
    printed = STATEMENTS[unit][row]
    from_printed_euros = f"{percent(printed['actual'] * 100, printed['budget'] * 100):.2f}"
    assert (note["printed"], note["sum_of_parts"]) == (printed[PERCENT], from_printed_euros)
    assert printed[PERCENT] != from_printed_euros
    assert _our_row(report, unit, row)[PERCENT] == printed[PERCENT]


@pytest.mark.parametrize("note", _notes("summary"))
def test_summary_net_holds_manufacture_for_own_use(report: Report, note: dict[str, Any]) -> None:
    """Not rounding: NETTO = TULOT + MENOT + Valmistus omaan käyttöön (printed only in the statement)."""
    column = note["column"]
    rows = PRINTED["summary"]["rows"]
    income, expenditure, net = (rows[key][column] for key in ("income", "expenditure", "net"))
    own_use = STATEMENTS[SECTOR]["manufacture_for_own_use"][column]
    assert (note["printed"], note["sum_of_parts"]) == (net, income + expenditure)
    assert own_use != 0
    assert net == income + expenditure + own_use
    assert euros(by_key(report("summary", SECTOR)["rows"])[note["row"]][column]) == net


def _disagreements() -> set[tuple[str, str, str, str]]:
    """Every printed total that differs from its printed parts: (table, row, column, kind)."""
    found: set[tuple[str, str, str, str]] = set()
    for unit, rows in STATEMENTS.items():
        for row in rows:
            for column in AMOUNT_COLUMNS:
                printed = rows[row][column]
                if row in PRINTED_SUMS:
                    parts = sum(printed_amount(unit, part, column) for part in PRINTED_SUMS[row])
                    if parts != printed:
                        found.add((f"statement {unit}", row, column, "rows"))
                if unit == SECTOR:
                    parts = sum(printed_amount(area, row, column) for area in SERVICE_AREAS)
                    if parts != printed:
                        found.add((f"statement {unit}", row, column, "areas"))
            figures = rows[row]
            if f"{percent(figures['actual'] * 100, figures['budget'] * 100):.2f}" != figures[PERCENT]:
                found.add((f"statement {unit}", row, PERCENT, "percent"))
    summary = PRINTED["summary"]["rows"]
    for column in AMOUNT_COLUMNS:
        if summary["income"][column] + summary["expenditure"][column] != summary["net"][column]:
            found.add((f"summary {SECTOR}", "net", column, "summary"))
    return found


def test_the_notes_name_every_total_that_differs_from_its_parts() -> None:
    noted = {(n["table"], n["row"], n["column"], _kind(n)) for n in NOTES}
    assert len(noted) == len(NOTES), "a cell is noted twice"
    assert _disagreements() == noted


def test_deviation_is_budget_minus_actual_in_every_printed_row() -> None:
    """Budgets are whole euros and no exact actual is a half, so no deviation needs a note."""
    for unit, rows in STATEMENTS.items():
        for row, figures in rows.items():
            assert figures["deviation"] == figures["budget"] - figures["actual"], (unit, row)
