"""The `kuntaledger` command: command groups and the error boundary."""

from __future__ import annotations

import sys
from importlib import import_module

import typer

from cli.groups import accounts_app, budget_app, goals_app, projects_app, risks_app, units_app

app = typer.Typer(
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
)
for _name in COMMAND_MODULES:
    import_module(_name).register(app)


def run() -> None:
    """Console entry point: ledger errors become one line on stderr and exit code 2."""
    from ledger.errors import LedgerError

    try:
        app(standalone_mode=False)
    except LedgerError as error:
        sys.stderr.write(f"error: {error}\n")
        sys.exit(error.exit_code)
    except typer.Exit as done:
        sys.exit(done.exit_code)
    except typer.Abort:
        sys.stderr.write("aborted\n")
        sys.exit(130)
    except Exception as error:
        import click

        if isinstance(error, click.ClickException):
            error.show()
            sys.exit(error.exit_code)
        sys.stderr.write(f"error: {type(error).__name__}: {error}\n")
        sys.exit(3)
