"""Differential tests: the fast path equals the reference fold for random (D, T) and histories."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.reports_scenario import Scenario, city_history

from ledger import commands
from ledger.events import LedgerEvent
from ledger.money import format_plain
from ledger.store import tables as t
from projections.amounts import row_sums, sum_postings
from projections.goals import fold_goals, query_goals
from projections.investments import fold_investments, query_investments
from projections.query import load_scope, position_known_at
from projections.risks import fold_risks, query_risks
from projections.statement import fold_statement, query_statement

PAIRS = (
    (fold_statement, query_statement),
    (fold_investments, query_investments),
    (fold_goals, query_goals),
    (fold_risks, query_risks),
)
START = datetime(2023, 11, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Scenario, list[LedgerEvent]]]:
    directory = tmp_path_factory.mktemp("random")
    scenario = Scenario(f"sqlite:///{directory / 'ledger.db'}", directory)
    city_history(scenario)
    yield scenario, list(scenario.ledger.events())
    scenario.close()


def moments(events: list[LedgerEvent]) -> st.SearchStrategy[datetime]:
    """Any moment over the history, and the recording moments themselves and next to them."""
    exact = st.sampled_from([e.recorded_at + timedelta(microseconds=d) for e in events for d in (-1, 0, 1)])
    anywhere = st.integers(0, 520 * 86_400).map(lambda seconds: START + timedelta(seconds=seconds))
    return st.one_of(exact, anywhere)


@settings(deadline=None)
@given(data=st.data())
def test_every_report_agrees_with_its_fold_at_random_moments(
    city: tuple[Scenario, list[LedgerEvent]], data: st.DataObject
) -> None:
    scenario, events = city
    unit = data.draw(st.sampled_from(["K", "YP", "VA", "TA"]))
    year = data.draw(st.sampled_from([2023, 2024, 2025]))
    as_of = data.draw(st.dates(date(2023, 6, 1), date(2025, 6, 30)))
    known_at = data.draw(moments(events))
    with scenario.ledger.state() as state:
        for fold, query in PAIRS:
            assert query(state.conn, unit, year, as_of, known_at) == fold(events, unit, year, as_of, known_at)


ACCOUNTS = ("3000", "4010", "4100", "4310", "6000", "1130")
UNITS = ("VA", "TA")


@st.composite
def histories(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Postings, reversals and amendments on random dates, recorded in increasing order."""
    steps: list[dict[str, Any]] = []
    posted: list[str] = []
    for index in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["post", "post", "reverse", "amend"]) if posted else st.just("post"))
        day = draw(st.dates(date(2023, 1, 1), date(2024, 12, 31)))
        if kind == "post":
            account = draw(st.sampled_from(ACCOUNTS))
            amount = draw(st.integers(-500_000, 500_000).filter(bool))
            project = "P1" if account == "1130" or (account == "4310" and draw(st.booleans())) else ""
            steps.append(
                {
                    "kind": kind,
                    "voucher": f"V{index}",
                    "day": day,
                    "account": account,
                    "unit": draw(st.sampled_from(UNITS)),
                    "amount": amount,
                    "project": project,
                }
            )
            posted.append(f"V{index}")
        elif kind == "reverse":
            voucher = draw(st.sampled_from(posted))
            posted.remove(voucher)
            steps.append({"kind": kind, "voucher": voucher, "day": date(2024, 12, 31)})
        else:
            steps.append(
                {
                    "kind": kind,
                    "day": draw(st.dates(date(2024, 1, 1), date(2024, 12, 31))),
                    "unit": draw(st.sampled_from(UNITS)),
                    "amount": draw(st.integers(-10_000, 10_000)),
                }
            )
    return steps


def record(s: Scenario, steps: list[dict[str, Any]]) -> None:
    s.init("2023-01-01T00:00:00Z")
    s.unit("YP", "Yhteiset palvelut", None, "2023-01-01T00:01:00Z", binding="net")
    for code in UNITS:
        s.unit(code, code, "YP", "2023-01-01T00:02:00Z")
    s.record(commands.add_project("P1", "Kalusto", "movable_property", "TA"), "2023-01-01T00:03:00Z")
    s.budget(
        2024,
        [("VA", "purchases_of_services", "-1000"), ("TA", "movable_property:expenditure", "-50")],
        "2023-12-11",
        "2023-12-12T00:00:00Z",
    )
    for number, step in enumerate(steps):
        at = f"2024-{1 + number:02d}-15T12:00:00Z"
        if step["kind"] == "post":
            cents, minus = format_plain(step["amount"]), format_plain(-step["amount"])
            day = step["day"].isoformat()
            lines = [
                (step["voucher"], day, step["account"], step["unit"], cents, step["project"]),
                (step["voucher"], day, "1900", step["unit"], minus, ""),
            ]
            s.post(lines, at)
        elif step["kind"] == "reverse":
            s.reverse(step["voucher"], step["day"].isoformat(), at)
        else:
            s.amend(2024, [(step["unit"], "personnel_expenses", str(step["amount"]))], step["day"].isoformat(), at)


@settings(deadline=None)
@given(steps=histories(), as_of=st.dates(date(2023, 1, 1), date(2024, 12, 31)), month=st.integers(0, 10))
def test_random_histories_agree_with_the_fold(steps: list[dict[str, Any]], as_of: date, month: int) -> None:
    with tempfile.TemporaryDirectory() as directory:
        s = Scenario(f"sqlite:///{Path(directory) / 'ledger.db'}", Path(directory))
        try:
            record(s, steps)
            events = list(s.ledger.events())
            known_at = datetime(2024, 1 + month, 15, 12, 0, tzinfo=UTC)
            with s.ledger.state() as state:
                for unit in ("YP", "VA", "TA"):
                    for year in (2023, 2024):
                        for fold, query in PAIRS[:2]:
                            assert query(state.conn, unit, year, as_of, known_at) == fold(
                                events, unit, year, as_of, known_at
                            )
                # The balances known at P(T) give, for any period, the sums of the
                # posted rows recorded up to P(T).
                position = position_known_at(state.conn, known_at)
                periods = [(date(2023, 1, 1), as_of), (date(2024, 1, 1), date(2024, 12, 31)), (as_of, date(2023, 6, 1))]
                members = load_scope(state.conn, unit, 2024, as_of, known_at).members
                by_balances = row_sums(state.conn, unit, periods, position)
                row = t.amounts.c.row
                by_rows = [
                    dict(sum_postings(state.conn, [row], members, start, end, position, row.is_not(None)))
                    for start, end in periods
                ]
                assert [{r: v for r, v in p.items() if v} for p in by_balances] == [
                    {r: v for r, v in p.items() if v} for p in by_rows
                ]
        finally:
            s.close()
