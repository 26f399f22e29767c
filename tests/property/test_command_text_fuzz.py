"""Any text given to a recording command as an id, a code, a name or a description is
either recorded (and then projected) or refused with a clear error, on SQLite and on
PostgreSQL, which cannot store a NUL character or an over-long key: a command never
leaves an event behind that the read models cannot apply, which would stop every later
command of the store."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from itertools import count
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from support.strategies import ACTOR, examples, postgres_schema

from ledger import commands
from ledger.application import Ledger
from ledger.errors import LedgerError

texts = st.text(max_size=20) | st.text(min_size=60, max_size=140) | st.sampled_from(["x\x00", "U" * 65, "G" * 129])
FRESH = count()

Build = Callable[[str, str], commands.Check]
COMMANDS: dict[str, Build] = {
    "units add CODE --name NAME": lambda a, b: commands.add_unit(a, b, None, "none"),
    "units add --parent CODE": lambda a, b: commands.add_unit(f"U{next(FRESH)}", "n", a, "none"),
    "accounts add CODE --name NAME": lambda a, b: commands.add_account(a, b, "sales_income", False),
    "projects add CODE --name NAME": lambda a, b: commands.add_project(a, b, "movable_property", None),
    "goals set GOAL --text TEXT": lambda a, b: commands.set_goal(
        a, 2024, "A", "council", b, b, b, b, b, date(2024, 1, 1)
    ),
    "risks assess RISK --description TEXT": lambda a, b: commands.assess_risk(
        a, "A", 2024, "Talous", b, 2, 2, b, b, date(2024, 1, 1)
    ),
    "units describe --text TEXT": lambda a, b: commands.describe_unit("A", 2024, a + b, date(2024, 1, 1)),
}


@contextmanager
def sqlite_store() -> Iterator[str]:
    with tempfile.TemporaryDirectory() as directory:
        yield f"sqlite:///{Path(directory) / 'ledger.db'}"


@pytest.mark.parametrize(
    ("backend", "share"), [("sqlite", 1.0), pytest.param("postgres", 0.6, marks=pytest.mark.postgres)]
)
def test_any_text_is_recorded_or_refused_and_the_store_stays_usable(backend: str, share: float) -> None:
    store = sqlite_store if backend == "sqlite" else postgres_schema

    @examples(share)
    @given(command=st.sampled_from(sorted(COMMANDS)), first=texts, second=texts)
    @example(command="goals set GOAL --text TEXT", first="\x00", second="")  # found under the deep profile
    @example(command="accounts add CODE --name NAME", first="0" * 65, second="")  # found by ci
    def recorded_or_refused(command: str, first: str, second: str) -> None:
        with store() as url, Ledger(url) as ledger:
            ledger.record(
                commands.initialise("Testikunta", "budget-minus-actual"), actor=ACTOR, require_initialised=False
            )
            ledger.record(commands.add_unit("A", "Yksikkö A", None, "net"), actor=ACTOR)
            length = ledger.log_length()
            try:
                ledger.record(COMMANDS[command](first, second), actor=ACTOR)
            except LedgerError:
                assert ledger.log_length() == length, "a refused command wrote events"
            ledger.record(commands.add_unit("B", "seuraava", None, "none"), actor=ACTOR)

    recorded_or_refused()
