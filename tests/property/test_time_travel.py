"""Reports are reproducible: known at T, a store gives the reports of a fresh store that
holds only what was recorded up to T; as of D, nothing effective after D counts; the same
events give byte-identical JSON, in two SQLite stores and in SQLite and PostgreSQL alike."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from oracles import FACES, NOW, both_faces, snapshot
from strategies import (
    BANK,
    YEARS,
    BudgetLineSpec,
    Command,
    Files,
    History,
    PostingSpec,
    VoucherSpec,
    amounts_cents,
    examples,
    histories,
    postgres_schema,
    record,
    recorded,
    report_moments,
)

from ledger.application import Ledger
from ledger.events import LedgerEvent
from projections.render import render


def log_of(events: list[LedgerEvent]) -> list[tuple[str, int, str, dict[str, object]]]:
    return [(type(e).__name__, e.position, e.chain_hash, e.content()) for e in events]


@examples(0.6)
@given(history=histories(), data=st.data())
def test_known_at_t_gives_the_reports_of_a_store_holding_only_the_events_up_to_t(
    history: History, data: st.DataObject
) -> None:
    year, as_of, known_at = data.draw(report_moments(history))
    prefix = History(
        history.deviation_sign,
        history.units,
        history.leaves,
        tuple(c for c in history.commands if c.recorded_at <= known_at),
    )
    with recorded(history) as (full, accepted), recorded(prefix) as (partial, accepted_then):
        assert accepted_then == accepted[: len(prefix.commands)]
        full_events, partial_events = list(full.events()), list(partial.events())
        assert log_of(partial_events) == log_of([e for e in full_events if e.recorded_at <= known_at])
        units = [c.option("code") for c in prefix.commands if c.name == "add_unit"]
        for unit in units:
            for kind in FACES:
                full_fold, full_fast = both_faces(full, full_events, kind, str(unit), year, as_of, known_at)
                then_fold, then_fast = both_faces(partial, partial_events, kind, str(unit), year, as_of, known_at)
                assert render(full_fast, "json", "fi") == render(then_fast, "json", "fi"), (kind, unit)
                assert render(full_fold, "json", "fi") == render(then_fold, "json", "fi"), (kind, unit)


@examples(0.3)
@given(history=histories())
def test_the_same_events_give_byte_identical_reports(history: History) -> None:
    with recorded(history) as (one, _), recorded(history) as (other, _):
        assert log_of(list(one.events())) == log_of(list(other.events()))
        first = snapshot(one, YEARS, tables=False)
        assert snapshot(other, YEARS, tables=False) == first
        assert snapshot(one, YEARS, tables=False) == first


@pytest.mark.postgres
@examples(0.2)
@given(history=histories(max_steps=10))
def test_sqlite_and_postgresql_give_byte_identical_reports(history: History) -> None:
    with postgres_schema() as url, recorded(history) as (lite, _), recorded(history, url) as (postgres, _):
        assert log_of(list(postgres.events())) == log_of(list(lite.events()))
        assert snapshot(postgres, YEARS) == snapshot(lite, YEARS)


def reports_as_of(ledger: Ledger, units: list[str], day: date) -> dict[tuple[str, str, int], str]:
    """Every report of every unit for the fiscal years that have begun by `day`, as of it."""
    found = {}
    with ledger.state() as state:
        for unit, year, kind in itertools.product(units, [y for y in YEARS if y <= day.year], FACES):
            found[(kind, unit, year)] = str(render(FACES[kind][1](state.conn, unit, year, day, NOW), "json", "fi"))
    return found


@examples(0.4)
@given(history=histories(), data=st.data())
def test_nothing_effective_after_d_changes_a_report_as_of_d(history: History, data: st.DataObject) -> None:
    """A voucher dated after D, and a council amendment decided after D, leave every report as
    of D as it was (for the fiscal years begun by D)."""
    with recorded(history) as (ledger, _):
        units = [str(c.option("code")) for c in history.commands if c.name == "add_unit"]
        day = data.draw(st.dates(date(YEARS[0], 1, 1), date(YEARS[-1], 12, 30)), label="as of")
        later = day + timedelta(days=data.draw(st.integers(1, 400)))
        before = reports_as_of(ledger, units, day)
        leaf = data.draw(st.sampled_from(history.leaves))
        amount = data.draw(amounts_cents)
        lines = (PostingSpec("4300", leaf, amount), PostingSpec(BANK, leaf, -amount))
        at = history.commands[-1].recorded_at
        files = Files(ledger.config.sqlite_path.parent)
        record(ledger, Command("post", at, (("vouchers", (VoucherSpec("V-LATER", later, lines),)),)), files)
        amendment = (("year", day.year), ("kind", "council"), ("body", "council"), ("decided_on", later),
                     ("lines", (BudgetLineSpec(leaf, "sales_income", amount),)))  # fmt: skip
        record(ledger, Command("amend", at, amendment), files)
        assert reports_as_of(ledger, units, day) == before
