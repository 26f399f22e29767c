"""The `kuntaledger` command: command groups and the error boundary."""

from __future__ import annotations

import sys
from importlib import import_module

from cli.errors import LedgerTyper
from cli.groups import accounts_app, budget_app, goals_app, projects_app, risks_app, units_app

app = LedgerTyper(
    name="kuntaledger",
    help="Event-sourced ledger and compliance engine for Finnish municipal budgets.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
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
for _name in COMMAND_MODULES:
    import_module(_name).register(app)


def run() -> None:
    """Console entry point. Ledger errors are handled per command (cli.errors); anything
    unexpected still ends as one line, never a traceback."""
    try:
        app()
    except Exception as error:
        sys.stderr.write(f"error: unexpected {type(error).__name__}: {error}\n")
        sys.exit(3)
