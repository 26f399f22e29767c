"""The documented JSON of every report (docs/json.md): its shape and its values."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support.reports_scenario import Scenario, city_history
from typer.testing import CliRunner

from cli.main import app
from ledger.reference import default_investment_groups
from ledger.statement_rows import ROWS

HEADER = {"report", "unit", "unit_name", "fiscal_year", "as_of", "known_at"}
VERSION = {"version", "changed_since_approval"}  # null and [] unless an approved version is shown (ADR 0027)
COLUMNS = {
    "prior_year_actual",
    "original_budget",
    "budget_amendments",
    "budget",
    "actual",
    "deviation",
    "utilisation_pct",
}
SIGNED_2025 = ("--known-at", "2025-03-26")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    directory = tmp_path_factory.mktemp("json")
    url = f"sqlite:///{directory / 'ledger.db'}"
    scenario = Scenario(url, directory)
    city_history(scenario)
    scenario.close()
    yield url


def report(store: str, *args: str) -> dict[str, Any]:
    result = CliRunner().invoke(app, [*args, "--format", "json", "--store", store])
    assert result.exit_code == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout, parse_float=_no_float)
    return document


def _no_float(raw: str) -> None:
    raise AssertionError(f"a float in the JSON: {raw}")


def by_key(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {row["key"]: row for row in rows}


def test_statement_json(store: str) -> None:
    document = report(store, "statement", "--unit", "YP", "--year", "2024", *SIGNED_2025)
    assert document["report"] == "statement"
    assert set(document) == HEADER | VERSION | {"read_models", "deviation_sign", "rows"}
    assert (document["unit"], document["unit_name"], document["fiscal_year"]) == ("YP", "Yhteiset palvelut", 2024)
    # the end of 26 March in Helsinki (--tz's default), in UTC
    assert (document["as_of"], document["known_at"]) == ("2024-12-31", "2025-03-26T21:59:59+00:00")
    assert document["deviation_sign"] == "budget-minus-actual"
    assert [row["key"] for row in document["rows"]] == [row.key for row in ROWS]
    assert all(set(row) == {"key", "label_fi", "label_en"} | COLUMNS for row in document["rows"])
    rows = by_key(document["rows"])
    assert rows["purchases_of_services"] == {
        "key": "purchases_of_services",
        "label_fi": "Palvelujen ostot",
        "label_en": "Purchases of services",
        "prior_year_actual": "0.00",
        "original_budget": "-20000.00",
        "budget_amendments": "-5000.00",
        "budget": "-25000.00",
        "actual": "-7000.00",
        "deviation": "-18000.00",
        "utilisation_pct": "28.00",
    }
    assert rows["personnel_expenses"]["actual"] == "-129500.25"
    assert rows["sales_income"]["prior_year_actual"] == "12000.50"
    assert rows["tax_revenue"]["utilisation_pct"] == "0.00"


def test_summary_json(store: str) -> None:
    document = report(store, "summary", "--unit", "YP", "--year", "2024", *SIGNED_2025)
    assert document["report"] == "summary"
    assert set(document) == HEADER | VERSION | {"read_models", "deviation_sign", "rows"}
    assert [(r["key"], r["label_fi"], r["statement_row"]) for r in document["rows"]] == [
        ("income", "TULOT", "operating_income"),
        ("expenditure", "MENOT", "operating_expenses"),
        ("net", "NETTO", "operating_margin"),
    ]
    rows = by_key(document["rows"])
    assert rows["income"]["actual"] == "15000.00"
    assert rows["expenditure"]["actual"] == "-136500.25"
    assert rows["net"]["actual"] == "-121500.25"
    assert rows["net"]["budget"] == "-275000.00"


def test_investments_json(store: str) -> None:
    document = report(store, "investments", "--unit", "YP", "--year", "2024", *SIGNED_2025)
    assert document["report"] == "investments"
    assert set(document) == HEADER | VERSION | {"read_models", "deviation_sign", "groups", "total"}
    budgeted = ["movable_property"]  # the budget's groups first, then the standard order
    others = [g.code for g in default_investment_groups() if g.code not in budgeted]
    assert [g["group"] for g in document["groups"]] == budgeted + others
    movable = next(g for g in document["groups"] if g["group"] == "movable_property")
    assert (movable["name_fi"], movable["name_en"]) == ("Irtain omaisuus", "Movable property")
    rows = by_key(movable["rows"])
    assert list(rows) == ["income", "expenditure", "net"]
    assert all(set(row) == {"key", "label_fi", "label_en"} | COLUMNS for row in movable["rows"])
    assert (rows["income"]["actual"], rows["expenditure"]["actual"], rows["net"]["actual"]) == (
        "2500.00",
        "-10000.00",
        "-7500.00",
    )
    assert rows["expenditure"]["budget"] == "-30000.00"
    assert rows["expenditure"]["utilisation_pct"] == "33.3"  # one decimal, as the investment table prints
    assert by_key(document["total"]["rows"])["net"]["actual"] == "-7500.00"
    shares = next(g for g in document["groups"] if g["group"] == "shares_and_holdings")
    assert by_key(shares["rows"])["net"]["actual"] == "0.00"


def test_goals_json(store: str) -> None:
    document = report(store, "goals", "--unit", "YP", "--year", "2024", *SIGNED_2025)
    assert document["report"] == "goals"
    assert set(document) == HEADER | VERSION | {"read_models", "items"}
    first, second = document["items"]
    assert first == {
        "goal": "G1",
        "unit": "VA",
        "level": "council",
        "strategic_goal": "Hyvä hallinto",
        "text": "Vaalit sujuvasti",
        "metric": "Virheet",
        "target": "0",
        "responsible": "hallintojohtaja",
        "outcome": "Kaikki vaalit sujuivat",
        "outcome_on": "2024-12-31",
        "status": "achieved",
    }
    assert (second["goal"], second["text"], second["metric"], second["target"]) == (
        "G2",
        "Laskut ajallaan ja oikein",
        "Maksuaika",
        "10 pv",
    )
    assert (second["outcome"], second["outcome_on"], second["status"]) == (None, None, "not-assessed")


def test_goals_json_as_known_before_the_final_outcome(store: str) -> None:
    document = report(store, "goals", "--unit", "VA", "--year", "2024", "--known-at", "2025-01-31")
    (goal,) = document["items"]
    assert (goal["status"], goal["outcome_on"], goal["outcome"]) == (
        "partly-achieved",
        "2024-06-30",
        "Eurovaalit sujuivat",
    )


def test_risks_json(store: str) -> None:
    document = report(store, "risks", "--unit", "YP", "--year", "2024", *SIGNED_2025)
    assert document["report"] == "risks"
    assert set(document) == HEADER | VERSION | {"read_models", "items"}
    first, second = document["items"]
    assert first == {
        "risk": "R1",
        "unit": "TA",
        "class": "Talous",
        "description": "Kustannukset nousevat",
        "probability": 3,
        "significance": 3,
        "mitigation": "Seuranta",
        "carried_out": "Säästöohjelma",
        "responsible": "",
        "assessed_on": "2024-10-01",
    }
    assert (second["risk"], second["unit"]) == ("R2", "VA")
    earlier = report(store, "risks", "--unit", "TA", "--as-of", "2024-09-30", "--known-at", "2025-01-31")
    assert [(r["risk"], r["probability"], r["assessed_on"]) for r in earlier["items"]] == [("R1", 2, "2024-02-01")]
    assert earlier["as_of"] == "2024-09-30"
    # an assessment dated 1.9.2024 was recorded on 2.2.2025
    revised = report(store, "risks", "--unit", "TA", "--as-of", "2024-09-30", *SIGNED_2025)
    assert [(r["risk"], r["probability"], r["assessed_on"]) for r in revised["items"]] == [("R1", 1, "2024-09-01")]


def test_docs_json_lists_every_row_key_group_and_item_key() -> None:
    text = (Path(__file__).parents[2] / "docs" / "json.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", text, flags=re.MULTILINE))
    assert {row.key for row in ROWS} <= documented
    assert {group.code for group in default_investment_groups()} <= documented
    assert HEADER | COLUMNS | {"deviation_sign", "level", "status"} <= documented
    for key in ("goal", "strategic_goal", "outcome_on", "risk", "carried_out", "assessed_on", "statement_row"):
        assert f'"{key}"' in text or f"`{key}`" in text, key
