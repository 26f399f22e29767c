"""The event store on SQLite and PostgreSQL: what is recorded reads back identically, the
recording clock never runs backwards, and concurrent writers neither collide nor leave gaps."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from ledger import clock, commands
from ledger.application import Ledger
from ledger.chain import GENESIS_HASH, next_hash
from ledger.errors import RuleViolation
from ledger.events import LEDGER_ID, LedgerEvent, VouchersPosted
from ledger.store.projector import reset
from projections import event_log

T0 = datetime(2024, 1, 2, 8, 0, tzinfo=UTC)


def _file(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _record_history(ledger: Ledger, tmp_path: Path) -> None:
    ledger.record(commands.initialise("Testikaupunki", "budget-minus-actual"), actor="a", recorded_at=T0,
                  require_initialised=False)  # fmt: skip
    ledger.record(commands.add_unit("YP", "Yhteiset palvelut", None, "net"), actor="b", recorded_at=T0)
    ledger.record(commands.add_unit("TAL", "Talouspalvelut", "YP", "none"), actor="b")
    budget = _file(tmp_path, "b.csv", "unit;line;amount\nTAL;personnel_expenses;-1 000,50\n")
    ledger.record(commands.adopt_budget(2024, budget, "Kv § 85", date(2023, 12, 11), "council"), actor="c")
    vouchers = _file(
        tmp_path,
        "v.csv",
        "voucher;date;account;unit;amount;text;project\n"
        "V-1;2024-03-01;4010;TAL;12,34;palkka ä;\n"
        "V-1;2024-03-01;1900;TAL;-12,34;pankki;\n",
    )
    ledger.record(commands.post_file(vouchers), actor="d")
    ledger.record(commands.reverse("V-1", date(2024, 3, 2), "väärä"), actor="d")


def test_recorded_events_read_back_identically_after_reopening(store_url: str, tmp_path: Path) -> None:
    with Ledger(store_url) as ledger:
        _record_history(ledger, tmp_path)
        written = list(ledger.events())

    with Ledger(store_url) as reopened:
        read = list(reopened.events())

    assert len(written) == 8
    assert read == written
    assert [type(e) for e in read] == [type(e) for e in written]
    posted = next(e for e in read if isinstance(e, VouchersPosted))
    assert posted.vouchers[0].lines[0].amount_cents == 1234
    assert posted.vouchers[0].lines[0].text == "palkka ä"
    assert posted.vouchers[0].effective_on == date(2024, 3, 1)
    assert all(e.originator_id == LEDGER_ID for e in read)
    assert [e.position for e in read] == list(range(1, 9))


def test_every_stored_chain_hash_follows_from_the_previous_one(store_url: str, tmp_path: Path) -> None:
    with Ledger(store_url) as ledger:
        _record_history(ledger, tmp_path)
        events = list(ledger.events())

    previous = GENESIS_HASH
    for event in events:
        assert event.chain_hash == next_hash(previous, event.TOPIC, event.position, event.content())
        previous = event.chain_hash


def test_recorded_at_never_goes_backwards_nor_ahead_of_the_clock(store_url: str) -> None:
    with Ledger(store_url) as ledger:
        ledger.record(commands.initialise("K", "budget-minus-actual"), recorded_at=T0, require_initialised=False)
        ledger.record(commands.add_unit("A", "A", None, "none"))  # now
        stamp_a = list(ledger.events())[-1].recorded_at
        with pytest.raises(RuleViolation, match="never go backwards"):
            ledger.record(commands.add_unit("B", "B", None, "none"), recorded_at=stamp_a - timedelta(microseconds=1))
        ledger.record(commands.add_unit("C", "C", None, "none"), recorded_at=stamp_a)  # equal is allowed
        with pytest.raises(RuleViolation, match="ahead of this machine's clock"):
            ledger.record(commands.add_unit("D", "D", None, "none"), recorded_at=clock.now() + timedelta(hours=1))
        events = list(ledger.events())

    stamps = [e.recorded_at for e in events]
    assert stamps == sorted(stamps) and stamps[0] == T0 and stamps[-1] == stamp_a
    assert [e.code for e in events if hasattr(e, "code")] == ["A", "C"]


def _positions(events: list[LedgerEvent]) -> list[int]:
    return [e.position for e in events]


def _save_unchecked(ledger: Ledger, check: commands.Check, actor: str) -> None:
    """Record as a writer that ignores the PostgreSQL writers' turn (an older client, a
    script): checked and stamped like `record`, but saved without taking the turn. Only
    the store's optimistic check on positions stands between it and a concurrent writer."""
    with ledger.state() as state:
        events = ledger._stamp(state, check(state), actor, None)
    ledger.app.save(*events)
    ledger.catch_up()


