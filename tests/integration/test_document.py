"""The whole report as one document (issue 4, point 5): every section in the seed's order,
both charts, Finnish numbers, escaped user text, and known-at reproducibility."""

from __future__ import annotations

import base64
import re
from datetime import date
from pathlib import Path

import pytest
from support.cli_helpers import Kuntaledger
from support.document_scenario import CORRECTED, REPORT_SIGNED, SCRIPT_GOAL, record_scenario

from ledger.application import Ledger
from ledger.clock import parse_moment
from projections.document import render_document
from projections.document.assemble import fold_document, query_document
from projections.monthly import fold_monthly, query_monthly

SECTIONS_FI = (
    "Strategiasta johdetut tavoitteet / toimiala (valtuuston sitovuustaso)",
    "Käyttösuunnitelma: kuvaus palvelualueiden toiminnasta ja tarkoituksesta",
    "Valtuuston hyväksymä talousarvio",
    "Tuloslaskelma, nettositovuus",
    "Palvelualueittaiset laskelmat",
    "Investoinnit",
    "Käyttösuunnitelman palvelualueittaiset tavoitteet",
    "Riskienhallinta",
)
LATER = "2025-04-30"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("document")
    url = f"sqlite:///{folder / 'ledger.db'}"
    record_scenario(url, folder / "files")
    return url


@pytest.fixture
def cli(store: str, tmp_path: Path) -> Kuntaledger:
    return Kuntaledger(store, tmp_path)


def report(cli: Kuntaledger, fmt: str, known_at: str = REPORT_SIGNED, *extra: str) -> str:
    """The document's text: html through --output, md from stdout."""
    args = ["report", "--unit", "YP", "--year", "2024", "--known-at", known_at, "--format", fmt, *extra]
    if fmt == "html":
        output = cli.workdir / f"report-{known_at}.html"
        cli.ok(*args, "--output", str(output))
        return output.read_text(encoding="utf-8")
    return cli.ok(*args).stdout


def chart_svgs(html: str) -> dict[str, str]:
    found = re.findall(r'<figure class="chart" id="chart-(\w+)">.*?base64,([A-Za-z0-9+/=]+)"', html, re.S)
    return {key: base64.b64decode(data).decode("utf-8") for key, data in found}


def test_the_html_has_every_section_in_the_seed_order_and_both_charts(cli: Kuntaledger) -> None:
    html = report(cli, "html")
    positions = [html.index(f"<h2>{heading}</h2>") for heading in SECTIONS_FI]
    assert positions == sorted(positions)
    charts = chart_svgs(html)
    assert set(charts) == {"monthly", "area"}
    assert all(svg.startswith("<svg") and svg.rstrip().endswith("</svg>") for svg in charts.values())
    for words in (
        "Hallinto",
        "Talouspalvelut",
        "Kokonaisuutena toteuma alitti talousarvion.",
        "Henkilöriskit",
        "Raportoinnin kehitys",
        "Toteutuu osittain",
        "Hallinto hoitaa kokoukset &amp; arkiston.",
    ):
        assert words in html


def test_the_html_is_self_contained_and_prints_on_a4(cli: Kuntaledger) -> None:
    html = report(cli, "html")
    assert "@page { size: A4" in html
    assert not re.search(r'(src|href)="(https?:|//)', html), "the document must not load anything"
    assert "<script" not in html


def test_numbers_are_in_finnish_format(cli: Kuntaledger) -> None:
    html = report(cli, "html")
    # NETTO: budget -1 050 000, actual -520 000, utilisation 49,52 %
    assert re.search(
        r"NETTO</td><td[^>]*>0</td><td[^>]*>−1 050 000</td><td[^>]*>−520 000</td>"
        r"<td[^>]*>−530 000</td><td[^>]*>49,52</td>",
        html,
    )


def test_user_text_is_escaped(cli: Kuntaledger) -> None:
    for fmt in ("html", "md"):
        text = report(cli, fmt)
        assert SCRIPT_GOAL not in text
        assert "&lt;script&gt;alert(" in text


