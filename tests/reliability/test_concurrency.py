"""Several writer processes recording at once, on SQLite and on PostgreSQL.

Eight processes (started with `spawn`, so each has its own connections, as separate
users' commands would) post vouchers and amendments for a bounded time. Lost races for
the next log position are retried inside `Ledger.record`; afterwards no event is lost
or duplicated, every voucher is in the log once, the trial balance is zero, and the read
models are exactly at the log's head and equal a fresh replay.
"""

from __future__ import annotations

import multiprocessing
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from eventsourcing.persistence import IntegrityError, OperationalError
from sqlalchemy import func, select, text
from support.wholeness import assert_whole
from support.writers import WriterReport, set_up, voucher_file, write

from ledger import application, commands
from ledger import events as ev
from ledger.application import Ledger
from ledger.errors import Conflict
from ledger.importing import import_file
from ledger.store import tables as t

WRITERS = 8
SECONDS = 1.5  # each writer records for about this long, and at least AT_LEAST commands
AT_LEAST, AT_MOST = 3, 40


@pytest.fixture(scope="module")
def pool() -> Iterator[tuple[ProcessPoolExecutor, Any]]:
    """Eight spawned processes, shared by the SQLite and the PostgreSQL runs, and a barrier
    that lets them start recording at the same moment."""
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager, ProcessPoolExecutor(WRITERS, mp_context=context) as executor:
        yield executor, manager.Barrier(WRITERS)


def test_eight_writer_processes_lose_nothing_and_duplicate_nothing(
    store_url: str, tmp_path: Path, pool: tuple[ProcessPoolExecutor, Any]
) -> None:
    executor, barrier = pool
    set_up(store_url, tmp_path)
    with Ledger(store_url) as ledger:
        before = ledger.log_length()
    futures = [
        executor.submit(write, store_url, writer, str(tmp_path), barrier, SECONDS, AT_LEAST, AT_MOST)
        for writer in range(WRITERS)
    ]
    reports: list[WriterReport] = [future.result(timeout=300) for future in futures]

    whole = assert_whole(store_url, catch_up=False)  # the writers caught up after each command
    vouchers = sorted(v for report in reports for v in report.vouchers)
    amendments = sorted(a for report in reports for a in report.amendments)
    assert sorted(whole.vouchers) == vouchers
    assert sorted(e.reason for e in whole.of_type(ev.BudgetAmended)) == amendments
    assert len(whole.events) == before + len(vouchers) + len(amendments)
    moved = sum(report.moved_cents for report in reports)
    with Ledger(store_url) as ledger, ledger.state() as state:
        amended = state.conn.execute(
            select(t.budget_lines.c.unit, func.sum(t.budget_lines.c.amount_cents))
            .where(t.budget_lines.c.kind == "operating-plan")
            .group_by(t.budget_lines.c.unit)
        ).all()
    assert dict(amended) == ({"TAL": moved, "HEN": -moved} if moved else {})
    lost = sum(report.lost_races for report in reports)
    print(f"{len(vouchers)} vouchers and {len(amendments)} amendments by {WRITERS} processes; {lost} lost races")


def test_a_writer_that_keeps_losing_gives_up_with_a_clear_conflict(
    sqlite_store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_up(sqlite_store, tmp_path)
    monkeypatch.setattr(application, "BACKOFF_SECONDS", (0.0, 0.0))
    with Ledger(sqlite_store) as ledger:
        attempts = []

        def always_taken(*_events: ev.LedgerEvent) -> None:
            attempts.append(1)
            raise IntegrityError("UNIQUE constraint failed: stored_events.originator_id")

        ledger.app.save = always_taken  # type: ignore[method-assign]
        with pytest.raises(Conflict, match=r"other writers recorded first 16 times in a row .* run the command again"):
            ledger.record(commands.add_unit("X", "X", "YP", "none"))
        assert len(attempts) == application.MAX_ATTEMPTS
        head = ledger.log_length()
    with Ledger(sqlite_store) as ledger:
        assert ledger.log_length() == head  # nothing was recorded


def test_a_store_locked_for_too_long_is_a_clear_conflict(sqlite_store: str, tmp_path: Path) -> None:
    set_up(sqlite_store, tmp_path)
    with Ledger(sqlite_store) as ledger:

        def locked(*_events: ev.LedgerEvent) -> None:
            raise OperationalError("database is locked")

        ledger.app.save = locked  # type: ignore[method-assign]
        with pytest.raises(Conflict, match=r"stayed locked by another process .* try again"):
            ledger.record(commands.add_unit("X", "X", "YP", "none"))


def _hold_the_write_lock(store_url: str, held: threading.Event, release: threading.Event) -> None:
    """Take the lock a writer needs (SQLite's write lock; PostgreSQL's event table lock)
    and keep it until `release` is set."""
    with Ledger(store_url) as ledger, ledger.engine.connect() as conn:
        if ledger.config.kind == "postgresql":
            schema = ledger.config.schema or "public"
            conn.execute(text(f'LOCK TABLE "{schema}".kuntaledger_events IN EXCLUSIVE MODE'))
        else:
            conn.execute(select(t.position.c.name))  # the engine's BEGIN IMMEDIATE takes the write lock
        held.set()
        release.wait(timeout=60)
        conn.rollback()


def test_a_writer_waits_for_a_lock_held_by_another_process_and_then_records(store_url: str, tmp_path: Path) -> None:
    set_up(store_url, tmp_path)
    held, release, recorded = threading.Event(), threading.Event(), threading.Event()
    holder = threading.Thread(target=_hold_the_write_lock, args=(store_url, held, release))
    holder.start()
    try:
        assert held.wait(timeout=60)
        errors: list[BaseException] = []

        def post() -> None:
            try:
                with Ledger(store_url) as ledger:
                    path = voucher_file(tmp_path / "v.csv", "L-1", 1234, 5)
                    import_file(ledger, path)
                    recorded.set()
            except BaseException as error:
                errors.append(error)

        poster = threading.Thread(target=post)
        poster.start()
        time.sleep(0.3)  # let the writer reach the lock (a wait, not an assertion on time)
        assert not recorded.is_set(), "the writer must wait while the lock is held"
        release.set()
        poster.join(timeout=60)
        assert errors == []
        assert recorded.is_set()
    finally:
        release.set()
        holder.join(timeout=60)
    whole = assert_whole(store_url, catch_up=False)
    assert whole.vouchers == {"L-1": 1}
