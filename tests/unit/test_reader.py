"""The report SQL is written once: the Reader puts it in each dialect's words (ADR 0015, 0031)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import pytest

from ledger.store.names import SCHEMA_VERSION
from projections.reader import EVENT_TABLES, Reader


def recorded(
    dialect: str, schema: str | None, version: int = SCHEMA_VERSION
) -> tuple[Reader, list[tuple[str, dict[str, Any]]]]:
    calls: list[tuple[str, dict[str, Any]]] = []

    def run(sql: str, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        calls.append((sql, dict(params)))
        return [(7, version, 7)]

    return Reader(run, dialect, schema), calls


def test_postgresql_gets_pyformat_parameters_and_the_stores_schema() -> None:
    reader, calls = recorded("postgresql", 'my "ledger"')
    reader.rows("SELECT max(position) FROM {rm_log} WHERE recorded_us <= :moment AND x = :moment", {"moment": 5})
    assert calls == [
        (
            'SELECT max(position) FROM "my ""ledger"""."rm_log" WHERE recorded_us <= %(moment)s AND x = %(moment)s',
            {"moment": 5},
        )
    ]


def test_sqlite_keeps_named_parameters_and_stores_dates_as_iso_text() -> None:
    reader, calls = recorded("sqlite", None)
    reader.rows("SELECT 1 FROM {rm_amounts} WHERE effective_on <= :day", {"day": date(2024, 6, 30)})
    assert calls == [("SELECT 1 FROM rm_amounts WHERE effective_on <= :day", {"day": "2024-06-30"})]


def test_the_read_models_are_current_when_the_projector_tracks_the_logs_newest_event() -> None:
    for dialect in EVENT_TABLES:
        reader, calls = recorded(dialect, None)
        assert not reader.log_behind()
        assert EVENT_TABLES[dialect] in calls[0][0]


def test_read_models_an_earlier_version_wrote_count_as_behind() -> None:
    reader, _ = recorded("sqlite", None, version=SCHEMA_VERSION - 1)
    assert reader.log_behind()


def test_a_server_that_does_not_answer_is_the_drivers_error() -> None:
    import psycopg

    from ledger.store.url import parse_store_url
    from projections.reader import snapshot

    with pytest.raises(psycopg.OperationalError), snapshot(parse_store_url("postgresql://u@127.0.0.1:1/ledger")):
        pass


def test_the_investment_table_orders_the_standard_groups_as_the_reference_data() -> None:
    from ledger.reference import default_investment_groups
    from projections.investments import _standard_order

    assert list(_standard_order()) == [group.code for group in default_investment_groups()]
