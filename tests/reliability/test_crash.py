"""`kill -9` at random moments: a large `post`, a `budget amend` and a `rebuild`.

Each command runs as its own process, the way a user runs it, and is killed with
SIGKILL at a moment drawn from a seeded random generator (printed on failure): for the
import after a random number of chunks have landed, for `rebuild` after it has emptied
the read models, for the amendment anywhere in its short life. Afterwards:
- the log holds whole commands only: whole vouchers, identical to the file's, in whole
  chunks; the amendment is there entirely or not at all; the chain verifies;
- the read models recover on the next read command and equal a fresh replay;
- `kuntaledger verify` passes;
- running the command again completes it, and nothing is in the log twice.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import psycopg
import pytest
from support.cli_helpers import Kuntaledger
from support.wholeness import assert_log_whole, assert_whole
from support.writers import set_up

from ledger import events as ev
from ledger import importing
from ledger.application import Ledger
from ledger.drafts import Draft, Outcome
from ledger.payloads import Line, render
from ledger.store.url import parse_store_url

SEED = 20250326
CHUNK_LINES = 1_000  # the import's chunk size in the killed process: several chunks in a small file
VOUCHERS = 2_500  # of 2 lines: 5 chunks
KILLS = 2  # per command and store

# The import runs with a smaller chunk size than the default, so that a small file has
# several chunks; everything else is the `kuntaledger post` command itself.
POST_LAUNCHER = f"import ledger.importing as i; i.CHUNK_LINES = {CHUNK_LINES}; from cli.main import run; run()"


def _command() -> list[str]:
    script = Path(sys.executable).parent / "kuntaledger"
    return [str(script)] if script.exists() else [sys.executable, "-m", "cli"]


def _import_file(path: Path) -> dict[str, tuple[tuple[str, str, int, str], ...]]:
    lines = ["voucher;date;account;unit;amount;text"]
    expected = {}
    for n in range(VOUCHERS):
        voucher, day, cents = f"IMP-{n:05d}", 1 + n % 28, 1000 + n
        amount = f"{cents // 100},{cents % 100:02d}"
        lines.append(f"{voucher};{day}.4.2024;4390;TAL;{amount};ostot {n}")
        lines.append(f"{voucher};{day}.4.2024;2500;TAL;-{amount};ostovelka")
        expected[voucher] = (("4390", "TAL", cents, f"ostot {n}"), ("2500", "TAL", -cents, "ostovelka"))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return expected


def _peek(store_url: str) -> tuple[int, int]:
    """(newest notification id in the log, notification id the read models reached), read
    directly from the database while the command runs."""
    config = parse_store_url(store_url)
    if config.kind == "sqlite":
        assert config.sqlite_path is not None
        with sqlite3.connect(config.sqlite_path, timeout=30) as conn:
            log = conn.execute("SELECT coalesce(max(rowid), 0) FROM stored_events").fetchone()[0]
            read = conn.execute("SELECT notification_id FROM rm_position").fetchone()[0]
        return int(log), int(read)
    schema = config.schema or "public"
    with psycopg.connect(store_url.split("?", 1)[0], autocommit=True) as conn:
        log_row = conn.execute(f'SELECT max(notification_id) FROM "{schema}".kuntaledger_events').fetchone()
        read_row = conn.execute(f'SELECT notification_id FROM "{schema}".rm_position').fetchone()
    assert log_row is not None and read_row is not None
    return int(log_row[0] or 0), int(read_row[0])


def _kill_when(args: list[str], ready: Callable[[], bool], delay: float) -> str:
    """Start the command, wait until `ready()` (polled) and then `delay` seconds, and kill -9
    it. Returns what happened, for the failure message."""
    process = subprocess.Popen(
        args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, "KUNTALEDGER_STORE": ""}
    )
    try:
        while process.poll() is None and not ready():
            time.sleep(0.01)
        time.sleep(delay)
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=60)
            return f"killed after a delay of {delay:.2f} s"
        return f"finished (exit {process.returncode}) before the kill"
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=60)
        assert process.stderr is not None
        process.stderr.close()


def _recovers_and_verifies(cli: Kuntaledger) -> None:
    cli.ok("statement", "--unit", "YP", "--year", "2024", "--format", "json")  # the next read catches up
    assert_whole(cli.store_url, catch_up=False, replay=False)
    verified = cli.ok("verify")  # the chain, and the read models against a fresh replay
    assert verified.stdout.splitlines()[1].startswith("chain: ok") and "read models: ok" in verified.stdout


def test_a_killed_import_leaves_whole_vouchers_and_a_rerun_finishes_it(
    store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(SEED)
    set_up(store_url, tmp_path)
    cli = Kuntaledger(store_url, tmp_path)
    path = tmp_path / "gl_2024_04.csv"
    expected = _import_file(path)
    chunks = -(-2 * VOUCHERS // CHUNK_LINES)
    monkeypatch.setattr(importing, "CHUNK_LINES", CHUNK_LINES)  # the same chunks for the in-process rerun
    for attempt in range(KILLS):
        start = _peek(store_url)[0]
        landed = rng.randrange(chunks)
        delay = rng.uniform(0, 0.2)
        args = [sys.executable, "-c", POST_LAUNCHER, "post", "--file", str(path), "--store", store_url]
        target = start + landed
        what = _kill_when(args, lambda target=target: _peek(store_url)[0] >= target, delay)
        context = f"attempt {attempt}, seed {SEED}: after {landed} chunks, {what}"
        posted = _posted_from_the_file(store_url, expected, context)
        assert len(posted) % (CHUNK_LINES // 2) == 0 or len(posted) == VOUCHERS, context  # whole chunks
        _recovers_and_verifies(cli)
    cli.ok("post", "--file", str(path))
    assert sorted(_posted_from_the_file(store_url, expected, "after the rerun")) == sorted(expected)
    whole = assert_whole(store_url, catch_up=False)
    assert all(whole.vouchers[v] == 1 for v in expected)
    assert cli.ok("verify").stdout.splitlines()[1].startswith("chain: ok")


def _posted_from_the_file(
    store_url: str, expected: dict[str, tuple[tuple[str, str, int, str], ...]], context: str
) -> list[str]:
    """The file's vouchers in the log, each checked to be whole and exactly as in the file."""
    whole = assert_log_whole(store_url)
    posted = []
    for event in whole.of_type(ev.VouchersPosted):
        for voucher in event.vouchers:
            if voucher.voucher in expected:
                lines = tuple((line.account, line.unit, line.amount_cents, line.text) for line in voucher.lines)
                assert lines == expected[voucher.voucher], f"{context}: voucher {voucher.voucher} is not whole"
                posted.append(voucher.voucher)
    assert len(posted) == len(set(posted)), f"{context}: a voucher is in the log twice"
    return posted


