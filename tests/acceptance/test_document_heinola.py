"""The whole Heinola report as one document (issue 19): the seed's words and layout."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from support.heinola_printed import AS_OF, SIGNED, YEAR
from typer.testing import CliRunner

from cli.main import app
from ledger.application import Ledger
from ledger.clock import parse_moment
from projections import query
from projections.budget_decisions import fold_decisions, query_decisions


@pytest.fixture(scope="module")
def document(heinola_store: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The report as signed: {"md": text, "html": text}."""
    folder = tmp_path_factory.mktemp("document")
    found = {}
    for fmt in ("md", "html"):
        output = folder / f"report.{fmt}"
        args = ["report", "--unit", "YP", "--year", YEAR, "--as-of", AS_OF, "--known-at", SIGNED]
        result = CliRunner().invoke(
            app,
            [*args, "--format", fmt, "--output", str(output), "--store", heinola_store],
            env={"KUNTALEDGER_STORE": None},
        )
        assert result.exit_code == 0, result.stderr
        found[fmt] = Path(output).read_text(encoding="utf-8")
    return found


def test_a_metric_that_already_holds_its_target_level_is_printed_once(document: dict[str, str]) -> None:
    for target in ("30.6.2024 mennessä (koko henkilöstö)", "v. 2024 aikana", "vähintään v. 2023 tasolla"):
        assert document["md"].count(target) == 1, target


def test_a_goal_reported_without_words_shows_no_outcome_text(document: dict[str, str]) -> None:
    """K11, KS9 and KS13 print a status and no outcome paragraph; the date heads the column."""
    assert "| muutosohjelman läpivienti |  | Toteutuu |" in document["md"]
    assert ". (31.12.2024)" not in document["md"]
    assert "| Toteuma 31.12.2024 |" in document["md"]


def test_service_areas_are_headed_as_palvelualue(document: dict[str, str]) -> None:
    for name in ("Vaalit", "Tarkastustoimi", "Hallinnon tukipalvelut", "Henkilöstöpalvelut"):
        assert f"### {name} -palvelualue\n" in document["md"], name
    assert "<h3>Talouspalvelut -palvelualue</h3>" in document["html"]


def section(markdown: str, heading: str) -> str:
    return markdown.split(f"## {heading}\n")[1].split("\n## ")[0]


def test_the_seeds_section_texts_are_printed_where_the_seed_prints_them(document: dict[str, str]) -> None:
    md = document["md"]
    assert "- Vastuuhenkilö: Hallinto- ja kehitysjohtaja\n" in md
    council = section(md, "Strategiasta johdetut tavoitteet / toimiala (valtuuston sitovuustaso)")
    assert "Tavoitteita on viety johdonmukaisesti eteenpäin ajoittaisista resurssihaasteista huolimatta." in council
    plan = section(md, "Käyttösuunnitelman palvelualueittaiset tavoitteet")
    assert "Käyttösuunnitelmassa asetetaan tavoitteet alemmalla tasolla, joiden toteuttaminen vastuutettu " in plan
    assert plan.count("Käyttösuunnitelman tavoitteet hyväksyy kaupunginhallitus.") == 1
    investments = section(md, "Investoinnit")
    assert investments.lstrip().startswith("Yhteisten palveluiden investoinnit palvelevat koko organisaatiota")


def test_the_budget_phases_show_where_the_operating_plan_amendment_moved_money(document: dict[str, str]) -> None:
    phases = section(document["md"], "Valtuuston hyväksymä talousarvio")
    assert "| Toimintakate | TA 2024 alkuperäinen | TA-muutokset | TA 2024 muutosten jälkeen |" in phases
    assert "| Kehittämispalvelut | -1 988 800 | -105 000 | -2 093 800 |" in phases
    assert "| Hallinnon tukipalvelut | -891 500 | 45 000 | -846 500 |" in phases
    assert "| **Yhteiset palvelut / Kaupunginhallituksen toimiala** | -6 802 900 | 0 | -6 802 900 |" in phases


def test_the_years_budget_decisions_are_listed_with_their_changes_by_area(document: dict[str, str]) -> None:
    decisions = section(document["md"], "Valtuuston hyväksymä talousarvio")
    sector = "Yhteiset palvelut / Kaupunginhallituksen toimiala"
    assert f"| Kv 11.12.2023 § 85 | 11.12.2023 | Talousarvio |  | {sector} | -6 802 900 |" in decisions
    assert (
        "| Kh 10.6.2024 § 165 | 10.06.2024 | Käyttösuunnitelmamuutos | Käyttösuunnitelmamuutos: viestinnän ja"
    ) in decisions
    by_area = (
        "Hallinnon tukipalvelut | 45 000 |\n|  |  |  |  | Tietohallinto- ja digipalvelut | 60 000 |\n"
        "|  |  |  |  | Kehittämispalvelut | -105 000 |\n|  |  |  |  | Yhteensä | 0 |"
    )
    assert by_area in decisions


@pytest.mark.parametrize(("as_of", "known_at"), [("2024-06-09", SIGNED), ("2024-06-10", SIGNED), (AS_OF, "2024-06-01")])
def test_both_faces_list_the_same_budget_decisions(heinola_store: str, as_of: str, known_at: str) -> None:
    with Ledger(heinola_store) as ledger:
        events = list(ledger.events())
        moment = parse_moment(known_at)
        scope = query.scope_for(query.units_in(events), "YP", int(YEAR), date.fromisoformat(as_of), moment)
        with ledger.state() as state:
            fast = query_decisions(state.conn, scope)
    assert fast == fold_decisions(events, scope)
    assert len(fast) == (1 if as_of < "2024-06-10" or known_at < "2024-06-10" else 2)


def test_the_investment_table_is_laid_out_as_printed(document: dict[str, str]) -> None:
    """The seed heads its groups in their own case, Osakkeet ja osuudet first, and prints
    Toteuma % with one decimal (100,0, -152,3, 53,6)."""
    investments = section(document["md"], "Investoinnit")
    assert "OSAKKEET JA OSUUDET" not in investments and "IRTAIN OMAISUUS" not in investments
    assert 0 < investments.index("Osakkeet ja osuudet") < investments.index("Irtain omaisuus")
    rows = [line for line in investments.splitlines() if line.startswith("|")]
    assert [row.rstrip(" |").rsplit("|", 1)[-1].strip() for row in rows if "53,6" in row] == ["53,6", "53,6"]
    assert "| 100,0 |" in investments and "| -152,3 |" in investments
    assert "53,55" not in investments
