"""Maps ledger events to eventsourcing's stored events and back, through pydantic.

eventsourcing 9.5 has no pydantic mapper; this one dumps the model to JSON-ready data,
and on the way back upcasts old versions and validates the payload again.
"""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Mapper, StoredEvent

from ledger.events import EVENTS_BY_TOPIC, LedgerEvent
from ledger.payloads import PreparedEvent, stored_json


class PydanticMapper(Mapper[UUID]):
    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        """An event's JSON (`payloads.stored_json`), or a prepared event's as it was written."""
        event: LedgerEvent | PreparedEvent = domain_event
        if isinstance(event, PreparedEvent) and event.compressed is not None:
            data = event.compressed  # compressed ahead by this very compressor (`Ledger.prepare_ahead`)
        else:
            data = event.payload if isinstance(event, PreparedEvent) else stored_json(event)
            if self.compressor:
                data = self.compressor.compress(data)
        if self.cipher:
            data = self.cipher.encrypt(data)
        return StoredEvent(
            originator_id=event.originator_id,
            originator_version=event.originator_version,
            topic=event.TOPIC,
            state=data,
        )

    def to_domain_event(self, stored_event: StoredEvent) -> LedgerEvent:
        return decode_event(stored_event.topic, self.decode_state(stored_event), stored_event)

    def decode_state(self, stored_event: StoredEvent) -> dict[str, Any]:
        state: dict[str, Any] = json.loads(self.payload(stored_event))
        return state

    def payload(self, stored_event: StoredEvent) -> bytes:
        """The stored JSON, decrypted and decompressed."""
        data = stored_event.state
        if self.cipher:
            data = self.cipher.decrypt(data)
        if self.compressor:
            data = self.compressor.decompress(data)
        return data


def decode_event(topic: str, state: dict[str, Any], stored_event: StoredEvent) -> LedgerEvent:
    """Upcast a stored payload to the current class version and validate it."""
    cls = EVENTS_BY_TOPIC.get(topic)
    if cls is None:
        raise ValueError(f"unknown event topic '{topic}' at position {stored_event.originator_version}")
    version = state.pop("class_version", 1)
    while version < cls.class_version:
        getattr(cls, f"upcast_v{version}_v{version + 1}")(state)
        version += 1
    state["originator_id"] = stored_event.originator_id
    state["originator_version"] = stored_event.originator_version
    return cls.model_validate(state, strict=False)
