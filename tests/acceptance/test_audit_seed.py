"""The audit commands on the Heinola 2024 history: check, explain, verify, seal, export."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from support.heinola_printed import AS_OF, LATER, SECTOR, SERVICE_AREAS, SIGNED, YEAR, Report
from typer.testing import CliRunner

from cli.main import app
from ledger.application import Ledger
from ledger.clock import parse_moment
from ledger.statement_rows import ROWS
from projections.explain import COLUMNS, Evidence, explain_figure
from projections.statement import query_statement


def cli(store: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, [*args, "--store", store], env={"KUNTALEDGER_STORE": None})
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def signed_check(heinola_store: str) -> tuple[int, list[dict[str, Any]]]:
    code, out, _ = cli(
        heinola_store, "check", "--year", YEAR, "--as-of", AS_OF, "--known-at", SIGNED, "--format", "json"
    )
    return code, json.loads(out)["findings"]


def test_the_signed_report_has_no_compliance_errors(signed_check: tuple[int, list[dict[str, Any]]]) -> None:
    code, findings = signed_check

    assert code == 0
    assert [f for f in findings if f["severity"] == "error"] == []


def test_the_seed_findings_are_operating_plan_rows_the_printed_statements_show(
    signed_check: tuple[int, list[dict[str, Any]]], report: Report
) -> None:
    """Heinola's sector stayed within its net budget and explained its deviation; what remains
    are service-area rows over their operating plan, each quoting the statement's figures."""
    _, findings = signed_check

    assert findings
    assert {f["rule"] for f in findings} == {"operating-plan-overrun"}
    for finding in findings:
        assert finding["unit"] in SERVICE_AREAS
        row = finding["message"].split("(")[1].split(")")[0]
        line = next(line for line in report("statement", finding["unit"])["rows"] if line["key"] == row)
        assert (finding["figures"]["budget"], finding["figures"]["actual"]) == (line["budget"], line["actual"])
        assert float(line["actual"]) < float(line["budget"])


def test_every_cell_of_the_seed_statements_is_the_sum_of_its_explained_events(heinola_store: str) -> None:
    as_of = date.fromisoformat(AS_OF)
    with Ledger(heinola_store) as ledger, ledger.state() as state:
        evidence = Evidence(state.conn, ledger.events_at)
        for known_at in (parse_moment(SIGNED), parse_moment(LATER)):
            for unit in (SECTOR, *SERVICE_AREAS):
                statement = query_statement(state.conn, unit, int(YEAR), as_of, known_at)
                for row in ROWS:
                    for column in COLUMNS:
                        explained = explain_figure(evidence, unit, row.key, column, int(YEAR), as_of, known_at)
                        figure = getattr(statement.line(row.key).figures, column)
                        assert explained.total_cents == figure, (unit, row.key, column, known_at)


def test_the_seed_log_verifies_and_its_copy_keeps_the_seal(heinola_store: str, tmp_path: Path) -> None:
    code, verified, _ = cli(heinola_store, "verify")
    _, sealed, _ = cli(heinola_store, "seal")
    log = tmp_path / "heinola.json"
    cli(heinola_store, "export", "--format", "json", "--output", str(log))
    copy = f"sqlite:///{tmp_path / 'copy.db'}"

    imported, _, errors = cli(copy, "import-log", str(log))

    assert code == 0 and "read models: ok" in verified
    assert imported == 0, errors
    assert cli(copy, "seal")[1] == sealed
    position, digest = sealed.split()
    assert cli(copy, "verify", "--sealed", f"{position}:{digest}")[0] == 0


def test_the_seed_journal_passes_bean_check_to_the_cent(heinola_store: str, tmp_path: Path) -> None:
    path = tmp_path / "heinola.beancount"
    code, _, errors = cli(heinola_store, "export", "--year", YEAR, "--format", "beancount", "--output", str(path))
    checked = subprocess.run([bean_check(), str(path)], capture_output=True, text=True, check=False)

    assert code == 0, errors
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert path.read_text(encoding="utf-8").count(" balance ") > 20


def bean_check() -> str:
    found = Path(sys.executable).with_name("bean-check")
    return str(found) if found.exists() else (shutil.which("bean-check") or "bean-check")
