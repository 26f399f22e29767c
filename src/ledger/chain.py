"""The hash chain that makes tampering evident (ADR 0006).

hash(n) = sha256(b"kuntaledger-chain-v1\n" + hash(n-1) + b"\n" + canonical(event n)),
where canonical is the event's topic, position and content as compact JSON with sorted
keys. The genesis 'previous hash' is 64 zeros. The prefix names the encoding version.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

CHAIN_VERSION = "kuntaledger-chain-v1"
GENESIS_HASH = "0" * 64


def _dump(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical(topic: str, position: int, content: dict[str, Any], rendered: Mapping[str, str] | None = None) -> bytes:
    """The bytes that are hashed for one event (stable across Python and databases).

    `rendered` holds fields of the content written in this very form already (an import's
    vouchers, ledger/payloads.py); they stand in for the same fields of `content`, and the
    bytes are those `content` holding them would give."""
    if not rendered:
        return _dump({"topic": topic, "position": position, "content": content}).encode()
    fields = ",".join(
        f"{_dump(key)}:{rendered[key] if key in rendered else _dump(content[key])}"
        for key in sorted(content.keys() | rendered.keys())
    )
    return f'{{"content":{{{fields}}},"position":{_dump(position)},"topic":{_dump(topic)}}}'.encode()


def next_hash(
    previous_hash: str, topic: str, position: int, content: dict[str, Any], rendered: Mapping[str, str] | None = None
) -> str:
    digest = hashlib.sha256()
    digest.update(f"{CHAIN_VERSION}\n{previous_hash}\n".encode())
    digest.update(canonical(topic, position, content, rendered))
    return digest.hexdigest()
