"""A domain error names the command's field and the value, not a CLI option; the CLI spells
the field as its option (or an argument in capitals), a history file as its key."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from support.cli_helpers import Kuntaledger

from ledger.errors import InvalidInput, RuleViolation
from ledger.fiscal_years import check_not_in_future

STEP = '\n[[step]]\nrecorded-at = "2024-01-02T09:0{minute}:00+02:00"\nactor = "talouspalvelut"\n'
HEAD = (
    STEP.format(minute=0)
    + 'command = "init"\n'
    + STEP.format(minute=1)
    + 'command = "units add"\ncode = "YP"\nname = "Yhteiset palvelut"\n'
)
RISK_OPTIONS = ("--unit", "YP", "--year", "2024", "--description", "Riski", "--probability", "1")
RISK_KEYS = 'unit = "YP"\nyear = 2024\ndescription = "Riski"\nprobability = 1\nsignificance = 1\non = 2024-01-02\n'


@pytest.fixture
def cli(tmp_path: Path) -> Kuntaledger:
    return Kuntaledger(f"sqlite:///{tmp_path / 'ledger.db'}", tmp_path)


def loaded(cli: Kuntaledger, step: str) -> str:
    """The error of loading the head and then `step` into a store of its own."""
    other = Kuntaledger(f"sqlite:///{cli.workdir / 'loaded.db'}", cli.workdir)
    run = other("load", other.file("history.toml", HEAD + STEP.format(minute=2) + step))
    assert run.exit_code == 2
    return run.stderr


def test_a_domain_error_carries_its_field_and_value_and_reads_without_an_option() -> None:
    with pytest.raises(RuleViolation) as refused:
        check_not_in_future(date(2025, 1, 2), today=date(2025, 1, 1))

    assert (refused.value.field, refused.value.value) == ("decided_on", date(2025, 1, 2))
    assert str(refused.value).startswith("decided-on 2025-01-02: that is in the future (today is 2025-01-01)")


def test_a_field_without_a_value_is_named_before_a_colon() -> None:
    error = InvalidInput("the text is empty", field="risk_class")

    assert (str(error), error.spelled("--class")) == ("risk-class: the text is empty", "--class: the text is empty")


def test_the_cli_names_a_field_by_its_option_and_a_history_file_by_its_key(cli: Kuntaledger) -> None:
    cli.ok("init")
    cli.ok("units", "add", "YP", "--name", "Yhteiset palvelut")

    run = cli("risks", "assess", "R1", *RISK_OPTIONS, "--significance", "1", "--class", " ", "--on", "2024-01-02")

    assert run.stderr == "error: --class: the text is empty\n"
    assert "history.toml step 3 (risks assess), key class: the text is empty; nothing from" in loaded(
        cli, 'command = "risks assess"\nrisk = "R1"\nclass = " "\n' + RISK_KEYS
    )


def test_the_cli_names_an_argument_in_capitals_and_a_history_file_by_its_key(cli: Kuntaledger) -> None:
    cli.ok("init")

    run = cli("units", "rename", "XX", "--name", "X", "--effective-on", "2024-01-01")

    assert run.stderr == "error: CODE 'XX': no such unit; see `kuntaledger units list`\n"
    assert "step 3 (units rename), key code: 'XX': no such unit" in loaded(
        cli, 'command = "units rename"\ncode = "XX"\nname = "X"\neffective-on = 2024-01-01\n'
    )


def test_a_date_in_the_future_follows_the_option_or_the_key(cli: Kuntaledger) -> None:
    cli.ok("init")

    run = cli("close-year", "--year", "2024", "--decision", "Kv 1", "--decided-on", "2099-01-01")

    assert run.stderr.startswith("error: --decided-on 2099-01-01: that is in the future (today is ")
    assert "step 3 (close-year), key decided-on: 2099-01-01: that is in the future" in loaded(
        cli, 'command = "close-year"\nyear = 2024\ndecision = "Kv 1"\ndecided-on = 2099-01-01\n'
    )
