"""A small municipality's 2024, recorded through the CLI, for the audit tests.

Two council binding units: YP (net; service areas HALL and IT) and TEK (gross; KAD).
The year is left open, so a test can post more to it. As recorded, `check --year 2024`
finds: TEK's income below budget (binding level, gross), HALL's personnel costs and net
over its operating plan, and TEK's expenditure deviation unexplained.
Every step names its actor and recording time, so that `--known-at` can cut the history.
`tamper(...)` changes the stored log directly in SQLite or PostgreSQL, as an intruder
with database access would.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from ledger.chain import next_hash
from support.cli_helpers import Kuntaledger

BUDGET = """unit;line;amount
HALL;sales_income;10 000
HALL;personnel_expenses;-500 000
IT;purchases_of_services;-200 000
KAD;sales_income;80 000
KAD;materials_and_supplies;-300 000
YP;movable_property:expenditure;-50 000
"""

SPRING = """voucher;date;account;unit;amount;text;project
V-1;2024-03-01;4010;HALL;200 000;palkat;
V-1;2024-03-01;1900;HALL;-200 000;pankki;
V-2;2024-03-05;3000;HALL;-4 000,50;myynti;
V-2;2024-03-05;1900;HALL;4 000,50;pankki;
V-3;2024-04-10;4320;IT;90 000;ICT;
V-3;2024-04-10;2500;IT;-90 000;ostovelat;
V-4;2024-04-15;4400;KAD;120 000;suola;
V-4;2024-04-15;2500;KAD;-120 000;;
V-5;2024-05-02;1130;YP;30 000;kalusto;P-1
V-5;2024-05-02;2500;YP;-30 000;;
"""

AUTUMN = """voucher;date;account;unit;amount;text;project
V-6;2024-10-01;4010;HALL;290 000;palkat;
V-6;2024-10-01;1900;HALL;-290 000;;
V-7;2024-11-20;4320;IT;105 000;ICT;
V-7;2024-11-20;2500;IT;-105 000;;
V-8;2024-12-12;3000;KAD;-70 000;myynti;
V-8;2024-12-12;1900;KAD;70 000;;
"""

COUNCIL_AMENDMENT = "unit;line;amount\nIT;purchases_of_services;-20 000\n"
OPERATING_PLAN_AMENDMENT = "unit;line;amount\nHALL;personnel_expenses;15 000\nIT;purchases_of_services;-15 000\n"
CORRECTION = "voucher;date;account;unit;amount;text\nV-9;2024-03-05;3000;HALL;-4 500;myynti oikaistu\n" + (
    "V-9;2024-03-05;1900;HALL;4 500;\n"
)


def build_2024(cli: Kuntaledger) -> None:
    """Record the year; the steps' times run from January 2024 to March 2025."""
    files = {
        "budget": cli.file("budget.csv", BUDGET),
        "spring": cli.file("spring.csv", SPRING),
        "autumn": cli.file("autumn.csv", AUTUMN),
        "council": cli.file("council.csv", COUNCIL_AMENDMENT),
        "plan": cli.file("plan.csv", OPERATING_PLAN_AMENDMENT),
        "correction": cli.file("correction.csv", CORRECTION),
    }
    for actor, moment, args in steps(files):
        cli.ok(*args, "--actor", actor, "--recorded-at", moment)


def steps(files: dict[str, str]) -> list[tuple[str, str, list[str]]]:
    return [
        ("setup", "2024-01-02T08:00:00Z", ["init", "--entity", "Testikaupunki"]),
        ("setup", "2024-01-02T08:01:00Z", ["units", "add", "YP", "--name", "Yhteiset palvelut", "--binding", "net"]),
        ("setup", "2024-01-02T08:02:00Z", ["units", "add", "HALL", "--name", "Hallinto", "--parent", "YP"]),
        ("setup", "2024-01-02T08:03:00Z", ["units", "add", "IT", "--name", "Tietohallinto", "--parent", "YP"]),
        ("setup", "2024-01-02T08:04:00Z", ["units", "add", "TEK", "--name", "Tekniset palvelut", "--binding", "gross"]),
        ("setup", "2024-01-02T08:05:00Z", ["units", "add", "KAD", "--name", "Kadut", "--parent", "TEK"]),
        ("setup", "2024-01-02T08:06:00Z", ["projects", "add", "P-1", "--name", "Kalusto", "--group", "movable_property",
                                           "--unit", "YP"]),
        ("bob", "2024-01-03T09:00:00Z", ["budget", "adopt", "--year", "2024", "--file", files["budget"],
                                         "--decision", "Kv 11.12.2023 § 85", "--decided-on", "2023-12-11"]),
        ("bob", "2024-01-04T09:00:00Z", ["goals", "set", "G-1", "--year", "2024", "--unit", "YP", "--level", "council",
                                         "--text", "Palvelut digitalisoidaan", "--metric", "asiointi",
                                         "--target", "80 %", "--on", "2024-01-04"]),
        ("bob", "2024-01-04T09:01:00Z", ["goals", "set", "G-2", "--year", "2024", "--unit", "HALL",
                                         "--level", "operating-plan", "--text", "Sisäiset prosessit",
                                         "--on", "2024-01-04"]),
        ("carol", "2024-06-01T10:00:00Z", ["post", "--file", files["spring"]]),
        ("bob", "2024-06-20T10:00:00Z", ["budget", "amend", "--year", "2024", "--kind", "council",
                                         "--file", files["council"], "--decision", "Kv 17.6.2024 § 40",
                                         "--decided-on", "2024-06-17", "--reason", "ICT licences"]),
        ("bob", "2024-09-02T10:00:00Z", ["budget", "amend", "--year", "2024", "--kind", "operating-plan",
                                         "--file", files["plan"], "--decision", "Kh 2.9.2024 § 7",
                                         "--decided-on", "2024-09-02", "--reason", "staff to ICT"]),
        ("carol", "2025-01-20T10:00:00Z", ["post", "--file", files["autumn"]]),
        ("carol", "2025-02-03T10:00:00Z", ["reverse", "V-2", "--on", "2024-12-31", "--reason", "wrong amount"]),
        ("carol", "2025-02-03T10:05:00Z", ["post", "--file", files["correction"]]),
        ("bob", "2025-02-10T10:00:00Z", ["goals", "report", "G-1", "--text", "78 %", "--status", "partly-achieved",
                                         "--on", "2024-12-31"]),
        ("bob", "2025-02-11T10:00:00Z", ["explain-deviation", "--unit", "YP", "--year", "2024",
                                         "--text", "ICT costs grew", "--on", "2025-02-11"]),
    ]  # fmt: skip


