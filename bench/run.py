"""The benchmark: `make bench` (1,000,000 lines) or `python bench/run.py --lines N`.

Generates a municipal ledger of N posting lines (bench/generate.py), then on SQLite and
on PostgreSQL (when reachable) measures, each as the user runs it:
- import: `kuntaledger post` of the whole file into a store holding only the setup
  (lines/s, peak RSS of the process, store bytes per line);
- rebuild: `kuntaledger rebuild` (lines/s);
- queries: statement, summary and check at random (as-of, known-at) pairs, in-process
  (bench/probe.py) and as whole CLI processes;
- start-up: each read verb as a whole process, the same command line several times
  (statement, summary, investments, goals, risks, check, events; ADR 0031);
- incremental: a statement right after posting one more voucher;
- web: each page of `kuntaledger serve` against a running server, from one process
  (server time median and p95), then 20 concurrent clients for 30 s (bench/web.py);
- peers: hledger, ledger and bean-query when installed, on our beancount/CSV export.
Prints a table (median, min and max of the repeats) and writes results.json.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from tempfile import TemporaryFile
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
import peers  # noqa: E402
import web  # noqa: E402
from measure import measure  # noqa: E402
from probe import random_pairs  # noqa: E402

from ledger.store.url import masked_url  # noqa: E402

BIN = Path(sys.executable).parent
KUNTALEDGER = str(BIN / "kuntaledger")
RECORDED_AT = generate.IMPORT_RECORDED_AT
# Known-at moments of the month-by-month store: from its first import to after its last.
MONTHLY_KNOWN = (datetime(2024, 9, 11, 9, 0, tzinfo=UTC), datetime(2024, 12, 4, 9, 0, tzinfo=UTC))
DEFAULT_POSTGRES = os.environ.get("LEDGER_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


# The read verbs' start-up (ADR 0031): each command line, and its budget in ms (SQLite, 1M lines).
STARTUP: dict[str, tuple[list[str], int]] = {
    "statement": (["statement", "--unit", "YP", "--year", "2024"], 150),
    "summary": (["summary", "--unit", "YP", "--year", "2024"], 150),
    "investments": (["investments", "--unit", "YP", "--year", "2024"], 150),
    "goals": (["goals", "--unit", "YP", "--year", "2024"], 300),
    "risks": (["risks", "--unit", "YP", "--year", "2024"], 300),
    "check": (["check", "--year", "2024"], 300),
    "events": (["events", "--year", "2024", "--limit", "50"], 300),
    "cube": (["cube", "--unit", "YP", "--year", "2024", "--through", "2024-06-30"], 1000),
}


@dataclass
class Run:
    seconds: float
    max_rss_kb: int
    stdout: str
    cpu_seconds: float = 0.0


def run(args: list[str]) -> Run:
    """Run a step that is not measured."""
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    if done.returncode not in (0, 1):
        raise SystemExit(f"failed: {' '.join(args)}\n{done.stderr}")
    return Run(0.0, 0, done.stdout)


def timed(args: list[str]) -> Run:
    """Run a command: its wall time and its own peak RSS (`measure.py` says how)."""
    with TemporaryFile() as out, TemporaryFile() as err:
        result = measure(args, out, err)
        out.seek(0)
        err.seek(0)
        if result.code not in (0, 1):
            raise SystemExit(f"failed: {' '.join(args)}\n{err.read().decode(errors='replace')}")
        return Run(result.seconds, result.max_rss_kb, out.read().decode(errors="replace"), result.cpu_seconds)


def stats(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}


class Store:
    """A fresh store of one backend, created and removed by the benchmark."""

    def __init__(self, backend: str, work: Path, postgres: str) -> None:
        self.backend, self.work, self.postgres = backend, work, postgres
        self.schema = f"bench_{uuid.uuid4().hex[:10]}"
        self.url = ""

    def fresh(self) -> str:
        self.drop()
        if self.backend == "sqlite":
            path = self.work / "bench.db"
            self.url = f"sqlite:///{path}"
        else:
            import psycopg

            with psycopg.connect(self.postgres, autocommit=True) as conn:
                conn.execute(f"CREATE SCHEMA {self.schema}")
            self.url = f"{self.postgres}?schema={self.schema}"
        return self.url

    def size_bytes(self) -> int:
        if self.backend == "sqlite":
            return sum(p.stat().st_size for p in self.work.glob("bench.db*"))
        import psycopg

        with psycopg.connect(self.postgres, autocommit=True) as conn:
            row = conn.execute(
                "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s AND c.relkind = 'r'",
                (self.schema,),
            ).fetchone()
        return int(row[0]) if row else 0

    def drop(self) -> None:
        if self.backend == "sqlite":
            for path in self.work.glob("bench.db*"):
                path.unlink()
            return
        import psycopg

        with psycopg.connect(self.postgres, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {self.schema} CASCADE")


def postgres_reachable(url: str) -> bool:
    try:
        import psycopg

        with psycopg.connect(url, connect_timeout=3):
            return True
    except Exception:
        return False


@dataclass
class Results:
    lines: int
    backends: dict[str, dict[str, Any]] = field(default_factory=dict)
    peers: dict[str, Any] = field(default_factory=dict)
    machine: dict[str, str] = field(default_factory=dict)


def bench_backend(
    store: Store, data: Path, lines: int, repeats: int, pairs: tuple[int, int], cli_runs: int
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    imports, rss, sizes, dry_runs = [], [], [], []
    for attempt in range(repeats):
        url = store.fresh()
        run([KUNTALEDGER, "load", str(data / "setup.toml"), "--store", url])
        setup_size = store.size_bytes()
        postings = str(data / "postings.csv")
        post = [KUNTALEDGER, "post", "--file", postings, "--recorded-at", RECORDED_AT, "--quiet", "--store", url]
        dry_run = timed([*post, "--dry-run"])
        dry_runs.append(lines / dry_run.seconds)
        print(f"  import --dry-run {attempt + 1}/{repeats}: {dry_run.seconds:.1f} s", flush=True)
        result = timed(post)
        imports.append(lines / result.seconds)
        rss.append(result.max_rss_kb / 1024)
        sizes.append((store.size_bytes() - setup_size) / lines)
        print(f"  import {attempt + 1}/{repeats}: {result.seconds:.1f} s, {rss[-1]:.0f} MB", flush=True)
    out["import_lines_per_s"] = stats(imports)
    out["dry_run_lines_per_s"] = stats(dry_runs)
    out["import_peak_rss_mb"] = stats(rss)
    out["store_bytes_per_line"] = stats(sizes)
    rebuilds = []
    for attempt in range(repeats):
        result = timed([KUNTALEDGER, "rebuild", "--store", store.url])
        rebuilds.append(lines / result.seconds)
        print(f"  rebuild {attempt + 1}/{repeats}: {result.seconds:.1f} s", flush=True)
    out["rebuild_lines_per_s"] = stats(rebuilds)
    run([KUNTALEDGER, "load", str(data / "corrections.toml"), "--store", store.url])
    probe = [sys.executable, str(HERE / "probe.py")]
    counts = ["--pairs", str(pairs[0]), "--check-pairs", str(pairs[1])]
    out["in_process"] = json.loads(run([*probe, "queries", "--store", store.url, *counts]).stdout)
    print(f"  in-process: {json.dumps(out['in_process'])}", flush=True)
    out["cli_ms"] = {}
    for name, extra in (("statement", ["--unit", "YP"]), ("summary", ["--unit", "YP"]), ("check", [])):
        samples = []
        for as_of, known_at in random_pairs(cli_runs, seed=11):
            args = [KUNTALEDGER, name, *extra, "--year", "2024", "--as-of", as_of.isoformat()]
            args += ["--known-at", known_at.isoformat(), "--format", "json", "--store", store.url]
            samples.append(timed(args).seconds * 1e3)
        out["cli_ms"][name] = stats(samples)
    print(f"  cli: {json.dumps(out['cli_ms'])}", flush=True)
    out["startup_ms"] = bench_startup(store.url, cli_runs)
    print("  web:", flush=True)
    out["web"] = web.bench(KUNTALEDGER, store.url, max(cli_runs * 2, 20))
    one = data / "one_voucher.csv"
    out["incremental"] = json.loads(run([*probe, "incremental", "--store", store.url, "--file", str(one)]).stdout)
    print(f"  incremental: {json.dumps(out['incremental'])}", flush=True)
    out["monthly"] = bench_monthly(store, data, lines, pairs[0], cli_runs)
    return out


def bench_startup(url: str, runs: int) -> dict[str, dict[str, dict[str, float]]]:
    """Each read verb (STARTUP) run `runs` times as a whole process: wall and CPU ms. The
    read models are at the log's head (the first run would catch them up otherwise)."""
    run([KUNTALEDGER, "statement", "--unit", "YP", "--year", "2024", "--store", url])
    out: dict[str, dict[str, dict[str, float]]] = {}
    for verb, (args, _) in STARTUP.items():
        samples = [timed([KUNTALEDGER, *args, "--store", url]) for _ in range(runs)]
        out[verb] = {
            "wall": stats([sample.seconds * 1e3 for sample in samples]),
            "cpu": stats([sample.cpu_seconds * 1e3 for sample in samples]),
        }
    print(f"  start-up: {json.dumps({verb: found['wall']['median'] for verb, found in out.items()})}", flush=True)
    return out


