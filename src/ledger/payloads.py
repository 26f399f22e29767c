"""The one writer of `VouchersPosted` vouchers and of their content hashes (ADR 0013, 0034).

Every `VouchersPosted` the ledger records (`kuntaledger post`, a history file's `post`
step) is drafted by `posting.post` with its vouchers written here as JSON, straight from
the checked lines, as the exact text the pydantic dumps would produce: the stored form
(fields in model order), the chain's canonical form (sorted keys) and each voucher's
content-hash document, from one quoting of each value (pydantic models and two dumps
cost about 20 µs a line). `content_hash` is the same document's hash, for comparing a
voucher with the one posted under its id. The mapper writes every other event, and
would write the same bytes for a `VouchersPosted` model: the property test
(tests/property/test_import_payloads.py) decodes what is written here and dumps it again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from json.encoder import encode_basestring as quote
from uuid import UUID

from ledger.chain import next_hash
from ledger.events import LedgerEvent
from ledger.storable import unstorable_event

# A checked line: (account, unit, project, amount_cents, text).
Line = tuple[str, str, str | None, int, str]


@dataclass(frozen=True)
class RenderedVouchers:
    """The `vouchers` field of a VouchersPosted as JSON text, and what the ledger reads of it."""

    stored: str  # the JSON array as the mapper stores it: keys in model order, compact
    canonical: str  # the JSON array as the chain hashes it: sorted keys, compact
    ids: tuple[str, ...]
    content_hashes: tuple[str, ...]
    lines: int

    def unstorable(self) -> str | None:
        """Why the store cannot hold these vouchers (a NUL character in a text), or None."""
        if "\\u0000" not in self.stored or not _holds_nul(json.loads(self.stored)):  # a NUL's JSON, or text like it
            return None
        return "a text of a voucher contains a NUL character (\\x00); remove it"


def _holds_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list):
        return any(map(_holds_nul, value))
    if isinstance(value, dict):
        return any(map(_holds_nul, value.values()))
    return False


def content_hash(effective_on: date, lines: Iterable[Line]) -> str:
    """A voucher's content hash (what makes a re-post detectable): the sha-256 of
    `json.dumps({"effective_on": ..., "lines": [line.model_dump(mode="json"), ...]},
    sort_keys=True, ensure_ascii=False)` of its `PostingLine`s, written by `_voucher_json`."""
    return _voucher_json("", effective_on.isoformat(), lines, whole=False)[0]


def render(vouchers: Iterable[tuple[str, date, Sequence[Line]]]) -> RenderedVouchers:
    """Write (voucher id, effective_on, lines) as the JSON of `VouchersPosted.vouchers`."""
    days: dict[date, str] = {}
    stored: list[str] = []
    canonical: list[str] = []
    ids: list[str] = []
    digests: list[str] = []
    count = 0
    for voucher_id, effective_on, lines in vouchers:
        day = days.get(effective_on)
        if day is None:
            day = days[effective_on] = effective_on.isoformat()
        digest, stored_voucher, canonical_voucher = _voucher_json(voucher_id, day, lines)
        stored.append(stored_voucher)
        canonical.append(canonical_voucher)
        ids.append(voucher_id)
        digests.append(digest)
        count += len(lines)
    return RenderedVouchers(
        stored=f"[{','.join(stored)}]",
        canonical=f"[{','.join(canonical)}]",
        ids=tuple(ids),
        content_hashes=tuple(digests),
        lines=count,
    )


def _voucher_json(voucher_id: str, day: str, lines: Iterable[Line], whole: bool = True) -> tuple[str, str, str]:
    """One voucher as (content hash, stored JSON, canonical JSON); without `whole`, the
    content hash only.

    Per line the same five values appear in three documents. Strings are quoted with
    `json.encoder.encode_basestring` (what `json.dumps(ensure_ascii=False)` uses): a text
    once per line (once for a run of equal texts), and the parts around the amount and the
    text, which depend only on the line's account, unit and project (a few hundred
    combinations), once per process."""
    parts = _PARTS
    hashed: list[str] = []
    sorted_lines: list[str] = []
    model_lines: list[str] = []
    last_text, t = None, ""
    for account, unit, project, amount, text in lines:
        key = (account, unit, project)
        line_parts = parts.get(key) or _new_line_parts(key)
        model_head, sorted_head, sorted_middle, sorted_tail, hashed_head, hashed_middle, hashed_tail = line_parts
        if text != last_text:
            last_text, t = text, quote(text)
        c = str(amount)
        hashed.append(f"{hashed_head}{c}{hashed_middle}{t}{hashed_tail}")
        if whole:
            sorted_lines.append(f"{sorted_head}{c}{sorted_middle}{t}{sorted_tail}")
            model_lines.append(f'{model_head}{c},"text":{t}}}')
    document = f'{{"effective_on": "{day}", "lines": [{", ".join(hashed)}]}}'
    digest = hashlib.sha256(document.encode()).hexdigest()
    if not whole:
        return digest, "", ""
    v = quote(voucher_id)
    return (
        digest,
        f'{{"voucher":{v},"effective_on":"{day}","lines":[{",".join(model_lines)}],"content_hash":"{digest}"}}',
        f'{{"content_hash":"{digest}","effective_on":"{day}","lines":[{",".join(sorted_lines)}],"voucher":{v}}}',
    )


# (account, unit, project) -> `_line_parts`; emptied when it grows past MAX_LINE_PARTS.
_PARTS: dict[tuple[str, str, str | None], tuple[str, str, str, str, str, str, str]] = {}
MAX_LINE_PARTS = 100_000


def _new_line_parts(key: tuple[str, str, str | None]) -> tuple[str, str, str, str, str, str, str]:
    if len(_PARTS) >= MAX_LINE_PARTS:
        _PARTS.clear()
    line_parts = _PARTS[key] = _line_parts(*key)
    return line_parts


def _line_parts(account: str, unit: str, project: str | None) -> tuple[str, str, str, str, str, str, str]:
    """A line's JSON around its amount and text: model order (stored), sorted keys compact
    (chain), sorted keys with spaces (content hash: `json.dumps(sort_keys=True)`)."""
    a, u, p = quote(account), quote(unit), "null" if project is None else quote(project)
    return (
        f'{{"account":{a},"unit":{u},"project":{p},"amount_cents":',
        f'{{"account":{a},"amount_cents":',
        f',"project":{p},"text":',
        f',"unit":{u}}}',
        f'{{"account": {a}, "amount_cents": ',
        f', "project": {p}, "text": ',
        f', "unit": {u}}}',
    )


@dataclass(frozen=True)
class PreparedEvent:
    """An event stamped and written already: the mapper stores `payload` as it is.

    eventsourcing saves any object with an `originator_id` and an `originator_version`."""

    originator_id: UUID
    originator_version: int
    TOPIC: str
    chain_hash: str
    recorded_at: datetime
    payload: bytes  # the JSON the mapper would write for the event, before compression
    problem: str | None = None  # why the store cannot hold it (storable.py), or None
    compressed: bytes | None = None  # `payload` compressed by the mapper's compressor, done ahead

    @property
    def position(self) -> int:
        return self.originator_version


def stored_json(event: LedgerEvent, rendered: Mapping[str, str] | None = None) -> bytes:
    """The JSON the mapper stores for an event (before compression): its fields in model
    order, compact. `rendered` holds fields written in this very form already; they stand
    in for the same fields of the event."""
    state = event.model_dump(mode="json", exclude={"originator_id", "originator_version"})
    if type(event).class_version > 1:
        state["class_version"] = type(event).class_version
    if not rendered:
        return json.dumps(state, separators=(",", ":"), ensure_ascii=False).encode()
    fields = ",".join(
        f"{_dump(key)}:{rendered[key] if key in rendered else _dump(value)}" for key, value in state.items()
    )
    return f"{{{fields}}}".encode()


def _dump(value: object) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def prepare(event: LedgerEvent, rendered: RenderedVouchers, previous_hash: str) -> PreparedEvent:
    """Stamp an event whose `vouchers` are `rendered` (the event itself holds none): its
    chain hash and stored JSON, the same bytes as for the event holding those vouchers."""
    assert getattr(event, "vouchers", None) == (), "the rendered vouchers stand in for an empty field"
    content = event.content()
    chain_hash = next_hash(previous_hash, event.TOPIC, event.position, content, {"vouchers": rendered.canonical})
    stamped = event.model_copy(update={"chain_hash": chain_hash})
    return PreparedEvent(
        originator_id=event.originator_id,
        originator_version=event.originator_version,
        TOPIC=event.TOPIC,
        chain_hash=chain_hash,
        recorded_at=event.recorded_at,
        payload=stored_json(stamped, {"vouchers": rendered.stored}),
        problem=unstorable_event(stamped) or rendered.unstorable(),
    )
