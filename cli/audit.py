"""Audit commands: `check` and `rules` (ADR 0008), `verify` and `seal` (tamper evidence, ADR 0006)."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any

import typer

from cli.common import (
    FormatOption,
    StoreOption,
    TzOption,
    check_format,
    open_ledger,
    parse_date_option,
    parse_known_at_option,
    parse_zone_option,
    print_records,
    warn_if_read_models_disagree,
)
from ledger.clock import HOME_ZONE, format_moment
from ledger.counting import counted
from projections.compliance.findings import SEVERITIES, Finding, Thresholds


def register(app: typer.Typer) -> None:
    app.command("check")(check)
    app.command("rules")(rules)
    app.command("verify")(verify)
    app.command("seal")(seal)


def check(
    year: Annotated[int, typer.Option("--year", help="Fiscal year, e.g. 2024.")],
    unit: Annotated[str | None, typer.Option("--unit", help="Only findings of this unit and those below it.")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Effective on or before DATE (default 31.12.).")] = None,
    known_at: Annotated[str | None, typer.Option("--known-at", help="Recorded by TIMESTAMP (default now).")] = None,
    deviation_pct: Annotated[
        str, typer.Option("--deviation-pct", help="A binding unit's deviation needs an explanation beyond this %...")
    ] = "5",
    deviation_amount: Annotated[
        str, typer.Option("--deviation-amount", help="...and beyond this many euros.")
    ] = "10000",
    store: StoreOption = None,
    fmt: FormatOption = "table",
    tz: TzOption = HOME_ZONE,
) -> None:
    """Run every compliance rule over a fiscal year; findings as data. Exit 1 on any error."""
    check_format(fmt, ("table", "json"))
    found = checked(store, year, unit, as_of, known_at, deviation_pct, deviation_amount, tz)
    if fmt == "json":
        sys.stdout.write(found.json_text())
    else:
        print_findings(found.findings)
    typer.echo(count_findings(found.findings), err=True)
    if any(finding.severity == "error" for finding in found.findings):
        raise typer.Exit(1)


@dataclass(frozen=True)
class Checked:
    """The findings of every rule over a fiscal year, as `check` reads them."""

    findings: list[Finding]
    year: int
    as_of: date
    known_at: datetime

    def json_text(self) -> str:
        document = {
            "fiscal_year": self.year,
            "as_of": self.as_of.isoformat(),
            "known_at": format_moment(self.known_at),
            "findings": [finding.as_json() for finding in self.findings],
        }
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def checked(
    store: str | None,
    year: int,
    unit: str | None,
    as_of: str | None,
    known_at: str | None,
    deviation_pct: str,
    deviation_amount: str,
    tz: str,
    read_only: bool = False,
) -> Checked:
    """Every rule's findings over the year (of the unit and those below it, if given)."""
    from projections import compliance as rules
    from projections.compliance.context import gather
    from projections.query import load_units, period, resolve_unit, subtree

    day = parse_date_option("--as-of", as_of) if as_of else None
    _, day, moment = period(year, day, parse_known_at_option("--known-at", known_at, parse_zone_option(tz)))
    thresholds = _thresholds(deviation_pct, deviation_amount)
    with open_ledger(store, read_only=read_only) as ledger:
        focus = None
        if unit:
            with ledger.state() as state:
                units = load_units(state.conn)
                focus = subtree(units, resolve_unit(units, unit).code)
        context = gather(ledger, year, day, moment, thresholds)
        with ledger.state() as state:
            warn_if_read_models_disagree(ledger, state.conn)
    return Checked(rules.evaluate(context, focus), year, day, moment)


def count_findings(findings: list[Finding]) -> str:
    counts = {severity: sum(1 for f in findings if f.severity == severity) for severity in SEVERITIES}
    return (
        f"{counted(len(findings), 'finding')}: {counted(counts['error'], 'error')}, "
        f"{counted(counts['warning'], 'warning')}, {counts['info']} info"
    )


def _thresholds(pct: str, amount: str) -> Thresholds:
    from decimal import Decimal, InvalidOperation

    from ledger.errors import InvalidInput
    from ledger.money import parse_cents

    try:
        percent = Decimal(pct.replace(",", "."))
    except InvalidOperation:
        raise InvalidInput(f"--deviation-pct '{pct}': give a percentage, e.g. 5 or 2,5") from None
    try:
        cents = parse_cents(amount)
    except ValueError as error:
        raise InvalidInput(f"--deviation-amount: {error}") from None
    if percent < 0 or cents < 0:
        raise InvalidInput("--deviation-pct and --deviation-amount: give limits of zero or more")
    return Thresholds(percent, cents)


def print_findings(findings: list[Finding], title: str = "Findings") -> None:
    from rich.console import Console
    from rich.table import Table

    if not findings:
        typer.echo("no findings")
        return
    table = Table(title=title, title_justify="left")
    for column in ("severity", "rule", "unit", "message", "events"):
        table.add_column(column)
    for finding in findings:
        events = ", ".join(str(p) for p in finding.events[:8]) + (" …" if len(finding.events) > 8 else "")
        table.add_row(finding.severity, finding.rule, finding.unit or "", finding.message, events)
    Console(width=200).print(table)


