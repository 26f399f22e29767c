"""The projector's hot path: posting events read straight from their stored JSON, and
rows written as tuples with the driver's executemany (SQLite) or COPY (PostgreSQL).

A `VouchersPosted` event of an import holds tens of thousands of lines. Validating it
through pydantic again on every catch-up and rebuild costs more than everything else the
projector does, and it was validated when it was recorded. So the projector reads its
stored JSON as plain dicts here and writes exactly the rows `_on_VouchersPosted` would
(tests/integration/test_projector_hot_path.py holds the two paths equal). Any event of an
older class version still goes through pydantic and its upcasters.

Running balances (rm_balance_versions) are kept from the newest balance of each (unit,
row), read once for every key and then carried from batch to batch in memory while the
projector is the one that advanced the position (`Projector`, ADR 0014).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date, datetime
from itertools import accumulate, islice, repeat
from json.encoder import encode_basestring as _quote
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Table, bindparam, func, insert, select

from ledger import events as ev
from ledger.store import tables as t
from ledger.store.log_entries import vouchers_summary

if TYPE_CHECKING:
    from ledger.store.projector import _Batch

# (account, unit, project, amount_cents) of one posting line
Line = tuple[str, str, str | None, int]
# (unit, row) -> (ISO day, balance_cents) of the key's newest day, in its latest version
Newest = dict[tuple[str, str], tuple[str, int]]

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


_LINE_FIELDS = itemgetter("account", "unit", "project", "amount_cents")


def is_current_vouchers_posted(topic: str, state: dict[str, Any]) -> bool:
    return topic == ev.VouchersPosted.TOPIC and "class_version" not in state


def raw_lines(voucher: dict[str, Any]) -> list[Line]:
    return list(map(_LINE_FIELDS, voucher["lines"]))


def model_lines(voucher: ev.Voucher) -> list[Line]:
    return [(line.account, line.unit, line.project, line.amount_cents) for line in voucher.lines]


def apply_vouchers_posted(
    batch: _Batch, state: dict[str, Any], position: int, notification_id: int, micros: Callable[[datetime], int]
) -> int:
    """The rows of one stored VouchersPosted payload; returns its number of lines.

    The lines are first summed per (account, unit, project, debit, day), in one tight
    loop over the dicts, then classified once per sum: the same rm_amounts rows, in the
    same order, as summing each classified line (a key's first line comes first)."""
    vouchers: list[dict[str, Any]] = state["vouchers"]
    line_count = 0
    fine: defaultdict[tuple[str, str, str | None, bool, str], int] = defaultdict(int)
    voucher_rows = []
    for voucher in vouchers:
        day = voucher["effective_on"]  # ISO text: the year is its first four digits
        lines = voucher["lines"]
        line_count += len(lines)
        voucher_rows.append((voucher["voucher"], position, day, voucher["content_hash"]))
        for account, unit, project, amount in map(_LINE_FIELDS, lines):
            fine[(account, unit, project, amount > 0 if project else False, day)] += amount
    batch.tuples_of(t.vouchers).extend(voucher_rows)
    sums: defaultdict[tuple[Any, ...], int] = defaultdict(int)
    classes: dict[tuple[str, str | None, bool], tuple[str | None, ...]] = {}
    for (account, unit, project, debit, day), amount in fine.items():
        found = classes.get((account, project, debit))
        if found is None:
            found = classes[(account, project, debit)] = _classify(batch, account, project, debit)
        sums[(unit, account, *found, day)] += amount
    units = {key[1] for key in fine}
    years = {int(key[4][:4]) for key in fine}
    first = vouchers[0]["voucher"] if vouchers else ""
    batch.add(
        t.log,
        position=position,
        notification_id=notification_id,
        recorded_us=micros(datetime.fromisoformat(state["recorded_at"])),
        actor=state["actor"],
        type=ev.type_name(ev.VouchersPosted),
        summary=vouchers_summary(len(vouchers), first, line_count),
        fiscal_year=years.pop() if len(years) == 1 else None,
        units=" " + " ".join(sorted(units)) + " " if units else "",
        chain_hash=state["chain_hash"],
    )
    batch._amount_rows(sums, position)
    return line_count


def _classify(batch: _Batch, account: str, project: str | None, debit: bool) -> tuple[str | None, ...]:
    """(statement row, investment group, side) of a line, as `_Batch.classify` gives them."""
    row = batch._account_row(account)
    if not project:
        return (row, None, None)
    return (row, batch._project_group(project), "expenditure" if debit else "income")


def newest_balances(conn: Connection) -> Newest:
    """The newest balance of every (unit, row) key: one query, driven by the keys, two
    primary-key seeks per key (a join let SQLite scan every balance instead)."""
    b, k = t.balances.c, t.balance_keys.c

    def newest(column: Any) -> Any:
        return (
            select(column)
            .where(b.unit == k.unit, b.row == k.row)
            .order_by(b.effective_on.desc(), b.position.desc())
            .limit(1)
            .correlate(t.balance_keys)
            .scalar_subquery()
        )

    query = select(k.unit, k.row, newest(b.effective_on), newest(b.balance_cents))
    return {
        (unit, row): (day if isinstance(day, str) else day.isoformat(), int(balance))
        for unit, row, day, balance in conn.execute(query).tuples()
        if day is not None
    }


def apply_balance_changes(
    batch: _Batch, position: int, changes: dict[tuple[str, str], dict[str, int]], newest: Newest
) -> None:
    """Write the versions of rm_balance_versions that one event's changes make: for each
    (unit, row), its day changes (ISO day -> debit-positive change) move the balance of
    every day on or after a changed day; each moved day gets a version at `position`, a
    day new to the key starts from the balance before it. `newest` (kept up to date here)
    holds each key's newest balance, so a key whose changes come on or after its newest
    day (an import in date order, a rebuild) needs no read; a back-dated change reads the
    key's later days (`_back_dated`). The new rows go out with the batch's rows."""
    inserts = batch.tuples_of(t.balances)
    new_keys = batch.tuples_of(t.balance_keys)
    back_dated: dict[tuple[str, str], dict[str, int]] = {}
    for key in sorted(changes):  # in primary-key order: cheaper B-tree inserts
        by_day = changes[key]
        unit, row = key
        days = sorted(by_day)
        known = newest.get(key)
        if known is None:
            new_keys.append(key)
            balance = 0
        else:
            last_day, balance = known
            if days[0] < last_day:
                back_dated[key] = by_day
                newest[key] = (last_day if last_day > days[-1] else days[-1], balance + sum(by_day.values()))
                continue
            if days[0] == last_day and not by_day[last_day]:
                del days[0]  # the newest day's balance stays as it is
                if not days:
                    continue
        running = list(accumulate(map(by_day.__getitem__, days), initial=balance))
        inserts.extend(zip(repeat(unit), repeat(row), days, repeat(position), islice(running, 1, None)))
        newest[key] = (days[-1], running[-1])
    if back_dated:
        _back_dated(batch, position, back_dated)


def _table_name(conn: Connection, table: Table) -> str:
    """The table's quoted name, in the schema the connection maps it to."""
    preparer = conn.dialect.identifier_preparer
    translate = conn.get_execution_options().get("schema_translate_map")
    schema = translate.get(table.schema, table.schema) if translate else table.schema
    return f"{preparer.quote_schema(schema)}.{preparer.quote(table.name)}" if schema else preparer.quote(table.name)


def _back_dated(batch: _Batch, position: int, changes: dict[tuple[str, str], dict[str, int]]) -> None:
    """Keys with a change before their newest day: one read each of the latest versions of
    the balance before the first changed day and of every later day; each day that moves
    gets a version at `position`, new days included, and so does the newest day even when
    the changes net to nothing by then (a key's latest version is of its newest day)."""
    conn = batch.conn
    inserts = batch.tuples_of(t.balances)
    if inserts:  # an earlier event of this batch may have written versions of these keys
        insert_tuples(conn, t.balances, inserts)
        inserts.clear()
    b = t.balances.c
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
        .order_by(b.effective_on, b.position)  # a day's latest version last
    )
    # Sent straight to the driver: SQLAlchemy's per-execute work cost several times
    # SQLite's own. Dates go as ISO text to SQLite (its Date type stores that) and come
    # back as text there, as dates elsewhere.
    translate = conn.get_execution_options().get("schema_translate_map")
    compiled = known.compile(
        dialect=conn.dialect, schema_translate_map=translate, render_schema_translate=bool(translate)
    )
    as_text = conn.dialect.name == "sqlite"
    order = compiled.positiontup
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    for (unit, row), by_day in changes.items():
        first = min(by_day)
        values = {"u": unit, "r": row, "first": first if as_text else date.fromisoformat(first)}
        cursor.execute(compiled.string, [values[name] for name in order] if order is not None else values)
        before = 0
        existing: dict[str, int] = {}
        for stored_day, balance in cursor.fetchall():
            day = stored_day if isinstance(stored_day, str) else stored_day.isoformat()
            if day < first:
                before = int(balance)
            else:
                existing[day] = int(balance)
        moved = 0
        days = sorted(existing.keys() | by_day.keys())
        for day in days:
            moved += by_day.get(day, 0)
            if day in existing:
                before = existing[day]
                if moved or day == days[-1]:
                    inserts.append((unit, row, day, position, before + moved))
            else:
                inserts.append((unit, row, day, position, before + moved))
    cursor.close()


