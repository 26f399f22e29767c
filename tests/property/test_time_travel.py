"""Reports are reproducible: known at T, a store gives the reports of a fresh store that
holds only what was recorded up to T; as of D, nothing effective after D counts; the same
events give byte-identical JSON, in two SQLite stores, in SQLite and PostgreSQL alike, and
in another process (whose string hashes, and so set order, differ)."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support.oracles import FACES, NOW, both_faces, snapshot
from support.strategies import (
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


def figures_of(report: Any) -> dict[str, object]:
    """A report's JSON without the known-at moment it was asked for."""
    document: dict[str, object] = json.loads(render(report, "json", "fi"))
    del document["known_at"]
    return document


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
                # The store holding only the prefix is asked as known now: a known-at lookup
                # that is wrong in every store alike must not cancel out.
                full_fold, full_fast = both_faces(full, full_events, kind, str(unit), year, as_of, known_at)
                then_fold, then_fast = both_faces(partial, partial_events, kind, str(unit), year, as_of, NOW)
                assert figures_of(full_fast) == figures_of(then_fast), (kind, unit)
                assert figures_of(full_fold) == figures_of(then_fold), (kind, unit)


@examples(0.3)
@given(history=histories())
def test_the_same_events_give_byte_identical_reports(history: History) -> None:
    with recorded(history) as (one, _), recorded(history) as (other, _):
        assert log_of(list(one.events())) == log_of(list(other.events()))
        first = snapshot(one, YEARS, tables=False)
        assert snapshot(other, YEARS, tables=False) == first
        assert snapshot(one, YEARS, tables=False) == first


SNAPSHOT_IN_ANOTHER_PROCESS = """
import json, sys
from ledger.application import Ledger
from support.oracles import snapshot
with Ledger(sys.argv[1]) as ledger:
    print(json.dumps(snapshot(ledger, [int(year) for year in sys.argv[2:]], tables=False)))
"""


@examples(0.2)
@given(history=histories(max_steps=6), seed=st.integers(1, 2**32 - 1))
def test_another_process_renders_byte_identical_reports(history: History, seed: int) -> None:
    """Within one process a set of strings iterates in the same order every time, so only
    another process, with another hash seed, shows a report whose order depends on it."""
    with recorded(history) as (ledger, _):
        here = snapshot(ledger, YEARS, tables=False)
        environment = {**os.environ, "PYTHONHASHSEED": str(seed), "PYTHONPATH": os.pathsep.join(sys.path)}
        there = subprocess.run(
            [sys.executable, "-c", SNAPSHOT_IN_ANOTHER_PROCESS, f"sqlite:///{ledger.config.sqlite_path}"]
            + [str(year) for year in YEARS],
            env=environment,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert there.returncode == 0, there.stderr
        assert json.loads(there.stdout) == here


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
