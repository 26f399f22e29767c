"""The investment table and `check`'s positions read rm_amounts through covering indexes
(SQLite's plan): a table lookup per posting costs ~100 ms at 1M lines (make bench)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from projections import query, reader
from projections.compliance.context import _Positions
from projections.investments import query_investments

KNOWN_AT = datetime(2100, 1, 1, tzinfo=UTC)


@pytest.fixture
def db(sqlite_world: Path) -> Iterator[tuple[reader.Reader, list[str]]]:
    """A Reader on the audit world that keeps the plan of every query it runs on rm_amounts."""
    conn = sqlite3.connect(sqlite_world)
    plans: list[str] = []

    def run(sql: str, params: Mapping[str, Any]) -> reader.Rows:
        if "rm_amounts" in sql:
            plans.extend(str(step[3]) for step in conn.execute(f"EXPLAIN QUERY PLAN {sql}", params))
        return conn.execute(sql, params).fetchall()

    yield reader.Reader(run, "sqlite", None), plans
    conn.close()


def read_rm_amounts(plans: list[str]) -> list[str]:
    return [step for step in plans if "rm_amounts" in step]


def test_the_investment_table_reads_only_the_investment_lines(db: tuple[reader.Reader, list[str]]) -> None:
    found, plans = db
    query_investments(found, "YP", 2024, date(2024, 12, 31), KNOWN_AT)

    steps = read_rm_amounts(plans)
    assert steps and all("USING COVERING INDEX ix_rm_amounts_investment" in step for step in steps), steps


def test_the_positions_behind_the_figures_come_from_covering_indexes(db: tuple[reader.Reader, list[str]]) -> None:
    found, plans = db
    position = query.position_known_at(found, KNOWN_AT)
    behind = _Positions(found, 2024, date(2024, 12, 31), position, sorted(query.load_units(found)))

    steps = read_rm_amounts(plans)
    assert behind.rows and behind.groups
    assert len(steps) == 2 and all("USING COVERING INDEX" in step for step in steps), steps
    assert "ix_rm_amounts_investment" in steps[1]
