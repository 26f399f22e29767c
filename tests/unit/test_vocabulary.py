"""The recording commands are declared once (ADR 0030): the CLI's options, a history file's
keys and the command reference in docs/history-format.md are all read from that table."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer.main

from cli.app import app
from ledger.vocabulary import BY_VERB, COMMANDS, parameters
from ledger.vocabulary.reference import rewritten

DOCS = Path(__file__).resolve().parents[2] / "docs" / "history-format.md"
RUN_OPTIONS = ["--store", "--actor", "--recorded-at", "--tz"]


def cli_command(verb: str) -> Any:
    command: Any = typer.main.get_command(app)
    for word in verb.split():
        command = command.commands[word]
    return command


def test_the_docs_print_the_command_reference_of_the_table() -> None:
    text = DOCS.read_text(encoding="utf-8")

    assert rewritten(text) == text, "run `python -m ledger.vocabulary.reference docs/history-format.md`"


@pytest.mark.parametrize("command", COMMANDS, ids=lambda command: command.verb)
def test_a_commands_cli_options_are_its_parameters_then_the_shared_ones(command: type) -> None:
    params = cli_command(command.verb).params
    arguments = [param.name for param in params if param.param_type_name == "argument"]
    options = [param.opts[0] for param in params if param.param_type_name == "option" and param.name != "help"]

    declared = parameters(command)
    assert arguments == [p.name for p in declared if p.argument]
    own = [p.option for p in declared if not p.argument]
    extra = (["--dry-run"] if command.dry_run else []) + (["--quiet"] if command.verb == "post" else [])
    assert options == own + extra + RUN_OPTIONS


@pytest.mark.parametrize("command", COMMANDS, ids=lambda command: command.verb)
def test_a_history_key_is_the_cli_option_without_its_dashes(command: type) -> None:
    for parameter in parameters(command):
        assert parameter.argument or parameter.option == f"--{parameter.key}"


def test_a_risks_class_is_spelled_class_on_the_cli_and_in_a_history_file() -> None:
    (spelled,) = (p for p in parameters(BY_VERB["risks assess"]) if p.key == "class")

    assert (spelled.name, spelled.option) == ("risk_class", "--class")


@pytest.mark.parametrize("module", ["ledger.vocabulary", "cli.recording"])
def test_the_table_and_the_recording_cli_import_no_heavy_library(module: str) -> None:
    heavy = ("pydantic", "sqlalchemy", "eventsourcing")
    code = f"import sys, {module}; print(sorted(m for m in {heavy!r} if m in sys.modules))"

    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)

    assert run.stdout.strip() == "[]"
