"""The projector's hot path: posting events read straight from their stored JSON, and
rows written with the driver's executemany.

A `VouchersPosted` event of an import holds tens of thousands of lines. Validating it
through pydantic again on every catch-up and rebuild costs more than everything else the
projector does, and it was validated when it was recorded. So the projector reads its
stored JSON as plain dicts here and writes exactly the rows `_on_VouchersPosted` would
(tests/integration/test_projector_hot_path.py holds the two paths equal). Any event of an
older class version still goes through pydantic and its upcasters.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Table, bindparam, func, insert, select, update

from ledger import events as ev
from projections import tables as t

if TYPE_CHECKING:
    from projections.projector import _Batch

# (account, unit, project, amount_cents) of one posting line
Line = tuple[str, str, str | None, int]


def is_current_vouchers_posted(topic: str, state: dict[str, Any]) -> bool:
    return topic == ev.VouchersPosted.TOPIC and "class_version" not in state


def raw_lines(voucher: dict[str, Any]) -> list[Line]:
    return [(line["account"], line["unit"], line["project"], line["amount_cents"]) for line in voucher["lines"]]


def model_lines(voucher: ev.Voucher) -> list[Line]:
    return [(line.account, line.unit, line.project, line.amount_cents) for line in voucher.lines]


def apply_vouchers_posted(
    batch: _Batch, state: dict[str, Any], position: int, notification_id: int, micros: Callable[[datetime], int]
) -> int:
    """The rows of one stored VouchersPosted payload; returns its number of lines."""
    vouchers: list[dict[str, Any]] = state["vouchers"]
    line_count = 0
    years: set[int] = set()
    units: set[str] = set()
    sums: dict[tuple[Any, ...], int] = defaultdict(int)
    rows = batch.rows  # a flush (on an account not seen yet) replaces the lists, so look them up each time
    for voucher in vouchers:
        day = voucher["effective_on"]  # ISO text: the year is its first four digits
        years.add(int(day[:4]))
        lines = voucher["lines"]
        line_count += len(lines)
        rows[t.vouchers].append(
            {
                "voucher": voucher["voucher"],
                "position": position,
                "effective_on": day,
                "content_hash": voucher["content_hash"],
            }
        )
        for key, amount in batch.classify(raw_lines(voucher), 1):
            sums[(*key, day)] += amount
            units.add(key[0])
    first = vouchers[0]["voucher"] if vouchers else ""
    names = first if len(vouchers) == 1 else f"{first} …"
    batch.add(
        t.log,
        position=position,
        notification_id=notification_id,
        recorded_us=micros(datetime.fromisoformat(state["recorded_at"])),
        actor=state["actor"],
        type=ev.type_name(ev.VouchersPosted),
        summary=f"{len(vouchers)} vouchers ({names}), {line_count} lines",
        fiscal_year=years.pop() if len(years) == 1 else None,
        units=" " + " ".join(sorted(units)) + " " if units else "",
        chain_hash=state["chain_hash"],
    )
    batch._amount_rows(sums, position)
    return line_count


def amount_rows_through(conn: Connection) -> int:
    """How many rm_amounts rows the events applied so far wrote (the latest mark)."""
    m = t.amount_marks.c
    found = conn.execute(select(m.rows_through).order_by(m.position.desc()).limit(1)).scalar_one_or_none()
    return int(found or 0)


def apply_balance_changes(batch: _Batch, changes: dict[tuple[str, str], dict[str, int]]) -> None:
    """Add each (unit, row)'s day changes to rm_balances: every balance on or after a
    changed day moves by the changes up to it; a day new to the key starts from the
    balance before it. One read per key; the new rows go out with the batch's rows."""
    b = t.balances.c
    conn = batch.conn
    earlier = (
        select(func.max(b.effective_on))
        .where(b.unit == bindparam("u"), b.row == bindparam("r"), b.effective_on < bindparam("first"))
        .scalar_subquery()
    )
    known = (
        select(b.effective_on, b.balance_cents)
        .where(
            b.unit == bindparam("u"),
            b.row == bindparam("r"),
            b.effective_on >= func.coalesce(earlier, bindparam("first")),
        )
        .order_by(b.effective_on)
    )
    # One read per key, sent straight to the driver: SQLAlchemy's per-execute work cost
    # several times SQLite's own (a thousand keys per import chunk). Dates go as ISO text
    # to SQLite (its Date type stores that) and come back as text there, as dates elsewhere.
    translate = conn.get_execution_options().get("schema_translate_map")
    compiled = known.compile(
        dialect=conn.dialect, schema_translate_map=translate, render_schema_translate=bool(translate)
    )
    as_text = conn.dialect.name == "sqlite"
    order = compiled.positiontup
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    updates: list[dict[str, Any]] = []
    for (unit, row), by_day in changes.items():
        days = {date.fromisoformat(day): amount for day, amount in by_day.items()}
        first = min(days)
        values = {"u": unit, "r": row, "first": first.isoformat() if as_text else first}
        cursor.execute(compiled.string, [values[name] for name in order] if order is not None else values)
        stored = [
            (date.fromisoformat(day) if isinstance(day, str) else day, balance) for day, balance in cursor.fetchall()
        ]
        if not stored:
            batch.add(t.balance_keys, unit=unit, row=row)
        before = 0
        existing: dict[date, int] = {}
        for day, balance in stored:
            if day < first:
                before = int(balance)
            else:
                existing[day] = int(balance)
        moved = 0
        for day in sorted(existing.keys() | days.keys()):
            moved += days.get(day, 0)
            if day in existing:
                before = existing[day]
                if moved:
                    updates.append({"u": unit, "r": row, "d": day, "v": before + moved})
            else:
                batch.add(t.balances, unit=unit, row=row, effective_on=day, balance_cents=before + moved)
    cursor.close()
    if updates:
        conn.execute(
            update(t.balances)
            .where(b.unit == bindparam("u"), b.row == bindparam("r"), b.effective_on == bindparam("d"))
            .values(balance_cents=bindparam("v")),
            updates,
        )


def find_raw_voucher(state: dict[str, Any], voucher_id: str) -> list[Line]:
    for voucher in state["vouchers"]:
        if voucher["voucher"] == voucher_id:
            return raw_lines(voucher)
    raise LookupError(f"voucher {voucher_id} is not in the event at its recorded position")


def insert_rows(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """INSERT the rows with one executemany of the driver (SQLAlchemy's per-row parameter
    processing costs more than the database's insert). Rows must share their keys. A
    date may come as its ISO text (as the hot path reads it): both databases take that."""
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