def rules(fmt: FormatOption = "table") -> None:
    """List the compliance rules `check` runs: id, severity, what it finds and its source."""
    from projections.compliance import RULES

    records = [
        {"rule": rule.RULE_ID, "severity": rule.SEVERITY, "finds": rule.SUMMARY, "source": rule.SOURCE}
        for rule in RULES
    ]
    print_records(records, ("rule", "severity", "finds", "source"), fmt, "Compliance rules")


def verify(
    sealed: Annotated[
        str | None,
        typer.Option("--sealed", help="POSITION:HASH from `kuntaledger seal`: prove the log up to it is unchanged."),
    ] = None,
    store: StoreOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Recompute the hash chain and report the first broken position (exit 1); then check
    that the read models equal a fresh replay of the log, and show the rows that differ."""
    check_format(fmt, ("table", "json"))
    report = verification(store, sealed)
    if report["store_problems"]:
        _report_damage(report["store_checked"], report["store_problems"], fmt)
    if fmt == "json":
        sys.stdout.write(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    else:
        _print_report(report["chain_broken_at"] is None, report)
    if report["chain_broken_at"] is not None or report["read_model_problems"]:
        raise typer.Exit(1)


def verification(store: str | None, sealed: str | None, read_only: bool = False) -> dict[str, Any]:
    """What `verify` finds: the store's own check, the chain (against `sealed` POSITION:HASH,
    if given) and the read models against a fresh replay; a damaged store's report has
    `store_problems` and nothing more."""
    from ledger.verification import parse_seal, verify_chain
    from projections import consistency, reader
    from projections.integrity import check_store
    from projections.verify import ADVICE, replay_differences

    seal_given = parse_seal(sealed) if sealed else None
    with open_ledger(store, read_only=read_only) as ledger:
        integrity = check_store(ledger.engine, ledger.config)
        if integrity.problems:
            return {"store_checked": integrity.checked, "store_problems": integrity.problems}
        chain = verify_chain(ledger.stored_records(), seal_given)
        differences: list[str] = []
        found = []
        if chain.ok:
            ledger.catch_up()
            with ledger.engine.connect() as conn:
                disagreement = consistency.problem(reader.of(conn))
            projector = ledger.projector
            found = replay_differences(ledger.engine, projector.select_notifications, projector.decode)
            differences = [disagreement] if disagreement else []
            differences += [str(difference) for difference in found]
    return {
        "store_checked": integrity.checked,
        "store_problems": [],
        "events_verified": chain.checked,
        "head_position": chain.head.position,
        "head_hash": chain.head.chain_hash,
        "sealed": f"{seal_given.position}:{seal_given.chain_hash}" if seal_given else None,
        "chain_broken_at": chain.broken.position if chain.broken else None,
        "chain_problem": chain.broken.message if chain.broken else None,
        "read_models_checked": chain.ok,
        "read_model_problems": differences,
        "read_model_differences": [difference.as_json() for difference in found],
        "read_model_advice": ADVICE if differences else None,
    }


def _report_damage(checked: str, problems: list[str], fmt: str) -> None:
    """The database found the store damaged: say what it found and stop (exit 1); the
    chain and the read models are not read from a damaged store."""
    if fmt == "json":
        document = {"store_checked": checked, "store_problems": problems, "read_models_checked": False}
        sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    else:
        typer.echo(f"store: DAMAGED ({checked}): {'; '.join(problems)}")
        typer.echo("chain and read models: not checked in a damaged store; restore it from a backup")
    raise typer.Exit(1)


def _print_report(chain_ok: bool, report: dict[str, Any]) -> None:
    typer.echo(f"store: ok ({report['store_checked']})")
    if chain_ok:
        seal_note = f"; matches the seal {report['sealed']}" if report["sealed"] else ""
        typer.echo(
            f"chain: ok, {counted(report['events_verified'], 'event')}, head {report['head_position']} "
            f"{report['head_hash']}{seal_note}"
        )
    else:
        typer.echo(f"chain: BROKEN at position {report['chain_broken_at']}: {report['chain_problem']}")
        typer.echo(f"chain: the log verifies up to position {report['head_position']}")
        typer.echo("read models: not checked while the chain is broken")
        return
    problems = report["read_model_problems"]
    if not problems:
        typer.echo("read models: ok, equal to a fresh replay of the log")
    for problem in problems:
        typer.echo(f"read models: {problem}")
    if report["read_model_advice"]:
        typer.echo(f"read models: {report['read_model_advice']}")


def seal(store: StoreOption = None) -> None:
    """Print `POSITION HASH` of the log head, after verifying the chain; keep it outside the system."""
    from ledger.errors import RuleViolation
    from ledger.verification import verify_chain

    with open_ledger(store) as ledger:
        chain = verify_chain(ledger.stored_records())
    if chain.broken:
        typer.echo(f"error: the chain is broken at position {chain.broken.position}: {chain.broken.message}", err=True)
        raise typer.Exit(1)
    if chain.head.position == 0:
        raise RuleViolation("the log is empty; there is nothing to seal yet")
    typer.echo(str(chain.head))
