"""What a store cannot hold, refused before anything is recorded.

PostgreSQL refuses a NUL character in any text, and a key longer than its read-model
column (ledger/store/tables.py); SQLite stores both. An event that the read models cannot
apply would stop every later command of the store, so the ledger refuses such a command
on every backend alike, naming the field that is wrong.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

# The read models' key columns and how many characters they hold.
KEY_CHARS = {
    "code": 64,
    "parent": 64,
    "unit": 64,
    "account": 64,
    "project": 64,
    "investment_group": 64,
    "voucher": 128,
    "goal": 128,
    "risk": 128,
}
# Lines only name units, accounts and projects that exist, so their keys fit already;
# not walking them keeps the check quick for an import's event of 10 000 lines.
REFERENCES_ONLY = "lines"


def unstorable_event(event: BaseModel) -> str | None:
    """Why the store cannot hold this event, or None."""
    if "\\u0000" in event.model_dump_json():  # rare: then find the field to name it
        return unstorable(event.model_dump(mode="json"))
    return unstorable(event)


def unstorable(value: Any, field: str | None = None) -> str | None:
    """Why a value (a model, a JSON document or a part of one) cannot be stored, or None."""
    if isinstance(value, str):
        if "\x00" in value:
            return f"{field or 'a text'} contains a NUL character (\\x00); remove it"
        limit = KEY_CHARS.get(field or "")
        if limit and len(value) > limit:
            return f"{field} '{value[:24]}…' has {len(value)} characters; use at most {limit}"
        return None
    if isinstance(value, BaseModel):
        items: Any = ((k, v) for k, v in value.__dict__.items() if k != REFERENCES_ONLY)
    elif isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list | tuple):
        items = ((field, item) for item in value)
    else:
        return None
    return next((found for key, item in items if (found := unstorable(item, key))), None)
