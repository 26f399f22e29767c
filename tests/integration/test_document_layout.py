"""The document's layout for any municipality (issue 19): headings from the year and the
organisation, charts that say what they draw, and typography fit for print."""

from __future__ import annotations

import re
from datetime import date

import pytest
from document_scenario import REPORT_SIGNED, record_scenario

from ledger.application import Ledger
from ledger.clock import parse_moment
from projections.document.assemble import query_document
from projections.document.layout import Chart, Layout, Subsection, Table
from projections.document.view import layout


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("layout")
    url = f"sqlite:///{folder / 'ledger.db'}"
    record_scenario(url, folder / "files")
    return url


def laid_out(store: str, lang: str = "fi", as_of: date = date(2024, 12, 31)) -> Layout:
    with Ledger(store) as ledger, ledger.state() as state:
        document = query_document(state.conn, "YP", 2024, as_of, parse_moment(REPORT_SIGNED))
    return layout(document, lang, with_charts=False)


def chart(found: Layout, key: str) -> Chart:
    return next(
        block for section in found.sections for block in section.blocks if isinstance(block, Chart) and block.key == key
    )


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_the_monthly_chart_says_it_draws_expenses_as_positive_amounts(store: str, lang: str) -> None:
    caption = chart(laid_out(store, lang), "monthly").caption
    assert ("positiivisina" if lang == "fi" else "positive") in caption
    assert "viimeisenä tilannepäivään" not in caption


def test_the_html_prints_negative_figures_with_a_true_minus_sign(store: str) -> None:
    from projections.document.html import render_html

    html = render_html(laid_out(store))
    cells = re.findall(r'<td class="num">([^<]*)</td>', html)
    assert "\u22121 050 000" in cells  # NETTO, the budget
    assert not [cell for cell in cells if cell.startswith("-")]


def figure_columns(found: Layout, key: str) -> tuple[str, ...]:
    section = next(section for section in found.sections if section.key == key)
    return next(block.columns for block in section.blocks if isinstance(block, Table))


@pytest.mark.parametrize(
    ("as_of", "actual", "investment_actual"),
    [(date(2024, 12, 31), "Toteuma 2024", "Toteuma 1–12"), (date(2024, 6, 30), "Toteuma 1–6/2024", "Toteuma 1–6"),
     (date(2024, 6, 15), "Toteuma 1.1.–15.06.2024", "Toteuma 1.1.–15.06.2024")],
)  # fmt: skip
def test_figure_columns_are_named_as_printed_reports_name_them_from_the_year_and_as_of(
    store: str, as_of: date, actual: str, investment_actual: str
) -> None:
    found = laid_out(store, as_of=as_of)
    printed = ("Selite", "Tilinpäätös 2023", "Talousarvio 2024", actual, "Poikkeama", "Toteuma %")
    assert figure_columns(found, "summary") == printed
    assert figure_columns(found, "statement") == printed
    assert figure_columns(found, "investments")[1:4] == ("TP 2023", "TA 2024", investment_actual)


def test_units_right_below_the_top_of_the_organisation_keep_their_plain_names(store: str) -> None:
    """The scenario's sector is its top unit, so its areas are not service areas of a sector."""
    areas = next(section for section in laid_out(store).sections if section.key == "areas")
    assert [block.heading for block in areas.blocks if isinstance(block, Subsection)] == ["Hallinto", "Talouspalvelut"]
