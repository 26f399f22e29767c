"""A report never keeps a writer waiting (ADR 0031), on SQLite and on PostgreSQL.

Four writer processes (spawned, as separate users' commands) post vouchers and amend the
budget for a few seconds while a report holds its snapshot open, through the ledger
(`Ledger.state`) and through the driver alone (`projections.reader.snapshot`), or while
reports run one after another. No writer fails or gives up, and every report shows the
figures of one moment: read twice in one snapshot while the log grows, they are equal.
"""

from __future__ import annotations

import multiprocessing
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, wait
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from support.writers import WriterReport, set_up, write

from cli.common import read_models
from ledger.application import Ledger
from ledger.store.url import parse_store_url
from projections import reader
from projections.reader import Reader
from projections.statement import query_statement

WRITERS = 4
SECONDS = 3.0  # each writer records for about this long, and at least AT_LEAST commands
AT_LEAST, AT_MOST = 3, 60
HOLD_AT_MOST = 60.0  # seconds the snapshot waits for the writers; a writer kept waiting fails before
LATER = datetime(2100, 1, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def pool() -> Iterator[tuple[ProcessPoolExecutor, Any]]:
    """Four spawned writer processes, and a barrier at which they and the test meet, so
    that they start recording once the test's snapshot is open."""
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager, ProcessPoolExecutor(WRITERS, mp_context=context) as executor:
        yield executor, manager


def statement(db: Any) -> Any:
    return query_statement(db, "YP", 2024, date(2024, 12, 31), LATER)


def head(db: Reader) -> int:
    return int(db.value("SELECT max(position) FROM {rm_log}") or 0)


def start_writers(store_url: str, tmp_path: Path, pool: tuple[ProcessPoolExecutor, Any]) -> tuple[list[Any], Any]:
    executor, manager = pool
    barrier = manager.Barrier(WRITERS + 1)
    futures = [
        executor.submit(write, store_url, writer, str(tmp_path), barrier, SECONDS, AT_LEAST, AT_MOST)
        for writer in range(WRITERS)
    ]
    return futures, barrier


def recorded(futures: list[Any]) -> int:
    """What the writers recorded; a writer that failed raises its error here."""
    reports: list[WriterReport] = [future.result(timeout=300) for future in futures]
    assert all(len(r.vouchers) + len(r.amendments) >= AT_LEAST for r in reports)
    return sum(len(r.vouchers) + len(r.amendments) for r in reports)


def test_writers_record_while_a_report_holds_its_snapshot_open(
    store_url: str, tmp_path: Path, pool: tuple[ProcessPoolExecutor, Any]
) -> None:
    set_up(store_url, tmp_path)
    futures, barrier = start_writers(store_url, tmp_path, pool)
    with Ledger(store_url) as ledger:
        before = ledger.log_length()
        with ledger.state() as state, reader.snapshot(parse_store_url(store_url)) as lean:
            seen, seen_lean = statement(state.conn), statement(lean)
            barrier.wait(timeout=120)
            wait(futures, timeout=HOLD_AT_MOST)  # both snapshots stay open while the writers record
            assert all(future.done() for future in futures), "a writer waited for the reports' snapshots"
            assert statement(state.conn) == seen
            assert statement(lean) == seen_lean == seen
            assert head(reader.of(state.conn)) == head(lean) == before
    count = recorded(futures)
    with Ledger(store_url) as ledger, ledger.state() as state:
        assert ledger.log_length() == head(reader.of(state.conn)) == before + count
        assert statement(state.conn) != seen


def test_writers_record_while_reports_run_one_after_another(
    store_url: str, tmp_path: Path, pool: tuple[ProcessPoolExecutor, Any]
) -> None:
    """The reports read as the CLI does (`cli.common.read_models`): through the driver at
    the log's head, else catching the read models up in short transactions of their own."""
    set_up(store_url, tmp_path)
    futures, barrier = start_writers(store_url, tmp_path, pool)
    heads: list[int] = []

    def twice(db: Reader) -> int:
        first, position = statement(db), head(db)
        time.sleep(0.05)
        assert (statement(db), head(db)) == (first, position), "a report saw the log move under it"
        return position

    done = threading.Event()
    threading.Thread(target=lambda: (wait(futures, timeout=HOLD_AT_MOST), done.set()), daemon=True).start()
    barrier.wait(timeout=120)
    while not done.is_set():
        position, _ = read_models(store_url, twice)
        heads.append(position)
    count = recorded(futures)
    assert heads == sorted(heads) and len(set(heads)) > 1, "the reports saw the writers' events arrive"
    with Ledger(store_url) as ledger:
        assert ledger.log_length() >= heads[-1] and count > 0
