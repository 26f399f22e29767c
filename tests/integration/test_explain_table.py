"""`explain` as a table: one plain line per item, under aligned headers, with every value
the JSON has; fast for thousands of items (bench/probe.py measures it). SQLite and PostgreSQL."""

from __future__ import annotations

import json

from support.cli_helpers import Kuntaledger

from cli.tracing import ITEM_COLUMNS

HEADER = "voucher;date;account;unit;amount;text\n"
VOUCHERS = HEADER + "".join(
    f"V-{n};2024-03-{n:02d};4010;TAL;{n}00,50;palkka [b]{n}[/b] ja pitkä selite\n"
    f"V-{n};2024-03-{n:02d};1900;TAL;-{n}00,50;pankki\n"
    for n in range(1, 13)
)
ARGS = ("explain", "--unit", "TAL", "--row", "personnel_expenses", "--column", "actual", "--year", "2024")


def test_each_item_is_one_aligned_line_with_the_values_of_the_json(ledger_2024: Kuntaledger) -> None:
    ledger_2024.ok("post", "--file", ledger_2024.file("gl.csv", VOUCHERS))
    items = json.loads(ledger_2024.ok(*ARGS, "--format", "json").stdout)["items"]

    lines = ledger_2024.ok(*ARGS, "--tz", "UTC").stdout.splitlines()  # JSON's moments are UTC, the table's in --tz

    header = next(index for index, line in enumerate(lines) if line.split()[:2] == ["position", "type"])
    starts = [lines[header].index(column) for column in ITEM_COLUMNS if column != "amount"]
    body = lines[header + 2 : header + 2 + len(items)]
    assert len(items) > 1 and len(body) == len(items)
    for line, item in zip(body, items, strict=True):
        left = [column for column in ITEM_COLUMNS if column != "amount"]
        assert [line[start:].split("  ")[0].strip() for start in starts] == [str(item[c]) for c in left]
        assert f" {item['amount']} " in line
