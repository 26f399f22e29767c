"""Amounts: integer cents inside, Decimal only when parsing and rendering.

Every rounding decision of the project lives here.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

CENTS_PER_EURO = 100
_THOUSANDS = re.compile(r"[ \u00a0\u202f]")
_AMOUNT = re.compile(r"^[+-]?(\d+)([.,](\d+))?$", re.ASCII)
_GROUPED = re.compile(r"^[+\-\u2212]?\d{1,3}([ \u00a0\u202f]\d{3})+([.,]\d+)?$", re.ASCII)
# The largest amount accepted: 999 999 999 999,99 EUR. Far above any municipal figure, and
# far enough below the 64-bit integer columns of the stores that sums cannot overflow.
MAX_CENTS = 10**14 - 1


def parse_cents(text: str) -> int:
    """Parse '1 234,50', '-1234.5' or '1234' (euros) into integer cents.

    Accepts a decimal comma or point and spaces as thousands separators. Refuses more
    than two decimals rather than rounding silently. Raises ValueError with a hint.
    """
    raw = text.strip()
    if _THOUSANDS.search(raw) and not _GROUPED.match(raw):
        raise ValueError(f"'{raw}' is not an amount; spaces may only separate thousands, as in 1 234 567,50")
    cleaned = _THOUSANDS.sub("", raw).replace("\u2212", "-")
    match = _AMOUNT.match(cleaned)
    if not match:
        raise ValueError(f"'{raw}' is not an amount; use 1234,50 or 1234.50")
    decimals = match.group(3) or ""
    if len(decimals) > 2:
        raise ValueError(f"'{raw}' has more than two decimals; amounts are in euros and cents")
    sign = -1 if cleaned.startswith("-") else 1
    euros = int(match.group(1))
    cents = int((decimals + "00")[:2])
    total = euros * CENTS_PER_EURO + cents
    if total > MAX_CENTS:
        raise ValueError(f"'{raw}' is too large; amounts are at most {format_fi(MAX_CENTS, 2)} €")
    return sign * total


def cents_to_decimal(cents: int) -> Decimal:
    """Exact euros as a Decimal with two places."""
    return (Decimal(cents) / CENTS_PER_EURO).quantize(Decimal("0.01"))


def format_plain(cents: int) -> str:
    """'338433.00': the stable machine format (JSON, CSV)."""
    return f"{cents_to_decimal(cents):.2f}"


def round_to_euros(cents: int) -> int:
    """Whole euros, half away from zero, as the printed reports show them."""
    value = (Decimal(cents) / CENTS_PER_EURO).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    return int(value)


def group_thousands(digits: str) -> str:
    """'1033968' -> '1 033 968'."""
    parts: list[str] = []
    while len(digits) > 3:
        parts.insert(0, digits[-3:])
        digits = digits[:-3]
    parts.insert(0, digits)
    return " ".join(parts)


def format_fi(cents: int, decimals: int = 0) -> str:
    """Finnish number format: '-1 033 968' (whole euros) or '-1 033 968,40'."""
    if decimals == 0:
        euros = round_to_euros(cents)
        sign = "-" if euros < 0 else ""
        return sign + group_thousands(str(abs(euros)))
    value = cents_to_decimal(cents)
    sign = "-" if value < 0 else ""
    whole, _, frac = f"{abs(value):.2f}".partition(".")
    return f"{sign}{group_thousands(whole)},{frac}"


def percent(part_cents: int, whole_cents: int, places: int = 2) -> Decimal:
    """part / whole * 100 with `places` decimals (two, or one as the investment table
    prints), half up; zero where whole is zero. The result keeps its places: 53.6, 0.00."""
    step = Decimal(1).scaleb(-places)
    if whole_cents == 0:
        return Decimal(0).quantize(step)
    value = (Decimal(part_cents) * 100 / Decimal(whole_cents)).quantize(step, rounding=ROUND_HALF_UP)
    return value if value else Decimal(0).quantize(step)  # never "-0.00"


def format_percent(value: Decimal) -> str:
    """'91.53', '53.6', '0.00': plain, with the places `percent` gave it (at least one)."""
    exponent = value.as_tuple().exponent
    places = max(1, -exponent) if isinstance(exponent, int) else 2
    return f"{value:.{places}f}"


def format_percent_fi(value: Decimal) -> str:
    """'91,53' (or '53,6': a percent prints the places it was computed with, `percent`)."""
    sign = "-" if value < 0 else ""
    whole, _, frac = format_percent(abs(value)).partition(".")
    return f"{sign}{group_thousands(whole)},{frac}"
