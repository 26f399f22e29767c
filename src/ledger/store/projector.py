"""Feeds the read-model tables from the notification log, exactly once.

Each batch of events is applied in one transaction together with the new tracked
position, which is advanced by compare-and-set: a crash never leaves a half-applied
event, and two processes catching up at once cannot apply an event twice.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, delete, select, update

from ledger import events as ev
from ledger.store import postings
from ledger.store import tables as t
from ledger.store.batch import Batch, Carried
from ledger.store.event_rows import write_rows
from ledger.store.log_entries import log_entry, log_row
from ledger.store.names import PROJECTOR
from ledger.store.stored_vouchers import Decode, Payload, VoucherSearch, posted

BATCH_SIZE = 200
BATCH_LINES = 100_000  # a batch stops after the event that brings it past this many posting lines
MAIN = PROJECTOR  # its row in rm_position
_POSTED = ev.type_name(ev.VouchersPosted)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for one batch: decoding an import's JSON makes
    hundreds of thousands of dicts, and each full collection walks them all (a sixth of a
    rebuild's CPU). A batch makes no reference cycles worth collecting; they wait for the
    next collection after it."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


class _LostRace(Exception):
    """Another process advanced the position first; re-read and go on."""


class Projector:
    """Applies events after the tracked position to the read-model tables."""

    def __init__(
        self,
        engine: Engine,
        select_notifications: Callable[[int, int], Sequence[Any]],
        decode: Decode,
        payload: Payload | None = None,
    ) -> None:
        """`payload` gives the stored JSON that posting events are read from as plain data
        (`stored_vouchers`); without it they are decoded by pydantic as well."""
        self.engine = engine
        self.select_notifications = select_notifications
        self.decode = decode
        self.payload = payload
        # What the last batch this projector committed learned, and the notification it
        # ended at: the next batch reuses it only if it starts there (`Carried`).
        self._carried: Carried | None = None
        self._carried_at = -1

    def tracked(self, conn: Connection, lock: bool = False) -> tuple[int, int]:
        """The tracked position; `lock` holds the row until the transaction ends, so that
        concurrent projectors on PostgreSQL queue here instead of inserting the same rows
        (SQLite's BEGIN IMMEDIATE already serialises them; it ignores FOR UPDATE)."""
        query = select(t.position.c.notification_id, t.position.c.log_position).where(t.position.c.name == MAIN)
        row = conn.execute(query.with_for_update() if lock else query).one()
        return int(row[0]), int(row[1])

    def catch_up(self, on_batch: Callable[[int], None] | None = None) -> int:
        """Apply every new event; returns how many were applied."""
        applied = 0
        while True:
            try:
                with _collector_paused():
                    count = self._apply_next_batch()
            except _LostRace:
                continue
            if count == 0:
                return applied
            applied += count
            if on_batch:
                on_batch(count)

    def _apply_next_batch(self) -> int:
        with self.engine.begin() as conn:
            notification_id, log_position = self.tracked(conn)
            notifications = self.select_notifications(notification_id, BATCH_SIZE)
            if not notifications:
                return 0  # nothing new: no row lock, so a reader's catch-up stays a read
            if self.tracked(conn, lock=True)[0] != notification_id:
                raise _LostRace()
            # Carried over only from the batch that ended at this very position, and handed
            # back only once this batch has committed.
            carried = self._carried if self._carried_at == notification_id else None
            self._carried, self._carried_at = None, -1
            batch = Batch(conn, carried or Carried())
            search = VoucherSearch(self.select_notifications, self.payload, self.decode)
            applied = 0
            for notification in notifications:
                log_position = self._apply(batch, search, notification)
                applied += 1
                if batch.lines >= BATCH_LINES:
                    break
            batch.flushed()
            result = conn.execute(
                update(t.position)
                .where(t.position.c.name == MAIN, t.position.c.notification_id == notification_id)
                .values(notification_id=notifications[applied - 1].id, log_position=log_position)
            )
            if result.rowcount != 1:
                raise _LostRace()
            done = int(notifications[applied - 1].id)
        self._carried, self._carried_at = batch.carried, done
        return applied

    def _apply(self, batch: Batch, search: VoucherSearch, notification: Any) -> int:
        """Apply one event and its rm_log row; returns its log position."""
        if notification.topic == ev.VouchersPosted.TOPIC:
            plain = posted(notification, self.payload, self.decode)
            batch.add(t.log, **log_row(postings.post(batch, plain), _POSTED, plain, notification.id))
            return plain.position
        event = self.decode(notification)
        batch.add(t.log, **log_row(log_entry(event), ev.type_name(event), event, notification.id))
        if isinstance(event, ev.VoucherReversed):
            postings.reverse(batch, event, search.lines_of(event.voucher, batch.flushed))
        else:
            write_rows(batch, event)
        return event.position


def reset(conn: Connection) -> None:
    """Empty every projected table and rewind the position (for `rebuild`)."""
    for table in reversed(t.PROJECTED_TABLES):
        conn.execute(delete(table))
    conn.execute(update(t.position).where(t.position.c.name == MAIN).values(notification_id=0, log_position=0))
