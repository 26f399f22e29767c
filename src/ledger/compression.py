"""Large event payloads are stored zlib-compressed; small ones stay plain JSON.

An import's `VouchersPosted` event holds tens of thousands of lines (about 150 bytes of
JSON each, 7 compressed). Small events stay readable in SQL. Reading tells the two
apart by the first byte: a JSON object starts with `{`, a zlib stream never does
(0x78), so stores written before compression was switched on read as before.
"""

from __future__ import annotations

import zlib

from eventsourcing.persistence import Compressor

THRESHOLD_BYTES = 4096


class LargePayloadCompressor(Compressor):
    def compress(self, data: bytes) -> bytes:
        return zlib.compress(data) if len(data) >= THRESHOLD_BYTES else data

    def decompress(self, data: bytes) -> bytes:
        return data if data[:1] == b"{" else zlib.decompress(data)
