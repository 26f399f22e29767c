"""A SQLite store is switched to WAL mode before its connections open, retrying a refusal."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest

from ledger import wal

CONNECT = sqlite3.connect


def journal_mode(path: Path) -> str:
    with sqlite3.connect(path) as connection:
        return str(connection.execute("PRAGMA journal_mode").fetchone()[0])


def test_a_new_file_is_created_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    wal.settle_wal_mode(path)
    assert journal_mode(path) == "wal"


class _RefusingOnce:
    """sqlite3.connect whose first `PRAGMA journal_mode=WAL` is refused as SQLite refuses a
    switch that would deadlock with another connection's."""

    def __init__(self) -> None:
        self.refused = 0

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        connection = CONNECT(*args, **kwargs)
        if self.refused:
            return connection
        self.refused += 1

        class Refusing:
            def execute(self, sql: str) -> Any:
                raise sqlite3.OperationalError("database is locked")

            def close(self) -> None:
                connection.close()

        return Refusing()


def test_a_switch_refused_as_locked_is_tried_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    refusing = _RefusingOnce()
    monkeypatch.setattr(wal.sqlite3, "connect", refusing)
    path = tmp_path / "store.db"
    wal.settle_wal_mode(path)
    assert refusing.refused == 1
    monkeypatch.undo()
    assert journal_mode(path) == "wal"


def test_a_lock_held_longer_than_the_wait_gives_up_without_raising(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        wal.settle_wal_mode(path, wait_seconds=0.2)  # the store's own opening reports the lock
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert journal_mode(path) == "delete"


def test_a_file_that_is_not_a_database_is_left_for_the_store_to_report(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("not a database, but somebody's notes\n" * 200)
    before = path.read_bytes()
    wal.settle_wal_mode(path)
    assert path.read_bytes() == before


def test_a_folder_that_does_not_exist_is_left_for_the_store_to_report(tmp_path: Path) -> None:
    path = tmp_path / "missing" / "store.db"
    wal.settle_wal_mode(path)
    assert not path.parent.exists()


def test_many_threads_settling_a_new_file_at_once_all_succeed(tmp_path: Path) -> None:
    for attempt in range(20):
        path = tmp_path / f"store-{attempt}.db"
        barrier = threading.Barrier(6)
        errors: list[BaseException] = []

        def settle(
            path: Path = path, barrier: threading.Barrier = barrier, errors: list[BaseException] = errors
        ) -> None:
            try:
                barrier.wait(timeout=30)
                wal.settle_wal_mode(path)
                with sqlite3.connect(path, timeout=30) as connection:
                    connection.execute("PRAGMA journal_mode=WAL")  # what every store connection asks
            except BaseException as error:
                errors.append(error)

        threads = [threading.Thread(target=settle) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert errors == []
        assert journal_mode(path) == "wal"
