"""Recording commands: each parses its options and hands a command to the ledger."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

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
from cli.groups import accounts_app, budget_app, goals_app, projects_app, risks_app, units_app
from ledger import commands
from ledger.clock import HOME_ZONE

if TYPE_CHECKING:
    from rich.progress import TaskID

EncodingOption = Annotated[
    str | None, typer.Option("--encoding", help="File encoding when not UTF-8, e.g. latin-1.", show_default=False)
]
DryRunOption = Annotated[bool, typer.Option("--dry-run", help="Check everything, record nothing.")]
OnOption = Annotated[str | None, typer.Option("--on", help="Effective date (default today).", show_default=False)]


def _on(text: str | None) -> date:
    return parse_date_option("--on", text) if text else date.today()


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("post")(post)
    app.command("reverse")(reverse)
    app.command("close-year")(close_year)
    app.command("reopen-year")(reopen_year)
    app.command("explain-deviation")(explain_deviation)


def init(
    store: StoreOption = None,
    entity: Annotated[str, typer.Option("--entity", help="The municipality's name.")] = "Kunta",
    deviation_sign: Annotated[
        str, typer.Option("--deviation-sign", help="budget-minus-actual (Heinola) or actual-minus-budget.")
    ] = "budget-minus-actual",
    actor: ActorOption = None,
    recorded_at: RecordedAtOption = None,
    tz: TzOption = HOME_ZONE,
) -> None:
    """Initialise an empty store with the default chart of accounts (JHS 192)."""
    record(store, commands.initialise(entity, deviation_sign), actor, recorded_at, tz, require_initialised=False)


@units_app.command("add")
def units_add(
    code: Annotated[str, typer.Argument(help="Unit code, e.g. YP.")],
    name: Annotated[str, typer.Option("--name", help="Unit name.")],
    parent: Annotated[str | None, typer.Option("--parent", help="Parent unit code.")] = None,
    binding: Annotated[str, typer.Option("--binding", help="Council binding level: net, gross or none.")] = "none",
    store: StoreOption = None,
    actor: ActorOption = None,
    recorded_at: RecordedAtOption = None,
    tz: TzOption = HOME_ZONE,
) -> None:
    """Add an organisation unit."""
    record(store, commands.add_unit(code, name, parent, binding), actor, recorded_at, tz)


@units_app.command("describe")
def units_describe(
    code: Annotated[str, typer.Argument(help="Unit code.")],
    year: Annotated[int, typer.Option("--year", help="Fiscal year.")],
    text: Annotated[str, typer.Option("--text", help="What the unit does and did that year.")],
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            help="description; responsible (the office holder who answers for the report); or the note "
            "opening a section: council-goals, summary, investments, plan-goals, risks.",
        ),
    ] = "description",
    on: OnOption = None,
    store: StoreOption = None,
    actor: ActorOption = None,
    recorded_at: RecordedAtOption = None,
    tz: TzOption = HOME_ZONE,
) -> None:
    """Record a unit's description, its responsible or a section's note for a year's report."""
    record(store, commands.describe_unit(code, year, text, _on(on), kind), actor, recorded_at, tz)


EffectiveOnOption = Annotated[str, typer.Option("--effective-on", help="The first day of the new name.")]
ClosedOnOption = Annotated[str, typer.Option("--on", help="The last day postings may be dated.")]


@units_app.command("rename")
def units_rename(
    code: Annotated[str, typer.Argument(help="Unit code.")],
    name: Annotated[str, typer.Option("--name", help="The new name.")],
    effective_on: EffectiveOnOption,
    store: StoreOption = None,
    actor: ActorOption = None,
    recorded_at: RecordedAtOption = None,
    tz: TzOption = HOME_ZONE,
) -> None:
    """Rename a unit from a date on; reports as of earlier days keep the old name."""
    day = parse_date_option("--effective-on", effective_on)
    record(store, commands.rename_unit(code, name, day), actor, recorded_at, tz)


@units_app.command("close")
def units_close(
    code: Annotated[str, typer.Argument(help="Unit code.")],
    on: ClosedOnOption,
    store: StoreOption = None,
    actor: ActorOption = None,
    recorded_at: RecordedAtOption = None,
    tz: TzOption = HOME_ZONE,
) -> None:
    """Close a unit: postings and budget lines dated after --on are refused (its units below first)."""
    record(store, commands.close_unit(code, parse_date_option("--on", on)), actor, recorded_at, tz)


