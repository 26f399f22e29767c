"""Audit commands: `verify` and `seal` (tamper evidence, ADR 0006)."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer

from cli.common import FormatOption, StoreOption, check_format, open_ledger


def register(app: typer.Typer) -> None:
    app.command("verify")(verify)
    app.command("seal")(seal)


def verify(
    sealed: Annotated[
        str | None,
        typer.Option("--sealed", help="POSITION:HASH from `kuntaledger seal`: prove the log up to it is unchanged."),
    ] = None,
    store: StoreOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Recompute the hash chain and report the first broken position (exit 1); then check
    that the read models equal a fresh replay of the log."""
    from ledger.verification import parse_seal, stored_records, verify_chain
    from projections.verify import replay_differences

    check_format(fmt, ("table", "json"))
    seal_given = parse_seal(sealed) if sealed else None
    with open_ledger(store) as ledger:
        chain = verify_chain(stored_records(ledger.app.recorder, ledger.app.mapper), seal_given)
        differences: list[str] = []
        if chain.ok:
            ledger.catch_up()
            projector = ledger.projector
            found = replay_differences(ledger.engine, projector.select_notifications, projector.decode)
            differences = [str(difference) for difference in found]
    report: dict[str, Any] = {
        "events_verified": chain.checked,
        "head_position": chain.head.position,
        "head_hash": chain.head.chain_hash,
        "sealed": f"{seal_given.position}:{seal_given.chain_hash}" if seal_given else None,
        "chain_broken_at": chain.broken.position if chain.broken else None,
        "chain_problem": chain.broken.message if chain.broken else None,
        "read_models_checked": chain.ok,
        "read_model_problems": differences,
    }
    if fmt == "json":
        sys.stdout.write(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    else:
        _print_report(chain.broken is None, report)
    if chain.broken or differences:
        raise typer.Exit(1)


def _print_report(chain_ok: bool, report: dict[str, Any]) -> None:
    if chain_ok:
        seal_note = f"; matches the seal {report['sealed']}" if report["sealed"] else ""
        typer.echo(
            f"chain: ok, {report['events_verified']} events, head {report['head_position']} "
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


def seal(store: StoreOption = None) -> None:
    """Print `POSITION HASH` of the log head, after verifying the chain; keep it outside the system."""
    from ledger.errors import RuleViolation
    from ledger.verification import stored_records, verify_chain

    with open_ledger(store) as ledger:
        chain = verify_chain(stored_records(ledger.app.recorder, ledger.app.mapper))
    if chain.broken:
        typer.echo(f"error: the chain is broken at position {chain.broken.position}: {chain.broken.message}", err=True)
        raise typer.Exit(1)
    if chain.head.position == 0:
        raise RuleViolation("the log is empty; there is nothing to seal yet")
    typer.echo(str(chain.head))
