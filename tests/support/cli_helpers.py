"""Running `kuntaledger` in-process against a store, as the tests of the CLI do.

`kuntaledger(*args)` invokes the typer app through `CliRunner` with `--store` appended and
returns exit code, stdout and stderr separately (typer 0.29's runner keeps them apart).
An exception the CLI did not turn into an exit code is re-raised, so a test never passes
over a traceback. `refused`, `one_line`, `check` and `of` are the assertions several
test modules share.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from cli.main import app


@dataclass(frozen=True)
class Run:
    exit_code: int
    stdout: str
    stderr: str


class Kuntaledger:
    """The CLI bound to one store and one scratch directory for input files."""

    def __init__(self, store_url: str, workdir: Path) -> None:
        self.store_url = store_url
        self.workdir = workdir
        self.runner = CliRunner()

    def __call__(self, *args: str) -> Run:
        result = self.runner.invoke(app, [*args, "--store", self.store_url], env={"KUNTALEDGER_STORE": None})
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return Run(result.exit_code, result.stdout, result.stderr)

    def ok(self, *args: str) -> Run:
        """Run a command that must succeed."""
        run = self(*args)
        assert run.exit_code == 0, f"{' '.join(args)} exited {run.exit_code}: {run.stderr}"
        return run

    def json(self, *args: str) -> Any:
        return json.loads(self.ok(*args, "--format", "json").stdout)

    def events(self, *filters: str) -> list[dict[str, Any]]:
        """The log as `events --format json` shows it; none while the store does not exist."""
        run = self("events", *filters, "--format", "json")
        if run.exit_code == 2 and "does not exist" in run.stderr:
            return []
        assert run.exit_code == 0, f"events exited {run.exit_code}: {run.stderr}"
        events: list[dict[str, Any]] = json.loads(run.stdout)
        return events

    def event_count(self) -> int:
        return len(self.events())

    def file(self, name: str, text: str, encoding: str = "utf-8") -> str:
        """Write an input file and return its path as a command-line argument."""
        path = self.workdir / name
        path.write_bytes(text.encode(encoding))
        return str(path)


def refused(cli: Kuntaledger, *args: str) -> Run:
    """Run a command that must be refused without writing anything."""
    before = cli.event_count()
    run = cli(*args)
    assert run.exit_code == 2, f"exit {run.exit_code}; stderr: {run.stderr}"
    assert run.stderr.startswith("error: ")
    assert cli.event_count() == before, "a refused command wrote events"
    return run


def one_line(run: Run) -> str:
    message = run.stderr.strip()
    assert "\n" not in message, f"expected one line, got: {message}"
    return message


def check(cli: Kuntaledger, *args: str) -> tuple[int, list[dict[str, Any]]]:
    """`check --year 2024` as JSON: its exit code and its findings."""
    run = cli("check", "--year", "2024", "--format", "json", *args)
    assert run.exit_code in (0, 1), run.stderr
    findings: list[dict[str, Any]] = json.loads(run.stdout)["findings"]
    return run.exit_code, findings


def of(findings: list[dict[str, Any]], rule: str, unit: str | None = None) -> list[dict[str, Any]]:
    """The findings of one rule, and of one unit if given."""
    return [f for f in findings if f["rule"] == rule and (unit is None or f["unit"] == unit)]
