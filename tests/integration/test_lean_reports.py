"""Reports and the event log read the read models through the driver alone when they are
at the log's head (ADR 0031): no ledger opened, no SQLAlchemy, pydantic or eventsourcing imported; the
ledger only catches them up when they are behind, and says what is wrong with a store.

The Heinola 2024 history is loaded once per backend.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import reports
from cli.main import app
from ledger.application import Ledger
from ledger.loading import load_history, seed_history_path
from ledger.store.projector import reset
from projections.approvals import figures_hash

SIGNED = "2025-03-26T23:59:59+02:00"
FORMATS = ("table", "csv", "json", "md")
LANGS = ("fi", "en")
# (verb, unit, further options): units by code and by name, as-of and known-at given or not.
CASES = (
    ("statement", "HEINOLA", ("--year", "2024")),
    ("statement", "YP", ("--year", "2024", "--as-of", "2024-06-30", "--known-at", SIGNED)),
    ("statement", "TIHA", ("--as-of", "31.12.2024", "--known-at", "2024-09-01")),
    ("statement", "Tietohallinto- ja digipalvelut", ("--year", "2024", "--known-at", "2025-12-31")),
    ("statement", "HEINOLA", ("--year", "2024", "--known-at", "2023-01-01")),  # before anything was known
    ("summary", "YP", ("--year", "2024", "--known-at", SIGNED)),
    ("summary", "HEINOLA", ("--year=2024", "--as-of=2024-03-31")),
    ("summary", "TARK", ("--year", "2025")),  # a year with no budget
    ("investments", "HEINOLA", ("--year", "2024", "--known-at", SIGNED)),
    ("investments", "YP", ("--year", "2024", "--as-of", "2024-06-30")),
    ("statement", "YP", ("--year", "2024", "--known-at", "2025-03-26T09:30", "--tz", "UTC")),
    ("summary", "YP", ("--year", "2024", "--known-at", "2025-03-26", "--tz=America/New_York")),
    # the board's approved version (ADR 0027), unchanged since; and today's books by name
    ("summary", "YP", ("--year", "2024")),
    ("investments", "YP", ("--year", "2024")),
    ("statement", "TIHA", ("--year", "2024", "--known-at", "now")),
    ("goals", "YP", ("--year", "2024")),
    ("goals", "HEINOLA", ("--year", "2024", "--known-at", SIGNED)),
    ("risks", "YP", ("--year", "2024")),
    ("risks", "HEINOLA", ("--year", "2024", "--as-of", "2024-06-30")),
)


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def heinola(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A store holding the Heinola 2024 history, on each backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('lean') / 'heinola.db'}"
        _load(url)
        yield url
        return
    import psycopg

    admin = os.environ.get("LEDGER_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test").split("?", 1)[0]
    try:
        psycopg.connect(admin, connect_timeout=3).close()
    except psycopg.Error:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"PostgreSQL is not reachable at {admin}")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        url = f"{admin}?schema={schema}"
        _load(url)
        yield url
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


def _load(url: str) -> None:
    with Ledger(url) as ledger:
        assert load_history(ledger, seed_history_path(), figures_hash=figures_hash).steps > 0


def invoke(*argv: str) -> tuple[int, bytes, str]:
    result = CliRunner().invoke(app, list(argv), env={"KUNTALEDGER_STORE": None})
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout_bytes, result.stderr


@pytest.fixture
def no_ledger(monkeypatch: pytest.MonkeyPatch) -> None:
    """Opening the ledger fails the test: the report must be read without it."""

    def refused(*_: object, **__: object) -> None:
        raise AssertionError("the ledger was opened")

    monkeypatch.setattr(reports, "open_ledger", refused)
    monkeypatch.setattr("cli.common.open_ledger", refused)


@pytest.mark.usefixtures("no_ledger")
@pytest.mark.parametrize(("verb", "unit", "options"), CASES)
def test_a_report_at_the_log_head_is_read_without_opening_the_ledger(
    heinola: str, verb: str, unit: str, options: tuple[str, ...]
) -> None:
    for fmt, lang in itertools.product((None, *FORMATS), (None, *LANGS)):
        args = [verb, "--unit", unit, *options, "--store", heinola]
        args += ["--format", fmt] if fmt else []
        args += ["--lang", lang] if lang else []
        code, stdout, stderr = invoke(*args)
        assert code == 0 and stdout, (args, stderr)
        assert "warning" not in stderr and "error" not in stderr, args


@pytest.mark.usefixtures("no_ledger")
@pytest.mark.parametrize(
    "options",
    [(), ("--year", "2024", "--limit", "5"), ("--type", "GoalSet"), ("--unit", "YP", "--format", "json")],
)
def test_the_event_log_at_the_head_is_listed_without_opening_the_ledger(heinola: str, options: tuple[str, ...]) -> None:
    code, stdout, stderr = invoke("events", *options, "--store", heinola)
    assert code == 0 and stdout, stderr
    assert "warning" not in stderr and "error" not in stderr


@pytest.mark.usefixtures("no_ledger")
def test_a_report_written_to_a_file_says_so_on_stderr(heinola: str, tmp_path: Path) -> None:
    args = ["statement", "--unit", "YP", "--year", "2024", "--known-at", SIGNED, "--format", "csv"]
    code, stdout, stderr = invoke(*args, "--output", str(tmp_path / "report.csv"), "--store", heinola)
    assert (code, stdout) == (0, b"")
    assert stderr == f"wrote {tmp_path / 'report.csv'}\n"
    assert (tmp_path / "report.csv").read_bytes() == invoke(*args, "--store", heinola)[1]


def test_an_approved_version_changed_since_opens_the_ledger_for_the_events_behind_it(heinola: str) -> None:
    code, stdout, _ = invoke("statement", "--unit", "TIHA", "--year", "2024", "--format", "json", "--store", heinola)
    assert code == 0 and b'"changed_since_approval": [\n    {' in stdout


def test_a_missing_store_is_refused_and_not_created(tmp_path: Path) -> None:
    store = tmp_path / "none.db"
    code, stdout, stderr = invoke("statement", "--unit", "YP", "--year", "2024", "--store", f"sqlite:///{store}")
    assert (code, stdout) == (2, b"") and "does not exist" in stderr
    assert not store.exists()


def test_read_models_behind_the_log_are_caught_up_first(heinola: str) -> None:
    args = ["statement", "--unit", "YP", "--year", "2024", "--known-at", SIGNED, "--format", "json", "--store", heinola]
    current = invoke(*args)
    with Ledger(heinola) as ledger, ledger.engine.begin() as conn:
        reset(conn)  # as a rebuild stopped right after it emptied the tables
    assert invoke(*args) == current
    with Ledger(heinola) as ledger, ledger.engine.connect() as conn:
        assert ledger.projector.tracked(conn)[0] == ledger.log_length()


def test_read_models_an_earlier_version_wrote_are_projected_again_first(heinola: str) -> None:
    from sqlalchemy import update

    from ledger.store import tables as t

    args = ["statement", "--unit", "YP", "--year", "2024", "--known-at", SIGNED, "--format", "json", "--store", heinola]
    current = invoke(*args)
    with Ledger(heinola) as ledger, ledger.engine.begin() as conn:
        conn.execute(update(t.position).values(schema_version=t.SCHEMA_VERSION - 1))
    code, stdout, stderr = invoke(*args)
    assert (code, stdout) == current[:2] and "projecting them again from the log" in stderr
    assert invoke(*args) == current


def process(*command: str) -> tuple[int, bytes, bytes]:
    env = {key: value for key, value in os.environ.items() if key != "KUNTALEDGER_STORE"}
    run = subprocess.run(command, capture_output=True, env={**env, "COLUMNS": "100"}, timeout=120, check=False)
    return run.returncode, run.stdout, run.stderr


@pytest.mark.parametrize(
    "argv",
    [
        ["statement", "--unit", "YP", "--year", "2024", "--known-at", SIGNED],
        ["summary", "--unit", "HEINOLA", "--year", "2024", "--known-at", SIGNED, "--format", "json", "--lang", "en"],
        ["goals", "--unit", "YP", "--year", "2024", "--known-at", SIGNED],
        ["statement", "--unit", "NOSUCH", "--year", "2024"],
        ["statement", "--unit", "YP", "--year", "2024", "--as-of", "31.2.2024"],
        ["statement", "--unit", "YP", "--year", "24x"],
        ["statement", "--help"],
        ["goals", "--help"],
        ["units"],
    ],
)
def test_the_console_script_answers_as_the_app_with_every_command_loaded(heinola: str, argv: list[str]) -> None:
    """The console script imports only the modules its verb needs (`cli.app.COMMANDS`)."""
    script = str(Path(sys.executable).parent / "kuntaledger")
    answered = process(script, *argv, "--store", heinola)
    assert answered == process(sys.executable, "-c", EVERY_COMMAND, *argv, "--store", heinola)


# The app as imported anywhere but the console script (every command module), run as it.
EVERY_COMMAND = (
    "import sys; argv = sys.argv; sys.argv = ['python']; import cli.app; "
    "sys.argv = ['kuntaledger', *argv[1:]]; from cli.main import run; run()"
)


HEAVY = ("sqlalchemy", "pydantic", "eventsourcing", "rich", "openpyxl", "psycopg")
PROBE = f"""
import atexit, sys
def loaded():
    sys.stdout.flush()
    heavy = set({HEAVY!r}) - ({{"psycopg"}} if sys.argv[-1].startswith("postgresql") else set())
    print(sorted({{name.split(".")[0] for name in sys.modules}} & heavy), file=sys.stderr)
atexit.register(loaded)
sys.argv[0] = "kuntaledger"
from cli.main import run
run()
"""


@pytest.mark.parametrize(
    ("verb", "unit", "fmt"),
    [
        *(("statement", "HEINOLA", fmt) for fmt in FORMATS),
        ("summary", "HEINOLA", "table"),
        ("investments", "HEINOLA", "table"),
        ("summary", "YP", "table"),  # the approved version, titled with its decision (ADR 0027)
        ("goals", "YP", "json"),  # its table wraps text in cells: rich lays it out
        ("risks", "HEINOLA", "json"),
        ("events", "YP", "json"),
    ],
)
def test_a_report_at_the_log_head_imports_no_heavy_library(heinola: str, verb: str, unit: str, fmt: str) -> None:
    """Nor psycopg on SQLite; on PostgreSQL the snapshot is psycopg's."""
    argv = [verb, "--unit", unit, "--year", "2024", "--format", fmt, "--store", heinola]
    run = subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr.decode()
    assert run.stderr.decode().strip().splitlines()[-1] == "[]"
