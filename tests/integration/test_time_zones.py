"""`--tz` and $KUNTALEDGER_TZ: times on the command line are read, and shown in text, in a
zone (Europe/Helsinki unless told); the store and JSON keep UTC (ADR 0025)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support.cli_helpers import Kuntaledger

# A voucher recorded at 01:30 on 27 March in Helsinki, 23:30 on 26 March in UTC.
LATE = "2025-03-26T23:30:00+00:00"
VOUCHER = "voucher;date;account;unit;amount;text\nV1;2024-12-31;4000;TAL;1000;late\nV1;2024-12-31;1900;TAL;-1000;x\n"
STATEMENT = ("statement", "--unit", "YP", "--year", "2024")


@pytest.fixture
def cli(sqlite_store: str, tmp_path: Path) -> Kuntaledger:
    """A sector with one cost centre and a voucher recorded late on 26 March, UTC."""
    cli = Kuntaledger(sqlite_store, tmp_path)
    cli.ok("init", "--entity", "Testikaupunki", "--recorded-at", "2024-01-02T08:00")
    cli.ok("units", "add", "YP", "--name", "Yhteiset palvelut", "--recorded-at", "2024-01-02T08:01")
    cli.ok("units", "add", "TAL", "--name", "Talouspalvelut", "--parent", "YP", "--recorded-at", "2024-01-02T08:02")
    cli.ok("post", "--file", cli.file("v.csv", VOUCHER), "--recorded-at", LATE)
    return cli


def personnel_actual(cli: Kuntaledger, *options: str) -> str:
    document = cli.json(*STATEMENT, *options)
    return str(next(line["actual"] for line in document["rows"] if line["key"] == "personnel_expenses"))


def test_a_bare_known_at_date_ends_at_midnight_in_helsinki_by_default(cli: Kuntaledger) -> None:
    assert personnel_actual(cli, "--known-at", "2025-03-26") == "0.00"
    assert personnel_actual(cli, "--known-at", "2025-03-27") == "-1000.00"
    assert cli.json(*STATEMENT, "--known-at", "2025-03-26")["known_at"] == "2025-03-26T21:59:59+00:00"


def test_tz_and_the_environment_variable_choose_the_zone(cli: Kuntaledger, monkeypatch: pytest.MonkeyPatch) -> None:
    assert personnel_actual(cli, "--known-at", "2025-03-26", "--tz", "UTC") == "-1000.00"
    assert personnel_actual(cli, "--known-at", "2025-03-27T01:00", "--tz", "Europe/Helsinki") == "0.00"
    monkeypatch.setenv("KUNTALEDGER_TZ", "UTC")
    assert personnel_actual(cli, "--known-at", "2025-03-26") == "-1000.00"
    assert personnel_actual(cli, "--known-at", "2025-03-26", "--tz", "Europe/Helsinki") == "0.00"


def test_report_titles_show_the_known_at_in_the_zone_and_json_keeps_utc(cli: Kuntaledger) -> None:
    moment = ("--known-at", "2025-03-26T09:30:00+00:00")
    assert "tiedot 26.03.2025 klo 11.30.00 EET (UTC+02:00)" in cli.ok(*STATEMENT, *moment).stdout
    assert "known at 2025-03-26 09:30:00 UTC" in cli.ok(*STATEMENT, *moment, "--lang", "en", "--tz", "UTC").stdout
    summer = cli.ok("summary", "--unit", "YP", "--year", "2024", "--known-at", "2024-06-01T09:00", "--lang", "en")
    assert "known at 2024-06-01 09:00:00 EEST (UTC+03:00)" in summer.stdout
    for report in ("goals", "risks"):
        assert "klo 11.30.00 EET" in cli.ok(report, "--unit", "YP", "--year", "2024", *moment).stdout
    document = cli.ok("report", "--unit", "YP", "--year", "2024", *moment, "--format", "md").stdout
    assert "26.03.2025 klo 11.30.00 EET (UTC+02:00)" in document
    assert cli.json(*STATEMENT, *moment)["known_at"] == "2025-03-26T09:30:00+00:00"


def test_a_naive_recorded_at_is_read_in_the_zone_and_the_event_list_shows_it_there(cli: Kuntaledger) -> None:
    first = cli.events()[0]
    assert first["recorded_at"] == "2024-01-02T06:00:00+00:00"
    table = cli.ok("events").stdout
    assert "2024-01-02T08:00:00+02:00" in table
    assert "2025-03-27T01:30:00+02:00" in table
    assert "2024-01-02T06:00:00+00:00" in cli.ok("events", "--tz", "UTC").stdout


def test_explain_and_diff_read_and_show_times_in_the_zone(cli: Kuntaledger) -> None:
    explain = ("explain", "--unit", "YP", "--row", "personnel_expenses", "--column", "actual", "--year", "2024")
    assert "2025-03-27T01:30:00+02:00" in cli.ok(*explain).stdout
    document = cli.json(*explain, "--known-at", "2025-03-27")
    assert (document["known_at"], document["items"][0]["recorded_at"]) == ("2025-03-27T21:59:59+00:00", LATE)
    assert cli.json(*explain, "--known-at", "2025-03-26")["items"] == []
    diff = ("diff", "--year", "2024", "--unit", "YP", "--known-at", "2025-03-26", "--against", "2025-03-27")
    out = cli.ok(*diff).stdout
    assert "changes from 2025-03-26T23:59:59+02:00 to 2025-03-27T23:59:59+02:00" in out
    assert json.loads(cli.ok(*diff, "--format", "json").stdout)["earlier"] == "2025-03-26T21:59:59+00:00"


def test_check_and_export_read_known_at_in_the_zone(cli: Kuntaledger, tmp_path: Path) -> None:
    assert cli.json("check", "--year", "2024", "--known-at", "2025-03-26")["known_at"] == "2025-03-26T21:59:59+00:00"
    cli.ok("export", "--format", "json", "--output", str(tmp_path / "log.json"), "--known-at", "2025-03-26")
    assert json.loads((tmp_path / "log.json").read_text())["known_at"] == "2025-03-26T21:59:59+00:00"


@pytest.mark.parametrize(
    "command",
    [
        STATEMENT,
        ("units", "add", "X", "--name", "X"),
        ("events",),
        ("diff", "--year", "2024", "--unit", "YP", "--known-at", "2025-03-26", "--against", "2025-03-27"),
    ],
)
def test_an_unknown_zone_is_refused_in_one_line_and_nothing_is_written(
    cli: Kuntaledger, command: tuple[str, ...]
) -> None:
    before = cli.event_count()
    run = cli(*command, "--tz", "Mars/Olympus")
    assert run.exit_code == 2
    assert run.stderr == (
        "error: --tz: 'Mars/Olympus' is not a time zone; use an IANA name such as Europe/Helsinki or UTC\n"
    )
    assert cli.event_count() == before


def test_a_local_time_the_clocks_skip_is_refused(cli: Kuntaledger) -> None:
    run = cli(*STATEMENT, "--known-at", "2025-03-30T03:30")
    assert run.exit_code == 2
    assert run.stderr.startswith("error: --known-at: '2025-03-30T03:30' does not exist in Europe/Helsinki")
