"""Sustained vouchers per second with several writer processes posting at once.

`python bench/concurrency.py --writers 8 --seconds 10 [--store URL]`

Each writer is a separate process (started with `spawn`) that posts one small voucher
file after another through the same path as `kuntaledger post`, for `--seconds`. The
store defaults to a fresh SQLite file; a PostgreSQL URL without `?schema=` gets a fresh
schema, dropped afterwards. Prints vouchers/s over the whole run, the number of saves
that lost the race for the next log position (and were checked and retried), and the
per-voucher latency, then checks that every voucher is in the log exactly once.
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import tempfile
import time
import uuid
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

BUDGET = "unit;line;amount\nTAL;personnel_expenses;-400 000\n"


def set_up(store_url: str, folder: Path) -> None:
    from ledger import commands
    from ledger.application import Ledger

    budget = folder / "budget.csv"
    budget.write_text(BUDGET, encoding="utf-8")
    with Ledger(store_url) as ledger:
        ledger.record(commands.initialise("Benchkunta", "budget-minus-actual"), require_initialised=False)
        ledger.record(commands.add_unit("YP", "Yhteiset palvelut", None, "net"))
        ledger.record(commands.add_unit("TAL", "Talouspalvelut", "YP", "none"))
        ledger.record(commands.adopt_budget(2024, budget, "Kv 11.12.2023 § 85", date(2023, 12, 11), "council"))


def write(store_url: str, writer: int, folder: str, barrier: Any, seconds: float) -> dict[str, Any]:
    from eventsourcing.persistence import IntegrityError

    from ledger.application import Ledger
    from ledger.importing import import_file

    own = Path(folder) / f"writer-{writer}"
    own.mkdir(parents=True, exist_ok=True)
    latencies: list[float] = []
    lost = 0
    with Ledger(store_url) as ledger:
        save = ledger.app.save

        def counting_save(*events: Any, **kwargs: Any) -> Any:
            nonlocal lost
            try:
                return save(*events, **kwargs)
            except IntegrityError:
                lost += 1
                raise

        ledger.app.save = counting_save  # type: ignore[method-assign]
        barrier.wait(timeout=300)
        started = time.monotonic()
        while time.monotonic() - started < seconds:
            number = len(latencies)
            path = own / f"{number}.csv"
            cents = 1000 + number
            amount = f"{cents // 100},{cents % 100:02d}"
            path.write_text(
                "voucher;date;account;unit;amount;text\n"
                f"B{writer}-{number};{1 + number % 28}.5.2024;4390;TAL;{amount};bench\n"
                f"B{writer}-{number};{1 + number % 28}.5.2024;2500;TAL;-{amount};bench\n",
                encoding="utf-8",
            )
            begun = time.monotonic()
            import_file(ledger, path, actor=f"bench-{writer}")
            latencies.append(time.monotonic() - begun)
        ended = time.monotonic()
    return {"writer": writer, "latencies": latencies, "lost": lost, "started": started, "ended": ended}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--store", help="sqlite:///FILE or postgresql://... (default: a fresh SQLite file)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="kuntaledger-bench-") as scratch:
        folder = Path(scratch)
        store, schema = _store(args.store, folder)
        try:
            set_up(store, folder)
            context = multiprocessing.get_context("spawn")
            with context.Manager() as manager, context.Pool(args.writers) as pool:
                barrier = manager.Barrier(args.writers)
                jobs = [
                    pool.apply_async(write, (store, n, str(folder), barrier, args.seconds)) for n in range(args.writers)
                ]
                results = [job.get(timeout=args.seconds + 600) for job in jobs]
            _report(store, results, args.writers)
        finally:
            if schema:
                _drop_schema(args.store, schema)


def _store(given: str | None, folder: Path) -> tuple[str, str | None]:
    if given is None:
        return f"sqlite:///{folder / 'bench.db'}", None
    if given.startswith("postgres") and "schema=" not in given:
        import psycopg

        schema = f"bench_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(given, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
        return f"{given}{'&' if '?' in given else '?'}schema={schema}", schema
    return given, None


def _drop_schema(url: str, schema: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


def _report(store: str, results: list[dict[str, Any]], writers: int) -> None:
    from ledger import events as ev
    from ledger.application import Ledger

    latencies = sorted(latency for result in results for latency in result["latencies"])
    vouchers = len(latencies)
    wall = max(r["ended"] for r in results) - min(r["started"] for r in results)
    lost = sum(result["lost"] for result in results)
    with Ledger(store) as ledger:
        posted = Counter(
            voucher.voucher
            for event in ledger.events()
            if isinstance(event, ev.VouchersPosted)
            for voucher in event.vouchers
            if voucher.voucher.startswith("B")
        )
    assert len(posted) == vouchers and set(posted.values()) == {1}, "a voucher was lost or duplicated"
    kind = store.split(":", 1)[0]
    print(f"store: {kind}, {writers} writer processes, {wall:.1f} s")
    print(f"sustained: {vouchers / wall:.1f} vouchers/s ({vouchers} vouchers, each its own `post`)")
    print(f"lost races: {lost} ({lost / max(vouchers, 1):.2f} per voucher), each checked again and retried")
    if latencies:
        p95 = latencies[int(0.95 * (len(latencies) - 1))]
        print(f"latency per voucher: median {statistics.median(latencies) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms")
    print("every voucher is in the log exactly once")


if __name__ == "__main__":
    main()
