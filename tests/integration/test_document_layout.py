"""The document's layout for any municipality (issue 19): headings from the year and the
organisation, charts that say what they draw, and typography fit for print."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from support.document_scenario import REPORT_SIGNED, record_scenario

from ledger import commands
from ledger.application import Ledger
from ledger.clock import HOME_ZONE, parse_moment, zone
from ledger.errors import InvalidInput
from projections.document.assemble import fold_document, query_document
from projections.document.layout import Chart, Layout, Note, Paragraphs, Subsection, Table
from projections.document.view import layout

HELSINKI = zone(HOME_ZONE)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("layout")
    url = f"sqlite:///{folder / 'ledger.db'}"
    record_scenario(url, folder / "files")
    return url


def laid_out(store: str, lang: str = "fi", as_of: date = date(2024, 12, 31)) -> Layout:
    with Ledger(store) as ledger, ledger.state() as state:
        document = query_document(state.conn, "YP", 2024, as_of, parse_moment(REPORT_SIGNED))
    return layout(document, lang, HELSINKI, with_charts=False)


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


def figure_table(found: Layout, key: str) -> Table:
    section = next(section for section in found.sections if section.key == key)
    return next(block for block in section.blocks if isinstance(block, Table))


def figure_columns(found: Layout, key: str) -> tuple[str, ...]:
    return figure_table(found, key).columns


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


def binding_rows(found: Layout) -> list[tuple[str, ...]]:
    section = next(section for section in found.sections if section.key == "statement")
    held = next(block for block in section.blocks if isinstance(block, Subsection))
    table = next(block for block in held.blocks if isinstance(block, Table))
    return [row.cells for row in table.rows]


def test_the_report_says_whether_the_councils_binding_appropriation_held(store: str) -> None:
    # YP is bound at net: NETTO budget -1 050 000, actual -520 000
    assert binding_rows(laid_out(store)) == [
        ("Yhteiset palvelut", "Toimintakate (nettositovuus)", "-1 050 000", "-520 000", "Määräraha ei ylittynyt")
    ]


def test_an_overrun_at_a_gross_bound_unit_is_stated_with_its_amount(sqlite_store: str, tmp_path: Path) -> None:
    (tmp_path / "budget.csv").write_text("unit;line;amount\nK;personnel_expenses;-100\nK;sales_income;50\n")
    (tmp_path / "vouchers.csv").write_text(
        "voucher;date;account;unit;amount;text\nV1;2024-03-31;4000;K;150;palkat\nV1;2024-03-31;1900;K;-150;\n"
    )
    moment = parse_moment("2024-12-31")
    with Ledger(sqlite_store) as ledger:
        for check in (
            commands.initialise("Testikunta", "budget-minus-actual"),
            commands.add_unit("K", "Kunta", None, "gross"),
            commands.adopt_budget(2024, tmp_path / "budget.csv", "Kv 1.12.2023 § 1", date(2023, 12, 1), "council"),
            commands.post_file(tmp_path / "vouchers.csv"),
        ):
            ledger.record(check, actor="test", recorded_at=moment, require_initialised=False)
        with ledger.state() as state:
            document = query_document(state.conn, "K", 2024, date(2024, 12, 31), moment)
    assert binding_rows(layout(document, "fi", HELSINKI, with_charts=False)) == [
        ("Kunta", "Toimintakulut (bruttositovuus)", "-100", "-150", "Määräraha ylittyi 50 €"),
        ("", "Toimintatuotot (bruttositovuus)", "50", "0", "Tuloarvio alittui 50 €"),
    ]


def test_a_units_section_notes_and_responsible_open_their_sections(sqlite_store: str) -> None:
    moment, day = parse_moment("2025-01-31"), date(2025, 1, 31)
    with Ledger(sqlite_store) as ledger:
        for check in (
            commands.initialise("Testikunta", "budget-minus-actual"),
            commands.add_unit("K", "Kunta", None, "net"),
            commands.describe_unit("K", 2024, "Kunnanjohtaja", date(2024, 1, 1), "responsible"),
            commands.describe_unit("K", 2024, "Oma johdanto.", day, "council-goals"),
            commands.describe_unit("K", 2024, "Ei investointeja tänä vuonna.", day, "investments"),
        ):
            ledger.record(check, actor="test", recorded_at=moment, require_initialised=False)
        with ledger.state() as state:
            fast = query_document(state.conn, "K", 2024, date(2024, 12, 31), moment)
        assert fast == fold_document(list(ledger.events()), "K", 2024, date(2024, 12, 31), moment)
    found = layout(fast, "fi", HELSINKI, with_charts=False)
    assert ("Vastuuhenkilö", "Kunnanjohtaja") in found.title.facts
    opening = {section.key: section.blocks[0] for section in found.sections}
    assert opening["investments"] == Paragraphs("Ei investointeja tänä vuonna.")
    assert opening["council-goals"] == Note("Ei kirjattuja tavoitteita.")  # no goals: no introduction either


def test_a_text_of_an_unknown_kind_is_refused(sqlite_store: str) -> None:
    with Ledger(sqlite_store) as ledger:
        ledger.record(commands.initialise("Testikunta", "budget-minus-actual"), actor="t", require_initialised=False)
        ledger.record(commands.add_unit("K", "Kunta", None, "net"), actor="t")
        with pytest.raises(InvalidInput, match="kind 'deviation': use description, responsible, council-goals"):
            ledger.record(commands.describe_unit("K", 2024, "x", date(2024, 1, 1), "deviation"), actor="t")


def test_a_row_zero_throughout_is_printed_only_where_the_budget_names_it(sqlite_store: str, tmp_path: Path) -> None:
    (tmp_path / "budget.csv").write_text("unit;line;amount\nK;fee_income;0\nK;personnel_expenses;-100\n")
    moment = parse_moment("2024-12-31")
    with Ledger(sqlite_store) as ledger:
        for check in (
            commands.initialise("Testikunta", "budget-minus-actual"),
            commands.add_unit("K", "Kunta", None, "net"),
            commands.adopt_budget(2024, tmp_path / "budget.csv", "Kv 1.12.2023 § 1", date(2023, 12, 1), "council"),
        ):
            ledger.record(check, actor="test", recorded_at=moment, require_initialised=False)
        with ledger.state() as state:
            fast = query_document(state.conn, "K", 2024, date(2024, 12, 31), moment)
        assert fast == fold_document(list(ledger.events()), "K", 2024, date(2024, 12, 31), moment)
    statement = figure_table(layout(fast, "fi", HELSINKI, with_charts=False), "statement")
    labels = [row.cells[0] for row in statement.rows]
    assert "Maksutuotot" in labels
    assert "Myyntituotot" not in labels
