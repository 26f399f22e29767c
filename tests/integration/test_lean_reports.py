"""The lean report path (cli.quick, ADR 0015) writes what the typer path writes, byte for
byte, or leaves the command to it; and it answers without SQLAlchemy, pydantic, typer or
eventsourcing.

The Heinola 2024 history is loaded once per backend. Each case is answered twice, by
`cli.quick.answer` and by the typer app (`cli.app`, through CliRunner), with the wall clock
frozen so that a default --known-at is the same moment for both.
"""

from __future__ import annotations

import io
import itertools
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import quick
from cli.app import app
from ledger import clock
from ledger.application import Ledger
from ledger.loading import load_history, seed_history_path
from ledger.store.projector import reset
from projections.approvals import figures_hash

FROZEN_NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
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


@pytest.fixture
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: FROZEN_NOW)
    monkeypatch.delenv("KUNTALEDGER_STORE", raising=False)


def lean(*argv: str) -> tuple[bool, str, str]:
    """(answered, stdout, stderr) of the lean path, in-process."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        answered = quick.answer(list(argv))
    return answered, out.getvalue(), err.getvalue()


def typer_path(*argv: str) -> tuple[int, bytes, str]:
    result = CliRunner().invoke(app, list(argv), env={"KUNTALEDGER_STORE": None})
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout_bytes, result.stderr


@pytest.mark.usefixtures("frozen_clock")
@pytest.mark.parametrize(("verb", "unit", "options"), CASES)
def test_the_lean_path_writes_the_typer_paths_bytes(
    heinola: str, verb: str, unit: str, options: tuple[str, ...]
) -> None:
    for fmt, lang in itertools.product((None, *FORMATS), (None, *LANGS)):
        args = [verb, "--unit", unit, *options, "--store", heinola]
        args += ["--format", fmt] if fmt else []
        args += ["--lang", lang] if lang else []
        answered, stdout, stderr = lean(*args)
        code, expected, expected_stderr = typer_path(*args)
        assert answered, f"the lean path passed on {args}"
        assert (code, stdout.encode(), stderr) == (0, expected, expected_stderr), args


@pytest.mark.usefixtures("frozen_clock")
@pytest.mark.parametrize("zone", ["UTC", ""])  # an empty variable is no variable, as for typer
def test_the_lean_path_takes_the_zone_from_the_environment_as_typer_does(
    heinola: str, zone: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KUNTALEDGER_TZ", zone)
    args = ["statement", "--unit", "YP", "--year", "2024", "--known-at", "2025-03-26", "--store", heinola]
    answered, stdout, _ = lean(*args)
    assert answered
    assert stdout.encode() == typer_path(*args)[1]
    assert ("klo 23.59.59 UTC" in stdout) == (zone == "UTC")


@pytest.mark.usefixtures("frozen_clock")
def test_the_lean_path_writes_the_same_file_with_output(heinola: str, tmp_path: Path) -> None:
    args = ["statement", "--unit", "YP", "--year", "2024", "--known-at", SIGNED, "--format", "csv", "--store", heinola]
    answered, stdout, stderr = lean(*args, "--output", str(tmp_path / "lean.csv"))
    code, _, typer_stderr = typer_path(*args, "--output", str(tmp_path / "typer.csv"))
    assert answered and code == 0 and stdout == ""
    assert (tmp_path / "lean.csv").read_bytes() == (tmp_path / "typer.csv").read_bytes()
    assert stderr == typer_stderr.replace("typer.csv", "lean.csv")


@pytest.mark.parametrize(
    "argv",
    [
        ["statement", "--help"],
        ["statement", "--unit", "YP", "--year", "2024", "--as-of", "2024-02-31"],  # no such day
        ["statement", "--unit", "NOSUCH", "--year", "2024"],
        ["statement", "--unit", "YP"],  # no year, no as-of
        ["statement", "--unit", "YP", "--year", "24x"],
        ["statement", "--unit", "YP", "--year", "2024", "--format", "xlsx"],
        ["statement", "--unit", "YP", "--year", "2024", "--format", "pdf"],
        ["statement", "--unit", "YP", "--year", "2024", "--lang", "sv"],
        ["statement", "--unit", "YP", "--year", "2024", "--known-at", "yesterday"],
        ["statement", "--unit", "YP", "--year", "2024", "--tz", "Mars/Olympus"],
        ["statement", "--unit", "YP", "--year", "2024", "--tz="],
        ["statement", "--unit", "YP", "--year", "2024", "--known-at", "2025-03-30T03:30"],  # the clocks skip it
        ["statement", "--unit", "YP", "--year", "2024", "--unit", "TIHA"],
        ["statement", "--unit", "YP", "--year", "2024", "--colour"],
        ["summary", "YP", "--year", "2024"],
        ["goals", "--unit", "YP", "--year", "2024"],
    ],
)
def test_anything_unusual_is_left_to_the_typer_path(heinola: str, argv: list[str]) -> None:
    assert lean(*argv, "--store", heinola) == (False, "", "")


@pytest.mark.usefixtures("frozen_clock")
def test_an_approved_version_changed_since_is_left_to_the_typer_path(heinola: str) -> None:
    """Finding the events that changed its cells replays the log, which the lean path never does."""
    args = ["statement", "--unit", "TIHA", "--year", "2024", "--format", "json", "--store", heinola]
    assert lean(*args) == (False, "", "")
    code, stdout, _ = typer_path(*args)
    assert code == 0 and b'"changed_since_approval": [\n    {' in stdout


def test_a_missing_store_is_left_to_the_typer_path(tmp_path: Path) -> None:
    store = tmp_path / "none.db"
    assert lean("statement", "--unit", "YP", "--year", "2024", "--store", f"sqlite:///{store}") == (False, "", "")
    assert not store.exists()


def test_read_models_behind_the_log_are_caught_up_by_the_typer_path(
    heinola: str, frozen_clock: None, capfd: pytest.CaptureFixture[str]
) -> None:
    args = ["statement", "--unit", "YP", "--year", "2024", "--known-at", SIGNED, "--format", "json", "--store", heinola]
    current = lean(*args)
    with Ledger(heinola) as ledger, ledger.engine.begin() as conn:
        reset(conn)  # as a rebuild stopped right after it emptied the tables
    assert lean(*args) == (False, "", "")
    assert typer_path(*args)[1].decode() == current[1]  # the typer path caught them up
    assert lean(*args) == current


def process(*command: str) -> tuple[int, bytes, bytes]:
    env = {key: value for key, value in os.environ.items() if key != "KUNTALEDGER_STORE"}
    run = subprocess.run(command, capture_output=True, env={**env, "COLUMNS": "100"}, timeout=120, check=False)
    return run.returncode, run.stdout, run.stderr


# The typer app alone, as the console script ran it before the lean path.
TYPER_ONLY = "import sys; sys.argv[0] = 'kuntaledger'; from cli.app import run; run()"


@pytest.mark.parametrize(
    "argv",
    [
        ["statement", "--unit", "YP", "--year", "2024", "--known-at", SIGNED],
        ["summary", "--unit", "HEINOLA", "--year", "2024", "--known-at", SIGNED, "--format", "json", "--lang", "en"],
        ["statement", "--unit", "NOSUCH", "--year", "2024"],
        ["statement", "--unit", "YP", "--year", "2024", "--as-of", "31.2.2024"],
        ["statement", "--help"],
    ],
)
def test_the_console_script_answers_as_the_typer_app(heinola: str, argv: list[str]) -> None:
    script = str(Path(sys.executable).parent / "kuntaledger")
    answered = process(script, *argv, "--store", heinola)
    assert answered == process(sys.executable, "-c", TYPER_ONLY, *argv, "--store", heinola)


HEAVY = ("sqlalchemy", "pydantic", "typer", "eventsourcing", "rich", "openpyxl", "psycopg")
PROBE = f"""
import sys
from cli import quick
assert quick.answer(sys.argv[1:]), "the lean path passed"
sys.stdout.flush()
print(sorted({{name.split(".")[0] for name in sys.modules}} & set({HEAVY!r})), file=sys.stderr)
"""


@pytest.mark.parametrize(
    ("verb", "unit", "fmt"),
    [
        *(("statement", "HEINOLA", fmt) for fmt in FORMATS),
        ("summary", "HEINOLA", "table"),
        ("investments", "HEINOLA", "table"),
        ("summary", "YP", "table"),  # the approved version, titled with its decision (ADR 0027)
    ],
)
def test_a_lean_report_imports_no_heavy_library(heinola: str, verb: str, unit: str, fmt: str) -> None:
    """Not even psycopg: PostgreSQL is read through libpq itself (projections.pq)."""
    argv = [verb, "--unit", unit, "--year", "2024", "--format", fmt, "--store", heinola]
    run = subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True, timeout=120, check=True)
    loaded = run.stderr.decode().strip().splitlines()[-1]
    assert loaded == "[]"
