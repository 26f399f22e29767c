"""Plan years after amendments = the adopted plan + Σ the amendments decided by as-of, per
unit, row and plan year; a parent's plan is the sum of its children's; both faces agree."""

from __future__ import annotations

import tempfile
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from support.cli_helpers import Kuntaledger
from support.oracles import both_faces
from support.strategies import examples

from ledger import clock
from ledger.application import Ledger
from ledger.money import format_plain

UNITS = ("TAL", "HEN")
ROWS = ("sales_income", "personnel_expenses")
YEARS = (2026, 2027, 2028)
euros = st.integers(-50_000, 50_000)
# a plan file: per (unit, row), an amount for the budget year and maybe one per plan year
lines = st.dictionaries(
    st.tuples(st.sampled_from(UNITS), st.sampled_from(ROWS)),
    st.tuples(euros, st.lists(st.none() | euros, min_size=3, max_size=3)),
    min_size=1,
)


def _file(cli: Kuntaledger, name: str, found: dict[tuple[str, str], tuple[int, list[int | None]]]) -> str:
    text = "unit;line;amount;" + ";".join(f"plan_{year}" for year in YEARS) + "\n"
    for (unit, row), (amount, plan) in found.items():
        text += f"{unit};{row};{amount};" + ";".join("" if p is None else str(p) for p in plan) + "\n"
    return cli.file(name, text)


@examples(0.3)
@given(adopted=lines, amendments=st.lists(lines, max_size=3), cut=st.integers(0, 3))
def test_plan_years_are_the_adopted_plan_and_the_amendments_decided(
    adopted: dict[tuple[str, str], tuple[int, list[int | None]]],
    amendments: list[dict[tuple[str, str], tuple[int, list[int | None]]]],
    cut: int,
) -> None:
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{Path(directory) / 'ledger.db'}"
        cli = Kuntaledger(url, Path(directory))
        cli.ok("init", "--entity", "Testikaupunki")
        cli.ok("units", "add", "YP", "--name", "Yhteiset palvelut", "--binding", "net")
        for unit in UNITS:
            cli.ok("units", "add", unit, "--name", unit, "--parent", "YP", "--binding", "none")
        start = date(2024, 12, 10)
        cli.ok("budget", "adopt", "--year", "2025", "--file", _file(cli, "adopted.csv", adopted),
               "--decision", "Kv 10.12.2024 § 1", "--decided-on", start.isoformat())  # fmt: skip
        for number, amendment in enumerate(amendments, start=1):
            decided = start + timedelta(days=30 * number)
            cli.ok("budget", "amend", "--year", "2025", "--kind", "council", "--file",
                   _file(cli, f"a{number}.csv", amendment), "--decision", f"Kv § {number}",
                   "--decided-on", decided.isoformat(), "--reason", "muutos")  # fmt: skip
        as_of = start + timedelta(days=30 * cut)  # the amendments up to `cut` are decided by then
        expected: Counter[tuple[str, str, int]] = Counter()
        for decision in [adopted, *amendments[:cut]]:
            for (unit, row), (_, plan) in decision.items():
                for year, amount in zip(YEARS, plan, strict=True):
                    expected[(unit, row, year)] += (amount or 0) * 100
        ledger = Ledger(url)
        try:
            events = list(ledger.events())
            faces = {
                unit: both_faces(ledger, events, "plan", unit, 2025, as_of, clock.now()) for unit in (*UNITS, "YP")
            }
        finally:
            ledger.close()
        for unit, (fold, fast) in faces.items():
            assert fold == fast, unit
        for unit in UNITS:
            report = faces[unit][1]
            for row in ROWS:
                shown = dict(zip(report.plan_years, report.line(row).plan, strict=True))
                for year in report.plan_years:
                    assert shown[year] == expected[(unit, row, year)], (unit, row, year, format_plain(shown[year]))
        parent = faces["YP"][1]
        for row in ROWS:
            children = [faces[unit][1].line(row).plan for unit in UNITS]
            assert parent.line(row).plan == tuple(map(sum, zip(*children, strict=True)))
