"""Administration: `rebuild` drops and refills the read models from the event log."""

from __future__ import annotations

import sys
import time

import typer

from cli.common import StoreOption, open_ledger


def register(app: typer.Typer) -> None:
    app.command("rebuild")(rebuild)


def rebuild(store: StoreOption = None) -> None:
    """Empty the read models and refill them from the event log, with a progress bar.

    Safe to interrupt: each batch is saved with its log position, and the next command
    catches up from there."""
    with open_ledger(store) as ledger:
        started = time.perf_counter()
        if sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import Progress

            with Progress(console=Console(stderr=True), transient=True) as progress:
                task = progress.add_task("rebuilding the read models", total=ledger.log_length() or None)
                applied = ledger.rebuild(lambda count: progress.advance(task, count))
        else:
            applied = ledger.rebuild()
        elapsed = time.perf_counter() - started
    rate = applied / elapsed if elapsed > 0 else 0.0
    typer.echo(f"rebuilt the read models from {applied} events in {elapsed:.1f} s ({rate:,.0f} events/s)", err=True)
