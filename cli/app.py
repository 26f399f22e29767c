"""The `kuntaledger` typer app: its command groups, and which module defines each command.

`COMMANDS` declares every command (a plain verb, a group's own report, or a group's
subcommand) and the module that defines it. Run as `kuntaledger VERB ...`, the app
imports only the modules that VERB needs, so that a report does not pay for every other
command's imports at start-up; help for the whole app, a group's help or a word that is
no command imports them all, as does importing this module anywhere else (tests).
"""

from __future__ import annotations

import sys
from importlib import import_module
from pathlib import Path
from typing import Annotated

import typer

from cli.errors import LedgerTyper
from cli.groups import accounts_app, budget_app, classes_app, goals_app, projects_app, risks_app, units_app

app = LedgerTyper(
    name="kuntaledger",
    help="Event-sourced ledger and compliance engine for Finnish municipal budgets.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _version(given: bool) -> None:
    if given:
        from importlib.metadata import version

        typer.echo(f"kuntaledger {version('kuntaledger')}")
        raise typer.Exit()


@app.callback()
def main(
    show_version: Annotated[
        bool, typer.Option("--version", help="Print the version and exit.", callback=_version, is_eager=True)
    ] = False,
) -> None:
    """Event-sourced ledger and compliance engine for Finnish municipal budgets."""


app.add_typer(units_app, name="units")
app.add_typer(accounts_app, name="accounts")
app.add_typer(projects_app, name="projects")
app.add_typer(budget_app, name="budget")
app.add_typer(goals_app, name="goals")
app.add_typer(risks_app, name="risks")
app.add_typer(classes_app, name="classes")

# Every command, by the words that name it, and the module that defines it. A group's
# own entry (`goals`) is its report, run when no subcommand is given.
COMMANDS: dict[str, str] = {
    "init": "cli.recording",
    "post": "cli.recording",
    "reverse": "cli.recording",
    "close-year": "cli.recording",
    "reopen-year": "cli.recording",
    "explain-deviation": "cli.recording",
    "units add": "cli.recording",
    "units describe": "cli.recording",
    "units rename": "cli.recording",
    "units close": "cli.recording",
    "units set": "cli.recording",
    "units list": "cli.lists",
    "accounts add": "cli.recording",
    "accounts rename": "cli.recording",
    "accounts close": "cli.recording",
    "accounts list": "cli.lists",
    "projects add": "cli.recording",
    "projects list": "cli.lists",
    "budget adopt": "cli.recording",
    "budget amend": "cli.recording",
    "goals": "cli.reports",
    "goals set": "cli.recording",
    "goals reword": "cli.recording",
    "goals report": "cli.recording",
    "risks": "cli.reports",
    "risks assess": "cli.recording",
    "approve": "cli.recording",
    "classes": "cli.lists",
    "classes load": "cli.recording",
    "submit": "cli.recording",
    "submissions": "cli.lists",
    "cube": "cli.reporting",
    "events": "cli.lists",
    "demo": "cli.demo",
    "load": "cli.demo",
    "check": "cli.audit",
    "rules": "cli.audit",
    "verify": "cli.audit",
    "seal": "cli.audit",
    "statement": "cli.reports",
    "summary": "cli.reports",
    "investments": "cli.reports",
    "plan": "cli.reports",
    "report": "cli.document",
    "rebuild": "cli.admin",
    "migrate": "cli.admin",
    "export": "cli.exchange",
    "import-log": "cli.exchange",
    "explain": "cli.tracing",
    "diff": "cli.tracing",
    "serve": "cli.web.serve",
}
COMMAND_MODULES = tuple(dict.fromkeys(COMMANDS.values()))


def modules_for(words: list[str]) -> tuple[str, ...]:
    """The modules that define what `kuntaledger WORDS...` runs: its verb's, or its group's
    own report's and its subcommand's; every module of a group for the group's help or
    list of commands; every module for no verb, the app's options or a word that is none."""
    if not words or words[0].startswith("-"):
        return COMMAND_MODULES
    verb, rest = words[0], words[1:]
    subcommands = {path.split(" ", 1)[1]: module for path, module in COMMANDS.items() if path.startswith(f"{verb} ")}
    own = (COMMANDS[verb],) if verb in COMMANDS else ()
    if not subcommands:
        return own or COMMAND_MODULES
    named = tuple(subcommands[word] for word in rest if word in subcommands)
    if named or (own and rest and "--help" not in rest):
        return tuple(dict.fromkeys((*own, *named)))
    return tuple(dict.fromkeys((*own, *subcommands.values())))


def _argv_words(argv: list[str]) -> list[str] | None:
    """The words after the program's name when run as the `kuntaledger` command, else None."""
    return argv[1:] if argv and Path(argv[0]).name == "kuntaledger" else None


_words = _argv_words(sys.argv)
for _name in COMMAND_MODULES if _words is None else modules_for(_words):
    import_module(_name).register(app)
