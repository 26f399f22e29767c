"""Every report as of any date, as known at any moment, on SQLite and PostgreSQL.

The scenario (reports_scenario.city_history) is recorded through the real commands with
explicit recording times; the reports are read from the read models (the fast path) and
checked against the reference folds over the same events.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import date, datetime
from itertools import product
from pathlib import Path
from typing import Any

import pytest
from support.reports_scenario import Scenario, city_history, moment

from ledger.store.projector import reset
from projections.goals import fold_goals, query_goals
from projections.investments import fold_investments, query_investments
from projections.render.documents import document
from projections.risks import fold_risks, query_risks
from projections.statement import Statement, fold_statement, query_statement
from projections.summary import fold_summary, query_summary

REPORTS: tuple[tuple[Callable[..., Any], Callable[..., Any]], ...] = (
    (fold_statement, query_statement),
    (fold_summary, query_summary),
    (fold_investments, query_investments),
    (fold_goals, query_goals),
    (fold_risks, query_risks),
)


POSTGRES_URL = os.environ.get("LEDGER_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test").split("?")[0]


@contextmanager
def postgres_schema() -> Iterator[str]:
    """A fresh schema for a whole module (the conftest's fixtures are per test)."""
    import psycopg

    try:
        psycopg.connect(POSTGRES_URL, connect_timeout=3).close()
    except psycopg.OperationalError:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is not reachable at {POSTGRES_URL}")
        pytest.skip(f"PostgreSQL is not reachable at {POSTGRES_URL}")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield f"{POSTGRES_URL}?schema={schema}"
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def city(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scenario]:
    """The city's history on each backend, recorded once for the tests that only read it."""
    directory = tmp_path_factory.mktemp("city")
    with ExitStack() as stack:
        if request.param == "sqlite":
            url = f"sqlite:///{directory / 'ledger.db'}"
        else:
            url = stack.enter_context(postgres_schema())
        scenario = Scenario(url, directory)
        stack.callback(scenario.close)
        city_history(scenario)
        yield scenario


@pytest.fixture
def fresh_city(store_url: str, tmp_path: Path) -> Iterator[Scenario]:
    """The city's history in a store of its own, for tests that change the read models."""
    scenario = Scenario(store_url, tmp_path)
    city_history(scenario)
    yield scenario
    scenario.close()


def statement(s: Scenario, unit: str, as_of: str, known_at: str, year: int = 2024) -> Statement:
    with s.ledger.state() as state:
        return query_statement(state.conn, unit, year, date.fromisoformat(as_of), moment(known_at))


def actual(report: Statement, key: str) -> int:
    return report.line(key).figures.actual


def test_a_posting_recorded_after_t_is_absent_at_known_at_t_and_present_after(city: Scenario) -> None:
    # V6: TA wages 120 000, dated 31.12.2024, recorded 2025-01-20T12:00:00Z
    before = statement(city, "TA", "2024-12-31", "2025-01-20T11:59:59Z")
    at = statement(city, "TA", "2024-12-31", "2025-01-20T12:00:00Z")
    assert actual(before, "wages_and_salaries") == 0
    assert actual(at, "wages_and_salaries") == -12_000_000


def test_a_posting_dated_after_d_is_absent_at_as_of_d(city: Scenario) -> None:
    # V2: TA sales 15 000, dated 15.2.2024
    assert actual(statement(city, "TA", "2024-02-14", "2026-01-01"), "sales_income") == 0
    assert actual(statement(city, "TA", "2024-02-15", "2026-01-01"), "sales_income") == 1_500_000


def test_a_budget_decision_counts_from_its_date_and_from_when_it_was_recorded(city: Scenario) -> None:
    # the council amendment: -5 000 purchases for VA, decided 15.6.2024, recorded 20.6.2024
    def amendments(as_of: str, known_at: str) -> int:
        return statement(city, "VA", as_of, known_at).line("purchases_of_services").figures.budget_amendments

    assert amendments("2024-06-14", "2026-01-01") == 0
    assert amendments("2024-06-15", "2026-01-01") == -500_000
    assert amendments("2024-12-31", "2024-06-19") == 0
    assert statement(city, "VA", "2023-12-10", "2026-01-01").line("personnel_expenses").figures.original_budget == 0


def test_prior_year_actuals_are_the_whole_previous_year_as_known_at_the_same_moment(city: Scenario) -> None:
    # 2023 postings were recorded on 5.12.2023
    mid_year = statement(city, "YP", "2024-06-30", "2026-01-01")
    assert mid_year.line("personnel_expenses").figures.prior_year_actual == -4_000_000
    assert mid_year.line("sales_income").figures.prior_year_actual == 1_200_050
    assert statement(city, "YP", "2024-12-31", "2023-12-04").line("sales_income").figures.prior_year_actual == 0


def test_a_reversal_recorded_later_leaves_the_earlier_known_at_report_unchanged(store_url: str, tmp_path: Path) -> None:
    s = Scenario(store_url, tmp_path)
    try:
        s.init("2024-01-01T08:00:00Z")
        s.unit("VA", "Vaalit", None, "2024-01-01T08:01:00Z")
        s.budget(2024, [("VA", "purchases_of_services", "-20000")], "2023-12-11", "2024-01-02T08:00:00Z")
        s.post(
            [("V1", "2024-03-01", "4310", "VA", "7000"), ("V1", "2024-03-01", "2500", "VA", "-7000")],
            "2024-03-02T08:00:00Z",
        )
        signed = document(statement(s, "VA", "2024-12-31", "2024-08-01"))
        s.reverse("V1", "2024-03-01", "2024-09-01T08:00:00Z")
        assert document(statement(s, "VA", "2024-12-31", "2024-08-01")) == signed
        assert actual(statement(s, "VA", "2024-12-31", "2024-08-01"), "purchases_of_services") == -700_000
        assert actual(statement(s, "VA", "2024-12-31", "2024-09-02"), "purchases_of_services") == 0
    finally:
        s.close()


def test_a_parent_equals_the_sum_of_its_children(city: Scenario) -> None:
    for as_of, known_at in (("2024-06-30", "2024-08-01"), ("2024-12-31", "2026-01-01")):
        sector = statement(city, "YP", as_of, known_at)
        children = [statement(city, code, as_of, known_at) for code in ("VA", "TA")]
        for line in sector.lines:
            summed = [
                sum(column) for column in zip(*(c.line(line.key).figures.amounts()[:5] for c in children), strict=True)
            ]
            assert list(line.figures.amounts()[:5]) == summed, line.key
        city_wide = statement(city, "K", as_of, known_at)
        assert [line.figures for line in city_wide.lines] == [line.figures for line in sector.lines]


CHECKPOINTS = (
    ("2024-12-31", "2026-01-01"),
    ("2024-06-30", "2024-07-20T12:00:00Z"),
    ("2024-12-31", "2025-03-26"),
    ("2024-03-01", "2024-03-05T11:00:00Z"),
)


def all_documents(s: Scenario) -> list[dict[str, Any]]:
    found = []
    with s.ledger.state() as state:
        for unit in ("K", "YP", "VA", "TA"):
            for as_of, known_at in CHECKPOINTS:
                for _, query in REPORTS:
                    report = query(state.conn, unit, 2024, date.fromisoformat(as_of), moment(known_at))
                    found.append(document(report))
    return found


def test_rebuild_gives_the_same_reports_as_incremental_catch_up(fresh_city: Scenario) -> None:
    incremental = all_documents(fresh_city)
    applied = fresh_city.ledger.rebuild()
    assert applied == len(list(fresh_city.ledger.events()))
    assert all_documents(fresh_city) == incremental
    with fresh_city.ledger.engine.begin() as conn:  # a rebuild stopped right after its reset
        reset(conn)
    assert all_documents(fresh_city) == incremental


def test_the_fast_path_equals_the_reference_fold(city: Scenario) -> None:
    events = list(city.ledger.events())
    moments: list[datetime] = [moment(at) for _, at in CHECKPOINTS] + [e.recorded_at for e in events[3::12]]
    days = [date(2023, 12, 31), date(2024, 2, 15), date(2024, 6, 30), date(2025, 6, 1)]
    with city.ledger.state() as state:
        for fold, query in REPORTS:
            for unit, year, as_of, known_at in product(("K", "VA", "TA"), (2024,), days, moments):
                expected = fold(events, unit, year, as_of, known_at)
                assert query(state.conn, unit, year, as_of, known_at) == expected, (fold.__name__, as_of, known_at)
            for unit in ("YP", "K"):
                expected = fold(events, unit, 2025, date(2025, 12, 31), moments[0])
                assert query(state.conn, unit, 2025, date(2025, 12, 31), moments[0]) == expected
