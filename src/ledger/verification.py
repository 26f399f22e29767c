"""Tamper evidence: recompute the hash chain over the log as it is stored (ADR 0006).

The walk reads the stored payloads, not the decoded events, so upcasting an old event
shape never changes what is hashed. It stops at the first position that does not
verify and says what it found there: a payload that does not match its chain hash (an
altered event, or an altered hash before it), a gap in the positions (a deleted or moved
event), positions out of order, a recording time that goes backwards, or an event on
another stream. A seal (`POSITION:HASH`, kept outside the system) also proves that the
log up to that position is the one that was sealed, which catches a rewritten chain and
events deleted from the end.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from ledger.chain import GENESIS_HASH, next_hash
from ledger.errors import InvalidInput
from ledger.events import LEDGER_ID

PAGE = 1000


@dataclass(frozen=True)
class StoredRecord:
    """One row of the event store as it is: its payload without the chain hash."""

    notification_id: int
    originator_id: UUID
    position: int
    topic: str
    payload: dict[str, Any] | None  # None when the stored bytes are not a JSON object
    chain_hash: str
    class_version: int = 1  # the event class's version the payload was stored with


@dataclass(frozen=True)
class Seal:
    position: int
    chain_hash: str

    def __str__(self) -> str:
        return f"{self.position} {self.chain_hash}"


@dataclass(frozen=True)
class ChainBreak:
    position: int
    message: str
    # the chain holds, but the log fails the seal given: it "differs" there, or ends "short" of it
    against_seal: str | None = None


@dataclass(frozen=True)
class ChainResult:
    checked: int
    head: Seal  # the last position that verified and its hash
    broken: ChainBreak | None

    @property
    def ok(self) -> bool:
        return self.broken is None


class _Reader(Protocol):
    def select_notifications(self, start: int, limit: int, *, inclusive_of_start: bool = ...) -> Any: ...


class _Mapper(Protocol):
    def decode_state(self, stored_event: Any) -> dict[str, Any]: ...


def parse_seal(text: str) -> Seal:
    position, _, digest = text.strip().replace(" ", ":", 1).partition(":")
    digest = digest.strip().lower()
    if not position.isdigit() or len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        raise InvalidInput(f"'{text}': give POSITION:HASH as printed by `kuntaledger seal`", field="sealed", value=text)
    return Seal(int(position), digest)


def stored_records(recorder: _Reader, mapper: _Mapper) -> Iterator[StoredRecord]:
    """Every stored event in log (notification) order, payload as stored."""
    cursor = 0
    while True:
        page = recorder.select_notifications(cursor, PAGE, inclusive_of_start=False)
        if not page:
            return
        for notification in page:
            yield _record(notification, mapper)
        cursor = page[-1].id


def _record(notification: Any, mapper: _Mapper) -> StoredRecord:
    try:
        state = mapper.decode_state(notification)
    except Exception:  # bytes that do not decompress or parse: whatever the cause, the row was altered
        state = None
    if not isinstance(state, dict):
        return StoredRecord(
            notification.id, notification.originator_id, notification.originator_version, notification.topic, None, ""
        )
    chain_hash = state.pop("chain_hash", "")
    class_version = state.pop("class_version", 1)
    return StoredRecord(
        notification.id,
        notification.originator_id,
        notification.originator_version,
        notification.topic,
        state,
        chain_hash if isinstance(chain_hash, str) else "",
        class_version if isinstance(class_version, int) else 0,
    )


def verify_chain(records: Iterable[StoredRecord], sealed: Seal | None = None) -> ChainResult:
    previous = Seal(0, GENESIS_HASH)
    previous_moment: datetime | None = None
    checked = 0
    for record in records:
        problem = _link_problem(record, previous, previous_moment)
        if problem:
            return ChainResult(checked, previous, ChainBreak(previous.position + 1, problem))
        assert record.payload is not None
        computed = next_hash(previous.chain_hash, record.topic, record.position, record.payload)
        if computed != record.chain_hash:
            return ChainResult(
                checked,
                previous,
                ChainBreak(
                    record.position,
                    f"position {record.position}: the stored event does not match its chain hash; this event "
                    "was altered, or the chain hash of the one before it was",
                ),
            )
        if sealed and record.position == sealed.position and computed != sealed.chain_hash:
            return ChainResult(
                checked,
                previous,
                ChainBreak(
                    record.position,
                    f"position {record.position}: the log up to here differs from the seal; events at or "
                    "before it were altered and the chain rewritten",
                    against_seal="differs",
                ),
            )
        previous = Seal(record.position, computed)
        previous_moment = recorded_moment(record.payload)
        checked += 1
    if sealed and previous.position < sealed.position:
        return ChainResult(
            checked,
            previous,
            ChainBreak(
                previous.position + 1,
                f"the log ends at position {previous.position} but was sealed at position {sealed.position}; "
                "events after it were deleted",
                against_seal="short",
            ),
        )
    return ChainResult(checked, previous, None)


def _link_problem(record: StoredRecord, previous: Seal, previous_moment: datetime | None) -> str | None:
    expected = previous.position + 1
    if record.originator_id != LEDGER_ID:
        return f"position {expected}: the next stored event is not on the ledger's stream ({record.originator_id})"
    if record.position < expected:
        return (
            f"position {expected}: the log goes back from position {previous.position} to {record.position}; "
            "events were reordered"
        )
    if record.position > expected:
        return (
            f"position {expected} is missing: the log jumps from position {previous.position} to "
            f"{record.position}; an event was deleted or moved"
        )
    if record.payload is None:
        return f"position {expected}: the stored payload is not a readable JSON object; it was altered"
    moment = recorded_moment(record.payload)
    if moment is None:
        return f"position {expected}: the stored event has no readable recorded_at; it was altered"
    if previous_moment and moment < previous_moment:
        return (
            f"position {expected}: recorded before the event at position {previous.position}; "
            "recording times never go backwards, so it was altered or moved"
        )
    return None


def recorded_moment(payload: dict[str, Any]) -> datetime | None:
    """A stored payload's `recorded_at`, or None when it is missing or has no offset."""
    try:
        moment = datetime.fromisoformat(str(payload["recorded_at"]).replace("Z", "+00:00"))
    except (KeyError, ValueError):
        return None
    return moment if moment.tzinfo is not None else None
