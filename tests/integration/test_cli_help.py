"""`--help` of every command reads as a manual: placeholders such as TEXT, DATE and FILE,
nothing for a flag, never typer's `<str>` or `<bool>`; and `kuntaledger --version`."""

from __future__ import annotations

import re
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from cli.app import app


def command_paths() -> list[tuple[str, ...]]:
    """Every command and group of the app, as the words that name it."""
    paths: list[tuple[str, ...]] = [()]
    pending = [((), typer.main.get_command(app))]
    while pending:
        path, group = pending.pop()
        for name, command in getattr(group, "commands", {}).items():
            paths.append((*path, name))
            pending.append(((*path, name), command))
    return sorted(paths)


def help_of(*path: str) -> str:
    result = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.stdout


def test_every_command_is_walked() -> None:
    assert {("statement",), ("units", "add"), ("goals", "set"), ("events",)} <= set(command_paths())


@pytest.mark.parametrize("path", command_paths(), ids=lambda path: " ".join(path) or "kuntaledger")
def test_help_shows_placeholders_not_python_types(path: tuple[str, ...]) -> None:
    text = help_of(*path)

    assert re.findall(r"<\w+>", text) == []


@pytest.mark.parametrize(
    ("path", "option", "placeholder"),
    [
        (("statement",), "--known-at", "TIMESTAMP"),
        (("statement",), "--as-of", "DATE"),
        (("statement",), "--output", "FILE"),
        (("statement",), "--year", "YEAR"),
        (("events",), "--year", "YEAR"),
        (("statement",), "--store", "URL"),
        (("statement",), "--unit", "TEXT"),
        (("post",), "--file", "FILE"),
        (("post",), "--recorded-at", "TIMESTAMP"),
        (("budget", "adopt"), "--decided-on", "DATE"),
        (("events",), "--limit", "N"),
    ],
)
def test_an_option_names_what_it_takes(path: tuple[str, ...], option: str, placeholder: str) -> None:
    line = next(line for line in help_of(*path).splitlines() if f" {option} " in line)

    assert re.search(rf"{option}\s+{placeholder}\b", line), line


@pytest.mark.parametrize("path", [("post",), ("units", "add")])
def test_a_flag_takes_no_placeholder(path: tuple[str, ...]) -> None:
    line = next(line for line in help_of(*path).splitlines() if " --help " in line)

    assert re.search(r"--help\s+Show this message", line), line


def test_an_argument_is_named_in_capitals() -> None:
    text = help_of("units", "add")

    assert "Usage: kuntaledger units add [OPTIONS] {CODE}" in text


def test_version_prints_the_installed_packages_version() -> None:
    result = CliRunner().invoke(app, ["--version"])

    assert (result.exit_code, result.stdout) == (0, f"kuntaledger {version('kuntaledger')}\n")


def test_the_console_script_prints_the_version(capsys: pytest.CaptureFixture[str]) -> None:
    import subprocess

    script = str(Path(sys.executable).parent / "kuntaledger")
    run = subprocess.run([script, "--version"], capture_output=True, text=True, timeout=60, check=False)

    assert (run.returncode, run.stdout) == (0, f"kuntaledger {version('kuntaledger')}\n")
