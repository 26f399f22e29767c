"""A report laid out as a titled grid of typed cells, ready for any output format.

Cells are typed so that each format can do the right thing: `money` cells are integer
cents, `percent` cells Decimals, `date` cells dates, `number` cells plain integers and
`text` cells user or label text (neutralised in spreadsheets, see `neutralise`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

Kind = Literal["text", "money", "percent", "date", "number"]
Cell = int | Decimal | str | date | None

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    key: str  # stable, the CSV header
    label: str  # in the chosen language, the header people read
    kind: Kind


@dataclass(frozen=True)
class Sheet:
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    notes: tuple[str, ...] = ()  # lines printed under the rows (table, md, xlsx)


def neutralise(text: str) -> str:
    """Text a spreadsheet would run as a formula gets a leading quote ('=SUM(...) stays text)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text
