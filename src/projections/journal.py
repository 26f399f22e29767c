"""The general journal of a year: every voucher and reversal, line by line, for exports.

`journal` finds the year's vouchers and reversals known at T in the read models
(rm_vouchers) and reads only their events from the log, for the lines as posted;
`account_balances` sums the read model's posted amounts per account and unit. The
beancount export writes the first as transactions and the second as balance
assertions, so `bean-check` proves that the lines in the log and the sums in the read
model agree. Amounts are debit positive, as on the vouchers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Connection, select

from ledger import clock
from ledger import events as ev
from ledger.store import tables as t
from projections import amounts, query

# Reads the events at some log positions, in log order (`Ledger.events_at`).
EventsAt = Callable[[Iterable[int]], Sequence[ev.LedgerEvent]]


@dataclass(frozen=True)
class JournalEntry:
    """One voucher as posted, or one reversal (its lines negated)."""

    position: int
    recorded_at: datetime
    actor: str
    kind: str  # posting | reversal
    voucher: str
    effective_on: date
    text: str
    lines: tuple[ev.PostingLine, ...]


@dataclass(frozen=True)
class Journal:
    entity: str
    fiscal_year: int
    start: date
    end: date  # the last effective date included: as-of, within the year
    known_at: datetime
    accounts: dict[str, ev.Account]
    entries: tuple[JournalEntry, ...]


def journal(conn: Connection, events_at: EventsAt, year: int, as_of: date, known_at: datetime) -> Journal:
    position = query.position_known_at(conn, known_at)
    start, end = clock.year_start(year), min(as_of, clock.year_end(year))
    entries: list[JournalEntry] = []
    posted: dict[str, ev.Voucher] = {}
    for event in events_at(_voucher_positions(conn, start, end, position)):
        if isinstance(event, ev.VouchersPosted):
            for voucher in event.vouchers:
                posted[voucher.voucher] = voucher
                if start <= voucher.effective_on <= end:
                    text = next((line.text for line in voucher.lines if line.text), "")
                    entries.append(_entry(event, "posting", voucher.voucher, voucher.effective_on, text, voucher.lines))
        elif isinstance(event, ev.VoucherReversed):
            negated = tuple(
                line.model_copy(update={"amount_cents": -line.amount_cents}) for line in posted[event.voucher].lines
            )
            entries.append(_entry(event, "reversal", event.voucher, event.effective_on, event.reason, negated))
    entity = _entity(conn, position)
    return Journal(entity, year, start, end, clock.as_utc(known_at), _accounts(conn, end, position), tuple(entries))


def _voucher_positions(conn: Connection, start: date, end: date, position: int) -> set[int]:
    """The events known at `position` that posted a voucher effective in the period, or
    reversed one on a day in it, and the events that posted the reversed vouchers."""
    v = t.vouchers.c
    posted = conn.execute(select(v.position).where(v.effective_on.between(start, end), v.position <= position))
    reversed_ = conn.execute(
        select(v.reversed_position, v.position).where(
            v.reversed_on.between(start, end), v.reversed_position <= position
        )
    )
    return {*posted.scalars(), *(at for pair in reversed_.tuples() for at in pair)}


def _entity(conn: Connection, position: int) -> str:
    log = t.log.c
    initialised = conn.execute(
        select(log.position).where(log.type == "LedgerInitialised", log.position <= position).limit(1)
    ).first()
    return query.setting(conn, "entity", "") if initialised else ""


def _accounts(conn: Connection, end: date, position: int) -> dict[str, ev.Account]:
    """The accounts known at `position`, each by its name in effect at the end of the period."""
    a, r = t.accounts.c, t.reference_changes.c
    rows = conn.execute(
        select(a.code, a.name, a.row, a.account_class).where(a.position <= position).order_by(a.position)
    )
    accounts = {code: ev.Account(code=code, name=name, row=row, account_class=kind) for code, name, row, kind in rows}
    renames = conn.execute(
        select(r.code, r.name)
        .where(r.kind == "account", r.change == "renamed", r.effective_on <= end, r.position <= position)
        .order_by(r.effective_on, r.position)
    )
    for code, name in renames:
        if code in accounts:
            accounts[code] = accounts[code].model_copy(update={"name": name})
    return accounts


def _entry(
    event: ev.LedgerEvent, kind: str, voucher: str, on: date, text: str, lines: tuple[ev.PostingLine, ...]
) -> JournalEntry:
    return JournalEntry(event.position, event.recorded_at, event.actor, kind, voucher, on, text, lines)


def account_balances(conn: Connection, year: int, as_of: date, known_at: datetime) -> dict[tuple[str, str], int]:
    """(account, unit) -> debit-positive sum of the year's postings up to as-of, known at T."""
    units = frozenset(conn.execute(select(t.units.c.code)).scalars())
    position = query.position_known_at(conn, known_at)
    end = min(as_of, clock.year_end(year))
    a = t.amounts.c
    rows = amounts.sum_postings(conn, [a.account, a.unit], units, clock.year_start(year), end, position)
    return {(row[0], row[1]): int(row[2]) for row in rows}
