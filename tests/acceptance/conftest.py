"""The Heinola 2024 history, loaded once into a temporary SQLite store, and its reports.

The store is filled by the loader itself (`load_history(ledger, seed_history_path())`, as
`kuntaledger demo` does), not by a subprocess. Reports are read through the CLI in-process
(typer's CliRunner), once per (report, unit, known-at, format), and shared by every test.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from support.heinola_printed import AS_OF, SIGNED, YEAR, Report
from typer.testing import CliRunner

from cli.main import app
from ledger.application import Ledger
from ledger.loading import load_history, seed_history_path
from projections.approvals import figures_hash


@pytest.fixture(scope="session")
def heinola_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A SQLite store holding the whole Heinola 2024 history (including the later correction)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('heinola') / 'heinola.db'}"
    ledger = Ledger(url)
    try:
        steps = load_history(ledger, seed_history_path(), figures_hash=figures_hash).steps
    finally:
        ledger.close()
    assert steps > 0
    yield url


@pytest.fixture(scope="session")
def report(heinola_store: str) -> Report:
    """`report("statement", "TIHA")` -> the report's JSON as of 31.12.2024, known at the
    signing (or `known_at=...`); `fmt="table"` returns the text instead."""
    cache: dict[tuple[str, str, str, str], Any] = {}
    runner = CliRunner()

    def read(name: str, unit: str, known_at: str = SIGNED, fmt: str = "json") -> Any:
        key = (name, unit, known_at, fmt)
        if key not in cache:
            args = [name, "--unit", unit, "--year", YEAR, "--as-of", AS_OF, "--known-at", known_at]
            result = runner.invoke(
                app, [*args, "--format", fmt, "--store", heinola_store], env={"KUNTALEDGER_STORE": None}
            )
            if result.exception is not None and not isinstance(result.exception, SystemExit):
                raise result.exception
            assert result.exit_code == 0, f"{' '.join(args)} exited {result.exit_code}: {result.stderr}"
            cache[key] = json.loads(result.stdout) if fmt == "json" else result.stdout
        return cache[key]

    return read