def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The year recorded once into a SQLite file, and exported as a JSON log beside it
    (`world.json`), to be copied for each test (a module fixture's body)."""
    folder = tmp_path_factory.mktemp("audit-world")
    cli = Kuntaledger(f"sqlite:///{folder / 'world.db'}", folder)
    build_2024(cli)
    cli.ok("export", "--format", "json", "--output", str(folder / "world.json"))
    return folder / "world.db"


def world_in(cli: Kuntaledger, sqlite_template: Path) -> Kuntaledger:
    """The year in the CLI's fresh store: a copy of the SQLite file, or on PostgreSQL the
    JSON log imported (recording it anew there takes many times longer; test_exchange
    shows that an imported log is the recorded one, chain hashes and reports alike)."""
    if cli.store_url.startswith("sqlite"):
        target = cli.store_url.split(":///", 1)[1]
        with sqlite3.connect(sqlite_template) as source, sqlite3.connect(target) as copy:
            source.backup(copy)
    else:
        run = cli("import-log", str(sqlite_template.with_name("world.json")))
        assert run.exit_code == 1, run.stderr  # imported; `check` finds the year's binding-level overrun
    return cli


# Tampering with the stored log directly.


def _postgres(store_url: str) -> tuple[str, str]:
    schema = parse_qs(urlsplit(store_url).query)["schema"][0]
    return store_url.split("?", 1)[0], schema


def execute(store_url: str, statement: Callable[[str], str], params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Run `statement(events_table)` on the store's own database, committed."""
    if store_url.startswith("sqlite"):
        with sqlite3.connect(store_url.split(":///", 1)[1]) as conn:
            rows = conn.execute(statement("stored_events"), params).fetchall()
        return rows
    import psycopg

    dsn, schema = _postgres(store_url)
    with psycopg.connect(dsn, autocommit=True) as pg:
        sql = statement(f"{schema}.kuntaledger_events").replace("?", "%s")
        cursor = pg.execute(sql, params)  # type: ignore[arg-type]
        return list(cursor.fetchall()) if cursor.description else []


def execute_read_model(store_url: str, sql: str) -> None:
    if store_url.startswith("sqlite"):
        with sqlite3.connect(store_url.split(":///", 1)[1]) as conn:
            conn.execute(sql)
        return
    import psycopg

    dsn, schema = _postgres(store_url)
    with psycopg.connect(dsn, autocommit=True) as pg:
        pg.execute(f"SET search_path TO {schema}")
        pg.execute(sql)  # type: ignore[arg-type]


def _stored_state(store_url: str, position: int) -> bytes:
    ((state,),) = execute(store_url, lambda t: f"SELECT state FROM {t} WHERE originator_version = ?", (position,))
    return bytes(state)


def stored_payload(store_url: str, position: int) -> dict[str, Any]:
    """The stored JSON of an event (large payloads are stored zlib-compressed)."""
    state = _stored_state(store_url, position)
    payload: dict[str, Any] = json.loads(state if state[:1] == b"{" else zlib.decompress(state))
    return payload


def write_payload(store_url: str, position: int, payload: dict[str, Any]) -> None:
    """Overwrite an event's stored JSON, compressed if it was."""
    data = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
    if _stored_state(store_url, position)[:1] != b"{":
        data = zlib.compress(data)
    execute(store_url, lambda t: f"UPDATE {t} SET state = ? WHERE originator_version = ?", (data, position))


def position_of(cli: Kuntaledger, event_type: str, nth: int = 0) -> int:
    position: int = cli.events("--type", event_type)[nth]["position"]
    return position


def rehash_from(store_url: str, start: int) -> None:
    """What an intruder who knows the scheme does: recompute every hash from `start` on."""
    previous = stored_payload(store_url, start - 1)["chain_hash"]
    rows = execute(store_url, lambda t: f"SELECT originator_version, topic FROM {t} ORDER BY originator_version")
    for position, topic in rows:
        if position < start:
            continue
        payload = stored_payload(store_url, position)
        payload.pop("chain_hash")
        payload["chain_hash"] = previous = next_hash(previous, topic, position, payload)
        write_payload(store_url, position, payload)
