"""The three PostgreSQL roles of docs/deploy-postgresql.md, set up by running its SQL.

The module creates a database and three roles with unique names on the test server,
runs every SQL block of the deployment guide in order (as the role the block names),
migrates as the owner, records a small year as the writer, and then proves what each
role can and cannot do. Everything is dropped afterwards.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
from support.cli_helpers import Kuntaledger, Run

from ledger.application import Ledger
from ledger.errors import LedgerError
from ledger.store.projector import reset

pytestmark = pytest.mark.postgres

POSTGRES_URL = os.environ.get("LEDGER_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "deploy-postgresql.md"
PASSWORDS = {
    "ledger_owner": "change-me-owner",
    "ledger_writer": "change-me-writer",
    "ledger_auditor": "change-me-auditor",
}

BUDGET = (
    "unit;line;amount\nTAL;sales_income;50 000\nTAL;personnel_expenses;-400 000\nHEN;purchases_of_services;-120 000\n"
)
VOUCHERS = (
    "voucher;date;account;unit;amount;text\n"
    "V-1;15.3.2024;4000;TAL;1200,00;palkat\nV-1;15.3.2024;2500;TAL;-1200,00;\n"
    "V-2;20.3.2024;3000;HEN;-300,00;myynti\nV-2;20.3.2024;1500;HEN;300,00;\n"
)
AMENDMENT = "unit;line;amount\nTAL;personnel_expenses;-10 000\nHEN;purchases_of_services;10 000\n"


@dataclass
class Deployment:
    names: dict[str, str]  # the guide's name -> this test's unique name
    urls: dict[str, str]  # role -> store URL
    workdir: Path
    before_migrate: dict[str, str] = field(default_factory=dict)  # what each role got before `migrate`

    def cli(self, role: str) -> Kuntaledger:
        return Kuntaledger(self.urls[role], self.workdir)

    def connect(self, role: str) -> psycopg.Connection[tuple[object, ...]]:
        return _connect(self.names[role], PASSWORDS[role], self.names["kuntaledger"])


def _server() -> tuple[str, int, str, str]:
    parts = urlsplit(POSTGRES_URL.split("?", 1)[0])
    return parts.hostname or "127.0.0.1", parts.port or 5432, parts.username or "postgres", parts.password or ""


def _connect(user: str, password: str, database: str) -> psycopg.Connection[tuple[object, ...]]:
    host, port, _, _ = _server()
    return psycopg.connect(
        host=host, port=port, user=user, password=password, dbname=database, autocommit=True, connect_timeout=5
    )


def _admin(database: str) -> psycopg.Connection[tuple[object, ...]]:
    _, _, user, password = _server()
    return _connect(user, password, database)


def guide_blocks() -> list[tuple[str, str, str]]:
    """The guide's SQL blocks as (role, database, sql), in order."""
    found = re.findall(r"```sql (\w+)@(\w+)\n(.*?)```", GUIDE.read_text(encoding="utf-8"), flags=re.S)
    return [(role, database, sql) for role, database, sql in found]


def statements(sql: str) -> list[str]:
    """Split on the semicolons that end a line, except inside $$-quoted bodies."""
    out, current, quoted = [], [], False
    for line in sql.splitlines():
        current.append(line)
        quoted ^= line.count("$$") % 2 == 1
        if not quoted and line.rstrip().endswith(";"):
            out.append("\n".join(current))
            current = []
    return out


def _rename(sql: str, names: dict[str, str]) -> str:
    for guide_name, unique in names.items():
        sql = re.sub(rf"\b{guide_name}\b", unique, sql)
    return sql


def _run_block(role: str, database: str, sql: str, deployment: Deployment) -> None:
    names = deployment.names
    target = names.get(database, database)
    with _admin(target) if role == "postgres" else _connect(names[role], PASSWORDS[role], target) as conn:
        for statement in statements(_rename(sql, names)):
            conn.execute(statement)


def _may_create_roles() -> bool | None:
    """True or False; None when the server is not reachable."""
    try:
        with _admin("postgres") as conn:
            row = conn.execute("SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user").fetchone()
    except psycopg.OperationalError:
        return None
    return bool(row and row[0])


