"""`demo`: the Heinola 2024 report, rebuilt from events; `load`: any history file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cli.common import StoreOption, TzOption, existing_file, open_ledger, parse_zone_option
from ledger.clock import HOME_ZONE
from ledger.counting import counted

if TYPE_CHECKING:
    from ledger.loading import Loaded


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
    app.command("load")(load)


def _load(store: str | None, path: Path, require_empty_store: bool) -> Loaded:
    from ledger.loading import load_history, require_empty
    from projections.approvals import figures_hash

    with open_ledger(store, create=True) as ledger:
        if require_empty_store:
            require_empty(ledger)
        return load_history(ledger, path, figures_hash=figures_hash)


def _say_what_is_illustrative(loaded: Loaded) -> None:
    """One line: the history's own account of what it invents, and how many steps are marked."""
    if not loaded.illustrative_steps and not loaded.illustrative:
        return
    marked = f"{loaded.illustrative_steps} of {counted(loaded.steps, 'step')} marked illustrative"
    where = "; `kuntaledger events` shows them" if loaded.illustrative_steps else ""
    said = f"{loaded.illustrative} ({marked}{where})" if loaded.illustrative else f"{marked}{where}"
    typer.echo(said, err=True)


def demo(store: StoreOption = None, tz: TzOption = HOME_ZONE) -> None:
    """Load the Heinola 2024 history into an empty store and print the sector's statement
    as of 31.12.2024 in the version the board approved on 26.03.2025, with the cells changed since."""
    from ledger.loading import seed_history_path

    parse_zone_option(tz)  # refused before anything is loaded
    loaded = _load(store, seed_history_path(), require_empty_store=True)
    typer.echo(f"loaded {loaded.steps} recorded commands of the Heinola 2024 history", err=True)
    _say_what_is_illustrative(loaded)
    from cli.reports import run_report

    run_report("statement", "YP", 2024, "2024-12-31", None, "table", "fi", None, store, tz)


def load(
    file: Annotated[Path, typer.Argument(help="A history file (docs/history-format.md).")],
    store: StoreOption = None,
) -> None:
    """Record every step of a history file, in order, through the usual checks: all of them or,
    if one is refused, none."""
    loaded = _load(store, existing_file("FILE", file), require_empty_store=False)
    typer.echo(f"recorded {counted(loaded.steps, 'step')} from {file.name}", err=True)
    _say_what_is_illustrative(loaded)
