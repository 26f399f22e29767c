"""The recording commands, built from their one declaration (ledger.vocabulary, ADR 0030): a
command's own options come from its parameters, then the options every recording command shares."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cli.common import (
    ActorOption,
    RecordedAtOption,
    StoreOption,
    TzOption,
    existing_file,
    parse_date_option,
    record,
)
from cli.errors import option_of
from cli.groups import accounts_app, budget_app, classes_app, goals_app, projects_app, risks_app, units_app
from ledger.clock import HOME_ZONE
from ledger.errors import InvalidInput, LedgerError
from ledger.vocabulary import COMMANDS, Command, Parameter, parameters

if TYPE_CHECKING:
    from rich.progress import TaskID

GROUPS = {
    "units": units_app,
    "accounts": accounts_app,
    "projects": projects_app,
    "budget": budget_app,
    "goals": goals_app,
    "risks": risks_app,
    "classes": classes_app,
}
DryRunOption = Annotated[bool, typer.Option("--dry-run", help="Check everything, record nothing.")]
QuietOption = Annotated[bool, typer.Option("--quiet", help="No progress bar and no summary.")]
_SHARED = (
    ("store", StoreOption, None),
    ("actor", ActorOption, None),
    ("recorded_at", RecordedAtOption, None),
    ("tz", TzOption, HOME_ZONE),
)


@dataclass(frozen=True)
class Run:
    """How a command is recorded: the options shared by the recording commands."""

    store: str | None
    actor: str | None
    recorded_at: str | None
    tz: str
    dry_run: bool = False
    quiet: bool = False


def register(app: typer.Typer) -> None:
    for command in COMMANDS:
        group, _, verb = command.verb.rpartition(" ")
        (GROUPS[group] if group else app).command(verb)(_function(command))


def _function(command: type[Command]) -> Callable[..., None]:
    """The typer function of `command`: its parameters as options, then --dry-run where the
    command has one, the runner's own options, and --store, --actor, --recorded-at and --tz."""
    runner, extra = _RUNNERS.get(command.verb, (_record, ()))
    dry_run = (("dry_run", DryRunOption, False),) if command.dry_run else ()
    shared = (*dry_run, *extra, *_SHARED)

    def run_command(**given: Any) -> None:
        values = {parameter.name: _value(parameter, given.pop(parameter.name)) for parameter in parameters(command)}
        try:
            runner(command(**values), Run(**given))
        except LedgerError as error:
            if error.field is None:
                raise
            raise type(error)(error.spelled(_spelling(command, error.field))) from None

    own = [_typer_parameter(parameter) for parameter in parameters(command)]
    run_command.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        own + [_keyword(name, annotation, default) for name, annotation, default in shared]
    )
    run_command.__doc__ = command.__doc__
    run_command.__name__ = run_command.__qualname__ = command.verb.replace(" ", "_").replace("-", "_")
    return run_command


def _spelling(command: type[Command], field: str) -> str:
    """How the CLI names `field` of `command`: its option (`--class`), an argument in capitals
    (`CODE`), and a field that is not the command's own (`--recorded-at`) as an option."""
    for parameter in parameters(command):
        if parameter.name == field:
            return parameter.name.upper() if parameter.argument else parameter.option
    return option_of(field)


def _typer_parameter(parameter: Parameter) -> inspect.Parameter:
    """The option (or argument) as typer reads it: a date as text, parsed by `_value`."""
    kind: Any = str if parameter.kind is date else parameter.kind
    if parameter.optional or parameter.today:
        kind = kind | None
    info: Any
    if parameter.argument:
        info = typer.Argument(help=parameter.help)
    else:
        shown = f"{parameter.help.removesuffix('.')} (default today)." if parameter.today else parameter.help
        info = typer.Option(parameter.option, help=shown, show_default=parameter.show_default)
    default = None if parameter.today else inspect.Parameter.empty if parameter.required else parameter.default
    return _keyword(parameter.name, Annotated[kind, info], default)


def _keyword(name: str, annotation: Any, default: Any) -> inspect.Parameter:
    return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation)


def _value(parameter: Parameter, given: Any) -> Any:
    """The value typer parsed, read as the command takes it: dates parsed, files checked."""
    if parameter.today and not given:
        return date.today()
    if given is None:
        return None
    if parameter.kind is date:
        return parse_date_option(parameter.option, given)
    if parameter.kind is Path:
        return existing_file(parameter.option, given)
    if parameter.choices and given not in parameter.choices:
        raise InvalidInput(f"{parameter.option} '{given}': {parameter.refusal}")
    return given


def _record(command: Command, run: Run) -> None:
    if command.hashes_figures:
        from dataclasses import replace

        from projections.approvals import figures_hash

        command = replace(command, figures_hash=figures_hash)
    record(run.store, command.check(), run.actor, run.recorded_at, run.tz, not command.on_empty_store, run.dry_run)


def _post(command: Any, run: Run) -> None:
    """`post` goes through the importer: in chunks of whole vouchers, with a progress bar."""
    from cli.common import open_ledger, parse_moment_option, parse_zone_option
    from ledger.importing import import_file

    moment = parse_moment_option("--recorded-at", run.recorded_at, parse_zone_option(run.tz))
    with open_ledger(run.store) as ledger, _progress_bar(run.quiet) as progress:
        result = import_file(ledger, command.file, command.encoding, run.actor, moment, run.dry_run, progress)
    if run.quiet:
        return
    for note in result.notes:
        typer.echo(f"dry run, nothing recorded: {note}" if run.dry_run else note, err=True)


@contextmanager
def _progress_bar(quiet: bool) -> Iterator[Callable[[str, int, int], None] | None]:
    """A rich progress bar on stderr when it is a terminal; nothing otherwise."""
    import sys

    if quiet or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        tasks: dict[str, TaskID] = {}

        def update(phase: str, done: int, total: int) -> None:
            if phase not in tasks:
                tasks[phase] = bar.add_task(f"{phase} lines", total=total or None)
            bar.update(tasks[phase], completed=done, total=total or None)

        yield update


# Commands the CLI runs its own way, with the options only that way has.
_RUNNERS: dict[str, tuple[Callable[[Any, Run], None], tuple[tuple[str, Any, Any], ...]]] = {
    "post": (_post, (("quiet", QuietOption, False),)),
}