def _refusal(url: str, migrate: bool = False) -> str:
    try:
        Ledger(url, migrate=migrate).close()
    except LedgerError as error:
        return str(error)
    return ""


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    allowed = _may_create_roles()
    if allowed is None:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is not reachable at {POSTGRES_URL}")
        pytest.skip(f"PostgreSQL is not reachable at {POSTGRES_URL}")
    if not allowed:
        pytest.skip("the test server's user may not create roles")
    suffix = uuid.uuid4().hex[:8]
    names = {
        "ledger_owner": f"kl_owner_{suffix}",
        "ledger_writer": f"kl_writer_{suffix}",
        "ledger_auditor": f"kl_auditor_{suffix}",
        "kuntaledger": f"kl_roles_{suffix}",
    }
    host, port, _, _ = _server()
    urls = {
        role: f"postgresql://{names[role]}:{PASSWORDS[role]}@{host}:{port}/{names['kuntaledger']}?schema=ledger"
        for role in PASSWORDS
    }
    workdir = tmp_path_factory.mktemp("roles")
    deployment = Deployment(names, urls, workdir)
    blocks = guide_blocks()
    assert [(role, db) for role, db, _ in blocks] == [
        ("postgres", "postgres"),
        ("postgres", "kuntaledger"),
        ("ledger_owner", "kuntaledger"),
    ], "the guide's SQL blocks changed: update this test"
    try:
        for role, database, sql in blocks[:2]:
            _run_block(role, database, sql, deployment)
        deployment.before_migrate = {
            "writer": _refusal(urls["ledger_writer"]),
            "auditor": _refusal(urls["ledger_auditor"]),
            "writer migrate": _refusal(urls["ledger_writer"], migrate=True),
        }
        owner = deployment.cli("ledger_owner")
        owner.ok("migrate")
        owner.ok("migrate")  # a second run changes nothing
        _run_block(*blocks[2], deployment)
        _record_a_year(deployment.cli("ledger_writer"))
        yield deployment
    finally:
        with _admin("postgres") as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{names["kuntaledger"]}" WITH (FORCE)')
            for role in ("ledger_owner", "ledger_writer", "ledger_auditor"):
                conn.execute(f'DROP ROLE IF EXISTS "{names[role]}"')


def _record_a_year(writer: Kuntaledger) -> None:
    writer.ok("init", "--entity", "Testikaupunki")
    writer.ok("units", "add", "YP", "--name", "Yhteiset palvelut", "--binding", "net")
    writer.ok("units", "add", "TAL", "--name", "Talouspalvelut", "--parent", "YP")
    writer.ok("units", "add", "HEN", "--name", "Henkilöstöpalvelut", "--parent", "YP")
    writer.ok(
        "budget", "adopt", "--year", "2024", "--file", writer.file("budget.csv", BUDGET),
        "--decision", "Kv 11.12.2023 § 85", "--decided-on", "11.12.2023",
    )  # fmt: skip
    writer.ok("post", "--file", writer.file("vouchers.csv", VOUCHERS))
    writer.ok(
        "budget", "amend", "--year", "2024", "--kind", "operating-plan", "--file", writer.file("move.csv", AMENDMENT),
        "--decision", "Kh 3.6.2024 § 120", "--decided-on", "3.6.2024", "--reason", "Siirto",
    )  # fmt: skip
    writer.ok("goals", "set", "YP-G1", "--year", "2024", "--unit", "YP", "--level", "council", "--text", "Asiointi")
    writer.ok(
        "risks", "assess", "YP-R1", "--unit", "YP", "--year", "2024", "--class", "Talous",
        "--description", "Kustannukset", "--probability", "2", "--significance", "2",
    )  # fmt: skip
    writer.ok("reverse", "V-2", "--on", "31.3.2024", "--reason", "Väärä yksikkö")


def _log_length(deployment: Deployment) -> int:
    with deployment.connect("ledger_auditor") as conn:
        row = conn.execute("SELECT count(*) FROM ledger.kuntaledger_events").fetchone()
    assert row is not None
    return int(row[0])


def test_only_the_owner_creates_the_tables(deployment: Deployment) -> None:
    assert "kuntaledger migrate" in deployment.before_migrate["writer"]
    assert "kuntaledger migrate" in deployment.before_migrate["auditor"]
    assert "owner role" in deployment.before_migrate["writer migrate"]
    refused = deployment.cli("ledger_writer")("migrate")
    assert refused.exit_code == 2
    assert "may not create or change the ledger's tables" in refused.stderr


READ_COMMANDS = [
    ("statement", "--unit", "YP", "--year", "2024"),
    ("statement", "--unit", "YP", "--year", "2024", "--format", "csv"),
    ("summary", "--unit", "YP", "--year", "2024"),
    ("investments", "--unit", "YP", "--year", "2024"),
    ("goals", "--unit", "YP", "--year", "2024"),
    ("risks", "--unit", "YP", "--year", "2024"),
    ("report", "--unit", "YP", "--year", "2024", "--format", "md"),
    ("events",),
    ("units", "list"),
    ("accounts", "list"),
    ("projects", "list"),
    ("explain", "--unit", "YP", "--row", "operating_margin", "--column", "actual", "--year", "2024"),
    ("diff", "--year", "2024", "--unit", "YP", "--known-at", "2024-01-01", "--against", "2099-01-01"),
    ("verify",),
    ("seal",),
]


