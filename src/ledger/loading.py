"""Recording a history file into a store: checked whole, then recorded all or nothing.

Every step is recorded first into a private copy of the store (a temporary SQLite file
that holds the same log), through the same checks as the CLI, each step seeing the steps
before it. Only when every step passed are the new events, stamped and chained there,
written to the store in one transaction (ADR 0023). A refused step, or another writer
recording meanwhile, leaves the store as it was.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ledger.application import Ledger
from ledger.approvals import FiguresHash
from ledger.counting import counted
from ledger.errors import Conflict, LedgerError, RuleViolation
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


@dataclass(frozen=True)
class Loaded:
    """What a load recorded: its steps, how many were marked illustrative, and the file's note."""

    steps: int
    illustrative_steps: int
    illustrative: str | None


def load_history(
    ledger: Ledger,
    path: Path,
    on_step: Callable[[int, str], None] | None = None,
    figures_hash: FiguresHash | None = None,
) -> Loaded:
    """Record every step of a history file, or none. `figures_hash`
    (`projections.approvals.figures_hash`) hashes the report an `approve` step approves."""
    history = read_history(path, figures_hash)
    steps = history.steps
    ledger.require_writable(f"loading {path.name}")
    with _private_copy(ledger) as (trial, copied):
        for step in steps:
            try:
                trial.record(
                    step.check,
                    actor=step.actor,
                    recorded_at=step.recorded_at,
                    require_initialised=step.command != "init",
                )
            except LedgerError as error:
                raise step_error(path, step, error) from None
            if on_step:
                on_step(step.number, step.command)
        try:
            recorded = trial.copy_log_into(ledger, after_notification=copied, page=None)
        except Conflict:
            raise Conflict(
                f"another writer recorded while {path.name} was checked; nothing from it was recorded; "
                "run the load again"
            ) from None
    if recorded:
        ledger.catch_up()
    marked = sum(1 for step in steps if step.illustrative)
    return Loaded(len(steps), marked, history.illustrative)


@contextmanager
def _private_copy(ledger: Ledger) -> Iterator[tuple[Ledger, int]]:
    """A throwaway SQLite store holding the store's log as stored, and how many events it copied."""
    with tempfile.TemporaryDirectory(prefix="kuntaledger-load-") as folder:
        trial = Ledger(f"sqlite:///{Path(folder) / 'trial.db'}")
        try:
            yield trial, ledger.copy_log_into(trial)
        finally:
            trial.close()