@accounts_app.command("rename")
def accounts_rename(
    code: Annotated[str, typer.Argument(help="Account code.")],
    name: Annotated[str, typer.Option("--name", help="The new name.")],
    effective_on: EffectiveOnOption,
    store: StoreOption = None,
    actor: ActorOption = None,
    recorded_at: RecordedAtOption = None,
    tz: TzOption = HOME_ZONE,
) -> None:
    """Rename an account from a date on; reports as of earlier days keep the old name."""
    day = parse_date_option("--effective-on", effective_on)
    record(store, commands.rename_account(code, name, day), actor, recorded_at, tz)


@accounts_app.command("close")
def accounts_close(
    code: Annotated[str, typer.Argument(help="Account code.")],
    on: ClosedOnOption,
    store: StoreOption = None,
    actor: ActorOption = None,
    recorded_at: RecordedAtOption = None,
    tz: TzOption = HOME_ZONE,
) -> None:
    """Close an account: postings and budget lines dated after --on are refused."""
    record(store, commands.close_account(code, parse_date_option("--on", on)), actor, recorded_at, tz)


@accounts_app.command("add")
def accounts_add(
    code: Annotated[str, typer.Argument(help="Account code, e.g. 4310.")],
    name: Annotated[str, typer.Option("--name", help="Account name.")],
    row: Annotated[str | None, typer.Option("--row", help="Income-statement row key it rolls into.")] = None,
    account_class: Annotated[
        str | None, typer.Option("--class", help="balance-sheet for a counter-entry account.")
    ] = None,
    store: StoreOption = None,
    actor: ActorOption = None,
    recorded_at: RecordedAtOption = None,
    tz: TzOption = HOME_ZONE,
) -> None:
    """Add an account: --row KEY (income statement) or --class balance-sheet."""
    if account_class not in (None, "balance-sheet"):
        from ledger.errors import InvalidInput

        raise InvalidInput(f"--class '{account_class}': the only class to name is balance-sheet; use --row otherwise")
    record(store, commands.add_account(code, name, row, account_class == "balance-sheet"), actor, recorded_at, tz)


@projects_app.command("add")
def projects_add(
    code: Annotated[str, typer.Argument(help="Project code.")],
    name: Annotated[str, typer.Option("--name", help="Project name.")],
    group: Annotated[str, typer.Option("--group", help="Investment group, e.g. movable_property.")],
    unit: Annotated[str | None, typer.Option("--unit", help="Responsible unit.")] = None,
    store: StoreOption = None,
    actor: ActorOption = None,
    recorded_at: RecordedAtOption = None,
    tz: TzOption = HOME_ZONE,
) -> None:
    """Add an investment project in an investment group."""
    record(store, commands.add_project(code, name, group, unit), actor, recorded_at, tz)


FileArg = Annotated[
    Path,
    typer.Option(
        "--file",
        help="CSV (or XLSX) with header unit;line;amount (or yksikkö;rivi;summa). line: a row key "
        "(personnel_expenses), an account code (4300) or GROUP:income|expenditure. Amounts in euros, "
        "statement sign: income +, costs -.",
    ),
]


@budget_app.command("adopt")
def budget_adopt(
    year: Annotated[int, typer.Option("--year", help="Fiscal year.")],
    file: FileArg,
    decision: Annotated[str, typer.Option("--decision", help="Decision reference, e.g. 'Kv 11.12.2023 § 85'.")],
    decided_on: Annotated[str, typer.Option("--decided-on", help="Decision date.")],
    body: Annotated[str, typer.Option("--body", help="Deciding body: council.")] = "council",
    encoding: EncodingOption = None,
    dry_run: DryRunOption = False,
    store: StoreOption = None,
    actor: ActorOption = None,
    recorded_at: RecordedAtOption = None,
    tz: TzOption = HOME_ZONE,
) -> None:
    """Record the budget the council adopted."""
    day = parse_date_option("--decided-on", decided_on)
    check = commands.adopt_budget(year, existing_file("--file", file), decision, day, body, encoding)
    record(store, check, actor, recorded_at, tz, dry_run=dry_run)


