"""Peers: the same year's postings in hledger, ledger and bean-query, when installed.

The data is our own export (`kuntaledger export --format beancount`); hledger and ledger
read it after a line-by-line conversion to their journal format (beancount's metadata
and `open` directives dropped). Each tool is timed answering "balances as of D" at a
few dates, as a whole process, as our CLI is. None of them has a known-at clock.
"""

from __future__ import annotations

import re
import shutil
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

from measure import measure

AS_OF_DATES = ("2024-03-31", "2024-06-30", "2024-09-30", "2024-12-31")
_TXN = re.compile(r'^(\d{4})-(\d{2})-(\d{2}) \* "([^"]*)" "([^"]*)"$')


def to_journal(beancount: Path, journal: Path) -> None:
    """Beancount transactions to the ledger/hledger journal format."""
    with beancount.open(encoding="utf-8") as source, journal.open("w", encoding="utf-8") as out:
        for line in source:
            match = _TXN.match(line.rstrip("\n"))
            if match:
                year, month, day, voucher, text = match.groups()
                out.write(f"\n{year}/{month}/{day} * {voucher} {text}\n")
            elif line.startswith("  ") and not re.match(r"^  [a-z_]+:", line):
                out.write("    " + line.strip() + "\n")


class TooSlow(Exception):
    """A tool did not answer within the time limit; it was stopped."""


def _measure(args: list[str], limit: float) -> tuple[float, int]:
    """(wall seconds, peak RSS in KB) of one whole process; stopped after `limit` seconds."""
    result = measure(args, subprocess.DEVNULL, subprocess.DEVNULL, limit)
    if result.code is None:
        raise TooSlow
    if result.code != 0:
        raise subprocess.CalledProcessError(result.code, args)
    return result.seconds, result.max_rss_kb


def _next_day(day: str) -> str:
    from datetime import date, timedelta

    return (date.fromisoformat(day) + timedelta(days=1)).isoformat()


def bench(
    kuntaledger: str, store: str, work: Path, dates: tuple[str, ...] = AS_OF_DATES, limit: float = 60.0
) -> dict[str, Any]:
    """{tool: {"median_ms", "min_ms", "max_ms", "peak_rss_mb"}} for each tool found, and ours.

    A tool that takes longer than `limit` seconds is stopped and reported as slower than it.
    """
    beancount = work / "peers.beancount"
    subprocess.run(
        [
            kuntaledger,
            "export",
            "--format",
            "beancount",
            "--year",
            "2024",
            "--output",
            str(beancount),
            "--store",
            store,
        ],
        capture_output=True,
        check=True,
    )
    journal = work / "peers.journal"
    to_journal(beancount, journal)
    commands: dict[str, Any] = {
        "kuntaledger statement": lambda d: (
            [kuntaledger, "statement", "--unit", "KAUPUNKI", "--as-of", d, "--format", "json", "--store", store]
        ),
    }
    if shutil.which("hledger"):
        commands["hledger balance"] = lambda d: ["hledger", "-f", str(journal), "balance", "--end", _next_day(d)]
    if shutil.which("ledger"):
        commands["ledger balance"] = lambda d: ["ledger", "-f", str(journal), "balance", "--end", _next_day(d)]
    bean_query = shutil.which("bean-query") or str(Path(sys.executable).parent / "bean-query")
    if Path(bean_query).exists():
        query = "SELECT account, sum(position) WHERE date <= {d} GROUP BY account"
        commands["bean-query"] = lambda d: [bean_query, str(beancount), query.format(d=d)]
    results: dict[str, Any] = {}
    for name, build in commands.items():
        try:
            runs = [_measure(build(day), limit) for day in dates]
        except TooSlow:
            results[name] = {"error": f"> {limit * 1e3:,.0f} (stopped)"}
            print(f"  peer {name}: stopped after {limit:.0f} s", flush=True)
            continue
        except (subprocess.CalledProcessError, OSError) as error:
            results[name] = {"error": str(error)}
            continue
        samples = [seconds * 1e3 for seconds, _ in runs]
        results[name] = {
            "median_ms": statistics.median(samples),
            "min_ms": min(samples),
            "max_ms": max(samples),
            "peak_rss_mb": max(rss for _, rss in runs) / 1024,
        }
        print(f"  peer {name}: {results[name]}", flush=True)
    return results


def table(results: dict[str, Any]) -> str:
    lines = ["| tool: balances as of D, whole process | median ms (min–max) | peak RSS, MB |", "|---|---|---|"]
    for name, value in results.items():
        if "error" in value:
            lines.append(f"| {name} | {value['error']} | |")
            continue
        cell = f"{value['median_ms']:,.0f} ({value['min_ms']:,.0f}–{value['max_ms']:,.0f})"
        lines.append(f"| {name} | {cell} | {value['peak_rss_mb']:,.0f} |")
    return "\n".join(lines)
