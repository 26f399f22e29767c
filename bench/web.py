"""The web view's pages against a running `kuntaledger serve`: `python bench/web.py --store URL`.

Starts the server on a free port, then from this one process requests each page in turn
(`--runs` times each, at random (as-of, known-at) pairs for the reports) and records the
server's own time per page (its `Server-Timing` header: from routing to the response,
without the network) and the client's round trip; median and p95 per page. Then
`--clients` threads request the pages in a loop for `--seconds`: errors, requests and the
slowest answer. `bench/run.py` calls `bench` on each backend's store.
"""

from __future__ import annotations

import argparse
import json
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from probe import random_pairs  # noqa: E402

KUNTALEDGER = str(Path(sys.executable).parent / "kuntaledger")
SLOW = ("check", "explain", "diff")  # they read events, not only the read models: seconds at 1M lines


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def served(kuntaledger: str, store: str) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [kuntaledger, "serve", "--store", store, "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        found = re.search(r"http://\S+/", line)
        if not found:
            raise SystemExit(f"serve did not start: {line!r}")
        yield found.group(0).rstrip("/")
    finally:
        process.terminate()
        process.wait(timeout=30)


def get(url: str) -> tuple[int, float, float]:
    """Status, server ms (Server-Timing) and round-trip ms of one GET."""
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=600) as response:
            response.read()
            status, timing = response.status, response.headers.get("Server-Timing", "")
    except urllib.error.HTTPError as error:
        status, timing = error.code, error.headers.get("Server-Timing", "")
    elapsed = (time.perf_counter() - started) * 1e3
    found = re.search(r"dur=([\d.]+)", timing)
    return status, float(found.group(1)) if found else float("nan"), elapsed


def head_position(base: str) -> int:
    text = urllib.request.urlopen(f"{base}/", timeout=60).read().decode()
    found = re.search(r"log head (\d+)", text)
    return int(found.group(1)) if found else 0


def pages(base: str, runs: int, unit: str, year: int) -> dict[str, list[str]]:
    """Each page's URLs: the reports at random (as-of, known-at) pairs, the rest as they are."""
    pairs = list(random_pairs(runs, seed=17))
    head = head_position(base)

    def report(name: str) -> list[str]:
        return [
            f"{base}/{name}?"
            + urlencode({"unit": unit, "year": year, "as_of": a.isoformat(), "known_at": k.isoformat()})
            for a, k in pairs
        ]

    found = {name: report(name) for name in ("statement", "summary", "investments", "goals", "risks")}
    found["statement json"] = [f"{url}&format=json" for url in found["statement"]]
    # explain and diff read the events themselves (projections.journal): seconds at 1M lines, a few runs.
    few = pairs[: min(runs, 3)]
    found["explain"] = [
        f"{base}/explain?"
        + urlencode(
            {"unit": unit, "row": "personnel_expenses", "column": "actual", "year": year, "known_at": k.isoformat()}
        )
        for _, k in pairs
    ]
    found["diff"] = [
        f"{base}/diff?"
        + urlencode({"unit": unit, "year": year, "known_at": pairs[0][1].isoformat(), "against": k.isoformat()})
        for _, k in few
    ]
    found["home"] = [f"{base}/"] * runs
    found["events, first page"] = [f"{base}/events"] * runs
    found["events, last page"] = [f"{base}/events?after={max(head - 100, 0)}"] * runs
    checked = pairs[: max(runs // 5, 2)]
    found["check"] = [f"{base}/check?" + urlencode({"year": year, "known_at": k.isoformat()}) for _, k in checked]
    return found


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure_pages(base: str, runs: int, unit: str, year: int) -> dict[str, dict[str, float]]:
    out = {}
    for name, urls in pages(base, runs, unit, year).items():
        if name not in SLOW:
            get(urls[0])  # warm: the first request of a page imports its modules
        server, round_trip = [], []
        for url in urls:
            status, took, elapsed = get(url)
            if status != 200:
                raise SystemExit(f"{url}: {status}")
            server.append(took)
            round_trip.append(elapsed)
        out[name] = {
            "server_p50_ms": statistics.median(server),
            "server_p95_ms": percentile(server, 0.95),
            "round_trip_p50_ms": statistics.median(round_trip),
        }
        print(f"    {name}: {json.dumps(out[name])}", flush=True)
    return out


def concurrent(base: str, clients: int, seconds: float, unit: str, year: int) -> dict[str, Any]:
    """`clients` threads, each requesting the pages in a loop for `seconds`: the reports, the
    front page and the events (explain, diff and check read the events: not these)."""
    urls = [url for name, found in pages(base, 20, unit, year).items() if name not in SLOW for url in found]
    stop = time.monotonic() + seconds
    lock = threading.Lock()
    done: dict[str, Any] = {"requests": 0, "errors": 0, "slowest_ms": 0.0}

    def client(offset: int) -> None:
        index = offset
        while time.monotonic() < stop:
            status, _, elapsed = get(urls[index % len(urls)])
            index += 7
            with lock:
                done["requests"] += 1
                done["errors"] += status != 200
                done["slowest_ms"] = max(done["slowest_ms"], elapsed)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    done["clients"], done["seconds"] = clients, seconds
    return done


def bench(
    kuntaledger: str,
    store: str,
    runs: int,
    clients: int = 20,
    seconds: float = 30.0,
    unit: str = "YP",
    year: int = 2024,
) -> dict[str, Any]:
    with served(kuntaledger, store) as base:
        out: dict[str, Any] = {"pages": measure_pages(base, runs, unit, year)}
        if clients:
            out["concurrent"] = concurrent(base, clients, seconds, unit, year)
            print(f"    concurrent: {json.dumps(out['concurrent'])}", flush=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description="the web view's pages against a running server")
    parser.add_argument("--store", required=True)
    parser.add_argument("--runs", type=int, default=20, help="requests per page")
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients (0: none)")
    parser.add_argument("--seconds", type=float, default=30.0, help="how long the concurrent clients run")
    parser.add_argument("--unit", default="YP")
    parser.add_argument("--year", type=int, default=2024)
    args = parser.parse_args()
    found = bench(KUNTALEDGER, args.store, args.runs, args.clients, args.seconds, args.unit, args.year)
    print(json.dumps(found, indent=2))


if __name__ == "__main__":
    main()
