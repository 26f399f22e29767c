"""The two clocks: business dates and recording moments."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from ledger.clock import (
    END_OF_DAY,
    as_utc,
    format_moment,
    parse_date,
    parse_moment,
    year_end,
    year_start,
    zone,
)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2024-12-31", date(2024, 12, 31)),
        ("31.12.2024", date(2024, 12, 31)),
        ("1.2.2024", date(2024, 2, 1)),
        ("01.02.2024", date(2024, 2, 1)),
        ("29.2.2024", date(2024, 2, 29)),  # a leap year
        (" 2024-03-01 ", date(2024, 3, 1)),
    ],
)
def test_parse_date_reads_iso_and_finnish_dates(text: str, day: date) -> None:
    assert parse_date(text) == day


@pytest.mark.parametrize("text", ["31.2.2024", "29.2.2023", "2024-13-01", "2024-02-30", "0.1.2024", "32.1.2024"])
def test_parse_date_refuses_impossible_dates(text: str) -> None:
    with pytest.raises(ValueError, match=f"'{text}' is not a real date"):
        parse_date(text)


@pytest.mark.parametrize("text", ["garbage", "", "2024/03/01", "2024-3-1", "31.12.24", "20240301", "1.2.2024 12:00"])
def test_parse_date_refuses_what_is_not_a_date_with_the_accepted_forms(text: str) -> None:
    with pytest.raises(ValueError, match=r"is not a date; use 2024-12-31 or 31\.12\.2024"):
        parse_date(text)


def test_a_bare_date_as_a_moment_means_the_end_of_that_day_in_utc() -> None:
    expected = datetime(2025, 3, 26, 23, 59, 59, 999999, tzinfo=UTC)

    assert parse_moment("2025-03-26") == expected
    assert parse_moment("26.03.2025") == expected
    assert END_OF_DAY.microsecond == 999999


@pytest.mark.parametrize(
    ("text", "moment"),
    [
        ("2025-03-26T14:00:00+02:00", datetime(2025, 3, 26, 12, 0, tzinfo=UTC)),
        ("2025-03-26T14:00:00Z", datetime(2025, 3, 26, 14, 0, tzinfo=UTC)),
        ("2025-03-26T14:00:00", datetime(2025, 3, 26, 14, 0, tzinfo=UTC)),  # naive is UTC
        ("2025-03-26 14:00", datetime(2025, 3, 26, 14, 0, tzinfo=UTC)),
        ("2025-03-26T14:00:00.123456+00:00", datetime(2025, 3, 26, 14, 0, 0, 123456, tzinfo=UTC)),
    ],
)
def test_parse_moment_reads_iso_8601_and_normalises_to_utc(text: str, moment: datetime) -> None:
    parsed = parse_moment(text)

    assert parsed == moment
    assert parsed.utcoffset() == timedelta(0)


@pytest.mark.parametrize("text", ["yesterday", "2025-03-26T25:00:00", "31.2.2024", ""])
def test_parse_moment_refuses_junk_and_impossible_dates(text: str) -> None:
    with pytest.raises(ValueError, match="is not a timestamp; use ISO 8601"):
        parse_moment(text)


def test_as_utc_keeps_the_instant_and_reads_naive_as_utc() -> None:
    helsinki_summer = timezone(timedelta(hours=3))
    aware = datetime(2024, 6, 1, 12, 0, tzinfo=helsinki_summer)

    assert as_utc(aware) == aware
    assert as_utc(aware).tzinfo == UTC
    assert as_utc(datetime(2024, 6, 1, 12, 0)) == datetime(2024, 6, 1, 12, 0, tzinfo=UTC)


def test_format_moment_shows_seconds_and_the_utc_offset() -> None:
    moment = datetime(2025, 3, 26, 14, 0, 5, 999999, tzinfo=timezone(timedelta(hours=2)))

    assert format_moment(moment) == "2025-03-26T12:00:05+00:00"


def test_fiscal_year_bounds() -> None:
    assert (year_start(2024), year_end(2024)) == (date(2024, 1, 1), date(2024, 12, 31))


HELSINKI = zone("Europe/Helsinki")


def test_a_bare_date_in_a_zone_means_the_end_of_that_day_there_in_utc() -> None:
    moment = parse_moment("2025-03-26", HELSINKI)

    assert moment == datetime(2025, 3, 26, 21, 59, 59, 999999, tzinfo=UTC)
    assert moment.tzinfo is UTC


@pytest.mark.parametrize(
    ("text", "utc"),
    [
        ("2025-03-26T09:30", datetime(2025, 3, 26, 7, 30, tzinfo=UTC)),  # winter: +02:00
        ("2024-06-01 12:00", datetime(2024, 6, 1, 9, 0, tzinfo=UTC)),  # summer: +03:00
        ("2025-03-26T09:30:00+00:00", datetime(2025, 3, 26, 9, 30, tzinfo=UTC)),  # an offset wins
        ("2025-03-26T09:30:00Z", datetime(2025, 3, 26, 9, 30, tzinfo=UTC)),
    ],
)
def test_a_naive_timestamp_is_read_in_the_zone_and_an_explicit_offset_wins(text: str, utc: datetime) -> None:
    parsed = parse_moment(text, HELSINKI)

    assert parsed == utc
    assert parsed.tzinfo is UTC


def test_a_local_time_the_clocks_skip_is_refused() -> None:
    with pytest.raises(ValueError, match=r"'2025-03-30T03:30' does not exist in Europe/Helsinki"):
        parse_moment("2025-03-30T03:30", HELSINKI)


def test_a_local_time_that_happens_twice_is_refused_until_an_offset_is_given() -> None:
    with pytest.raises(ValueError, match=r"happens twice in Europe/Helsinki; add \+03:00 or \+02:00"):
        parse_moment("2025-10-26T03:30", HELSINKI)
    assert parse_moment("2025-10-26T03:30+02:00", HELSINKI) == datetime(2025, 10, 26, 1, 30, tzinfo=UTC)


def test_format_moment_shows_the_moment_in_a_zone_with_its_offset() -> None:
    moment = datetime(2025, 3, 26, 7, 30, tzinfo=UTC)

    assert format_moment(moment, HELSINKI) == "2025-03-26T09:30:00+02:00"
    assert format_moment(moment) == "2025-03-26T07:30:00+00:00"


def test_zone_names_an_iana_zone_or_refuses_in_one_line() -> None:
    assert zone("UTC").utcoffset(datetime(2025, 1, 1)) == timedelta(0)
    for name in ("Mars/Olympus", "", "../etc/passwd", "Europe/"):
        with pytest.raises(ValueError, match=f"^'{re.escape(name)}' is not a time zone; use an IANA name"):
            zone(name)
