"""A store whose read models an earlier version wrote (an older SCHEMA_VERSION) is upgraded
when it is opened: new tables and indexes created, obsolete ones dropped, the read models
projected again. Every store from before rm_balance_versions, rm_budget_decisions and
rm_approvals is of schema version 1."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import BigInteger, Column, Date, MetaData, String, Table, inspect, select, update

from ledger import commands
from ledger.application import Ledger
from ledger.importing import import_file
from ledger.store import tables as t
from ledger.store.database import TablesMissing, ensure_schema
from projections.statement import query_statement

VOUCHERS = """voucher;date;account;unit;amount;text;project
V-1;2024-03-01;4010;TAL;12,34;palkka;
V-1;2024-03-01;2500;TAL;-12,34;velka;
V-2;2024-05-02;3000;TAL;-50.00;myynti;
V-2;2024-05-02;1500;TAL;50.00;saaminen;
"""
MOMENTS = [
    (date(2024, 12, 31), datetime(2030, 1, 1, tzinfo=UTC)),
    (date(2024, 4, 1), datetime(2030, 1, 1, tzinfo=UTC)),
    (date(2024, 12, 31), datetime(2024, 1, 3, tzinfo=UTC)),
]


def _statements(ledger: Ledger) -> list[object]:
    with ledger.state() as state:
        return [query_statement(state.conn, unit, 2024, d, k) for unit in ("YP", "TAL") for d, k in MOMENTS]


def _tables(ledger: Ledger) -> set[str]:
    return set(inspect(ledger.engine).get_table_names(schema=ledger.config.schema))


def _of_schema_version_1(ledger: Ledger) -> None:
    with ledger.engine.begin() as conn:
        conn.execute(update(t.position).values(schema_version=1))


def test_a_store_from_before_balance_versions_is_upgraded_on_opening(store_url: str, tmp_path: Path) -> None:
    with Ledger(store_url) as ledger:
        ledger.record(commands.initialise("K", "budget-minus-actual"), actor="a",
                      recorded_at=datetime(2024, 1, 2, tzinfo=UTC), require_initialised=False)  # fmt: skip
        ledger.record(commands.add_unit("YP", "Yhteiset palvelut", None, "net"), actor="a")
        ledger.record(commands.add_unit("TAL", "Talouspalvelut", "YP", "none"), actor="a")
        path = tmp_path / "v.csv"
        path.write_text(VOUCHERS, encoding="utf-8")
        import_file(ledger, path, actor="b")
        ledger.record(commands.reverse("V-1", date(2024, 6, 1), "väärä"), actor="c")
        expected = _statements(ledger)
        # The read models as the earlier version left them: balances known only now,
        # and the marks that chose how to subtract late rows from them.
        t.balances.drop(ledger.engine)
        earlier = MetaData()
        Table("rm_balances", earlier, Column("unit", String(64), primary_key=True),
              Column("row", String(64), primary_key=True), Column("effective_on", Date, primary_key=True),
              Column("balance_cents", BigInteger, nullable=False))  # fmt: skip
        Table("rm_amount_marks", earlier, Column("position", BigInteger, primary_key=True),
              Column("rows_through", BigInteger, nullable=False))  # fmt: skip
        earlier.create_all(ledger.engine)
        _of_schema_version_1(ledger)
        assert t.balances.name not in _tables(ledger)
    with Ledger(store_url) as ledger:
        tables = _tables(ledger)
        assert t.balances.name in tables
        assert not tables & set(t.OBSOLETE_TABLES)
        assert _statements(ledger) == expected


def test_a_store_from_before_budget_decisions_is_upgraded_on_opening(store_url: str) -> None:
    with Ledger(store_url) as ledger:
        ledger.record(commands.initialise("K", "budget-minus-actual"), actor="a",
                      recorded_at=datetime(2024, 1, 2, tzinfo=UTC), require_initialised=False)  # fmt: skip
        ledger.record(commands.add_unit("YP", "Yhteiset palvelut", None, "net"), actor="a")
        t.budget_decisions.drop(ledger.engine)
        _of_schema_version_1(ledger)
    with Ledger(store_url) as ledger:
        assert t.budget_decisions.name in _tables(ledger)


def test_read_models_of_an_older_schema_version_are_projected_again_on_opening(store_url: str, tmp_path: Path) -> None:
    with Ledger(store_url) as ledger:
        ledger.record(commands.initialise("K", "budget-minus-actual"), actor="a", require_initialised=False)
        ledger.record(commands.add_unit("YP", "Yhteiset palvelut", None, "net"), actor="a")
        ledger.record(commands.add_unit("TAL", "Talouspalvelut", "YP", "none"), actor="a")
        path = tmp_path / "v.csv"
        path.write_text(VOUCHERS.splitlines()[0] + "\n" + "\n".join(VOUCHERS.splitlines()[1:3]) + "\n", "utf-8")
        import_file(ledger, path, actor="b")
        expected = _statements(ledger)
        # What an earlier version wrote: its own summary wording, under its schema version.
        with ledger.engine.begin() as conn:
            conn.execute(
                update(t.log).where(t.log.c.type == "VouchersPosted").values(summary="1 vouchers (V-1), 2 lines")
            )
            conn.execute(update(t.position).values(schema_version=t.SCHEMA_VERSION - 1))
    notes: list[str] = []
    with Ledger(store_url, notify=notes.append) as ledger:
        assert _statements(ledger) == expected
        with ledger.engine.connect() as conn:
            summaries = conn.execute(select(t.log.c.summary).where(t.log.c.type == "VouchersPosted")).scalars().all()
            version = conn.execute(select(t.position.c.schema_version)).scalar_one()
    assert summaries == ["1 voucher (V-1), 2 lines"]
    assert version == t.SCHEMA_VERSION
    assert notes == ["note: the read models were written by an earlier version; projecting them again from the log"]


def test_a_store_from_before_approvals_is_upgraded_on_opening(store_url: str) -> None:
    with Ledger(store_url) as ledger:
        ledger.record(commands.initialise("K", "budget-minus-actual"), actor="a",
                      recorded_at=datetime(2024, 1, 2, tzinfo=UTC), require_initialised=False)  # fmt: skip
        t.approvals.drop(ledger.engine)
        _of_schema_version_1(ledger)
    with Ledger(store_url) as ledger:
        assert t.approvals.name in _tables(ledger)


def test_read_models_of_the_current_schema_version_are_left_as_they_are(store_url: str) -> None:
    with Ledger(store_url) as ledger:
        ledger.record(commands.initialise("K", "budget-minus-actual"), actor="a", require_initialised=False)
        with ledger.engine.connect() as conn:
            before = conn.execute(select(t.position)).all()
    notes: list[str] = []
    with Ledger(store_url, notify=notes.append) as ledger, ledger.engine.connect() as conn:
        assert conn.execute(select(t.position)).all() == before
    assert notes == []


def test_a_role_that_may_not_create_tables_empties_older_read_models_only_when_no_table_is_missing(
    store_url: str,
) -> None:
    with Ledger(store_url) as ledger:
        ledger.record(commands.initialise("K", "budget-minus-actual"), actor="a", require_initialised=False)
        engine, schema = ledger.engine, ledger.config.schema
        _of_schema_version_1(ledger)
        assert ensure_schema(engine, schema, can_create=False, can_project=False) is False  # a reader: no change
        assert ensure_schema(engine, schema, can_create=False, can_project=True) is True
        with engine.connect() as conn:
            assert conn.execute(select(t.position.c.schema_version, t.position.c.notification_id)).one() == (
                t.SCHEMA_VERSION,
                0,
            )
            assert conn.execute(select(t.log)).first() is None
        t.approvals.drop(engine)
        _of_schema_version_1(ledger)
        with pytest.raises(TablesMissing):
            ensure_schema(engine, schema, can_create=False, can_project=True)
        assert t.approvals.name not in _tables(ledger)


def test_a_table_that_lacks_a_column_of_this_version_is_made_again(store_url: str, tmp_path: Path) -> None:
    """rm_budget_lines before the reporting dimensions (schema version 3) had no
    service_class and sector: the upgrade drops it, makes it anew and projects it again."""
    budget = tmp_path / "b.csv"
    budget.write_text("unit;line;amount\nYP;personnel_expenses;-1000\n", encoding="utf-8")
    with Ledger(store_url) as ledger:
        ledger.record(commands.initialise("K", "budget-minus-actual"), actor="a",
                      recorded_at=datetime(2024, 1, 2, tzinfo=UTC), require_initialised=False)  # fmt: skip
        ledger.record(commands.add_unit("YP", "Yhteiset palvelut", None, "net"), actor="a")
        ledger.record(commands.add_unit("TAL", "Talouspalvelut", "YP", "none"), actor="a")
        ledger.record(commands.adopt_budget(2024, budget, "Kv 1", date(2023, 12, 11), "council"), actor="a")
        expected = _statements(ledger)
        with ledger.engine.begin() as conn:
            for column in ("service_class", "sector"):
                conn.exec_driver_sql(f"ALTER TABLE {_qualified(ledger, t.budget_lines.name)} DROP COLUMN {column}")
            conn.execute(update(t.position).values(schema_version=3))
    with Ledger(store_url) as ledger:
        columns = {
            c["name"] for c in inspect(ledger.engine).get_columns(t.budget_lines.name, schema=ledger.config.schema)
        }
        assert {"service_class", "sector"} <= columns
        assert _statements(ledger) == expected


def _qualified(ledger: Ledger, name: str) -> str:
    return name if ledger.config.schema is None else f'"{ledger.config.schema}".{name}'
