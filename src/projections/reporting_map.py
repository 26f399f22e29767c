"""The mapping of our income-statement rows to the State Treasury's reporting codes, one
TOML file a reporting year (ADR 0039, docs/reporting-mapping.md): next year's taxonomy is
a new file, not new code. Every entry says whether it was verified against the Treasury's
publication; the shipped files verify nothing and say so."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from ledger.errors import InvalidInput, NotFound
from ledger.statement_rows import POSTABLE_KEYS

_ENTRY_KEYS = {"row", "label", "kknr", "ktas", "verified", "note"}
_TOP_KEYS = {"year", "taxonomy", "unknown_sector", "rows"}


@dataclass(frozen=True)
class MappedRow:
    row: str  # our statement row key
    label: str
    kknr: str  # the Treasury's code in the KKNR set
    ktas: str  # and in the KTAS set
    verified: bool
    note: str = ""


@dataclass(frozen=True)
class ReportingMap:
    year: int
    taxonomy: str
    unknown_sector: str  # the sector reported for a line that names none
    rows: dict[str, MappedRow]

    @property
    def unverified(self) -> list[str]:
        return [key for key, entry in self.rows.items() if not entry.verified]


def shipped(year: int) -> ReportingMap:
    """The mapping shipped for the reporting year, or NotFound."""
    data = resources.files("ledger").joinpath("data", "reporting", f"mapping_{year}.toml")
    if not data.is_file():
        raise NotFound(f"{year}: no reporting mapping is shipped for that year; give one with --mapping FILE")
    return parse(data.read_text(encoding="utf-8"), f"mapping_{year}.toml")


def read(path: Path) -> ReportingMap:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidInput(f"{path.name}: cannot read the mapping ({error})") from None
    return parse(text, path.name)


def parse(text: str, source: str) -> ReportingMap:
    """The mapping in `text`, or InvalidInput naming the file, the entry and the key."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InvalidInput(f"{source}: not TOML ({error})") from None
    unknown = sorted(set(document) - _TOP_KEYS)
    if unknown:
        raise InvalidInput(f"{source}: unknown key {', '.join(unknown)}; expected {', '.join(sorted(_TOP_KEYS))}")
    year, entries = document.get("year"), document.get("rows", [])
    if not isinstance(year, int):
        raise InvalidInput(f"{source}: key year: give the reporting year, e.g. year = 2024")
    if not isinstance(entries, list) or not entries:
        raise InvalidInput(f"{source}: no [[rows]] entries")
    rows: dict[str, MappedRow] = {}
    for number, entry in enumerate(entries, start=1):
        mapped = _entry(source, number, entry)
        if mapped.row in rows:
            raise InvalidInput(f"{source} rows entry {number}, key row: '{mapped.row}' is mapped twice")
        rows[mapped.row] = mapped
    return ReportingMap(
        year=year,
        taxonomy=str(document.get("taxonomy", "")),
        unknown_sector=str(document.get("unknown_sector", "unknown")),
        rows=rows,
    )


def _entry(source: str, number: int, entry: Any) -> MappedRow:
    def fail(key: str, message: str) -> InvalidInput:
        return InvalidInput(f"{source} rows entry {number}, key {key}: {message}")

    if not isinstance(entry, dict):
        raise InvalidInput(f"{source} rows entry {number}: not a table")
    unknown = sorted(set(entry) - _ENTRY_KEYS)
    if unknown:
        raise fail(unknown[0], f"unknown; expected {', '.join(sorted(_ENTRY_KEYS))}")
    row = entry.get("row")
    if row not in POSTABLE_KEYS:
        raise fail("row", f"'{row}' is not a statement row accounts roll into (see docs/json.md)")
    for key in ("kknr", "ktas"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise fail(key, "give the reporting code as text")
    if not isinstance(entry.get("verified"), bool):
        raise fail("verified", "say true or false: whether the entry was checked against the Treasury's taxonomy")
    return MappedRow(
        row=row,
        label=str(entry.get("label", "")),
        kknr=entry["kknr"].strip(),
        ktas=entry["ktas"].strip(),
        verified=entry["verified"],
        note=str(entry.get("note", "")),
    )
