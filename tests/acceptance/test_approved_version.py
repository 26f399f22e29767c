"""Without --known-at, the Heinola report is the version the board approved on 26.3.2025
(issue 19, ADR 0027): cell for cell the printed report, saying which version it is, with a
notice of the cells the correction of 15.4.2025 changed; `--known-at now` is today's books.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from support.heinola_printed import AS_OF, LATER, PERCENT, PRINTED, SECTOR, STATEMENTS, YEAR, Report, by_key, euros
from typer.testing import CliRunner

from cli.main import app

# The correction moved 1 000 € between these rows of Tietohallinto, and so of the sector:
# in print, each row's Toteuma, Poikkeama and Toteuma-% changed.
CORRECTED_ROWS = ("purchases_of_services", "materials_and_supplies")
PRINTED_COLUMNS = ("actual", "deviation", PERCENT)
CORRECTED = {(unit, row, column) for unit in ("TIHA", SECTOR) for row in CORRECTED_ROWS for column in PRINTED_COLUMNS}
APPROVAL = "Kh 26.3.2025 § 79"


def kuntaledger(store: str, *args: str) -> str:
    result = CliRunner().invoke(app, [*args, "--store", store], env={"KUNTALEDGER_STORE": None})
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code == 0, f"{' '.join(args)} exited {result.exit_code}: {result.stderr}"
    return result.stdout


def default(store: str, name: str, unit: str, fmt: str = "json", *more: str) -> Any:
    """The report as a reader gets it: no --known-at."""
    text = kuntaledger(store, name, "--unit", unit, "--year", YEAR, "--format", fmt, *more)
    return json.loads(text) if fmt == "json" else text


def correction_positions(store: str) -> list[int]:
    """The reversal and the replacement recorded on 15.4.2025."""
    events = json.loads(kuntaledger(store, "events", "--format", "json"))
    return [
        e["position"]
        for e in events
        if e["recorded_at"].startswith("2025-04-15") and e["type"] != "EventsMarkedIllustrative"
    ]


@pytest.mark.parametrize("unit", list(STATEMENTS))
def test_the_default_statement_is_the_approved_version_cell_for_cell(
    heinola_store: str, report: Report, unit: str
) -> None:
    ours = default(heinola_store, "statement", unit)
    assert ours["rows"] == report("statement", unit)["rows"]  # as known at the signing: the seed, cell by cell
    for row, printed in STATEMENTS[unit].items():
        figures = by_key(ours["rows"])[row]
        assert [euros(figures[c]) for c in ("prior_year_actual", "budget", "actual", "deviation")] == [
            printed[c] for c in ("prior_year_actual", "budget", "actual", "deviation")
        ], (unit, row)
        assert figures[PERCENT] == printed[PERCENT], (unit, row)


def test_the_default_summary_and_investments_are_the_approved_version(heinola_store: str, report: Report) -> None:
    assert default(heinola_store, "summary", SECTOR)["rows"] == report("summary", SECTOR)["rows"]
    investments = default(heinola_store, "investments", SECTOR)
    assert investments["groups"] == report("investments", SECTOR)["groups"]
    groups = by_key(investments["groups"], "group")
    for group, rows in PRINTED["investments"].items():
        for key, printed in rows.items():
            assert euros(by_key(groups[group]["rows"])[key]["actual"]) == printed["actual"], (group, key)


def test_the_json_names_the_boards_approval(heinola_store: str) -> None:
    document = default(heinola_store, "statement", SECTOR)
    version = document["version"]
    assert version["approved"] is True
    assert (version["unit"], version["body"], version["decision"], version["decided_on"]) == (
        SECTOR, "board", APPROVAL, "2025-03-26",
    )  # fmt: skip
    assert document["known_at"] == version["known_at"] == "2025-03-26T08:00:00+00:00"  # 10.00 Finnish time
    assert len(version["figures_hash"]) == 64 and version["figures_hash_matches"] is True


def test_the_notice_lists_exactly_the_cells_the_correction_changed(heinola_store: str) -> None:
    positions = correction_positions(heinola_store)
    assert len(positions) == 2
    found = {}
    for unit in STATEMENTS:
        for cell in default(heinola_store, "statement", unit)["changed_since_approval"]:
            found[(cell["unit"], cell["row"], cell["column"])] = cell
    assert set(found) == CORRECTED
    later = {unit: by_key(default(heinola_store, "statement", unit, "json", "--known-at", LATER)["rows"])
             for unit in ("TIHA", SECTOR)}  # fmt: skip
    for (unit, row, column), cell in found.items():
        assert cell["now"] == later[unit][row][column]
        assert cell["approved"] != cell["now"]
        assert set(cell["events"]) <= set(positions) and cell["events"]
    # the replacement posted the materials; the reversal took them out of the services
    assert found[("TIHA", "purchases_of_services", "actual")]["events"] == positions
    for name in ("summary", "investments", "goals", "risks"):
        assert default(heinola_store, name, SECTOR)["changed_since_approval"] == [], name


def test_known_at_now_shows_todays_books(heinola_store: str) -> None:
    today = default(heinola_store, "statement", "TIHA", "json", "--known-at", "now")
    assert today["version"] is None and today["changed_since_approval"] == []
    assert euros(by_key(today["rows"])["purchases_of_services"]["actual"]) == -561_063
    assert today["rows"] == default(heinola_store, "statement", "TIHA", "json", "--known-at", LATER)["rows"]


def test_another_as_of_than_the_years_end_is_not_the_approved_version(heinola_store: str) -> None:
    mid_year = default(heinola_store, "statement", SECTOR, "json", "--as-of", "2024-06-30")
    assert mid_year["version"] is None


def test_the_table_says_which_version_it_is_and_what_changed(heinola_store: str) -> None:
    table = default(heinola_store, "statement", "TIHA", "table")
    assert f"hyväksytty {APPROVAL}, tiedot 26.03.2025 klo 10.00.00 EET (UTC+02:00)" in " ".join(table.split())
    assert "jälkeen: 6 solua on nyt toisin" in table
    assert "- TIHA Palvelujen ostot, Toteuma 2024: hyväksytty -562 063, nyt -561 063 (tapahtumat" in table
    english = default(heinola_store, "statement", "TIHA", "md", "--lang", "en")
    assert f"approved {APPROVAL}, known at 2025-03-26 10:00:00 EET (UTC+02:00)" in english
    assert "- TIHA Purchases of services, Actual 2024: approved -562 063, now -561 063 (events" in english


def test_the_csv_keeps_its_data_and_says_the_version_on_stderr(heinola_store: str) -> None:
    result = CliRunner().invoke(
        app,
        ["statement", "--unit", "TIHA", "--year", YEAR, "--format", "csv", "--store", heinola_store],
        env={"KUNTALEDGER_STORE": None},
    )
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].startswith("key;label;")
    assert "note: Tuloslaskelma 2024 – TIHA" in result.stderr and APPROVAL in result.stderr
    assert result.stderr.count("\nnote: - TIHA ") == 6


def test_the_document_lists_the_twelve_changed_cells_first(heinola_store: str, tmp_path: Path) -> None:
    output = tmp_path / "report.md"
    kuntaledger(heinola_store, "report", "--unit", SECTOR, "--year", YEAR, "--format", "md", "--output", str(output))
    markdown = output.read_text(encoding="utf-8")
    assert f"- Versio: hyväksytty {APPROVAL} (kaupunginhallitus, 26.03.2025)" in markdown
    first = markdown.split("\n## ")[1]
    assert first.startswith("Hyväksymisen jälkeen muuttuneet luvut\n")
    rows = [line for line in first.splitlines() if line.startswith("| TIHA ") or line.startswith("| YP ")]
    assert len(rows) == len(CORRECTED) == 12
    assert "| TIHA | Palvelujen ostot | Toteuma 2024 | -562 063 | -561 063 |" in first
    signed = tmp_path / "signed.md"
    kuntaledger(heinola_store, "report", "--unit", SECTOR, "--year", YEAR, "--as-of", AS_OF, "--known-at",
                "2025-03-26T10:00:00+02:00", "--format", "md", "--output", str(signed))  # fmt: skip
    assert markdown.split("\n## ")[2:] == signed.read_text(encoding="utf-8").split("\n## ")[1:]


def test_the_html_document_carries_the_notice(heinola_store: str, tmp_path: Path) -> None:
    output = tmp_path / "report.html"
    kuntaledger(heinola_store, "report", "--unit", SECTOR, "--year", YEAR, "--output", str(output))
    html = output.read_text(encoding="utf-8")
    assert f"hyväksytty {APPROVAL} (kaupunginhallitus, 26.03.2025)" in html
    assert '<section class="section" id="changed">' in html
    assert html.index('id="changed"') < html.index('id="council-goals"')
