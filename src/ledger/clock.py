"""The two clocks: effective dates (`effective_on`) and recording times (`recorded_at`).

Dates are `datetime.date`; recording times are timezone-aware `datetime`s, stored in UTC.
A naive timestamp is read in a zone (UTC unless the caller names one: the command line
reads in `--tz`, ADR 0025), and a date given where a moment is expected means the end of
that day there.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_FINNISH_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
END_OF_DAY = time(23, 59, 59, 999999)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
HOME_ZONE = "Europe/Helsinki"  # the municipalities' time: their fiscal year's end, the command line's default
ZONE_ENV = "KUNTALEDGER_TZ"


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


def zone(name: str) -> tzinfo:
    """The IANA time zone `name` ('Europe/Helsinki', 'UTC')."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(f"'{name}' is not a time zone; use an IANA name such as Europe/Helsinki or UTC") from None


def parse_moment(text: str, zone: tzinfo = UTC) -> datetime:
    """An ISO 8601 timestamp, naive ones read in `zone`; a bare date means the end of that
    day in `zone`. The moment comes back in UTC (a datetime in a zone compares by its wall
    clock with another in the same zone); a local time that `zone` skips or repeats (a
    daylight-saving change) is refused: only an offset makes it one moment."""
    raw = text.strip()
    try:
        day = parse_date(raw)
    except ValueError:
        pass
    else:
        return as_utc(datetime.combine(day, END_OF_DAY, tzinfo=zone))
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"'{raw}' is not a timestamp; use ISO 8601 such as 2025-03-26T14:00:00+02:00") from None
    if moment.tzinfo is not None:
        return as_utc(moment)
    local = moment.replace(tzinfo=zone)
    if local.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != moment:
        raise ValueError(f"'{raw}' does not exist in {zone}: the clocks skip it; give the time with its offset")
    later = local.replace(fold=1)
    if later.utcoffset() != local.utcoffset():
        offsets = " or ".join(m.isoformat()[-6:] for m in (local, later))
        raise ValueError(f"'{raw}' happens twice in {zone}; add {offsets}")
    return as_utc(local)


def parse_known_at(text: str, zone: tzinfo = UTC) -> datetime:
    """A known-at moment: the word 'now' (this moment), or as `parse_moment`."""
    return now() if text.strip().casefold() == "now" else parse_moment(text, zone)


def as_utc(moment: datetime) -> datetime:
    """Aware UTC datetime (naive values are taken to be UTC)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def now() -> datetime:
    """The wall clock, in UTC."""
    return datetime.now(UTC)


def today() -> date:
    """The wall clock's date where the municipalities are (HOME_ZONE)."""
    return now().astimezone(zone(HOME_ZONE)).date()


def format_moment(moment: datetime, zone: tzinfo = UTC) -> str:
    """'2025-03-26T23:59:59+02:00': seconds precision, the moment in `zone` with its offset."""
    return as_utc(moment).astimezone(zone).isoformat(timespec="seconds")


def year_end(year: int) -> date:
    return date(year, 12, 31)


def year_start(year: int) -> date:
    return date(year, 1, 1)


def to_micros(moment: datetime) -> int:
    """Exact integer microseconds since the epoch (a float detour is off by one now and then)."""
    return (as_utc(moment) - EPOCH) // timedelta(microseconds=1)


def from_micros(micros: int) -> datetime:
    """The moment, in UTC, of integer microseconds since the epoch (`to_micros` reversed)."""
    return EPOCH + timedelta(microseconds=micros)
