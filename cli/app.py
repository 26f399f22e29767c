"""The `kuntaledger` typer app: command groups and the error boundary (`cli.main` runs it
unless the lean report path answers first, ADR 0015)."""

from __future__ import annotations

import sys
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path
from typing import Annotated

import typer

from cli.errors import LedgerTyper
from cli.groups import accounts_app, budget_app, goals_app, projects_app, risks_app, units_app

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

# Each module registers its plain verbs on `app` and fills the groups above.
COMMAND_MODULES = (
    "cli.recording",
    "cli.lists",
    "cli.demo",
    "cli.audit",
    "cli.reports",
    "cli.document",
    "cli.admin",
    "cli.exchange",
    "cli.tracing",
)


def _modules_for(argv: list[str]) -> tuple[str, ...]:
    """The command modules to import: when run as `kuntaledger VERB`, only those whose
    source registers VERB (a plain `command("VERB")` or the group `VERB_app`), read as
    text without importing them, so that a report does not pay for every other command's
    imports at start-up; all of them for help, a typo, or when imported (tests)."""
    if Path(argv[0]).name != "kuntaledger" or len(argv) < 2 or argv[1].startswith("-"):
        return COMMAND_MODULES
    verb = argv[1]
    needles = (f'command("{verb}")', f"{verb.replace('-', '_')}_app")
    wanted = tuple(name for name in COMMAND_MODULES if any(needle in _source(name) for needle in needles))
    return wanted or _recording(verb) or COMMAND_MODULES


def _recording(verb: str) -> tuple[str, ...]:
    """`cli.recording` for a plain verb of the recording commands' vocabulary (ADR 0030)."""
    from ledger.vocabulary import BY_VERB

    return ("cli.recording",) if verb in BY_VERB else ()


def _source(module: str) -> str:
    spec = find_spec(module)
    if spec is None or spec.origin is None:
        return ""
    return Path(spec.origin).read_text(encoding="utf-8")


for _name in _modules_for(sys.argv):
    import_module(_name).register(app)


def run() -> None:
    """Console entry point. Ledger errors are handled per command (cli.errors); anything
    unexpected still ends as one line, never a traceback."""
    from cli.main import unexpected

    try:
        app()
    except Exception as error:
        unexpected(error)