def test_a_writer_that_loses_the_race_checks_again_and_records_after_the_winner(store_url: str) -> None:
    with Ledger(store_url) as first, Ledger(store_url) as second:
        first.record(commands.initialise("K", "budget-minus-actual"), require_initialised=False)
        original_save = first.app.save
        saves: list[int] = []

        def save_after_the_other_writer(*events: LedgerEvent) -> object:
            saves.append(events[0].position)
            if len(saves) == 1:  # the other writer takes the next position between check and save
                _save_unchecked(second, commands.add_unit("B", "Second", None, "none"), actor="second")
            return original_save(*events)

        first.app.save = save_after_the_other_writer  # type: ignore[method-assign]
        first.record(commands.add_unit("A", "First", None, "none"), actor="first")
        events = list(first.events())

    assert saves == [4, 5]  # refused at 4, checked again, recorded at 5
    assert _positions(events) == [1, 2, 3, 4, 5]
    assert [(type(e).__name__, e.actor) for e in events[3:]] == [("UnitAdded", "second"), ("UnitAdded", "first")]


def test_a_command_checked_again_after_losing_the_race_sees_the_winners_event(store_url: str) -> None:
    # Both add unit X: the loser's second check finds X and refuses, nothing duplicated.
    with Ledger(store_url) as first, Ledger(store_url) as second:
        first.record(commands.initialise("K", "budget-minus-actual"), require_initialised=False)
        original_save = first.app.save

        def save_after_the_other_writer(*events: LedgerEvent) -> object:
            first.app.save = original_save  # type: ignore[method-assign]
            _save_unchecked(second, commands.add_unit("X", "Second", None, "none"), actor="second")
            return original_save(*events)

        first.app.save = save_after_the_other_writer  # type: ignore[method-assign]
        with pytest.raises(RuleViolation, match="unit X exists already"):
            first.record(commands.add_unit("X", "First", None, "none"))
        with first.state() as state:
            assert state.units["X"].name == "Second"
        assert _positions(list(first.events())) == [1, 2, 3, 4]


def test_two_ledgers_recording_at_once_land_every_event_without_gaps_or_duplicates(store_url: str) -> None:
    per_writer = 6
    with Ledger(store_url) as setup:
        setup.record(commands.initialise("K", "budget-minus-actual"), require_initialised=False)
    errors: list[BaseException] = []

    def writer(name: str) -> None:
        try:
            with Ledger(store_url) as ledger:
                for n in range(per_writer):
                    ledger.record(commands.add_unit(f"{name}{n}", name, None, "none"), actor=name)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(name,)) for name in ("P", "Q")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    with Ledger(store_url) as reader:
        events = list(reader.events())
        with reader.state() as state:
            units = set(state.units)
    codes = [e.code for e in events if hasattr(e, "code")]
    assert _positions(events) == list(range(1, 3 + 2 * per_writer + 1))
    assert sorted(codes) == sorted(f"{w}{n}" for w in "PQ" for n in range(per_writer))
    assert units == set(codes)
    stamps = [e.recorded_at for e in events]
    assert stamps == sorted(stamps)


@pytest.mark.parametrize("tables_exist", [False, True], ids=["fresh", "existing"])
def test_several_ledgers_opening_one_store_at_once_all_succeed(store_url: str, tables_exist: bool) -> None:
    # Opening a store creates or checks its tables; on PostgreSQL concurrent DDL used to
    # fail with 'tuple concurrently updated'.
    if tables_exist:
        Ledger(store_url).close()
    openers = 5
    barrier = threading.Barrier(openers)
    errors: list[BaseException] = []

    def open_and_close() -> None:
        try:
            barrier.wait(timeout=30)
            with Ledger(store_url) as ledger, ledger.state() as state:
                assert state.head == 0
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=open_and_close) for _ in range(openers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []


def test_ledgers_catching_up_at_once_apply_each_event_exactly_once(store_url: str) -> None:
    with Ledger(store_url) as ledger:
        ledger.record(commands.initialise("K", "budget-minus-actual"), require_initialised=False)
        for n in range(5):
            ledger.record(commands.add_unit(f"U{n}", "U", None, "none"))
        with ledger.engine.begin() as conn:
            reset(conn)  # the read model must be rebuilt from the log
    catchers = 4
    barrier = threading.Barrier(catchers)
    errors: list[BaseException] = []

    def catch_up() -> None:
        try:
            with Ledger(store_url) as ledger:
                barrier.wait(timeout=30)
                ledger.catch_up()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=catch_up) for _ in range(catchers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    with Ledger(store_url) as ledger, ledger.state() as state:
        logged = [row["position"] for row in event_log.events(state.conn)]
        assert logged == list(range(1, 9))
        assert sorted(state.units) == [f"U{n}" for n in range(5)]