def index_vouchers(state: dict[str, Any]) -> dict[str, list[Line]]:
    """The lines of every voucher of a stored VouchersPosted payload, by voucher id."""
    return {voucher["voucher"]: raw_lines(voucher) for voucher in state["vouchers"]}


def voucher_in_payload(payload: bytes, voucher_id: str) -> list[Line] | None:
    """The lines of one voucher of a stored VouchersPosted payload, parsing that voucher only.

    A reversal needs the lines of one voucher out of an import chunk's tens of thousands;
    decoding the whole payload took about 20 ms. The mapper writes each voucher compactly
    with its id first, so the voucher's object starts with `{"voucher":<id>,`; inside a
    JSON string every quote is escaped, so no text can look like that. None when it is
    not found or the payload is of an older class version (then decode it whole)."""
    text = payload.decode()
    if '"class_version":' in text[-32:]:  # written last, and only for a version above 1
        return None
    start = text.find(f'{{"voucher":{_quote(voucher_id)},')
    if start < 0:
        return None
    voucher, _end = _DECODER.raw_decode(text, start)
    return raw_lines(voucher)


_DECODER = json.JSONDecoder()


def find_indexed_voucher(index: dict[str, list[Line]], voucher_id: str) -> list[Line]:
    if voucher_id in index:
        return index[voucher_id]
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
