"""In-process latencies, run by bench/run.py in a process of its own.

`python bench/probe.py queries --store URL --pairs 100` times statement, summary and
check at random (as-of, known-at) pairs (known-at between --known-from and --known-to)
and prints JSON; `python bench/probe.py
incremental --store URL --file one_voucher.csv` times a statement before and right after
posting one more voucher.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from ledger.application import Ledger
from projections.statement import query_statement
from projections.summary import query_summary

UNIT = "YP"
YEAR = 2024
SEED = 7


KNOWN_FROM, KNOWN_TO = datetime(2023, 12, 1, tzinfo=UTC), datetime(2025, 4, 30, tzinfo=UTC)


def random_pairs(
    count: int, seed: int = SEED, known_from: datetime = KNOWN_FROM, known_to: datetime = KNOWN_TO
) -> list[tuple[date, datetime]]:
    """(as-of in the year, known-at between the two moments: by default from before the
    budget to after the corrections)."""
    rng = random.Random(seed)
    span = (known_to - known_from).total_seconds()
    return [
        (date(YEAR, 1, 1) + timedelta(days=rng.randrange(366)), known_from + timedelta(seconds=rng.uniform(0, span)))
        for _ in range(count)
    ]


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50_ms": statistics.median(ordered) * 1e3, "p95_ms": p95 * 1e3, "max_ms": ordered[-1] * 1e3}


def _check(ledger: Ledger, as_of: date, known_at: datetime) -> Any:
    from projections import compliance as rules
    from projections.compliance.context import gather

    return rules.evaluate(gather(ledger, YEAR, as_of, known_at), None)


def queries(
    store: str, pairs: int, check_pairs: int, known_from: datetime = KNOWN_FROM, known_to: datetime = KNOWN_TO
) -> dict[str, Any]:
    moments = random_pairs(pairs, known_from=known_from, known_to=known_to)
    out: dict[str, Any] = {}
    with Ledger(store) as ledger:
        ledger.catch_up()
        with ledger.state() as state:
            conn = state.conn
            reports: dict[str, Callable[[date, datetime], Any]] = {
                "statement": lambda d, t: query_statement(conn, UNIT, YEAR, d, t),
                "summary": lambda d, t: query_summary(conn, UNIT, YEAR, d, t),
            }
            for name, run in reports.items():
                run(*moments[0])  # warm the caches once
                samples = []
                for as_of, known_at in moments:
                    started = time.perf_counter()
                    run(as_of, known_at)
                    samples.append(time.perf_counter() - started)
                out[name] = _percentiles(samples)
        samples = []
        for as_of, known_at in moments[:check_pairs]:
            started = time.perf_counter()
            _check(ledger, as_of, known_at)
            samples.append(time.perf_counter() - started)
        if samples:
            out["check"] = _percentiles(samples)
    return out


def incremental(store: str, file: Path) -> dict[str, Any]:
    from ledger.importing import import_file

    as_of, now = date(YEAR, 12, 31), datetime.now(UTC) + timedelta(days=1)
    with Ledger(store) as ledger:
        ledger.catch_up()
        before = []
        for _ in range(5):
            started = time.perf_counter()
            with ledger.state() as state:
                query_statement(state.conn, UNIT, YEAR, as_of, now)
            before.append(time.perf_counter() - started)
        started = time.perf_counter()
        import_file(ledger, file)
        post_s = time.perf_counter() - started
        started = time.perf_counter()
        with ledger.state() as state:
            query_statement(state.conn, UNIT, YEAR, as_of, now)
        after = time.perf_counter() - started
    base = statistics.median(before)
    return {
        "post_ms": post_s * 1e3,
        "before_ms": base * 1e3,
        "after_ms": after * 1e3,
        "on_top_ms": (after - base) * 1e3,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=("queries", "incremental"))
    parser.add_argument("--store", required=True)
    parser.add_argument("--pairs", type=int, default=100)
    parser.add_argument("--check-pairs", type=int, default=10)
    parser.add_argument("--file", type=Path)
    parser.add_argument("--known-from", type=datetime.fromisoformat, default=KNOWN_FROM)
    parser.add_argument("--known-to", type=datetime.fromisoformat, default=KNOWN_TO)
    args = parser.parse_args()
    if args.mode == "queries":
        result = queries(args.store, args.pairs, args.check_pairs, args.known_from, args.known_to)
    else:
        assert args.file is not None
        result = incremental(args.store, args.file)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
