"""Recording a history file into a store, step by step, with progress."""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from pathlib import Path

from ledger.application import Ledger
from ledger.counting import counted
from ledger.errors import LedgerError, RuleViolation
from ledger.history import read_history, step_error

SEED_HISTORY = "heinola_2024"


def seed_history_path() -> Path:
    """The shipped Heinola 2024 history (a data file in the package)."""
    return Path(str(resources.files("ledger").joinpath("data", SEED_HISTORY, "history.toml")))


def require_empty(ledger: Ledger) -> None:
    with ledger.state() as state:
        if state.head:
            raise RuleViolation(
                f"the store {ledger.config.shown} already holds {counted(state.head, 'event')}; "
                "the demo needs an empty store: "
                "delete the file (or drop the schema) to start over, or pass another --store"
            )


def load_history(ledger: Ledger, path: Path, on_step: Callable[[int, str], None] | None = None) -> int:
    """Record every step of a history file; returns the number of steps recorded."""
    count = 0
    for step in read_history(path):
        try:
            ledger.record(
                step.check,
                actor=step.actor,
                recorded_at=step.recorded_at,
                require_initialised=step.command != "init",
            )
        except LedgerError as error:
            raise step_error(path, step, error) from None
        count += 1
        if on_step:
            on_step(step.number, step.command)
    return count
