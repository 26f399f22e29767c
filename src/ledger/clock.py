"""The two clocks: effective dates (`effective_on`) and recording times (`recorded_at`).

Dates are `datetime.date`; recording times are timezone-aware `datetime`s in UTC.
A naive timestamp is read as UTC, and a date given where a moment is expected means
the end of that day.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

_FINNISH_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
END_OF_DAY = time(23, 59, 59, 999999)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def parse_date(text: str) -> date:
    """'2024-12-31' or '31.12.2024'; refuses impossible dates such as 31.2.2024."""
    raw = text.strip()
    try:
        if _ISO_DATE.match(raw):
            return date.fromisoformat(raw)
        match = _FINNISH_DATE.match(raw)
        if match:
            day, month, year = (int(g) for g in match.groups())
            return date(year, month, day)
    except ValueError as error:
        raise ValueError(f"'{raw}' is not a real date ({error})") from None
    raise ValueError(f"'{raw}' is not a date; use 2024-12-31 or 31.12.2024")


def parse_moment(text: str) -> datetime:
    """An ISO 8601 timestamp (UTC if naive); a bare date means the end of that day."""
    raw = text.strip()
    try:
        day = parse_date(raw)
    except ValueError:
        pass
    else:
        return datetime.combine(day, END_OF_DAY, tzinfo=UTC)
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"'{raw}' is not a timestamp; use ISO 8601 such as 2025-03-26T14:00:00+02:00") from None
    return as_utc(moment)


def parse_known_at(text: str) -> datetime:
    """A known-at moment: the word 'now' (this moment), or as `parse_moment`."""
    return now() if text.strip().casefold() == "now" else parse_moment(text)


def as_utc(moment: datetime) -> datetime:
    """Aware UTC datetime (naive values are taken to be UTC)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def now() -> datetime:
    """The wall clock, in UTC."""
    return datetime.now(UTC)


def today() -> date:
    """The wall clock's date, in UTC."""
    return now().date()


def format_moment(moment: datetime) -> str:
    """'2025-03-26T23:59:59+00:00': seconds precision, UTC offset."""
    return as_utc(moment).isoformat(timespec="seconds")


def year_end(year: int) -> date:
    return date(year, 12, 31)


def year_start(year: int) -> date:
    return date(year, 1, 1)


def to_micros(moment: datetime) -> int:
    """Exact integer microseconds since the epoch (a float detour is off by one now and then)."""
    return (as_utc(moment) - EPOCH) // timedelta(microseconds=1)
