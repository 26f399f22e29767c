"""A unit of the organisation as both sides see it, and walks up its tree."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    parent: str | None
    binding: str = "none"  # net | gross | none: how the council binds it


def ancestry(units: Mapping[str, Unit], code: str | None) -> list[Unit]:
    """The unit and every unit above it, nearest first (an unknown code has none)."""
    found: list[Unit] = []
    unit = units.get(code) if code is not None else None
    while unit is not None and unit not in found:
        found.append(unit)
        unit = units.get(unit.parent) if unit.parent else None
    return found


def binding_unit_of(units: Mapping[str, Unit], code: str | None) -> Unit | None:
    """The nearest unit at or above `code` that the council binds (net or gross)."""
    return next((unit for unit in ancestry(units, code) if unit.binding != "none"), None)
