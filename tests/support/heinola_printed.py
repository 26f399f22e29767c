"""The printed Heinola 2024 report (tests/acceptance/printed/heinola_2024.json) and how to read it.

Every table of the document, as printed in whole euros and percent strings, and the
helpers that turn our JSON figures ("338433.03") into what the print shows.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ledger.money import parse_cents, round_to_euros

Report = Callable[..., Any]  # the `report` fixture: report(name, unit, known_at=..., fmt=...)

PRINTED_FILE = Path(__file__).parents[1] / "acceptance" / "printed" / "heinola_2024.json"
PRINTED: dict[str, Any] = json.loads(PRINTED_FILE.read_text(encoding="utf-8"))

YEAR = "2024"
AS_OF = "2024-12-31"
SIGNED = PRINTED["known_at"]  # 2025-03-26T23:59:59+02:00: the report as signed
LATER = "2025-12-31"  # after the correction of 2025-04-15 and the closing

SECTOR = "YP"
STATEMENTS: dict[str, dict[str, dict[str, Any]]] = PRINTED["statements"]
SERVICE_AREAS = tuple(unit for unit in STATEMENTS if unit != SECTOR)
AMOUNT_COLUMNS = ("prior_year_actual", "budget", "actual", "deviation")
PERCENT = "utilisation_pct"
COLUMNS = (*AMOUNT_COLUMNS, PERCENT)

# The rows a printed statement can show, in the printed order (the sector prints all).
PRINTED_ROWS = tuple(STATEMENTS[SECTOR])

# The printed totals and their printed parts (DOMAIN.md, identities). Tax revenue, state
# contributions and extraordinary items are not rows of a sector's statement.
PRINTED_SUMS: dict[str, tuple[str, ...]] = {
    "operating_income": ("sales_income", "fee_income", "grants_and_subsidies_received", "other_operating_income"),
    "operating_expenses": (
        "personnel_expenses",
        "purchases_of_services",
        "materials_and_supplies",
        "grants_paid",
        "other_operating_expenses",
    ),
    "operating_margin": ("operating_income", "manufacture_for_own_use", "operating_expenses"),
    "annual_margin": ("operating_margin", "financial_items"),
    "result_for_period": ("annual_margin", "depreciation_and_impairment"),
}


def printed_amount(unit: str, row: str, column: str) -> int:
    """A printed amount; a row the table does not print is 0 (a sum: its printed parts)."""
    table = STATEMENTS[unit]
    if row in table:
        value: int = table[row][column]
        return value
    return sum(printed_amount(unit, part, column) for part in PRINTED_SUMS.get(row, ()))


def euros(plain: str) -> int:
    """Our JSON amount ('-562062.75') in whole euros, half away from zero, as printed."""
    return round_to_euros(parse_cents(plain))


def finnish(value: int) -> str:
    """A whole-euro figure as the document prints it: '-5 876 891'."""
    digits = f"{abs(value):,}".replace(",", " ")
    return f"-{digits}" if value < 0 else digits


def finnish_percent(printed: str) -> str:
    """'86.39' -> '86,39', '7155.51' -> '7 155,51'."""
    whole, _, fraction = printed.lstrip("-").partition(".")
    sign = "-" if printed.startswith("-") else ""
    return f"{sign}{finnish(int(whole))},{fraction}"


def by_key(rows: list[dict[str, Any]], key: str = "key") -> dict[str, dict[str, Any]]:
    return {row[key]: row for row in rows}
