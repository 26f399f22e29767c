"""Counts in messages: '1 line', '2 lines', '1 entry', '2 entries'."""

from __future__ import annotations


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """`count` and the noun in its number; `plural` where adding an 's' is wrong."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


def were(count: int) -> str:
    return "was" if count == 1 else "were"
