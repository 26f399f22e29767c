"""`demo`: the Heinola 2024 report, rebuilt from events; `load`: any history file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.common import StoreOption, existing_file, open_ledger
from ledger.counting import counted


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
    app.command("load")(load)


def _load(store: str | None, path: Path, require_empty_store: bool) -> int:
    from ledger.loading import load_history, require_empty
    from projections.approvals import figures_hash

    with open_ledger(store, create=True) as ledger:
        if require_empty_store:
            require_empty(ledger)
        steps = load_history(ledger, path, figures_hash=figures_hash)
    return steps


def demo(store: StoreOption = None) -> None:
    """Load the Heinola 2024 history into an empty store and print the sector's statement
    as of 31.12.2024, as known when the report was signed on 26.03.2025."""
    from ledger.loading import seed_history_path

    steps = _load(store, seed_history_path(), require_empty_store=True)
    typer.echo(f"loaded {steps} recorded commands of the Heinola 2024 history", err=True)
    from cli.reports import statement

    statement(unit="YP", year=2024, as_of="2024-12-31", known_at="2025-03-26", store=store)


def load(
    file: Annotated[Path, typer.Argument(help="A history file (docs/history-format.md).")],
    store: StoreOption = None,
) -> None:
    """Record every step of a history file, in order, through the usual checks: all of them or,
    if one is refused, none."""
    steps = _load(store, existing_file("FILE", file), require_empty_store=False)
    typer.echo(f"recorded {counted(steps, 'step')} from {file.name}", err=True)