def test_a_killed_amendment_is_recorded_entirely_or_not_at_all(store_url: str, tmp_path: Path) -> None:
    rng = random.Random(SEED + 1)
    set_up(store_url, tmp_path)
    cli = Kuntaledger(store_url, tmp_path)
    move = cli.file("move.csv", "unit;line;amount\nTAL;personnel_expenses;5 000\nHEN;purchases_of_services;-5 000\n")
    for attempt in range(KILLS):
        reason = f"siirto {attempt}"
        args = [
            *_command(), "budget", "amend", "--year", "2024", "--kind", "operating-plan", "--file", move,
            "--decision", f"Kh {attempt}", "--decided-on", "3.6.2024", "--reason", reason, "--store", store_url,
        ]  # fmt: skip
        delay = rng.uniform(0.3, 2.5)
        what = _kill_when(args, lambda: True, delay)
        whole = assert_log_whole(store_url)
        amendments = [e for e in whole.of_type(ev.BudgetAmended) if e.reason == reason]
        assert len(amendments) in (0, 1), f"attempt {attempt}, seed {SEED + 1}: {what}"
        if amendments:
            assert len(amendments[0].lines) == 2
        _recovers_and_verifies(cli)
        if not amendments:
            cli.ok("budget", "amend", *args[args.index("--year") : args.index("--store")])
    whole = assert_whole(store_url, catch_up=False)
    assert len(whole.of_type(ev.BudgetAmended)) == KILLS


def test_a_killed_rebuild_recovers_on_the_next_read(store_url: str, tmp_path: Path) -> None:
    rng = random.Random(SEED + 2)
    set_up(store_url, tmp_path)
    cli = Kuntaledger(store_url, tmp_path)
    _many_events(store_url)
    before = cli.ok("statement", "--unit", "YP", "--year", "2024", "--known-at", "2099-01-01", "--format", "json")
    for attempt in range(KILLS):
        head = _peek(store_url)[0]
        delay = rng.uniform(0, 0.3)
        rebuild = [*_command(), "rebuild", "--store", store_url]
        what = _kill_when(rebuild, lambda head=head: _peek(store_url)[1] < head, delay)
        assert_log_whole(store_url)
        after = cli.ok("statement", "--unit", "YP", "--year", "2024", "--known-at", "2099-01-01", "--format", "json")
        assert after.stdout == before.stdout, f"attempt {attempt}, seed {SEED + 2}: {what}"
        _recovers_and_verifies(cli)


def _many_events(store_url: str) -> None:
    """Enough events for a rebuild of several batches: 450 events of two vouchers each,
    recorded in one command (the stamping, hashing and projection are the usual ones)."""
    day = date(2024, 5, 2)

    def voucher(n: int) -> tuple[str, date, list[Line]]:
        cents = 100 + n % 100
        return f"R-{n}", day, [("4390", "HEN", None, cents, "r"), ("2500", "HEN", None, -cents, "r")]

    drafts = [
        Draft(ev.VouchersPosted, {"vouchers": (), "source": "many.csv"}, render([voucher(2 * e), voucher(2 * e + 1)]))
        for e in range(450)
    ]
    with Ledger(store_url) as ledger:
        ledger.record(lambda _state: Outcome(drafts))
