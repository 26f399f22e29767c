"""The benchmark's month-by-month files are the year's postings, whole vouchers, in order."""

from __future__ import annotations

import importlib.util
import sys
from datetime import datetime
from pathlib import Path

_spec = importlib.util.spec_from_file_location("bench_generate", Path(__file__).parents[2] / "bench" / "generate.py")
assert _spec is not None and _spec.loader is not None
generate = sys.modules["bench_generate"] = importlib.util.module_from_spec(_spec)  # its dataclasses look it up
_spec.loader.exec_module(generate)


def test_the_months_hold_every_posting_once_and_are_imported_in_order(tmp_path: Path) -> None:
    generate.generate(tmp_path, 3_000)
    postings = (tmp_path / "postings.csv").read_text(encoding="utf-8").splitlines()
    months = generate.split_by_month(tmp_path / "postings.csv", tmp_path / "by-month")
    assert len(months) == 12
    parts = [path.read_text(encoding="utf-8").splitlines() for path, _ in months]
    assert all(part[0] == postings[0] for part in parts)  # each file has the header
    assert [line for part in parts for line in part[1:]] == postings[1:]
    vouchers_per_file = [{line.split(";")[0] for line in part[1:]} for part in parts]
    assert sum(map(len, vouchers_per_file)) == len(set().union(*vouchers_per_file))  # no voucher split
    moments = [datetime.fromisoformat(moment) for _, moment in months]
    setup = (tmp_path / "setup.toml").read_text(encoding="utf-8")
    recorded = [line.split('"')[1] for line in setup.splitlines() if line.startswith("recorded-at")]
    last_setup = max(map(datetime.fromisoformat, recorded))
    assert moments == sorted(moments) and moments[0] > last_setup