def test_a_later_known_at_changes_the_document_where_the_correction_lies(cli: Kuntaledger) -> None:
    signed, later = report(cli, "md"), report(cli, "md", LATER)
    assert signed != later
    # Hallinto's personnel expenses: 40 000 + 300 000 when signed; the correction makes it 290 000.
    assert "| Henkilöstökulut | 0 | -500 000 | -340 000 | -160 000 | 68,00 |" in signed
    assert "| Henkilöstökulut | 0 | -500 000 | -290 000 | -210 000 | 58,00 |" in later
    changed = {line for line in set(signed.splitlines()) ^ set(later.splitlines())}
    assert all(("000" in line or "Tiedot" in line or "Päiväys" in line) for line in changed), changed

    def words_before_the_figures(text: str) -> str:
        return text.split("## Strategiasta")[1].split("## Valtuuston hyväksymä talousarvio")[0]

    assert words_before_the_figures(signed) == words_before_the_figures(later)


def test_english_labels(cli: Kuntaledger) -> None:
    text = report(cli, "md", REPORT_SIGNED, "--lang", "en")
    for heading in ("Income statement, net binding", "Statements by service area", "Risk management", "Investments"):
        assert f"## {heading}" in text
    assert "| Operating expenses |" in text.replace("**", "")


def test_the_document_is_the_same_on_every_run(cli: Kuntaledger) -> None:
    assert report(cli, "html") == report(cli, "html")


def test_the_fold_and_the_fast_path_give_the_same_document(store: str) -> None:
    with Ledger(store) as ledger:
        events = list(ledger.events())
        for known_at in (parse_moment(REPORT_SIGNED), CORRECTED):
            for as_of in (date(2024, 6, 15), date(2024, 12, 31)):
                with ledger.state() as state:
                    fast = query_document(state.conn, "YP", 2024, as_of, known_at)
                assert fast == fold_document(events, "YP", 2024, as_of, known_at)
                assert render_document(fast, "md", "fi") == render_document(
                    fold_document(events, "YP", 2024, as_of, known_at), "md", "fi"
                )


def test_monthly_expenditure_accumulates_up_to_as_of(store: str) -> None:
    signed, mid_june_day = parse_moment(REPORT_SIGNED), date(2024, 6, 15)
    with Ledger(store) as ledger, ledger.state() as state:
        mid_june = query_monthly(state.conn, "YP", 2024, mid_june_day, signed)
        assert mid_june == fold_monthly(list(ledger.events()), "YP", 2024, mid_june_day, signed)
    assert [figure.month for figure in mid_june.months] == [1, 2, 3, 4, 5, 6]
    assert mid_june.months[-1].cumulative_cents == -100_000_00  # V3 is dated 30.6., after as-of
    assert mid_june.budget_cents == -1_100_000_00


def test_words_written_after_the_year_count_at_its_end_but_not_in_an_interim_report(cli: Kuntaledger) -> None:
    year_end = report(cli, "md")
    interim = report(cli, "md", REPORT_SIGNED, "--as-of", "2024-06-30")
    assert "Kokonaisuutena toteuma alitti talousarvion." in year_end  # dated 20.3.2025
    assert "Kokonaisuutena toteuma alitti talousarvion." not in interim
    assert "Hallinto hoitaa kokoukset & arkiston." in interim  # dated 10.1.2024


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--format", "pdf", "--output", "x.pdf"), "--format 'pdf'"),
        (("--format", "html"), "--output"),
        (("--lang", "sv", "--format", "md"), "--lang 'sv'"),
    ],
)
def test_bad_options_are_refused(cli: Kuntaledger, args: tuple[str, ...], message: str) -> None:
    run = cli("report", "--unit", "YP", "--year", "2024", *args)
    assert run.exit_code == 2
    assert message in run.stderr


def test_an_unknown_unit_is_refused(cli: Kuntaledger) -> None:
    run = cli("report", "--unit", "XYZ", "--year", "2024", "--format", "md")
    assert run.exit_code == 2
    assert "XYZ" in run.stderr
