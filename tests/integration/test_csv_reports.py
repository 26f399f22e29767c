"""A report's CSV opens in a Finnish Excel: with `--lang fi` (the default) amounts and
percentages take the decimal comma, fields the ';'; `--lang en` keeps the decimal point.
On SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io

import pytest
from support.cli_helpers import Kuntaledger

VOUCHERS = """voucher;date;account;unit;amount;text
V-1;2024-03-01;4010;TAL;1234,56;palkka
V-1;2024-03-01;1900;TAL;-1234,56;pankki
"""


def _rows(cli: Kuntaledger, *options: str) -> dict[str, list[str]]:
    text = cli.ok("statement", "--unit", "TAL", "--year", "2024", "--format", "csv", *options).stdout
    return {row[0]: row for row in csv.reader(io.StringIO(text), delimiter=";")}


@pytest.mark.parametrize(("options", "mark"), [((), ","), (("--lang", "fi"), ","), (("--lang", "en"), ".")])
def test_csv_amounts_and_percentages_take_the_languages_decimal_mark(
    ledger_2024: Kuntaledger, options: tuple[str, ...], mark: str
) -> None:
    ledger_2024.ok("post", "--file", ledger_2024.file("gl.csv", VOUCHERS))

    rows = _rows(ledger_2024, *options)

    header = rows["key"]
    personnel = dict(zip(header, rows["personnel_expenses"], strict=True))
    assert personnel["budget"] == f"-400000{mark}00"
    assert personnel["actual"] == f"-1234{mark}56"
    assert personnel["utilisation_pct"] == f"0{mark}31"


def test_json_keeps_the_decimal_point_in_either_language(ledger_2024: Kuntaledger) -> None:
    args = ("statement", "--unit", "TAL", "--year", "2024", "--known-at", "2099-12-31", "--format", "json")

    assert ledger_2024.ok(*args, "--lang", "fi").stdout == ledger_2024.ok(*args, "--lang", "en").stdout
