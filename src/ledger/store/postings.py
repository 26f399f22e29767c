"""The one path of posting lines into the read models: the vouchers of a `VouchersPosted`
event (as plain data, `stored_vouchers.Posted`) and the lines a `VoucherReversed` negates
become rm_vouchers rows, rm_amounts rows and the balance changes those make."""

from __future__ import annotations

from collections import defaultdict
from operator import itemgetter
from typing import Any

from sqlalchemy import update

from ledger import events as ev
from ledger.store import tables as t
from ledger.store.batch import Batch
from ledger.store.log_entries import LogEntry, vouchers_entry
from ledger.store.reference_cache import Read, ReferenceCache
from ledger.store.stored_vouchers import Line, Posted

# Lines summed per (account, unit, project, debit, ISO day): a line's debit side matters
# only for a project's line (its investment side)
Fine = dict[tuple[str, str, str | None, bool, str], int]

_LINE_FIELDS = itemgetter("account", "unit", "project", "amount_cents")


def post(batch: Batch, posted: Posted) -> LogEntry:
    """The rows of posted vouchers; returns the event's log entry.

    The lines are first summed per (account, unit, project, debit, day), in one tight
    loop over the dicts, then classified once per sum (`_amount_rows`)."""
    position = posted.position
    line_count = 0
    fine: defaultdict[tuple[str, str, str | None, bool, str], int] = defaultdict(int)
    voucher_rows = []
    for voucher in posted.vouchers:
        day = voucher["effective_on"]  # ISO text: the year is its first four digits
        lines = voucher["lines"]
        line_count += len(lines)
        voucher_rows.append((voucher["voucher"], position, day, voucher["content_hash"]))
        for account, unit, project, amount in map(_LINE_FIELDS, lines):
            fine[(account, unit, project, amount > 0 if project else False, day)] += amount
    batch.pending.tuples_of(t.vouchers).extend(voucher_rows)
    batch.lines += line_count
    _amount_rows(batch, fine, position)
    first = posted.vouchers[0]["voucher"] if posted.vouchers else ""
    units = {key[1] for key in fine}
    years = {int(key[4][:4]) for key in fine}
    return vouchers_entry(len(posted.vouchers), first, line_count, units, years)


def reverse(batch: Batch, event: ev.VoucherReversed, lines: list[Line]) -> None:
    """The reversed voucher's lines (`stored_vouchers.VoucherSearch`), negated on the
    reversal's day; the voucher's row marks it reversed."""
    batch.flushed().execute(
        update(t.vouchers)
        .where(t.vouchers.c.voucher == event.voucher)
        .values(reversed_position=event.position, reversed_on=event.effective_on)
    )
    day = event.effective_on.isoformat()
    fine: defaultdict[tuple[str, str, str | None, bool, str], int] = defaultdict(int)
    for account, unit, project, amount in lines:
        fine[(account, unit, project, amount > 0 if project else False, day)] -= amount
    _amount_rows(batch, fine, event.position)


def _amount_rows(batch: Batch, fine: Fine, position: int) -> None:
    """rm_amounts rows of (unit, account, row, group, side, day) -> amount, in the order of
    each key's first line, and their balance changes."""
    read, references = batch.flushed, batch.references
    sums: defaultdict[tuple[Any, ...], int] = defaultdict(int)
    classes: dict[tuple[str, str | None, bool], tuple[str | None, ...]] = {}
    for (account, unit, project, debit, day), amount in fine.items():
        found = classes.get((account, project, debit))
        if found is None:
            found = classes[(account, project, debit)] = _classify(references, read, account, project, debit)
        sums[(unit, account, *found, day)] += amount
    # Every lookup may write the pending rows: all of them before this event's changes.
    for unit in {key[1] for key in fine}:
        references.unit_chain(unit, read)
    changes = batch.balances.of_event(position)
    rows = []
    for (unit, account, row, group, side, day), amount in sums.items():
        if amount:
            rows.append((unit, account, row, group, side, day, position, amount))
            if row is not None:  # a day with an rm_amounts row has a balance row, even if it nets to 0
                changes[(unit, row)][day] += amount
    if rows:
        batch.pending.tuples_of(t.amounts).extend(rows)


def _classify(
    references: ReferenceCache, read: Read, account: str, project: str | None, debit: bool
) -> tuple[str | None, str | None, str | None]:
    """(statement row, investment group, side) of a line."""
    row = references.account_row(account, read)
    if not project:
        return (row, None, None)
    return (row, references.project_group(project, read), "expenditure" if debit else "income")
