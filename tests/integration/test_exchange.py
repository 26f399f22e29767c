"""`export` (json, csv, beancount) and `import-log`: the auditors' copies of the ledger."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from support.audit_world import build_2024
from support.cli_helpers import Kuntaledger

from ledger.chain import next_hash
from ledger.statement_rows import rows_under

REPORTS = [
    ("statement", "--unit", "YP"),
    ("statement", "--unit", "TEK"),
    ("summary", "--unit", "YP"),
    ("investments", "--unit", "YP"),
    ("goals", "--unit", "YP"),
]


@pytest.fixture
def empty_sqlite(tmp_path: Path) -> Kuntaledger:
    return Kuntaledger(f"sqlite:///{tmp_path / 'imported.db'}", tmp_path)


def export_json(cli: Kuntaledger, *args: str) -> dict[str, Any]:
    path = cli.workdir / "log.json"
    cli.ok("export", "--format", "json", "--output", str(path), *args)
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


def write(cli: Kuntaledger, document: dict[str, Any]) -> str:
    path = cli.workdir / "crafted.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return str(path)


def append(document: dict[str, Any], topic: str, fields: dict[str, Any]) -> int:
    """Add an event at the end with a correct chain hash, as someone crafting a history would."""
    last = document["events"][-1]
    position = last["position"] + 1
    payload = {"recorded_at": "2025-06-01T10:00:00Z", "actor": "intruder", **fields}
    chain_hash = next_hash(last["chain_hash"], topic, position, payload)
    entry = {"position": position, "topic": topic, "class_version": 1, "chain_hash": chain_hash, "payload": payload}
    document["events"].append(entry)
    document["head"] = {"position": position, "chain_hash": chain_hash}
    return position


def reports(cli: Kuntaledger, known_at: str) -> list[Any]:
    return [cli.json(*report, "--year", "2024", "--known-at", known_at) for report in REPORTS]


def test_a_json_export_imports_with_the_same_chain_events_and_reports(
    world: Kuntaledger, empty_sqlite: Kuntaledger
) -> None:
    path = world.workdir / "log.json"
    world.ok("export", "--format", "json", "--output", str(path))

    run = empty_sqlite("import-log", str(path))

    assert run.exit_code == 1, run.stderr  # imported, and `check` finds the year's binding-level overrun
    assert empty_sqlite.ok("seal").stdout == world.ok("seal").stdout
    assert empty_sqlite.events() == world.events()
    for known_at in ("2024-06-30", "2025-02-05", "2025-12-31"):
        assert reports(empty_sqlite, known_at) == reports(world, known_at)
    assert empty_sqlite.ok("verify").exit_code == 0


@pytest.mark.postgres
def test_a_log_moves_from_sqlite_into_postgresql_unchanged(tmp_path: Path, postgres_store: str) -> None:
    source = Kuntaledger(f"sqlite:///{tmp_path / 'source.db'}", tmp_path)
    build_2024(source)
    path = tmp_path / "log.json"
    source.ok("export", "--format", "json", "--output", str(path))
    target = Kuntaledger(postgres_store, tmp_path)

    assert target("import-log", str(path)).exit_code == 1  # imported; `check` finds the binding-level overrun

    assert target.ok("seal").stdout == source.ok("seal").stdout
    assert reports(target, "2025-12-31") == reports(source, "2025-12-31")


def test_an_export_known_at_a_moment_is_the_log_recorded_by_then(world: Kuntaledger, empty_sqlite: Kuntaledger) -> None:
    document = export_json(world, "--known-at", "2024-06-30")
    recorded_by_then = [e for e in world.events() if e["recorded_at"] <= "2024-06-30T23:59:59+00:00"]

    assert [e["position"] for e in document["events"]] == [e["position"] for e in recorded_by_then]
    assert empty_sqlite("import-log", write(empty_sqlite, document)).exit_code == 1  # half a year's figures
    later = [{**report, "known_at": None} for report in reports(empty_sqlite, "2025-12-31")]
    assert later == [{**report, "known_at": None} for report in reports(world, "2024-06-30")]


def test_import_refuses_a_store_that_is_not_empty(world: Kuntaledger) -> None:
    document = export_json(world)

    run = world("import-log", write(world, document))

    assert run.exit_code == 2
    assert "import a log only into an empty store" in run.stderr


def test_import_refuses_a_file_changed_after_export(world: Kuntaledger, empty_sqlite: Kuntaledger) -> None:
    document = export_json(world)
    (budget,) = [e for e in document["events"] if e["topic"] == "kuntaledger.BudgetAdopted"]
    budget["payload"]["lines"][0]["amount_cents"] += 1

    run = empty_sqlite("import-log", write(empty_sqlite, document))

    assert run.exit_code == 2
    assert f"position {budget['position']}" in run.stderr and "changed after it was exported" in run.stderr
    assert empty_sqlite.event_count() == 0


def test_import_refuses_an_invalid_event_even_when_its_hash_is_right(
    world: Kuntaledger, empty_sqlite: Kuntaledger
) -> None:
    document = export_json(world)
    position = append(document, "kuntaledger.DeviationExplained", {"unit": "YP", "fiscal_year": "twenty", "text": "x",
                                                                   "effective_on": "2025-06-01"})  # fmt: skip

    run = empty_sqlite("import-log", write(empty_sqlite, document))

    assert run.exit_code == 2
    assert f"position {position}: not a valid event" in run.stderr
    assert empty_sqlite.event_count() == 0


def test_import_refuses_a_reversal_of_a_voucher_that_was_never_posted(
    world: Kuntaledger, empty_sqlite: Kuntaledger
) -> None:
    document = export_json(world)
    position = append(document, "kuntaledger.VoucherReversed", {"voucher": "NEVER", "effective_on": "2025-06-01",
                                                                "reason": "crafted"})  # fmt: skip

    run = empty_sqlite("import-log", write(empty_sqlite, document))

    assert run.exit_code == 2
    assert f"position {position}: the ledger cannot apply this event" in run.stderr
    assert empty_sqlite.event_count() == 0


def test_a_crafted_operating_plan_amendment_changing_a_binding_net_is_reported_not_accepted(
    world: Kuntaledger, empty_sqlite: Kuntaledger
) -> None:
    """The core refuses such an amendment; a history that holds one is loaded as it is and reported."""
    document = export_json(world)
    line = {"unit": "HALL", "line": "personnel_expenses", "row": "personnel_expenses", "investment_group": None,
            "investment_side": None, "amount_cents": -5_000_000}  # fmt: skip
    decision = {"body": "board", "reference": "Kh 1.10.2024 § 9", "decided_on": "2024-10-01"}
    position = append(document, "kuntaledger.BudgetAmended", {"fiscal_year": 2024, "kind": "operating-plan",
                                                              "lines": [line], "decision": decision,
                                                              "reason": "more staff"})  # fmt: skip

    imported = empty_sqlite("import-log", write(empty_sqlite, document))
    checked = empty_sqlite("check", "--year", "2024", "--format", "json")

    assert imported.exit_code == 1
    assert "amendment-authority" in imported.stdout and "changes the net of YP" in imported.stdout
    assert checked.exit_code == 1
    (finding,) = [f for f in json.loads(checked.stdout)["findings"] if f["rule"] == "amendment-authority"]
    assert finding["severity"] == "error"
    assert finding["unit"] == "YP"
    assert finding["events"] == [position]


def test_the_csv_journal_has_every_line_of_the_year_and_balances(world: Kuntaledger) -> None:
    path = world.workdir / "journal.csv"
    world.ok("export", "--year", "2024", "--format", "csv", "--output", str(path))

    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")), delimiter=";"))

    assert sum(Decimal(row["amount"]) for row in rows) == 0
    assert {row["voucher"] for row in rows} == {f"V-{n}" for n in range(1, 10)}
    reversal = [row for row in rows if row["kind"] == "reversal"]
    assert [(r["account"], r["amount"], r["effective_on"]) for r in reversal] == [
        ("3000", "4000.50", "2024-12-31"),
        ("1900", "-4000.50", "2024-12-31"),
    ]
    assert {row["actor"] for row in rows} == {"carol"}


def test_the_csv_journal_known_before_the_corrections_lacks_them(world: Kuntaledger) -> None:
    path = world.workdir / "journal.csv"
    world.ok("export", "--year", "2024", "--format", "csv", "--output", str(path), "--known-at", "2025-01-31")

    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")), delimiter=";"))

    assert {row["voucher"] for row in rows} == {f"V-{n}" for n in range(1, 9)}
    assert all(row["kind"] == "posting" for row in rows)


def bean_check() -> str:
    found = Path(sys.executable).with_name("bean-check")
    return str(found) if found.exists() else (shutil.which("bean-check") or "bean-check")


def test_the_beancount_export_passes_bean_check_and_its_balances_are_ours(world: Kuntaledger) -> None:
    from beancount import loader
    from beancount.core import data

    path = world.workdir / "ledger.beancount"
    world.ok("export", "--year", "2024", "--format", "beancount", "--output", str(path))

    checked = subprocess.run([bean_check(), str(path)], capture_output=True, text=True, check=False)
    entries, errors, _ = loader.load_file(str(path))

    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert errors == []
    balances: dict[str, Decimal] = defaultdict(Decimal)
    for entry in entries:
        if isinstance(entry, data.Transaction):
            for posting in entry.postings:
                balances[posting.account] += posting.units.number
    rows = {a["code"]: a["row"] for a in world.json("accounts", "list")}
    for unit in ("HALL", "IT", "KAD"):
        statement = world.json("statement", "--unit", unit, "--year", "2024")
        margin = next(line for line in statement["rows"] if line["key"] == "operating_margin")
        ours = Decimal(margin["actual"])
        theirs = sum(
            (amount for account, amount in balances.items()
             if account.endswith(f":{unit}") and rows.get(account.split(":")[1]) in rows_under("operating_margin")),
            Decimal(0),
        )  # fmt: skip
        assert -theirs == ours, unit
    assert balances["Assets:1130:YP"] == Decimal("30000.00")
    assert sum(balances.values()) == 0


def test_the_beancount_balance_assertions_fail_when_the_file_is_edited(world: Kuntaledger) -> None:
    path = world.workdir / "ledger.beancount"
    world.ok("export", "--year", "2024", "--format", "beancount", "--output", str(path))
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Expenses:4010:HALL  290000.00 EUR", "Expenses:4010:HALL  290000.01 EUR", 1)
                    .replace("Assets:1900:HALL  -290000.00 EUR", "Assets:1900:HALL  -290000.01 EUR", 1),
                    encoding="utf-8")  # fmt: skip

    checked = subprocess.run([bean_check(), str(path)], capture_output=True, text=True, check=False)

    assert checked.returncode != 0
    assert "Balance failed" in checked.stdout + checked.stderr


def test_a_journal_export_needs_a_year_and_a_known_format(world: Kuntaledger) -> None:
    output = str(world.workdir / "x")
    assert "--year" in world("export", "--format", "csv", "--output", output).stderr
    assert world("export", "--format", "xml", "--year", "2024", "--output", output).exit_code == 2


def test_import_prints_what_check_finds_in_every_budgeted_year(world: Kuntaledger, empty_sqlite: Kuntaledger) -> None:
    checked = world("check", "--year", "2024")

    imported = empty_sqlite("import-log", write(empty_sqlite, export_json(world)))

    assert checked.exit_code == imported.exit_code == 1
    assert "binding-level-overrun" in checked.stdout and "binding-level-overrun" in imported.stdout
    assert "Findings 2024" in imported.stdout
    assert "2024: 4 findings: 1 error, 3 warnings, 0 info" in imported.stderr
