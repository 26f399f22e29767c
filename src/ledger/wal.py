"""A SQLite store is put in WAL mode once, before its other connections open.

Every connection to a store (eventsourcing's and the read models') asks for WAL mode
when it opens. Switching a file to WAL needs its exclusive lock, and when two
connections ask at once SQLite may refuse one of them at once with "database is
locked" instead of waiting (it would otherwise deadlock), so several processes opening
a new store together could fail. Here the switch is retried until it holds; afterwards
the file stays in WAL mode and asking again changes nothing and takes no lock.
"""

from __future__ import annotations

import random
import sqlite3
import time
from pathlib import Path

WAIT_SECONDS = 30.0  # as long as any other wait for the store's lock
RETRY_SECONDS = (0.005, 0.05)  # a refused switch tries again after a random pause in this range


def settle_wal_mode(path: Path, wait_seconds: float = WAIT_SECONDS) -> None:
    """Switch the file (created when missing) to WAL mode, retrying while it is locked.

    Anything else (a folder that is not writable, a file that is not a database) is left
    for the store's own opening to report in its words."""
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            connection = sqlite3.connect(path, timeout=wait_seconds, isolation_level=None)
        except sqlite3.Error:
            return
        try:
            connection.execute("PRAGMA journal_mode=WAL").fetchone()
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() >= deadline:
                return
        except sqlite3.Error:
            return
        finally:
            connection.close()
        time.sleep(random.uniform(*RETRY_SECONDS))
