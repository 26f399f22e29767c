"""A unit, account or project code holds letters, digits, '-', '_' and '.' only: a space or
a ';' would break the CSV files, the `events --unit` filter and every script that quotes
it. Refused with exit 2 and nothing written, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from support.cli_helpers import Kuntaledger

BAD_CODES = ("TAL 2", "TAL;2", "TAL\t2", "TAL,2", "TAL/2")
ADD = {
    "unit": ("units", "add", "{code}", "--name", "Uusi", "--parent", "YP"),
    "account": ("accounts", "add", "{code}", "--name", "Uusi tili", "--row", "sales_income"),
    "project": ("projects", "add", "{code}", "--name", "Uusi hanke", "--group", "movable_property"),
}


@pytest.mark.parametrize("what", sorted(ADD))
@pytest.mark.parametrize("code", BAD_CODES)
def test_a_code_with_a_space_or_a_separator_is_refused(ledger_2024: Kuntaledger, what: str, code: str) -> None:
    before = ledger_2024.event_count()

    run = ledger_2024(*(part.format(code=code) for part in ADD[what]))

    assert run.exit_code == 2, run.stderr
    article = "an" if what == "account" else "a"
    assert run.stderr == f"error: CODE '{code}': {article} {what} code holds only letters, digits, '-', '_' and '.'\n"
    assert ledger_2024.event_count() == before


@pytest.mark.parametrize("code", ("KÄYTTÖ-1", "4310", "P_2024.01"))
def test_letters_digits_and_the_three_marks_are_accepted(ledger_2024: Kuntaledger, code: str) -> None:
    for what in sorted(ADD):
        ledger_2024.ok(*(part.format(code=f"{code}{what[0]}") for part in ADD[what]))
