"""The statement as people read it (`--format table`): the printed labels, in order, with
the printed figures in the Finnish number format ("-5 876 891", "86,39").

The document prints a section heading (TOIMINTATUOTOT, TOIMINTAKULUT) without figures,
then the rows of the section, then their total (Toimintatuotot, Toimintakulut); so does
our table.
"""

from __future__ import annotations

import re

import pytest
from support.heinola_printed import (
    AMOUNT_COLUMNS,
    PERCENT,
    PRINTED_SUMS,
    SECTOR,
    STATEMENTS,
    Report,
    finnish,
    finnish_percent,
    printed_amount,
)

# The printed labels (OCR repaired), in the printed order; None marks a section heading.
PRINTED_LAYOUT: tuple[tuple[str, str | None], ...] = (
    ("TOIMINTATUOTOT", None),
    ("Myyntituotot", "sales_income"),
    ("Maksutuotot", "fee_income"),
    ("Tuet ja avustukset", "grants_and_subsidies_received"),
    ("Muut toimintatuotot", "other_operating_income"),
    ("Toimintatuotot", "operating_income"),
    ("Valmistus omaan käyttöön", "manufacture_for_own_use"),
    ("TOIMINTAKULUT", None),
    ("Henkilöstökulut", "personnel_expenses"),
    ("Palvelujen ostot", "purchases_of_services"),
    ("Aineet, tarvikkeet ja tavarat", "materials_and_supplies"),
    ("Avustukset", "grants_paid"),
    ("Muut toimintakulut", "other_operating_expenses"),
    ("Toimintakulut", "operating_expenses"),
    ("Toimintakate", "operating_margin"),
    ("Rahoitustuotot ja -kulut", "financial_items"),
    ("Vuosikate", "annual_margin"),
    ("Poistot ja arvonalentumiset", "depreciation_and_impairment"),
    ("Tilikauden tulos", "result_for_period"),
)
LABELS = {row: label for label, row in PRINTED_LAYOUT if row}
HEADINGS = frozenset(label for label, row in PRINTED_LAYOUT if row is None)
PRINTED_ORDER = tuple(row for _, row in PRINTED_LAYOUT if row)


def _table(report: Report, unit: str) -> tuple[list[str], dict[str, list[str]]]:
    """The table's header cells and its data lines, label -> cells."""
    lines = report("statement", unit, fmt="table").splitlines()
    rule = next(i for i, line in enumerate(lines) if set(line.strip()) == {"─"})
    split = [re.split(r"\s{2,}", line.strip()) for line in lines[rule + 1 :] if line.strip()]
    header = re.split(r"\s{2,}", lines[rule - 1].strip())
    return header, {cells[0]: cells for cells in split}


def _shown(unit: str) -> list[str]:
    """The printed rows of a unit, all of which a table for people shows: those not zero in
    every column, and the zero rows its budget names (printed with zeros, as the seed does)."""
    return [row for row in PRINTED_ORDER if row in STATEMENTS[unit]]


def test_yp_table_has_the_printed_labels_and_headings_in_order(report: Report) -> None:
    header, lines = _table(report, SECTOR)
    assert list(lines) == [label for label, _ in PRINTED_LAYOUT]
    assert all(lines[heading] == [heading] for heading in HEADINGS), "a heading line carries no figures"
    assert header[0] == "Rivi"
    assert header[1] == "TP 2023"
    assert header[-4:] == ["TA 2024 muutosten jälkeen", "Toteuma 2024", "Poikkeama", "Toteuma-%"]


@pytest.mark.parametrize("unit", list(STATEMENTS))
def test_table_figures_are_the_printed_ones(report: Report, unit: str) -> None:
    """TP 2023, TA 2024 (after amendments), Toteuma 2024, Poikkeama and Toteuma-% of every
    printed row, formatted as printed and in the printed order.
    A service area's table may add a total the print leaves out (HEPA's Vuosikate, equal to
    its Toimintakate), never another row."""
    _, lines = _table(report, unit)
    assert set(lines) - HEADINGS <= set(LABELS.values()), f"{unit}: a row the print does not know"
    shown = [row for row in PRINTED_ORDER if LABELS[row] in lines]
    assert [row for row in shown if row in _shown(unit)] == _shown(unit)
    extra = set(shown) - set(_shown(unit))
    assert extra <= set(PRINTED_SUMS) - set(STATEMENTS[unit]), f"{unit}: {extra}"
    for row in shown:
        printed = STATEMENTS[unit].get(row)
        amounts = [printed_amount(unit, row, c) for c in AMOUNT_COLUMNS]
        cells = lines[LABELS[row]]
        assert [cells[1], *cells[-4:-1]] == [finnish(a) for a in amounts], f"{unit} {LABELS[row]}"
        if printed:
            assert cells[-1] == finnish_percent(printed[PERCENT]), f"{unit} {LABELS[row]}"


def test_yp_table_examples(report: Report) -> None:
    _, lines = _table(report, SECTOR)
    assert lines["Toimintakate"][-3:] == ["-5 876 891", "-926 009", "86,39"]
    assert lines["Toimintatuotot"][1] == "338 433"
    _, vaalit = _table(report, "VAALIT")
    assert vaalit["Henkilöstökulut"][-1] == "7 155,51"
