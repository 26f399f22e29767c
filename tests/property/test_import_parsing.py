"""The import's fast paths agree with the plain ones they stand in for."""

from __future__ import annotations

import hashlib
import json
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from ledger import events as ev
from ledger.csvfiles import fast_cents
from ledger.money import parse_cents
from ledger.payloads import content_hash

amount_texts = st.one_of(
    st.from_regex(r"\A[+\-]?[0-9]{1,16}[.,][0-9]{2}\Z"),
    st.from_regex(r"\A[+\-]?[0-9 ]{0,8}[.,]?[0-9]{0,3}\Z"),
    st.text(alphabet="0123456789-+.,٣² \u2212", max_size=12),
)


def _outcome(parse, text: str) -> int | str:  # type: ignore[no-untyped-def]
    try:
        return int(parse(text))
    except ValueError as error:
        return str(error)


@given(amount_texts)
def test_fast_cents_parses_exactly_as_parse_cents(text: str) -> None:
    assert _outcome(fast_cents, text) == _outcome(parse_cents, text)


lines = st.builds(
    ev.PostingLine,
    account=st.text(min_size=1, max_size=6),
    unit=st.text(min_size=1, max_size=6),
    project=st.none() | st.text(max_size=6),
    amount_cents=st.integers(-(10**14), 10**14),
    text=st.text(max_size=20),
)


@given(st.dates(), st.lists(lines, min_size=1, max_size=4))
def test_the_hand_written_content_hash_equals_the_json_dump_hash(
    effective_on: date, posted: list[ev.PostingLine]
) -> None:
    document = {"effective_on": effective_on.isoformat(), "lines": [line.model_dump(mode="json") for line in posted]}
    expected = hashlib.sha256(json.dumps(document, sort_keys=True, ensure_ascii=False).encode("utf-8", "surrogatepass"))
    values = [(line.account, line.unit, line.project, line.amount_cents, line.text) for line in posted]
    try:
        actual = content_hash(effective_on, values)
    except UnicodeEncodeError:
        return  # a lone surrogate cannot be hashed either way
    assert actual == expected.hexdigest()
