"""The rows a projector batch has made and not yet written, and writing them at once:
as tuples with the driver's executemany (SQLite) or COPY (PostgreSQL) for the big
tables, as dicts with one executemany for the rare ones. SQLAlchemy's per-row work
costs more than the database's insert."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Table, insert

from ledger.store import tables as t

# The tables written as tuples, and their columns in table order. Dates are ISO text.
COLUMNS: dict[str, tuple[str, ...]] = {
    t.vouchers.name: ("voucher", "position", "effective_on", "content_hash"),
    t.amounts.name: (
        "unit",
        "account",
        "row",
        "investment_group",
        "investment_side",
        "effective_on",
        "position",
        "amount_cents",
    ),
    t.balances.name: ("unit", "row", "effective_on", "position", "balance_cents"),
    t.balance_keys.name: ("unit", "row"),
}


class PendingRows:
    """Rows by table, written in `tables.PROJECTED_TABLES` order by `write`."""

    def __init__(self) -> None:
        self.rows: dict[Table, list[dict[str, Any]]] = defaultdict(list)  # the rare tables
        self.tuples: dict[Table, list[tuple[Any, ...]]] = {}  # the big ones (COLUMNS)

    def add(self, table: Table, values: dict[str, Any]) -> None:
        self.rows[table].append(values)

    def tuples_of(self, table: Table) -> list[tuple[Any, ...]]:
        """The pending rows of a table of `COLUMNS`: append tuples in its column order."""
        found = self.tuples.get(table)
        if found is None:
            found = self.tuples[table] = []
        return found

    def write(self, conn: Connection) -> None:
        for table in t.PROJECTED_TABLES:
            rows = self.rows.pop(table, None)
            if rows:
                insert_rows(conn, table, rows)
            tuples = self.tuples.pop(table, None)
            if tuples:
                insert_tuples(conn, table, tuples)


def _table_name(conn: Connection, table: Table) -> str:
    """The table's quoted name, in the schema the connection maps it to."""
    preparer = conn.dialect.identifier_preparer
    translate = conn.get_execution_options().get("schema_translate_map")
    schema = translate.get(table.schema, table.schema) if translate else table.schema
    return f"{preparer.quote_schema(schema)}.{preparer.quote(table.name)}" if schema else preparer.quote(table.name)


def insert_rows(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """INSERT the rows with one executemany of the driver. Rows must share their keys. A
    date may come as its ISO text (as a stored payload holds it): both databases take that."""
    keys = tuple(rows[0])
    if any(len(row) != len(keys) for row in rows):
        conn.execute(insert(table), rows)
        return
    translate = conn.get_execution_options().get("schema_translate_map")
    compiled = insert(table).compile(
        dialect=conn.dialect,
        column_keys=list(keys),
        schema_translate_map=translate,
        render_schema_translate=bool(translate),
    )
    dialect = conn.dialect
    processors = {
        key: processor
        for key in keys
        if (processor := table.c[key].type.dialect_impl(dialect).bind_processor(dialect)) is not None
    }
    if processors:
        for row in rows:
            for key, process in processors.items():
                value = row[key]
                if value is not None and not isinstance(value, str):
                    row[key] = process(value)
    params: list[Any]
    if compiled.positiontup is not None:
        pick = itemgetter(*compiled.positiontup)
        params = [pick(row) for row in rows] if len(compiled.positiontup) > 1 else [(pick(r),) for r in rows]
    else:
        params = rows
    conn.exec_driver_sql(compiled.string, params)


def insert_tuples(conn: Connection, table: Table, rows: Sequence[tuple[Any, ...]]) -> None:
    """INSERT rows given as tuples in `COLUMNS[table.name]` order, dates as ISO text:
    COPY on PostgreSQL, the driver's executemany with a prepared statement on SQLite."""
    columns = COLUMNS[table.name]
    dialect = conn.dialect
    quote = dialect.identifier_preparer.quote
    name = _table_name(conn, table)
    listed = ", ".join(quote(column) for column in columns)
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        if dialect.name == "postgresql":
            with cursor.copy(f"COPY {name} ({listed}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" for _ in columns)
            cursor.executemany(f"INSERT INTO {name} ({listed}) VALUES ({marks})", rows)
    finally:
        cursor.close()
