"""The application's own reading of the log: by position, as stored, and appended as stored."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from support.cli_helpers import Kuntaledger

from ledger import events as ev
from ledger.application import Ledger
from ledger.errors import Conflict
from projections.diff import diff_reports
from projections.explain import Evidence, explain_figure
from projections.journal import journal

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def test_events_at_reads_the_positions_asked_for_in_log_order(world: Kuntaledger) -> None:
    with Ledger(world.store_url) as ledger:
        every = list(ledger.events())
        head, middle = every[-1].position, len(every) // 2
        asked = [head, 2, 1, 2, head + 5, middle]

        found = ledger.events_at(asked)

    assert [event.position for event in found] == [1, 2, middle, head]
    assert found == [every[0], every[1], every[middle - 1], every[-1]]


def test_a_store_is_empty_until_its_first_event(world: Kuntaledger, tmp_path: Path) -> None:
    with Ledger(f"sqlite:///{tmp_path / 'empty.db'}") as empty, Ledger(world.store_url) as ledger:
        assert empty.is_empty()
        assert not ledger.is_empty()


def test_a_copied_log_is_the_same_log_and_refuses_a_second_copy(world: Kuntaledger, tmp_path: Path) -> None:
    with Ledger(world.store_url) as ledger, Ledger(f"sqlite:///{tmp_path / 'copy.db'}") as copy:
        copied = ledger.copy_log_into(copy, page=7)

        assert copied == len(list(ledger.events()))
        assert _as_stored(copy) == _as_stored(ledger)
        with pytest.raises(Conflict):
            ledger.copy_log_into(copy, page=None)
        with pytest.raises(Conflict):
            copy.insert_records(list(ledger.stored_records())[-1:])


def _as_stored(ledger: Ledger) -> list[tuple[object, ...]]:
    return [(r.position, r.topic, r.payload, r.chain_hash, r.class_version) for r in ledger.stored_records()]


class _Recorded:
    """`Ledger.events_at`, remembering every position asked for."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.asked: list[int] = []

    def __call__(self, positions: Iterable[int]) -> Sequence[ev.LedgerEvent]:
        wanted = list(positions)
        self.asked += wanted
        return self.ledger.events_at(wanted)


def test_a_budget_is_explained_without_reading_the_log(world: Kuntaledger) -> None:
    with Ledger(world.store_url) as ledger, ledger.state() as state:
        recorded = _Recorded(ledger)
        explained = explain_figure(
            Evidence(state.conn, recorded), "YP", "operating_margin", "budget", 2024, date(2024, 12, 31), NOW
        )

    assert explained.items
    assert recorded.asked == []


def test_an_actual_reads_only_the_vouchers_and_reversals_of_its_period(world: Kuntaledger) -> None:
    with Ledger(world.store_url) as ledger, ledger.state() as state:
        recorded = _Recorded(ledger)
        evidence = Evidence(state.conn, recorded)
        explain_figure(evidence, "HALL", "sales_income", "actual", 2024, date(2024, 12, 31), NOW)
        explain_figure(evidence, "YP", "operating_margin", "actual", 2024, date(2024, 12, 31), NOW)
        read = ledger.events_at(recorded.asked)

    assert read
    assert {type(event) for event in read} <= {ev.VouchersPosted, ev.VoucherReversed}
    assert len(recorded.asked) == len(set(recorded.asked)), "a period's journal is read once"


def test_a_diff_with_nothing_recorded_between_reads_no_event(world: Kuntaledger) -> None:
    with Ledger(world.store_url) as ledger, ledger.state() as state:
        recorded = _Recorded(ledger)
        moments = datetime(2024, 7, 1, tzinfo=UTC), datetime(2024, 8, 1, tzinfo=UTC)
        result = diff_reports(Evidence(state.conn, recorded), "YP", 2024, date(2024, 12, 31), *moments)

    assert result.changes == ()
    assert recorded.asked == []


def test_the_journal_holds_every_voucher_of_the_year_known_then(world: Kuntaledger) -> None:
    with Ledger(world.store_url) as ledger, ledger.state() as state:
        book = journal(state.conn, ledger.events_at, 2024, date(2024, 12, 31), NOW)
        every = list(ledger.events())
    posted = [v.voucher for e in every if isinstance(e, ev.VouchersPosted) for v in e.vouchers]
    reversed_ = [e.voucher for e in every if isinstance(e, ev.VoucherReversed)]

    assert sorted(e.voucher for e in book.entries if e.kind == "posting") == sorted(posted)
    assert sorted(e.voucher for e in book.entries if e.kind == "reversal") == sorted(reversed_)
    assert [e.position for e in book.entries] == sorted(e.position for e in book.entries)
