"""A damaged store is seen and said in one line: `verify` runs the database's own check,
and every database error reaches the user in our words, never as SQL text or a traceback."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from support.cli_helpers import Kuntaledger, Run
from support.postgres import POSTGRES_URL

from cli.main import unexpected

VOUCHERS = "voucher;date;account;unit;amount;text\n" + "".join(
    f"V-{n};2024-03-{n % 28 + 1:02d};4300;TAL;{n},00;palvelu {n}\n"
    f"V-{n};2024-03-{n % 28 + 1:02d};1900;TAL;-{n},00;pankki\n"
    for n in range(1, 400)
)
ONE_MORE = "voucher;date;account;unit;amount;text\nW-1;2024-05-02;4300;TAL;5,00;x\nW-1;2024-05-02;1900;TAL;-5,00;y\n"
LEAKS = ("Traceback", "[SQL", "sqlalche.me", "sqlite3.", "(Background")
PAGE = 4096


@pytest.fixture(scope="module")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of a few hundred vouchers, its WAL folded into the file."""
    folder = tmp_path_factory.mktemp("damaged")
    cli = Kuntaledger(f"sqlite:///{folder / 'template.db'}", folder)
    cli.ok("init")
    cli.ok("units", "add", "TAL", "--name", "Talouspalvelut")
    cli.ok("post", "--file", cli.file("v.csv", VOUCHERS))
    with sqlite3.connect(folder / "template.db") as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return folder / "template.db"


def _damaged(template: Path, tmp_path: Path, fraction: float) -> Kuntaledger:
    """A copy of the store with one page, at `fraction` of the file, overwritten."""
    tmp_path.mkdir(exist_ok=True)
    path = tmp_path / "ledger.db"
    data = bytearray(template.read_bytes())
    page = int(len(data) // PAGE * fraction)
    data[page * PAGE : (page + 1) * PAGE] = bytes((i * 37 + 11) % 256 for i in range(PAGE))
    path.write_bytes(bytes(data))
    files = tmp_path / "files"
    files.mkdir()
    return Kuntaledger(f"sqlite:///{path}", files)


def _said_in_one_line(run: Run, allowed: tuple[int, ...]) -> None:
    assert run.exit_code in allowed, (run.exit_code, run.stderr)
    if run.exit_code == 2:
        assert run.stderr.startswith("error: ") and run.stderr.count("\n") == 1, run.stderr
    assert not any(leak in run.stdout + run.stderr for leak in LEAKS), run.stdout + run.stderr


@pytest.mark.parametrize("fraction", [0.3, 0.5, 0.7, 0.9])
def test_verify_finds_a_page_overwritten_mid_file(sqlite_template: Path, tmp_path: Path, fraction: float) -> None:
    cli = _damaged(sqlite_template, tmp_path, fraction)

    run = cli("verify")

    _said_in_one_line(run, (1, 2))
    assert "damaged" in (run.stdout + run.stderr).lower()
    assert "chain: ok" not in run.stdout


@pytest.mark.parametrize("fraction", [0.3, 0.5, 0.7, 0.9])
@pytest.mark.parametrize(
    "command",
    [("post", "--file", "ONE_MORE"), ("statement", "--unit", "TAL", "--year", "2024"), ("events",), ("units", "list")],
    ids=lambda c: c[0],
)
def test_a_command_on_a_damaged_store_works_or_says_so_in_one_line(
    sqlite_template: Path, tmp_path: Path, fraction: float, command: tuple[str, ...]
) -> None:
    cli = _damaged(sqlite_template, tmp_path, fraction)
    args = [cli.file("one.csv", ONE_MORE) if word == "ONE_MORE" else word for word in command]

    _said_in_one_line(cli(*args), (0, 2))


def test_the_lean_report_path_on_a_damaged_store_says_so_in_one_line(sqlite_template: Path, tmp_path: Path) -> None:
    for fraction in (0.3, 0.5, 0.7, 0.9):
        cli = _damaged(sqlite_template, tmp_path / str(fraction), fraction)
        argv = ["statement", "--unit", "TAL", "--year", "2024", "--store", cli.store_url]

        run = subprocess.run([sys.executable, "-m", "cli", *argv], capture_output=True, text=True, timeout=120)

        _said_in_one_line(Run(run.returncode, run.stdout, run.stderr), (0, 2))


def test_an_intact_sqlite_store_passes_the_database_check(sqlite_template: Path, tmp_path: Path) -> None:
    path = tmp_path / "ledger.db"
    path.write_bytes(sqlite_template.read_bytes())
    cli = Kuntaledger(f"sqlite:///{path}", tmp_path)

    run = cli.ok("verify")
    report = cli.json("verify")

    assert "store: ok (SQLite integrity_check)" in run.stdout
    assert report["store_checked"] == "SQLite integrity_check" and report["store_problems"] == []


def test_a_database_error_that_escapes_a_command_still_ends_as_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from sqlalchemy.exc import DatabaseError

    error = DatabaseError("SELECT 1", {}, sqlite3.DatabaseError("database disk image is malformed"))

    with pytest.raises(SystemExit) as exited:
        unexpected(error)

    assert exited.value.code == 2
    said = capsys.readouterr().err
    assert said.count("\n") == 1 and "damaged" in said and "SELECT" not in said


@pytest.mark.postgres
def test_verify_on_postgresql_says_what_the_server_checked(postgres_store: str, tmp_path: Path) -> None:
    cli = Kuntaledger(postgres_store, tmp_path)
    cli.ok("init")

    without = cli.json("verify")
    schema = postgres_store.rsplit("schema=", 1)[1]
    with psycopg.connect(POSTGRES_URL.split("?")[0], autocommit=True) as conn:
        conn.execute(f"CREATE EXTENSION amcheck SCHEMA {schema}")
    try:
        with_amcheck = json.loads(cli.ok("verify", "--format", "json").stdout)
    finally:
        with psycopg.connect(POSTGRES_URL.split("?")[0], autocommit=True) as conn:
            conn.execute("DROP EXTENSION amcheck")

    assert "amcheck extension is not installed" in without["store_checked"]
    assert with_amcheck["store_checked"].startswith("PostgreSQL amcheck: ")
    assert with_amcheck["store_problems"] == []