def bench_monthly(store: Store, data: Path, lines: int, pairs: int, cli_runs: int) -> dict[str, Any]:
    """The year imported month by month, weekly from 11.9.2024, then statements known at
    random moments between those imports: each known-at sees part of the year."""
    months = generate.split_by_month(data / "postings.csv", data / "by-month")
    url = store.fresh()
    run([KUNTALEDGER, "load", str(data / "setup.toml"), "--store", url])
    seconds = 0.0
    for path, recorded_at in months:
        post = [KUNTALEDGER, "post", "--file", str(path), "--recorded-at", recorded_at, "--quiet", "--store", url]
        seconds += timed(post).seconds
    probe = [sys.executable, str(HERE / "probe.py"), "queries", "--store", url, "--pairs", str(pairs)]
    probe += ["--check-pairs", "0", "--known-from", MONTHLY_KNOWN[0].isoformat()]
    probe += ["--known-to", MONTHLY_KNOWN[1].isoformat()]
    out: dict[str, Any] = {"import_lines_per_s": lines / seconds}
    out["in_process"] = json.loads(run(probe).stdout)
    samples = []
    for as_of, known_at in random_pairs(cli_runs, seed=11, known_from=MONTHLY_KNOWN[0], known_to=MONTHLY_KNOWN[1]):
        args = [KUNTALEDGER, "statement", "--unit", "YP", "--year", "2024", "--as-of", as_of.isoformat()]
        args += ["--known-at", known_at.isoformat(), "--format", "json", "--store", url]
        samples.append(timed(args).seconds * 1e3)
    out["cli_ms"] = stats(samples)
    print(f"  month by month: {json.dumps(out)}", flush=True)
    return out