@budget_app.command("amend")
def budget_amend(
    year: Annotated[int, typer.Option("--year", help="Fiscal year.")],
    kind: Annotated[str, typer.Option("--kind", help="council (talousarviomuutos) or operating-plan.")],
    file: FileArg,
    decision: Annotated[str, typer.Option("--decision", help="Decision reference.")],
    decided_on: Annotated[str, typer.Option("--decided-on", help="Decision date.")],
    reason: Annotated[str, typer.Option("--reason", help="Why the budget changes.")],
    body: Annotated[
        str | None,
        typer.Option("--body", help="council or board (default: council for council, board for operating-plan)."),
    ] = None,
    encoding: EncodingOption = None,
    dry_run: DryRunOption = False,
    store: StoreOption = None,
    actor: ActorOption = None,
    recorded_at: RecordedAtOption = None,
    tz: TzOption = HOME_ZONE,
) -> None:
    """Record a budget amendment; the file's amounts are changes (deltas)."""
    day = parse_date_option("--decided-on", decided_on)
    chosen_body = body or ("board" if kind == "operating-plan" else "council")
    check = commands.amend_budget(
        year, kind, existing_file("--file", file), decision, day, reason, chosen_body, encoding
    )
    record(store, check, actor, recorded_at, tz, dry_run=dry_run)


def post(
    file: Annotated[
        Path,
        typer.Option(
            "--file",
            help="CSV (or XLSX) with header voucher;date;account;unit;amount;text (or "
            "tosite;pvm;tili;kustannuspaikka;summa;selite) and an optional project column. Debit positive, "
            "credit negative; lines with the same voucher id form one voucher.",
        ),
    ],
    encoding: EncodingOption = None,
    dry_run: DryRunOption = False,
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress bar and no summary.")] = False,
    store: StoreOption = None,
    actor: ActorOption = None,
    recorded_at: RecordedAtOption = None,
    tz: TzOption = HOME_ZONE,
) -> None:
    """Post vouchers from a file: every line is checked before anything is recorded; a large
    file is recorded in chunks of whole vouchers, and running it again finishes an interrupted one."""
    from cli.common import open_ledger, parse_moment_option, parse_zone_option
    from ledger.importing import import_file

    path = existing_file("--file", file)
    moment = parse_moment_option("--recorded-at", recorded_at, parse_zone_option(tz))
    with open_ledger(store) as ledger, _progress_bar(quiet) as progress:
        result = import_file(ledger, path, encoding, actor, moment, dry_run, progress)
    if quiet:
        return
    for note in result.notes:
        typer.echo(f"dry run, nothing recorded: {note}" if dry_run else note, err=True)


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


def reverse(
    voucher: Annotated[str, typer.Argument(help="The voucher id to reverse.")],
    on: Annotated[str, typer.Option("--on", help="Date of the reversal.")],
    reason: Annotated[str, typer.Option("--reason", help="Why.")],
    store: StoreOption = None,
    actor: ActorOption = None,
    recorded_at: RecordedAtOption = None,
    tz: TzOption = HOME_ZONE,
) -> None:
    """Reverse a voucher: its lines negated, effective on --on."""
    record(store, commands.reverse(voucher, parse_date_option("--on", on), reason), actor, recorded_at, tz)


def close_year(
    year: Annotated[int, typer.Option("--year", help="Fiscal year to close.")],
    decision: Annotated[str, typer.Option("--decision", help="Decision reference.")],
    decided_on: Annotated[str, typer.Option("--decided-on", help="Decision date.")],
    store: StoreOption = None,
    actor: ActorOption = None,
    recorded_at: RecordedAtOption = None,
    tz: TzOption = HOME_ZONE,
) -> None:
    """Close a fiscal year: postings dated in it are refused from then on."""
    check = commands.close_year(year, decision, parse_date_option("--decided-on", decided_on))
    record(store, check, actor, recorded_at, tz)


def reopen_year(
    year: Annotated[int, typer.Option("--year", help="Closed fiscal year to reopen.")],
    decision: Annotated[str, typer.Option("--decision", help="The council's decision reference.")],
    decided_on: Annotated[str, typer.Option("--decided-on", help="Decision date.")],
    reason: Annotated[str, typer.Option("--reason", help="Why the year is reopened.")],
    store: StoreOption = None,
    actor: ActorOption = None,
    recorded_at: RecordedAtOption = None,
    tz: TzOption = HOME_ZONE,
) -> None:
    """Reopen a closed fiscal year by the council's decision: its postings are accepted until it is closed again."""
    check = commands.reopen_year(year, decision, parse_date_option("--decided-on", decided_on), reason)
    record(store, check, actor, recorded_at, tz)


