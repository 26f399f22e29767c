"""Posted vouchers as plain data, read from the log: the one form the projector's
posting path takes (`postings.py`), and the lines of a voucher that is reversed.

An import's `VouchersPosted` event holds tens of thousands of lines. Validating it
through pydantic again on every catch-up and rebuild costs more than everything else the
projector does, and it was validated when it was recorded. So an event of the current
class version is read straight from its stored JSON as dicts; one of an older version
is decoded by pydantic (its upcasters) and dumped to the same dicts (ADR 0029).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from json.encoder import encode_basestring as _quote
from operator import itemgetter
from typing import Any

from sqlalchemy import select

from ledger import events as ev
from ledger.store import tables as t
from ledger.store.reference_cache import Read

# (account, unit, project, amount_cents) of one posting line
Line = tuple[str, str, str | None, int]
Payload = Callable[[Any], bytes]  # a notification's stored JSON, decrypted and decompressed
Decode = Callable[[Any], ev.LedgerEvent]  # a notification's event, upcast and validated

SEARCHED_EVENTS = 8  # stored posting events a batch keeps indexed by voucher, for reversals
# Reversals into one stored posting event that read their voucher alone (about 6 ms each)
# before the batch decodes and indexes the whole event (about 40 ms, then free).
PARTLY_SEARCHED = 6

_LINE_FIELDS = itemgetter("account", "unit", "project", "amount_cents")


@dataclass(frozen=True)
class Posted:
    """A `VouchersPosted` event as plain data. Each voucher is a dict as the stored JSON
    holds it: voucher, effective_on (ISO day), lines (account, unit, project,
    amount_cents, text), content_hash."""

    position: int
    recorded_at: datetime
    actor: str
    chain_hash: str
    vouchers: list[dict[str, Any]]


def posted(notification: Any, payload: Payload | None, decode: Decode) -> Posted:
    """The plain form of a stored `VouchersPosted` event. Without `payload`, every event
    is decoded (and so validated) by pydantic."""
    assert notification.topic == ev.VouchersPosted.TOPIC
    if payload is not None:
        state = json.loads(payload(notification))
        if state.get("class_version", 1) == ev.VouchersPosted.class_version:
            return Posted(
                int(notification.originator_version),
                datetime.fromisoformat(state["recorded_at"]),
                state["actor"],
                state["chain_hash"],
                state["vouchers"],
            )
    event = decode(notification)
    assert isinstance(event, ev.VouchersPosted)
    vouchers = [voucher.model_dump(mode="json") for voucher in event.vouchers]
    return Posted(event.position, event.recorded_at, event.actor, event.chain_hash, vouchers)


def raw_lines(voucher: dict[str, Any]) -> list[Line]:
    return list(map(_LINE_FIELDS, voucher["lines"]))


class VoucherSearch:
    """The lines of a voucher to reverse, found in the stored event that posted it (the
    position that rm_vouchers holds for it). The first reversals into one event parse that
    voucher alone; after PARTLY_SEARCHED of them the whole event is indexed, and the last
    SEARCHED_EVENTS indexes are kept for the rest of the batch."""

    def __init__(
        self, select_notifications: Callable[[int, int], Sequence[Any]], payload: Payload | None, decode: Decode
    ) -> None:
        self.select_notifications = select_notifications
        self.payload = payload
        self.decode = decode
        self.indexed: dict[int, dict[str, list[Line]]] = {}  # notification id -> voucher -> lines
        self.searches: defaultdict[int, int] = defaultdict(int)  # reversals into each stored event

    def lines_of(self, voucher_id: str, read: Read) -> list[Line]:
        notification_id = (
            read()
            .execute(
                select(t.log.c.notification_id)
                .join(t.vouchers, t.vouchers.c.position == t.log.c.position)
                .where(t.vouchers.c.voucher == voucher_id)
            )
            .scalar_one()
        )
        index = self.indexed.get(notification_id)
        if index is None:
            (notification,) = self.select_notifications(notification_id - 1, 1)
            self.searches[notification_id] += 1
            if self.payload is not None and self.searches[notification_id] <= PARTLY_SEARCHED:
                lines = voucher_in_payload(self.payload(notification), voucher_id)
                if lines is not None:
                    return lines
            if len(self.indexed) >= SEARCHED_EVENTS:
                del self.indexed[next(iter(self.indexed))]
            vouchers = posted(notification, self.payload, self.decode).vouchers
            index = self.indexed[notification_id] = {voucher["voucher"]: raw_lines(voucher) for voucher in vouchers}
        if voucher_id not in index:
            raise LookupError(f"voucher {voucher_id} is not in the event at its recorded position")
        return index[voucher_id]


def voucher_in_payload(payload: bytes, voucher_id: str) -> list[Line] | None:
    """The lines of one voucher of a stored VouchersPosted payload, parsing that voucher only.

    A reversal needs the lines of one voucher out of an import chunk's tens of thousands;
    decoding the whole payload took about 20 ms. The mapper writes each voucher compactly
    with its id first, so the voucher's object starts with `{"voucher":<id>,`; inside a
    JSON string every quote is escaped, so no text can look like that. None when it is
    not found or the payload is of another class version (then decode it whole)."""
    text = payload.decode()
    if _class_version(text) != ev.VouchersPosted.class_version:
        return None
    start = text.find(f'{{"voucher":{_quote(voucher_id)},')
    if start < 0:
        return None
    voucher, _end = _DECODER.raw_decode(text, start)
    return raw_lines(voucher)


_DECODER = json.JSONDecoder()
_VERSION_KEY = '"class_version":'


def _class_version(text: str) -> int:
    """The class version of a stored payload: written last, and only when above 1."""
    tail = text[-32:]
    at = tail.find(_VERSION_KEY)
    return 1 if at < 0 else int(tail[at + len(_VERSION_KEY) :].rstrip("} "))