def machine() -> dict[str, str]:
    cpu = ""
    try:
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    except (OSError, StopIteration):
        cpu = platform.processor()
    import sqlite3

    import eventsourcing
    import sqlalchemy

    return {
        "cpu": f"{cpu} × {os.cpu_count()}",
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "eventsourcing": getattr(eventsourcing, "__version__", "9.5"),
        "sqlalchemy": sqlalchemy.__version__,
        "os": platform.platform(),
    }


def fmt_rate(s: dict[str, float]) -> str:
    return f"{s['median']:,.0f} ({s['min']:,.0f}–{s['max']:,.0f})"


def fmt_ms(s: dict[str, float]) -> str:
    return f"{s['median']:.0f} ({s['min']:.0f}–{s['max']:.0f})"


def table(results: Results) -> str:
    names = list(results.backends)
    rows: list[tuple[str, ...]] = [("measure", *names, "target (1M, SQLite)")]

    def row(label: str, target: str, render: Any) -> None:
        rows.append((label, *(render(results.backends[n]) for n in names), target))

    row("import, lines/s", "≥ 250,000", lambda b: fmt_rate(b["import_lines_per_s"]))
    row("import --dry-run, lines/s", "≥ 250,000", lambda b: fmt_rate(b["dry_run_lines_per_s"]))
    row("import peak RSS, MB", "≤ 300", lambda b: fmt_ms(b["import_peak_rss_mb"]))
    row("store, bytes/line", "≤ 200", lambda b: fmt_ms(b["store_bytes_per_line"]))
    row("rebuild, lines/s", "≥ 300,000", lambda b: fmt_rate(b["rebuild_lines_per_s"]))
    for name in ("statement", "summary", "check"):
        target = "≤ 5" if name == "statement" else ""
        row(
            f"{name} in-process p50 / p95, ms",
            target,
            lambda b, n=name: f"{b['in_process'][n]['p50_ms']:.1f} / {b['in_process'][n]['p95_ms']:.1f}",
        )
    for name in ("statement", "summary", "check"):
        row(f"{name} CLI process, ms", "≤ 150" if name == "statement" else "", lambda b, n=name: fmt_ms(b["cli_ms"][n]))
    for verb, (_, budget) in STARTUP.items():
        row(
            f"start-up: {verb}, wall (CPU) ms",
            f"≤ {budget}",
            lambda b, v=verb: f"{fmt_ms(b['startup_ms'][v]['wall'])} ({b['startup_ms'][v]['cpu']['median']:.0f})",
        )
    pages = next(iter(results.backends.values()))["web"]["pages"] if results.backends else {}
    for page in pages:
        row(
            f"web {page}: server p50 / p95, ms",
            "≤ 50 (PG ≤ 100)" if page != "check" else "",
            lambda b, p=page: "{server_p50_ms:.1f} / {server_p95_ms:.1f}".format(**b["web"]["pages"][p]),
        )
    row(
        "web, 20 clients for 30 s: errors, slowest ms",
        "0, ≤ 1000",
        lambda b: "{errors}, {slowest_ms:.0f}".format(**b["web"]["concurrent"]),
    )
    row("post one voucher (in-process), ms", "", lambda b: f"{b['incremental']['post_ms']:.0f}")
    row("statement after it, on top, ms", "≤ 50", lambda b: f"{b['incremental']['on_top_ms']:.1f}")
    row("month by month: import, lines/s", "", lambda b: f"{b['monthly']['import_lines_per_s']:,.0f}")
    row(
        "month by month: statement in-process p50 / p95, ms",
        "≤ 5",
        lambda b: "{p50_ms:.1f} / {p95_ms:.1f}".format(**b["monthly"]["in_process"]["statement"]),
    )
    row("month by month: statement CLI process, ms", "≤ 150", lambda b: fmt_ms(b["monthly"]["cli_ms"]))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in rows]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description="kuntaledger benchmark")
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--work", type=Path, default=HERE / ".work", help="data and stores (kept between runs)")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES, help="server for the PostgreSQL runs")
    parser.add_argument("--repeats", type=int, help="runs of import and rebuild (default 3, 1 from 1M lines)")
    parser.add_argument("--pairs", type=int, default=100, help="random (as-of, known-at) pairs in-process")
    parser.add_argument("--check-pairs", type=int, default=10, help="of those, how many for `check` (it is slow)")
    parser.add_argument("--cli-runs", type=int, default=10, help="whole CLI processes per report")
    parser.add_argument("--no-peers", action="store_true")
    parser.add_argument("--peer-limit", type=float, default=60.0, help="seconds before a peer is stopped")
    args = parser.parse_args()
    repeats = args.repeats or (3 if args.lines < 1_000_000 else 1)
    # Whole-process timings must not include compiling our modules (see `make bytecode`).
    compileall.compile_dir(HERE.parent / "src", quiet=1)
    compileall.compile_dir(HERE.parent / "cli", quiet=1)
    data = args.work / f"data-{args.lines}"
    if not (data / "corrections.toml").exists():
        started = time.perf_counter()
        generate.generate(data, args.lines)
        print(f"generated {args.lines:,} lines in {time.perf_counter() - started:.1f} s into {data}", flush=True)
    results = Results(args.lines, machine=machine())
    for backend in args.backends.split(","):
        if backend == "postgresql" and not postgres_reachable(args.postgres):
            print(f"PostgreSQL not reachable at {masked_url(args.postgres)}: skipped", flush=True)
            continue
        print(f"{backend}, {args.lines:,} lines:", flush=True)
        store = Store(backend, args.work, args.postgres)
        try:
            results.backends[backend] = bench_backend(
                store, data, args.lines, repeats, (args.pairs, args.check_pairs), args.cli_runs
            )
            if backend == "sqlite" and not args.no_peers:
                dates = peers.AS_OF_DATES if args.lines < 1_000_000 else peers.AS_OF_DATES[1:2]
                results.peers = peers.bench(KUNTALEDGER, store.url, args.work, dates, args.peer_limit)
        finally:
            store.drop()
    print()
    print(f"{args.lines:,} posting lines; {results.machine['cpu']}; Python {results.machine['python']}")
    print(table(results))
    if results.peers:
        print()
        print(peers.table(results.peers))
    (args.work / f"results-{args.lines}.json").write_text(json.dumps(results.__dict__, indent=2, default=str))


if __name__ == "__main__":
    main()
