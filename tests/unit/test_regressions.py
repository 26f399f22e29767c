"""Failing examples the property and stateful tests found, kept as explicit tests.

Each test names the property that found it and replays its (shrunk) example.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest

from ledger import commands
from ledger.application import Ledger
from ledger.errors import InvalidInput, LedgerError, NotFound, RuleViolation


@pytest.fixture
def ledger(sqlite_store: str) -> Iterator[Ledger]:
    with Ledger(sqlite_store) as opened:
        opened.record(commands.initialise("Testikunta", "budget-minus-actual"), actor="t", require_initialised=False)
        for code in ("A", "B"):
            opened.record(commands.add_unit(code, f"Yksikkö {code}", None, "net"), actor="t")
        yield opened


def written(tmp_path: Path, content: bytes, name: str = "input.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


# tests/property/test_import_fuzz.py: a CSV line the csv module cannot split raised
# _csv.Error, a traceback at the CLI, instead of a located InvalidInput.


@pytest.mark.parametrize(
    "content",
    [
        b"\r\x00",  # the shrunk example: a lone CR before the header's end
        b"voucher;date;account;unit;amount;text\nV1;2024-01-01;4300;A;1\r;x\n",  # a CR inside a line
        b"voucher;date;account;unit;amount;text\rV1;2024-01-01;4300;A;1;x\r",  # classic Mac line endings
        b"voucher;date;account;unit;amount;text\nV1;2024-01-01;4300;A;1;" + b"x" * 50_000 + b"\n",  # > csv's limit
    ],
)
def test_an_unsplittable_voucher_file_is_refused_with_its_line(ledger: Ledger, tmp_path: Path, content: bytes) -> None:
    length = ledger.log_length()
    with pytest.raises(InvalidInput, match=r"input\.csv line \d"):
        ledger.record(commands.post_file(written(tmp_path, content)), actor="t")
    assert ledger.log_length() == length


def test_an_unsplittable_budget_file_is_refused_with_its_line(ledger: Ledger, tmp_path: Path) -> None:
    path = written(tmp_path, b"unit;line;amount\nA;sales_income\r;1\n")
    with pytest.raises(InvalidInput, match=r"input\.csv line 2: a line break \(CR\)"):
        commands.adopt_budget(2024, path, "Kv 1 § 1", date(2023, 12, 1), "council")


# tests/property/test_import_fuzz.py (PostgreSQL): a voucher id with a NUL character made
# PostgreSQL raise DataError in the check (a traceback); an id longer than the read
# model's key was recorded, and then no catch-up could apply it, so every later command
# of that store failed.


def test_a_voucher_file_with_a_nul_character_is_refused(ledger: Ledger, tmp_path: Path) -> None:
    content = (
        b"voucher;date;account;unit;amount;text\r\n"
        b"V\x001;2024-03-01;4300;A;10,00;\r\nV\x001;2024-03-01;1900;B;-10,00;\r\n"
    )
    with pytest.raises(InvalidInput, match="line 2: contains a NUL character"):
        ledger.record(commands.post_file(written(tmp_path, content)), actor="t")


def test_a_voucher_id_longer_than_the_read_models_key_is_refused(ledger: Ledger, tmp_path: Path) -> None:
    voucher = "V" * 129
    content = (
        f"voucher;date;account;unit;amount;text\n{voucher};2024-03-01;4300;A;1;x\n{voucher};2024-03-01;1900;A;-1;x\n"
    )
    with pytest.raises(InvalidInput, match="line 2, column voucher: longer than 128 characters"):
        ledger.record(commands.post_file(written(tmp_path, content.encode())), actor="t")
    assert ledger.log_length() == 5


# tests/stateful/test_ledger_machine.py: `goals set ' G1'` after `goals set G1` was
# accepted (the check looked up ' G1', the event stored 'G1'), so goal G1 was set twice;
# the next `goals reword G1` or `goals report G1` was recorded and then could not be
# projected (MultipleResultsFound), which stopped every later command of the store.


def test_a_goal_id_differing_only_in_spaces_is_the_same_goal(ledger: Ledger) -> None:
    def set_goal(goal: str) -> commands.Check:
        return commands.set_goal(goal, 2023, "A", "council", "", "Tavoite", "", "", "", date(2023, 3, 4))

    ledger.record(set_goal("G1"), actor="t")
    with pytest.raises(RuleViolation, match="goal G1 exists already"):
        ledger.record(set_goal(" G1"), actor="t")
    ledger.record(commands.report_goal("G1", date(2023, 12, 31), "Toteutui", "achieved"), actor="t")
    assert ledger.log_length() == 7


# tests/property/test_command_text_fuzz.py (PostgreSQL): `accounts add` with a 65-character
# code, or a name holding a NUL, was recorded, and then no catch-up could project it:
# every later command of that store failed. Now the ledger refuses such a command on
# every backend, naming the field.


@pytest.mark.parametrize(
    ("check", "message"),
    [
        (lambda: commands.add_account("0" * 65, "x", "sales_income", False), "code '0000.*' has 65 characters"),
        (lambda: commands.add_account("0", "\x00", "sales_income", False), "name contains a NUL character"),
        (lambda: commands.add_unit("U" * 65, "n", None, "none"), "code 'UUU.*' has 65 characters; use at most 64"),
        (
            lambda: commands.set_goal("G" * 129, 2024, "A", "council", "", "t", "", "", "", date(2024, 1, 1)),
            "goal 'GGG.*' has 129 characters; use at most 128",
        ),
    ],
)
def test_a_command_the_store_cannot_hold_is_refused_and_the_store_stays_usable(
    ledger: Ledger, check: Callable[[], commands.Check], message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        ledger.record(check(), actor="t")
    assert ledger.log_length() == 5
    ledger.record(commands.add_unit("C", "Yksikkö C", None, "none"), actor="t")


# tests/property/test_command_text_fuzz.py under the deep profile (PostgreSQL): `goals set`
# with the id '\x00' (a history file can hold one) made PostgreSQL raise DataError while
# the command was checked, a traceback instead of a refusal; `reverse` did the same.


@pytest.mark.parametrize(
    ("check", "refusal"),
    [
        (lambda: commands.set_goal("\x00", 2024, "A", "council", "", "t", "", "", "", date(2024, 1, 1)), InvalidInput),
        (lambda: commands.report_goal("\x00", date(2024, 1, 1), "t", "achieved"), NotFound),
        (lambda: commands.reverse("\x00", date(2024, 1, 1), "virhe"), NotFound),
    ],
)
def test_an_id_with_a_nul_character_is_refused_on_every_backend(
    store_url: str, check: Callable[[], commands.Check], refusal: type[LedgerError]
) -> None:
    with Ledger(store_url) as opened:
        opened.record(commands.initialise("Testikunta", "budget-minus-actual"), actor="t", require_initialised=False)
        opened.record(commands.add_unit("A", "Yksikkö A", None, "net"), actor="t")
        with pytest.raises(refusal):
            opened.record(check(), actor="t")
        assert opened.log_length() == 4
