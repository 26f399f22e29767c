"""Only `init`, `demo`, `load` and `import-log` create a store (and `migrate` its tables);
every other command on a missing store says so in one line, exit 2, and creates nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from support.cli_helpers import Kuntaledger
from support.postgres import POSTGRES_URL

COMMANDS = [
    ("statement", "--unit", "YP", "--year", "2024"),
    ("summary", "--unit", "YP", "--year", "2024", "--format", "json"),
    ("events",),
    ("units", "list"),
    ("check", "--year", "2024"),
    ("verify",),
    ("seal",),
    ("rebuild",),
    ("units", "add", "YP", "--name", "Yhteiset palvelut"),
]


def _ledger_tables(store_url: str) -> list[str]:
    """What a store holds: the SQLite file's existence, or the schema's tables."""
    if store_url.startswith("sqlite"):
        path = Path(store_url.removeprefix("sqlite:///"))
        return [path.name] if path.exists() else []
    schema = store_url.rsplit("schema=", 1)[1]
    with psycopg.connect(POSTGRES_URL.split("?")[0]) as conn:
        rows = conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s", (schema,)).fetchall()
    return [row[0] for row in rows]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: "-".join(c[:2]))
def test_a_command_on_a_missing_store_says_how_to_create_it_and_creates_nothing(
    kuntaledger: Kuntaledger, command: tuple[str, ...]
) -> None:
    run = kuntaledger(*command)

    assert run.exit_code == 2, run.stderr
    assert run.stderr.count("\n") == 1 and run.stderr.startswith("error: the store "), run.stderr
    assert "does not exist" in run.stderr and "kuntaledger init" in run.stderr
    assert _ledger_tables(kuntaledger.store_url) == []


def test_init_creates_the_store(kuntaledger: Kuntaledger) -> None:
    kuntaledger.ok("init")

    assert _ledger_tables(kuntaledger.store_url) != []
    assert kuntaledger.event_count() > 0


def test_a_sqlite_store_in_a_missing_folder_is_named_as_missing_not_as_a_role_problem(tmp_path: Path) -> None:
    store = tmp_path / "no-such-folder" / "kunta.db"
    cli = Kuntaledger(f"sqlite:///{store}", tmp_path)

    read = cli("statement", "--unit", "YP", "--year", "2024")
    init = cli("init")

    assert read.exit_code == 2 and "does not exist" in read.stderr and "role" not in read.stderr, read.stderr
    assert init.exit_code == 2 and f"the folder {store.parent} does not exist" in init.stderr, init.stderr
    assert "role" not in init.stderr and "PostgreSQL" not in init.stderr
    assert not store.parent.exists()


def test_the_lean_report_path_does_not_create_a_missing_store(tmp_path: Path) -> None:
    store = tmp_path / "kunta.db"
    argv = ["statement", "--unit", "YP", "--year", "2024", "--store", f"sqlite:///{store}"]

    run = subprocess.run([sys.executable, "-m", "cli", *argv], capture_output=True, text=True, timeout=120)

    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.count("\n") == 1 and "does not exist" in run.stderr, run.stderr
    assert not store.exists()


@pytest.mark.postgres
def test_migrate_creates_the_tables_and_then_reads_work(postgres_store: str, tmp_path: Path) -> None:
    cli = Kuntaledger(postgres_store, tmp_path)

    cli.ok("migrate")

    assert cli.json("events") == []
    assert "kuntaledger init" in cli("units", "add", "YP", "--name", "Y").stderr


@pytest.mark.postgres
def test_a_postgresql_password_is_never_printed(postgres_store: str, tmp_path: Path) -> None:
    with_password = postgres_store.replace("postgresql://postgres@", "postgresql://postgres:salainen@")
    assert with_password != postgres_store
    cli = Kuntaledger(with_password, tmp_path)

    missing = cli("events")
    cli.ok("demo")
    again = cli("demo")

    assert missing.exit_code == 2 and again.exit_code == 2, again.stderr
    assert "postgres:***@" in missing.stderr and "postgres:***@" in again.stderr
    assert "salainen" not in missing.stderr + again.stderr
