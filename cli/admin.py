"""Administration: `rebuild` drops and refills the read models from the event log; `migrate` creates the tables."""

from __future__ import annotations

import sys
import time
from typing import Annotated

import typer

from cli.common import StoreOption, open_ledger
from ledger.counting import counted


def register(app: typer.Typer) -> None:
    app.command("rebuild")(rebuild)
    app.command("migrate")(migrate)


def migrate(store: StoreOption = None) -> None:
    """Create the event table and the read-model tables, or add those a new version needs.

    Run it as the role that owns the database schema (docs/deploy-postgresql.md); running it
    again changes nothing. The writer and auditor roles then open the store without DDL."""
    from ledger.application import Ledger
    from ledger.store.url import resolve_store_url

    with Ledger(resolve_store_url(store), notify=lambda note: typer.echo(note, err=True), migrate=True) as ledger:
        applied = ledger.catch_up()
        role, events_table = ledger.access.role, ledger.access.events_table
    typer.echo(
        f"the ledger's tables are in place ({events_table} and the rm_ read models, as role '{role}'); "
        f"{counted(applied, 'event')} applied to the read models",
        err=True,
    )


def rebuild(
    sealed: Annotated[
        str | None,
        typer.Option("--sealed", help="POSITION:HASH from `kuntaledger seal`: the log must match it."),
    ] = None,
    store: StoreOption = None,
) -> None:
    """Verify the log, then empty the read models and refill them from it, with a progress bar.

    The log must verify as a hash chain and match the seal given, or else what the read
    models recorded of it; otherwise nothing is changed (exit 2). Safe to interrupt: each
    batch is saved with its log position, and the next command catches up from there."""
    from ledger.verification import parse_seal

    seal_given = parse_seal(sealed) if sealed else None
    with open_ledger(store) as ledger:
        started = time.perf_counter()
        if sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import Progress

            with Progress(console=Console(stderr=True), transient=True) as progress:
                task = progress.add_task("rebuilding the read models", total=ledger.log_length() or None)
                applied = ledger.rebuild(lambda count: progress.advance(task, count), seal_given)
        else:
            applied = ledger.rebuild(sealed=seal_given)
        elapsed = time.perf_counter() - started
    rate = applied / elapsed if elapsed > 0 else 0.0
    typer.echo(
        f"rebuilt the read models from {counted(applied, 'event')} in {elapsed:.1f} s ({rate:,.0f} events/s)", err=True
    )
