"""The log as a JSON file: `export --format json` writes it, `import-log` loads it.

The file holds every stored event, payload as stored (so old class versions keep their
hashes), with its position, topic and chain hash, up to a known-at moment: a prefix of
the log, whose chain still verifies. Importing re-validates everything before writing
anything: the chain (a file changed after export is refused), every payload against
its event class, and a trial projection into a throwaway store (an event the read
models cannot apply, such as a reversal of an unknown voucher, is refused). It does not
re-run the recording checks: the file is a record of what was decided, and a decision
that breaks a rule is a finding for `check` to report, not something to rewrite (ADR 0008).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import ValidationError

from ledger import clock
from ledger.application import Ledger
from ledger.chain import CHAIN_VERSION
from ledger.errors import Conflict, InvalidInput, RuleViolation
from ledger.events import LEDGER_ID, LedgerEvent
from ledger.store.access import replayed_read_models
from ledger.verification import StoredRecord, recorded_moment, verify_chain

FORMAT = "kuntaledger-log"
FORMAT_VERSION = 1


def export_log(ledger: Ledger, known_at: datetime | None = None) -> dict[str, Any]:
    """The log (recorded up to `known_at`, default all of it) as a JSON-ready document."""
    records = list(ledger.stored_records())
    chain = verify_chain(records)
    if chain.broken:
        raise RuleViolation(f"the log's chain is broken: {chain.broken.message}; run `kuntaledger verify`")
    if known_at is not None:
        moment = clock.as_utc(known_at)
        records = [r for r in records if r.payload and _known_by(recorded_moment(r.payload), moment)]
    head = records[-1] if records else None
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "chain_version": CHAIN_VERSION,
        "known_at": clock.format_moment(known_at) if known_at else None,
        "head": {"position": head.position, "chain_hash": head.chain_hash} if head else None,
        "events": [
            {
                "position": r.position,
                "topic": r.topic,
                "class_version": r.class_version,
                "chain_hash": r.chain_hash,
                "payload": r.payload,
            }
            for r in records
        ],
    }


def _known_by(recorded: datetime | None, moment: datetime) -> bool:
    return recorded is not None and recorded <= moment


def read_log_file(path: Path) -> list[StoredRecord]:
    """The file's events, after checking its form and its chain."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InvalidInput(f"{path.name}: not a readable JSON log export ({error})") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise InvalidInput(f"{path.name}: not a kuntaledger log; write one with `kuntaledger export --format json`")
    if document.get("format_version") != FORMAT_VERSION or document.get("chain_version") != CHAIN_VERSION:
        raise InvalidInput(
            f"{path.name}: format version {document.get('format_version')} with chain "
            f"{document.get('chain_version')}; this version reads {FORMAT_VERSION} with {CHAIN_VERSION}"
        )
    entries = document.get("events")
    if not isinstance(entries, list) or not entries:
        raise InvalidInput(f"{path.name}: the file holds no events")
    loaded = [_entry(path, number, entry) for number, entry in enumerate(entries, start=1)]
    chain = verify_chain(loaded)
    if chain.broken:
        raise InvalidInput(f"{path.name}: {chain.broken.message}; the file was changed after it was exported")
    head = document.get("head") or {}
    if head.get("position") != chain.head.position or head.get("chain_hash") != chain.head.chain_hash:
        raise InvalidInput(f"{path.name}: the events do not end at the head the file names; it is incomplete")
    return loaded


def _entry(path: Path, number: int, entry: Any) -> StoredRecord:
    try:
        return StoredRecord(
            number,
            LEDGER_ID,
            int(entry["position"]),
            str(entry["topic"]),
            dict(entry["payload"]),
            str(entry["chain_hash"]),
            int(entry.get("class_version", 1)),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise InvalidInput(
            f"{path.name} event {number}: needs position, topic, class_version, chain_hash and payload ({error})"
        ) from None


def import_log(ledger: Ledger, path: Path) -> int:
    """Load a log export into an empty store; returns the number of events written."""
    with ledger.state() as state:
        if state.head or not ledger.is_empty():
            raise RuleViolation(f"the store already holds {state.head} events; import a log only into an empty store")
    loaded = read_log_file(path)
    events = [_validated(path, record, ledger) for record in loaded]
    _trial_projection(path, events)
    try:
        ledger.insert_records(loaded)
    except Conflict:
        raise Conflict(
            "another writer recorded events while the log was imported; import into an empty store"
        ) from None
    ledger.catch_up()
    return len(loaded)


def _validated(path: Path, record: StoredRecord, ledger: Ledger) -> LedgerEvent:
    try:
        return ledger.decode_record(record)
    except (ValidationError, ValueError, AttributeError) as error:
        first = str(error).splitlines()[0:3]
        raise InvalidInput(f"{path.name} position {record.position}: not a valid event: {' '.join(first)}") from None


class _Numbered(NamedTuple):
    """An event as the projector pages through it: notification id, topic, the event."""

    id: int
    topic: str
    event: LedgerEvent


def _trial_projection(path: Path, events: Sequence[LedgerEvent]) -> None:
    """Project the events into a throwaway SQLite store; an event it cannot apply is refused."""
    numbered = [_Numbered(number, event.TOPIC, event) for number, event in enumerate(events, start=1)]
    last: list[int] = [0]

    def select(start: int, limit: int) -> list[_Numbered]:
        return numbered[start : start + limit]

    def decode(entry: _Numbered) -> LedgerEvent:
        last[0] = entry.event.position
        return entry.event

    try:
        with replayed_read_models(select, decode):
            pass
    except Exception as error:  # any failure of the trial is the file's, reported with its position
        raise InvalidInput(
            f"{path.name} position {last[0]}: the ledger cannot apply this event ({type(error).__name__}: "
            f"{str(error).splitlines()[0][:200]}); the history is inconsistent"
        ) from None


def write_json(document: dict[str, Any], output: Path) -> None:
    output.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
