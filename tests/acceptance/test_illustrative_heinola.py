"""What the Heinola demo invents is said where a user sees it (issue 19, item 2): in the
demo's output, the event log, `explain`, and the report's first page and monthly chart."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from support.heinola_printed import AS_OF, SIGNED, YEAR
from typer.testing import CliRunner

from cli.main import app
from ledger.application import Ledger
from ledger.clock import parse_moment
from projections import query
from projections.illustrative import fold_illustration, query_illustration


def _run(store: str, *args: str) -> str:
    result = CliRunner().invoke(app, [*args, "--store", store], env={"KUNTALEDGER_STORE": None})
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def first_page(heinola_store: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The signed report's title block, up to its first section: {"md": ..., "html": ...}."""
    folder = tmp_path_factory.mktemp("illustrative")
    found = {}
    for fmt, first_section in (("md", "\n## "), ("html", '<section class="section"')):
        output = folder / f"report.{fmt}"
        args = ("report", "--unit", "YP", "--year", YEAR, "--as-of", AS_OF, "--known-at", SIGNED, "--format", fmt)
        _run(heinola_store, *args, "--output", str(output))
        text = output.read_text(encoding="utf-8")
        found[fmt] = text[: text.index(first_section)]
        found[f"{fmt}-whole"] = text
    return found


def test_demo_says_in_one_line_what_is_published_and_what_is_illustrative(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["demo", "--store", f"sqlite:///{tmp_path / 'demo.db'}"])
    assert result.exit_code == 0, result.stderr
    said = [line for line in result.stderr.splitlines() if "illustrative" in line]
    assert len(said) == 1
    assert "published 2024 report" in said[0] and "INFERRED.md" in said[0]
    assert "steps marked illustrative" in said[0]


def test_the_first_page_lists_the_illustrative_parts_of_the_report(first_page: dict[str, str]) -> None:
    for fmt in ("md", "html"):
        page = first_page[fmt]
        assert "Havainnollistava aineisto" in page, fmt
        for part in ("kirjaukset (tositteet)", "talousarvio- ja tilinpäätöspäätökset", "tavoitteet"):
            assert part in page, (fmt, part)
        assert "Kv 11.12.2023 § 85" in page and "Kh 10.6.2024 § 165" in page, fmt


def test_the_monthly_chart_carries_a_footnote_on_its_illustrative_dates(first_page: dict[str, str]) -> None:
    html = first_page["html-whole"]
    chart = html[html.index('id="chart-monthly"') : html.index("</figure>", html.index('id="chart-monthly"'))]
    assert "havainnollistaviin tositepäivämääriin" in chart
    area = html[html.index('id="chart-area"') : html.index("</figure>", html.index('id="chart-area"'))]
    assert "havainnollistav" not in area  # the areas' chart is of the year's totals, which are printed


def test_the_correction_after_the_report_is_marked_in_the_log(heinola_store: str) -> None:
    events = json.loads(_run(heinola_store, "events", "--type", "VoucherReversed", "--format", "json"))
    assert [e["illustrative"] for e in events] == [
        "the correction after the report is illustrative: 1 000,00 € of this invoice was monitors "
        "(materials), not ICT services"
    ]


def test_explain_marks_the_illustrative_monthly_batches(heinola_store: str) -> None:
    args = ("explain", "--unit", "TIHA", "--row", "purchases_of_services", "--column", "actual", "--year", YEAR)
    explained = json.loads(_run(heinola_store, *args, "--known-at", SIGNED, "--format", "json"))
    notes = {item["illustrative"] for item in explained["items"]}
    assert None not in notes
    assert any(note.startswith("monthly batch 12/2024") for note in notes)


@pytest.mark.parametrize("known_at", [SIGNED, "2025-04-15T10:00:00+03:00"])
def test_both_faces_find_the_same_illustrative_parts(heinola_store: str, known_at: str) -> None:
    moment = parse_moment(known_at)
    with Ledger(heinola_store) as ledger, ledger.state() as state:
        scope = query.load_scope(state.conn, "YP", int(YEAR), date.fromisoformat(AS_OF), moment)
        fast = query_illustration(state.conn, scope)
        folded = fold_illustration(list(ledger.events()), scope)
    assert fast == folded
    assert fast.monthly and dict(fast.parts)["vouchers"] > 0


def test_the_ledgers_setup_counts_as_organisation_not_other(first_page: dict[str, str]) -> None:
    assert "organisaatio, tilit ja hankkeet: 7 tapahtumaa" in first_page["md"]
    assert "muut tapahtumat" not in first_page["md"]
