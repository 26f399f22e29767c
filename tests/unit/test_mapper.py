"""The pydantic mapper: event -> stored event -> event gives the same event back."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, ClassVar

import pytest
from eventsourcing.compressor import ZlibCompressor
from eventsourcing.persistence import JSONTranscoder, StoredEvent
from pydantic import ValidationError
from support.event_samples import sample

from ledger import events as ev
from ledger.mapper import PydanticMapper


@pytest.fixture(params=["plain", "zlib"])
def mapper(request: pytest.FixtureRequest) -> PydanticMapper:
    compressor = ZlibCompressor() if request.param == "zlib" else None
    return PydanticMapper(transcoder=JSONTranscoder(), compressor=compressor)


@pytest.mark.parametrize("event_type", ev.EVENT_TYPES, ids=ev.type_name)
def test_every_event_type_survives_the_round_trip(mapper: PydanticMapper, event_type: type[ev.LedgerEvent]) -> None:
    event = sample(event_type, position=42)

    stored = mapper.to_stored_event(event)
    back = mapper.to_domain_event(stored)

    assert back == event
    assert type(back) is event_type
    assert back.content() == event.content()
    assert back.recorded_at.utcoffset() is not None
    assert (stored.originator_id, stored.originator_version, stored.topic) == (ev.LEDGER_ID, 42, event_type.TOPIC)


def test_the_stored_payload_is_compact_utf8_json_without_the_position() -> None:
    stored = PydanticMapper(transcoder=JSONTranscoder()).to_stored_event(sample(ev.VoucherReversed))

    payload = json.loads(stored.state)

    assert "originator_version" not in payload and "originator_id" not in payload
    assert payload["reason"] == "väärä kausi"
    assert "väärä".encode() in stored.state
    assert b", " not in stored.state


def test_an_unknown_topic_is_refused_with_its_position(mapper: PydanticMapper) -> None:
    stored = mapper.to_stored_event(sample(ev.UnitAdded, position=9))
    renamed = StoredEvent(stored.originator_id, stored.originator_version, "kuntaledger.Nope", stored.state)

    with pytest.raises(ValueError, match=r"unknown event topic 'kuntaledger\.Nope' at position 9"):
        mapper.to_domain_event(renamed)


def test_a_tampered_payload_with_a_fractional_amount_is_refused() -> None:
    plain = PydanticMapper(transcoder=JSONTranscoder())
    stored = plain.to_stored_event(sample(ev.VouchersPosted))
    tampered = StoredEvent(
        stored.originator_id, stored.originator_version, stored.topic, stored.state.replace(b"100050", b"1000.5")
    )

    with pytest.raises(ValidationError, match="amount_cents"):
        plain.to_domain_event(tampered)


class _UnitAddedV2(ev.UnitAdded):
    """A later shape of UnitAdded: `name` split into Finnish and English."""

    TOPIC: ClassVar[str] = "kuntaledger.UnitAddedV2Test"
    class_version: ClassVar[int] = 2
    name_en: str

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        state["name_en"] = ""


@pytest.fixture
def unit_added_v2() -> Iterator[type[_UnitAddedV2]]:
    ev.EVENTS_BY_TOPIC[_UnitAddedV2.TOPIC] = _UnitAddedV2
    yield _UnitAddedV2
    del ev.EVENTS_BY_TOPIC[_UnitAddedV2.TOPIC]


def test_an_old_version_is_upcast_and_a_new_one_keeps_its_version(
    mapper: PydanticMapper, unit_added_v2: type[_UnitAddedV2]
) -> None:
    v1 = mapper.to_stored_event(sample(ev.UnitAdded))
    old = StoredEvent(v1.originator_id, v1.originator_version, unit_added_v2.TOPIC, v1.state)
    new = unit_added_v2.model_validate({**sample(ev.UnitAdded).model_dump(), "name_en": "Finance"})

    upcast = mapper.to_domain_event(old)
    round_trip = mapper.to_domain_event(mapper.to_stored_event(new))

    assert isinstance(upcast, unit_added_v2) and upcast.name_en == ""
    assert upcast.name == "Talouspalvelut"
    assert round_trip == new
