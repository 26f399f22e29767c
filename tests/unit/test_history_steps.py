"""A history file's steps are read by the commands' declared parameters (ADR 0030): the same
keys as the CLI's options, each read as its kind, and nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest

from ledger.errors import InvalidInput
from ledger.history import read_history

STEP = '[[step]]\nrecorded-at = "2024-01-02T09:00:00+02:00"\nactor = "talouspalvelut"\n'
UNIT = STEP + 'command = "units add"\ncode = "YP"\nname = "Yhteiset palvelut"\n'
BUDGET = (
    STEP + 'command = "budget adopt"\nyear = 2024\nfile = "budget.csv"\ndecision = "Kv 1"\ndecided-on = 2023-12-11\n'
)


def history(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "history.toml"
    path.write_text(text, encoding="utf-8")
    return path


def refusal(tmp_path: Path, text: str) -> str:
    with pytest.raises(InvalidInput) as refused:
        read_history(history(tmp_path, text))
    return str(refused.value)


def test_a_step_of_every_key_it_knows_is_read(tmp_path: Path) -> None:
    (step,) = read_history(history(tmp_path, UNIT + 'parent = "KAUPUNKI"\nbinding = "net"\n')).steps

    assert (step.number, step.command, step.actor) == (1, "units add", "talouspalvelut")


def test_an_unknown_key_is_refused(tmp_path: Path) -> None:
    assert (
        refusal(tmp_path, UNIT + 'colour = "blue"\n') == "history.toml step 1, key colour: unknown key for this command"
    )


def test_a_key_of_the_wrong_kind_is_refused(tmp_path: Path) -> None:
    text = STEP + 'command = "units close"\ncode = "YP"\non = 2024\n'

    assert refusal(tmp_path, text).startswith("history.toml step 1, key on: '2024' is not a date")


def test_a_date_the_cli_takes_as_today_is_given_in_a_history_file(tmp_path: Path) -> None:
    text = STEP + 'command = "explain-deviation"\nunit = "YP"\nyear = 2024\ntext = "Syy"\n'

    assert refusal(tmp_path, text) == "history.toml step 1, key on: is missing"


def test_an_accounts_class_other_than_balance_sheet_is_refused_as_on_the_cli(tmp_path: Path) -> None:
    text = STEP + 'command = "accounts add"\ncode = "1000"\nname = "Kassa"\nclass = "assets"\n'

    assert refusal(tmp_path, text) == (
        "history.toml step 1, key class: 'assets': the only class to name is balance-sheet; use --row otherwise"
    )


def test_a_budget_file_is_read_in_the_steps_encoding(tmp_path: Path) -> None:
    (tmp_path / "budget.csv").write_bytes("yksikkö;rivi;summa\nYP;personnel_expenses;-100\n".encode("latin-1"))

    assert "the file is not UTF-8" in refusal(tmp_path, BUDGET)

    (step,) = read_history(history(tmp_path, BUDGET + 'encoding = "latin-1"\n')).steps

    assert step.command == "budget adopt"


def test_a_file_not_beside_the_history_file_is_refused(tmp_path: Path) -> None:
    assert refusal(tmp_path, BUDGET) == "history.toml step 1, key file: no such file budget.csv beside the history file"


def test_an_unknown_command_is_refused(tmp_path: Path) -> None:
    text = STEP + 'command = "units paint"\n'

    assert (
        refusal(tmp_path, text)
        == "history.toml step 1, key command: unknown command 'units paint'; see docs/history-format.md"
    )
