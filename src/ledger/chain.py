"""The hash chain that makes tampering evident (ADR 0006).

hash(n) = sha256(b"kuntaledger-chain-v1\n" + hash(n-1) + b"\n" + canonical(event n)),
where canonical is the event's topic, position and content as compact JSON with sorted
keys. The genesis 'previous hash' is 64 zeros. The prefix names the encoding version.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

CHAIN_VERSION = "kuntaledger-chain-v1"
GENESIS_HASH = "0" * 64


def canonical(topic: str, position: int, content: dict[str, Any]) -> bytes:
    """The bytes that are hashed for one event (stable across Python and databases)."""
    document = {"topic": topic, "position": position, "content": content}
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def next_hash(previous_hash: str, topic: str, position: int, content: dict[str, Any]) -> str:
    digest = hashlib.sha256()
    digest.update(f"{CHAIN_VERSION}\n{previous_hash}\n".encode())
    digest.update(canonical(topic, position, content))
    return digest.hexdigest()
