"""Every event type at every version it was ever stored in still reads back (ADR 0005).

`tests/fixtures/events/TYPE.vN.json` holds one event as a kuntaledger release stored it:
its topic, position, the chain hash of the event before it, and the stored JSON payload.
The files are never edited: a new version of an event type adds a new file.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from eventsourcing.persistence import JSONTranscoder, StoredEvent
from support.cli_helpers import Kuntaledger
from support.writers import set_up

from ledger import events as ev
from ledger.application import Ledger
from ledger.chain import next_hash
from ledger.mapper import PydanticMapper

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "events"
SAMPLES = sorted(FIXTURES.glob("*.v*.json"))


def _load(path: Path) -> dict[str, Any]:
    sample: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return sample


def _stored(sample: dict[str, Any]) -> StoredEvent:
    """The row as the store holds it: compact JSON, keys in the order they were written."""
    state = json.dumps(sample["state"], separators=(",", ":"), ensure_ascii=False).encode()
    return StoredEvent(ev.LEDGER_ID, sample["originator_version"], sample["topic"], state)


MAPPER = PydanticMapper(transcoder=JSONTranscoder())
CURRENT = [p for p in SAMPLES if p.name.endswith(f".v{ev.EVENTS_BY_TOPIC[_load(p)['topic']].class_version}.json")]


def test_every_event_type_has_a_stored_sample_at_every_version() -> None:
    expected = {
        f"{ev.type_name(cls)}.v{version}.json" for cls in ev.EVENT_TYPES for version in range(1, cls.class_version + 1)
    }
    assert expected <= {path.name for path in SAMPLES}, "add a stored sample for each new event type or version"
    assert {path.name for path in SAMPLES} <= expected, "a sample names an event type or version that does not exist"


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_a_stored_sample_reads_back_through_the_mapper(path: Path) -> None:
    sample = _load(path)
    cls = ev.EVENTS_BY_TOPIC[sample["topic"]]
    assert sample["state"].get("class_version", 1) == sample["class_version"]
    event = MAPPER.to_domain_event(_stored(sample))
    assert type(event) is cls
    assert event.position == sample["originator_version"]
    content = event.content()
    stored = {k: v for k, v in sample["state"].items() if k not in ("chain_hash", "class_version")}
    assert {k: content[k] for k in stored} == stored, "an upcaster must keep every stored field as it was"
    assert event.chain_hash == sample["state"]["chain_hash"]


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_a_stored_sample_still_verifies_against_its_chain_hash(path: Path) -> None:
    # ADR 0006: the chain hashes the payload as stored, so upcasting never breaks it.
    sample = _load(path)
    payload = {k: v for k, v in sample["state"].items() if k not in ("chain_hash", "class_version")}
    digest = next_hash(sample["previous_chain_hash"], sample["topic"], sample["originator_version"], payload)
    assert digest == sample["state"]["chain_hash"]


@pytest.mark.parametrize("path", CURRENT, ids=lambda p: p.stem)
def test_a_sample_of_the_current_version_is_stored_again_byte_for_byte(path: Path) -> None:
    # Older versions are upcast on reading and never written again.
    stored = _stored(_load(path))
    assert MAPPER.to_stored_event(MAPPER.to_domain_event(stored)).state == stored.state


def test_an_upcast_risk_assessment_reads_back_with_no_one_responsible() -> None:
    old = MAPPER.to_domain_event(_stored(_load(FIXTURES / "RiskAssessed.v1.json")))
    new = MAPPER.to_domain_event(_stored(_load(FIXTURES / "RiskAssessed.v2.json")))
    assert isinstance(old, ev.RiskAssessed) and isinstance(new, ev.RiskAssessed)
    assert old.responsible == ""
    assert new.responsible == "talousjohtaja"


def test_a_store_written_by_the_previous_version_verifies_and_reads_on(store_url: str, tmp_path: Path) -> None:
    """A version-1 risk assessment, stored as the release before version 2 stored it, is
    followed by a version-2 one: the chain verifies over both and the register shows both."""
    set_up(store_url, tmp_path)
    with Ledger(store_url) as ledger:
        head = list(ledger.events())[-1]
        payload = {k: v for k, v in _load(FIXTURES / "RiskAssessed.v1.json")["state"].items() if k != "chain_hash"}
        payload |= {"unit": "YP", "recorded_at": _later(head.recorded_at), "effective_on": "2024-06-30"}
        position = head.position + 1
        payload["chain_hash"] = next_hash(head.chain_hash, ev.RiskAssessed.TOPIC, position, payload)
        assert "class_version" not in payload and "responsible" not in payload
        row = StoredEvent(ev.LEDGER_ID, position, ev.RiskAssessed.TOPIC, json.dumps(payload).encode())
        ledger.app.recorder.insert_events([row])
    cli = Kuntaledger(store_url, tmp_path)
    cli.ok(
        "risks", "assess", "YP-2024-R3", "--unit", "YP", "--year", "2024", "--class", "Toiminnalliset riskit",
        "--description", "Henkilöstön saatavuus", "--probability", "2", "--significance", "3",
        "--responsible", "henkilöstöjohtaja", "--on", "30.9.2024",
    )  # fmt: skip
    verified = cli.ok("verify")
    assert verified.stdout.splitlines()[1].startswith("chain: ok") and "read models: ok" in verified.stdout
    register = cli.json("risks", "--unit", "YP", "--year", "2024")
    assert "YP-2024-R2" in json.dumps(register) and "YP-2024-R3" in json.dumps(register)
    with Ledger(store_url) as ledger:
        risks = [e for e in ledger.events() if isinstance(e, ev.RiskAssessed)]
    assert [(r.risk, r.responsible) for r in risks] == [("YP-2024-R2", ""), ("YP-2024-R3", "henkilöstöjohtaja")]


def _later(moment: datetime) -> str:
    return max(moment, datetime(2024, 7, 1, tzinfo=UTC)).isoformat().replace("+00:00", "Z")
