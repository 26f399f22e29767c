"""Rows that differ between the read models and a fresh replay of the log, told as an
auditor reads them: what each table holds, and each row's named values with amounts in
euros (`kuntaledger verify`, ADR 0022)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ledger.clock import format_moment, from_micros
from ledger.counting import counted
from ledger.money import format_fi

SHOWN_ROWS = 10  # of each side of each table
TABLE_LABELS = {
    "rm_position": "the position in the log the read models reached",
    "rm_log": "the log's events as the read models list them",
    "rm_settings": "settings",
    "rm_units": "units",
    "rm_unit_texts": "unit descriptions and deviation explanations",
    "rm_accounts": "accounts",
    "rm_investment_groups": "investment groups",
    "rm_projects": "projects",
    "rm_fiscal_years": "fiscal years",
    "rm_budget_lines": "budget lines",
    "rm_approvals": "report approvals",
    "rm_vouchers": "vouchers",
    "rm_amounts": "posted amounts",
    "rm_balance_versions": "balances",
    "rm_balance_keys": "balance keys",
    "rm_goal_events": "goals",
    "rm_risk_events": "risks",
    "rm_illustrative_marks": "events marked illustrative",
}


@dataclass(frozen=True)
class TableDifference:
    table: str
    only_in_store: int  # rows, counted with repeats
    only_in_replay: int
    store_rows: tuple[dict[str, Any], ...]  # the first SHOWN_ROWS of them, by column
    replay_rows: tuple[dict[str, Any], ...]

    def __str__(self) -> str:
        label = TABLE_LABELS.get(self.table, self.table)
        lines = [
            f"{self.table} ({label}): {counted(self.only_in_store, 'row')} only in the read models, "
            f"{self.only_in_replay} only in a fresh replay of the log"
        ]
        lines += _shown("only in the read models", self.store_rows, self.only_in_store)
        lines += _shown("only in the log", self.replay_rows, self.only_in_replay)
        return "\n".join(lines)

    def as_json(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "rows_only_in_read_models": self.only_in_store,
            "rows_only_in_log": self.only_in_replay,
            "only_in_read_models": [_json_row(row) for row in self.store_rows],
            "only_in_log": [_json_row(row) for row in self.replay_rows],
        }


def difference(
    table: str, columns: Sequence[str], store: Counter[tuple[Any, ...]], replay: Counter[tuple[Any, ...]]
) -> TableDifference:
    only_store, only_replay = store - replay, replay - store
    return TableDifference(
        table,
        sum(only_store.values()),
        sum(only_replay.values()),
        _first(columns, only_store),
        _first(columns, only_replay),
    )


def _first(columns: Sequence[str], rows: Counter[tuple[Any, ...]]) -> tuple[dict[str, Any], ...]:
    ordered = sorted(rows.elements(), key=repr)[:SHOWN_ROWS]
    return tuple(dict(zip(columns, row, strict=True)) for row in ordered)


def _shown(side: str, rows: tuple[dict[str, Any], ...], count: int) -> list[str]:
    lines = [f"  {side}: {_described(row)}" for row in rows]
    if count > len(rows):
        lines.append(f"  … and {count - len(rows)} more only in {side.removeprefix('only in ')}")
    return lines


def _described(row: dict[str, Any]) -> str:
    return ", ".join(
        f"{column.removesuffix('_cents')} {_text(column, value)}" for column, value in row.items() if value is not None
    )


def _text(column: str, value: Any) -> str:
    if column.endswith("_cents") and isinstance(value, int):
        return f"{format_fi(value, 2)} €"
    if column.endswith("_us") and isinstance(value, int):
        return format_moment(from_micros(value))
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _json_row(row: dict[str, Any]) -> dict[str, Any]:
    return {column: value.isoformat() if isinstance(value, date) else value for column, value in row.items()}