@pytest.mark.parametrize("command", READ_COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_the_auditor_runs_every_read_command(deployment: Deployment, command: tuple[str, ...]) -> None:
    run = deployment.cli("ledger_auditor")(*command)
    assert run.exit_code == 0, run.stderr
    assert run.stdout.strip()


def test_the_auditor_runs_check_and_exports(deployment: Deployment, tmp_path: Path) -> None:
    auditor = deployment.cli("ledger_auditor")
    assert auditor("check", "--year", "2024").exit_code in (0, 1)  # 1: it found problems, and said so
    auditor.ok("export", "--format", "json", "--output", str(tmp_path / "log.json"))
    assert (tmp_path / "log.json").stat().st_size > 0


def _recording_commands(auditor: Kuntaledger) -> list[tuple[str, ...]]:
    vouchers = auditor.file("more.csv", VOUCHERS.replace("V-1", "V-9").replace("V-2", "V-8"))
    amendment = auditor.file("move2.csv", AMENDMENT)
    return [
        ("init", "--entity", "Toinen"),
        ("units", "add", "X", "--name", "X"),
        ("accounts", "add", "4999", "--name", "X", "--row", "other_operating_expenses"),
        ("projects", "add", "P-9", "--name", "X", "--group", "movable_property"),
        ("post", "--file", vouchers),
        ("budget", "amend", "--year", "2024", "--kind", "operating-plan", "--file", amendment, "--decision", "Kh 1",
         "--decided-on", "1.6.2024", "--reason", "X"),
        ("reverse", "V-1", "--on", "31.3.2024", "--reason", "X"),
        ("goals", "set", "G9", "--year", "2024", "--unit", "YP", "--level", "council", "--text", "X"),
        ("goals", "report", "YP-G1", "--text", "X", "--status", "achieved"),
        ("risks", "assess", "R9", "--unit", "YP", "--year", "2024", "--class", "X", "--description", "X",
         "--probability", "1", "--significance", "1"),
        ("explain-deviation", "--unit", "YP", "--year", "2024", "--text", "X"),
        ("close-year", "--year", "2024", "--decision", "Kv 1", "--decided-on", "1.6.2025"),
        ("rebuild",),
    ]  # fmt: skip


def test_every_recording_command_under_the_auditor_fails_read_only(deployment: Deployment) -> None:
    auditor = deployment.cli("ledger_auditor")
    before = _log_length(deployment)
    failures: list[tuple[str, Run]] = []
    for command in _recording_commands(auditor):
        run = auditor(*command)
        if run.exit_code != 2 or "read-only for role" not in run.stderr or "writer role" not in run.stderr:
            failures.append((" ".join(command), run))
    assert failures == []
    assert _log_length(deployment) == before


def test_the_writer_cannot_update_delete_or_truncate_the_log(deployment: Deployment) -> None:
    with deployment.connect("ledger_writer") as conn:
        for statement in (
            "UPDATE ledger.kuntaledger_events SET topic = topic",
            "DELETE FROM ledger.kuntaledger_events",
            "TRUNCATE ledger.kuntaledger_events",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)


def test_the_auditor_cannot_write_the_read_models_directly(deployment: Deployment) -> None:
    with deployment.connect("ledger_auditor") as conn, pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
        conn.execute("UPDATE ledger.rm_position SET notification_id = 0")


def test_behind_read_models_are_replayed_privately_for_the_auditor(deployment: Deployment) -> None:
    writer, auditor = deployment.cli("ledger_writer"), deployment.cli("ledger_auditor")
    statement = ("statement", "--unit", "YP", "--year", "2024", "--known-at", "2099-01-01", "--format", "json")
    current = auditor.ok(*statement)
    assert "behind the log" not in current.stderr
    with Ledger(deployment.urls["ledger_writer"]) as ledger, ledger.engine.begin() as conn:
        reset(conn)  # as a `rebuild` interrupted right after it emptied the tables
    try:
        replayed = auditor.ok(*statement)
        assert "behind the log" in replayed.stderr
        assert replayed.stdout == current.stdout
        assert auditor.ok("verify").stdout.splitlines()[1].startswith("chain: ok")
        with deployment.connect("ledger_auditor") as conn:
            row = conn.execute("SELECT notification_id FROM ledger.rm_position").fetchone()
        assert row == (0,), "the auditor must not have written the shared read models"
    finally:
        writer.ok("events")  # any writer command catches the read models up
    caught_up = auditor.ok(*statement)
    assert "behind the log" not in caught_up.stderr
    assert caught_up.stdout == current.stdout


def test_the_writer_records_and_rebuilds(deployment: Deployment) -> None:
    writer = deployment.cli("ledger_writer")
    writer.ok("rebuild")
    assert writer.ok("verify").stdout.splitlines()[1].startswith("chain: ok")