@goals_app.command("set")
def goals_set(
    goal: Annotated[str, typer.Argument(help="Goal id, e.g. YP-2024-K1.")],
    year: Annotated[int, typer.Option("--year", help="Fiscal year.")],
    unit: Annotated[str, typer.Option("--unit", help="Unit code.")],
    level: Annotated[str, typer.Option("--level", help="council or operating-plan.")],
    text: Annotated[str, typer.Option("--text", help="The goal.")],
    strategic_goal: Annotated[str, typer.Option("--strategic-goal", help="The strategic goal it serves.")] = "",
    metric: Annotated[str, typer.Option("--metric", help="Metric (mittari).")] = "",
    target: Annotated[str, typer.Option("--target", help="Target level (tavoitetaso).")] = "",
    responsible: Annotated[str, typer.Option("--responsible", help="Responsible office holder.")] = "",
    on: OnOption = None,
    store: StoreOption = None,
    actor: ActorOption = None,
    recorded_at: RecordedAtOption = None,
    tz: TzOption = HOME_ZONE,
) -> None:
    """Set a goal."""
    check = commands.set_goal(goal, year, unit, level, strategic_goal, text, metric, target, responsible, _on(on))
    record(store, check, actor, recorded_at, tz)


@goals_app.command("reword")
def goals_reword(
    goal: Annotated[str, typer.Argument(help="Goal id.")],
    text: Annotated[str, typer.Option("--text", help="The new wording.")],
    metric: Annotated[str | None, typer.Option("--metric", help="New metric.")] = None,
    target: Annotated[str | None, typer.Option("--target", help="New target level.")] = None,
    on: OnOption = None,
    store: StoreOption = None,
    actor: ActorOption = None,
    recorded_at: RecordedAtOption = None,
    tz: TzOption = HOME_ZONE,
) -> None:
    """Reword a goal (its earlier wording stays in the history)."""
    record(store, commands.reword_goal(goal, text, metric, target, _on(on)), actor, recorded_at, tz)


@goals_app.command("report")
def goals_report(
    goal: Annotated[str, typer.Argument(help="Goal id.")],
    status: Annotated[str, typer.Option("--status", help="achieved, partly-achieved, not-achieved or not-assessed.")],
    text: Annotated[str, typer.Option("--text", help="The outcome (toteuma); none for a status alone.")] = "",
    on: OnOption = None,
    store: StoreOption = None,
    actor: ActorOption = None,
    recorded_at: RecordedAtOption = None,
    tz: TzOption = HOME_ZONE,
) -> None:
    """Report a goal's outcome and status as of a date."""
    record(store, commands.report_goal(goal, _on(on), text, status), actor, recorded_at, tz)


@risks_app.command("assess")
def risks_assess(
    risk: Annotated[str, typer.Argument(help="Risk id.")],
    unit: Annotated[str, typer.Option("--unit", help="Unit code.")],
    year: Annotated[int, typer.Option("--year", help="Fiscal year.")],
    risk_class: Annotated[str, typer.Option("--class", help="Risk class (riskiluokka).")],
    description: Annotated[str, typer.Option("--description", help="The identified risk.")],
    probability: Annotated[int, typer.Option("--probability", help="1-3.")],
    significance: Annotated[int, typer.Option("--significance", help="1-3.")],
    mitigation: Annotated[str, typer.Option("--mitigation", help="Mitigation (hallintakeino).")] = "",
    carried_out: Annotated[str, typer.Option("--carried-out", help="How the mitigation was carried out.")] = "",
    responsible: Annotated[
        str, typer.Option("--responsible", help="Who answers for the mitigation (vastuuhenkilö).")
    ] = "",
    on: OnOption = None,
    store: StoreOption = None,
    actor: ActorOption = None,
    recorded_at: RecordedAtOption = None,
    tz: TzOption = HOME_ZONE,
) -> None:
    """Assess a risk (a later assessment of the same id supersedes it)."""
    check = commands.assess_risk(
        risk, unit, year, risk_class, description, probability, significance, mitigation, carried_out, _on(on),
        responsible,
    )
    record(store, check, actor, recorded_at, tz)


def explain_deviation(
    unit: Annotated[str, typer.Option("--unit", help="Unit code.")],
    year: Annotated[int, typer.Option("--year", help="Fiscal year.")],
    text: Annotated[str, typer.Option("--text", help="The explanation printed under the statement.")],
    on: OnOption = None,
    store: StoreOption = None,
    actor: ActorOption = None,
    recorded_at: RecordedAtOption = None,
    tz: TzOption = HOME_ZONE,
) -> None:
    """Record the explanation of a unit's deviation from its budget."""
    record(store, commands.explain_deviation(unit, year, text, _on(on)), actor, recorded_at, tz)
