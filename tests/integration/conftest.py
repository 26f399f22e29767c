"""Fixtures for the CLI tests: the CLI on a fresh store, and a store with a small organisation."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.audit_world import sqlite_template, world_in
from support.cli_helpers import Kuntaledger


@pytest.fixture
def kuntaledger(store_url: str, tmp_path: Path) -> Kuntaledger:
    """The CLI on a fresh, empty store (each backend)."""
    files = tmp_path / "files"
    files.mkdir()
    return Kuntaledger(store_url, files)


@pytest.fixture(scope="module")
def sqlite_world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The audit world (tests/support/audit_world.py) built once per module on SQLite."""
    return sqlite_template(tmp_path_factory)


@pytest.fixture
def world(kuntaledger: Kuntaledger, sqlite_world: Path) -> Kuntaledger:
    """The audit world in a fresh store of each backend."""
    return world_in(kuntaledger, sqlite_world)


ORGANISATION = (
    # code, name, parent, binding
    ("YP", "Yhteiset palvelut", None, "net"),
    ("TAL", "Talouspalvelut", "YP", "none"),
    ("HEN", "Henkilöstöpalvelut", "YP", "none"),
    ("TEK", "Tekniset palvelut", None, "gross"),
    ("KAD", "Katujen kunnossapito", "TEK", "none"),
    ("TIE", "Tiepalvelut", "TEK", "none"),
)

BUDGET_2024 = """unit;line;amount
TAL;sales_income;50 000
TAL;personnel_expenses;-400 000
HEN;purchases_of_services;-120 000
KAD;sales_income;80 000
KAD;materials_and_supplies;-300 000
TIE;purchases_of_services;-90 000
"""


@pytest.fixture
def ledger_2024(kuntaledger: Kuntaledger) -> Kuntaledger:
    """An initialised store with a net-bound sector (YP), a gross-bound one (TEK) and an
    adopted 2024 budget."""
    kuntaledger.ok("init", "--entity", "Testikaupunki", "--actor", "setup")
    for code, name, parent, binding in ORGANISATION:
        parent_args = ("--parent", parent) if parent else ()
        kuntaledger.ok("units", "add", code, "--name", name, *parent_args, "--binding", binding, "--actor", "setup")
    budget = kuntaledger.file("budget_2024.csv", BUDGET_2024)
    kuntaledger.ok(
        "budget", "adopt", "--year", "2024", "--file", budget, "--decision", "Kv 11.12.2023 § 85",
        "--decided-on", "11.12.2023", "--actor", "setup",
    )  # fmt: skip
    return kuntaledger
