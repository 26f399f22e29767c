"""A draft is an event before the ledger stamps its position, time, actor and hash."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ledger.events import LedgerEvent
from ledger.payloads import RenderedVouchers


@dataclass(frozen=True)
class Draft:
    event_type: type[LedgerEvent]
    fields: dict[str, Any]
    # An import chunk's vouchers, written as JSON already (payloads.py); `fields` then hold vouchers=().
    rendered: RenderedVouchers | None = None


@dataclass
class Outcome:
    """What a command did: the drafts to record and what to tell the user."""

    drafts: list[Draft] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
