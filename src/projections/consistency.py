"""Do the read models still agree with the log? The cheap check every report makes (ADR 0022).

The read models record the notification and the log position they have reached, and
`rm_log` the chain hash of every event they applied. One query compares those with the
log's stored event at that notification: a log rewritten up to there (its hashes
recomputed) or whose tail was deleted shows, as do read models whose own record was
changed. It reads a few kilobytes of one event whatever the log's size; replaying the
log to compare every figure is `kuntaledger verify`'s job. Plain SQL through a `Reader`,
so that a report read through the driver alone (ADR 0031) runs it without SQLAlchemy.
"""

from __future__ import annotations

import json
import re
import zlib

from ledger.store.names import EVENT_TABLES, NOTIFICATION_ID, PROJECTOR
from projections.reader import Reader

PREFIX_BYTES = 8192  # of the stored event: its chain hash follows recorded_at and actor
_HEX = {"sqlite": "hex({})", "postgresql": "encode({}, 'hex')"}  # bytes as text, the same on both drivers
_PREFIX = {
    "sqlite": f"substr(e.state, 1, {PREFIX_BYTES})",
    "postgresql": f"substring(e.state from 1 for {PREFIX_BYTES})",
}
_CHAIN_HASH = re.compile(rb'^\{"recorded_at":"[^"\\]*","actor":"(?:[^"\\]|\\.)*","chain_hash":"([0-9a-f]{64})"')


def problem(db: Reader) -> str | None:
    """Why the read models disagree with the log, in one sentence; None when they agree."""
    events = db.table(EVENT_TABLES[db.dialect])
    notification_id = NOTIFICATION_ID[db.dialect]
    found = db.rows(
        "SELECT p.notification_id, p.log_position, l.chain_hash, e.originator_version, "
        f"{_HEX[db.dialect].format(_PREFIX[db.dialect])} FROM {{rm_position}} p "
        "LEFT JOIN {rm_log} l ON l.position = p.log_position "
        f"LEFT JOIN {events} e ON e.{notification_id} = p.notification_id WHERE p.name = :name",
        {"name": PROJECTOR},
    )
    if not found:
        return "the read models record no position in the log"
    tracked, position, recorded_hash, stored_position, prefix = found[0]
    if int(tracked) == 0:
        return None  # empty read models: they show nothing the log does not hold
    reached = f"the read models show the log up to position {position}"
    if stored_position is None:
        return f"{reached}, but the log holds no event there any more: it was deleted, or the read models were altered"
    if int(stored_position) != int(position):
        return f"{reached}, but the log's event there is at position {stored_position}: it was moved"
    if recorded_hash is None:
        return f"{reached}, but they hold no chain hash for it: the read models were altered"
    stored_hash = _stored_hash(db, bytes.fromhex(str(prefix)), int(tracked))
    if stored_hash != recorded_hash:
        return (
            f"{reached} with chain hash {str(recorded_hash)[:12]}…, but the log's event at position {position} has "
            f"{(stored_hash or 'none')[:12]}…: the log was rewritten up to there, or the read models were altered"
        )
    return None


def warning(text: str) -> str:
    """The line every report writes to stderr when `problem` found one."""
    return f"warning: the read models disagree with the log: {text}; run `kuntaledger verify`\n"


def _stored_hash(db: Reader, prefix: bytes, notification: int) -> str | None:
    """The stored event's chain hash, from the start of its JSON (decompressing only that
    much); the whole event only when the start does not show it."""
    start = prefix if prefix[:1] == b"{" else _inflated_start(prefix)
    match = _CHAIN_HASH.match(start)
    if match:
        return match.group(1).decode()
    events, notification_id = db.table(EVENT_TABLES[db.dialect]), NOTIFICATION_ID[db.dialect]
    whole = db.value(
        f"SELECT {_HEX[db.dialect].format('state')} FROM {events} WHERE {notification_id} = :id", {"id": notification}
    )
    try:
        data = bytes.fromhex(str(whole))
        state = json.loads(data if data[:1] == b"{" else zlib.decompress(data))
    except (ValueError, zlib.error):
        return None
    found = state.get("chain_hash") if isinstance(state, dict) else None
    return found if isinstance(found, str) else None


def _inflated_start(prefix: bytes) -> bytes:
    try:
        return zlib.decompressobj().decompress(prefix, PREFIX_BYTES)
    except zlib.error:
        return b""
