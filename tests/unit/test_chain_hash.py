"""The hash chain: any change to an event, its place or its predecessor changes the hash."""

from __future__ import annotations

from typing import Any

from ledger.chain import GENESIS_HASH, canonical, next_hash

CONTENT: dict[str, Any] = {"recorded_at": "2024-01-02T08:00:00Z", "actor": "alice", "amount_cents": 100050}


def test_the_hash_is_a_stable_sha256_of_the_canonical_form() -> None:
    first = next_hash(GENESIS_HASH, "kuntaledger.UnitAdded", 4, CONTENT)

    assert first == next_hash(GENESIS_HASH, "kuntaledger.UnitAdded", 4, dict(CONTENT))
    # pinned: stores written by earlier versions verify only while this value holds
    assert first == "f9e349c772ce82c2d9ce3da6c68df740627c02e38e31e84bccd83aa4b5dc3834"
    assert GENESIS_HASH == "0" * 64


def test_key_order_does_not_matter_but_every_value_does() -> None:
    reordered = dict(reversed(list(CONTENT.items())))

    assert canonical("T", 1, reordered) == canonical("T", 1, CONTENT)
    base = next_hash(GENESIS_HASH, "T", 1, CONTENT)
    assert next_hash(GENESIS_HASH, "T", 1, {**CONTENT, "amount_cents": 100051}) != base
    assert next_hash(GENESIS_HASH, "T", 1, {**CONTENT, "actor": "Alice"}) != base
    assert next_hash(GENESIS_HASH, "T", 1, {**CONTENT, "extra": None}) != base


def test_the_topic_the_position_and_the_previous_hash_are_part_of_the_hash() -> None:
    base = next_hash(GENESIS_HASH, "T", 1, CONTENT)

    assert next_hash(GENESIS_HASH, "U", 1, CONTENT) != base
    assert next_hash(GENESIS_HASH, "T", 2, CONTENT) != base
    assert next_hash("1" + GENESIS_HASH[1:], "T", 1, CONTENT) != base


def test_changing_an_early_event_changes_every_later_hash() -> None:
    contents = [{"n": n} for n in range(5)]

    def chain(items: list[dict[str, Any]]) -> list[str]:
        hashes, previous = [], GENESIS_HASH
        for position, content in enumerate(items, start=1):
            previous = next_hash(previous, "T", position, content)
            hashes.append(previous)
        return hashes

    original = chain(contents)
    tampered = chain([contents[0], {"n": 99}, *contents[2:]])

    assert tampered[0] == original[0]
    assert all(a != b for a, b in zip(original[1:], tampered[1:], strict=True))


def test_non_ascii_text_is_hashed_as_utf8_not_escaped() -> None:
    assert "Henkilöstö".encode() in canonical("T", 1, {"name": "Henkilöstö"})
