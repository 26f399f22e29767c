"""The general journal of a year: every voucher and reversal, line by line, for exports.

`journal(events, ...)` folds the decoded log (the reference side); `account_balances`
sums the read model (the fast side) per account and unit. The beancount export writes
the first as transactions and the second as balance assertions, so `bean-check` proves
that both sides agree. Amounts are debit positive, as on the vouchers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Connection, select

from ledger import clock
from ledger import events as ev
from ledger.store import tables as t
from projections import amounts, query


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


def journal(events: Iterable[ev.LedgerEvent], year: int, as_of: date, known_at: datetime) -> Journal:
    seen = query.known(events, known_at)
    start, end = clock.year_start(year), min(as_of, clock.year_end(year))
    posted: dict[str, ev.Voucher] = {}
    entries: list[JournalEntry] = []
    for event in seen:
        if isinstance(event, ev.VouchersPosted):
            for voucher in event.vouchers:
                posted[voucher.voucher] = voucher
                text = next((line.text for line in voucher.lines if line.text), "")
                entries.append(_entry(event, "posting", voucher.voucher, voucher.effective_on, text, voucher.lines))
        elif isinstance(event, ev.VoucherReversed):
            negated = tuple(
                line.model_copy(update={"amount_cents": -line.amount_cents}) for line in posted[event.voucher].lines
            )
            entries.append(_entry(event, "reversal", event.voucher, event.effective_on, event.reason, negated))
    entity = next((e.entity for e in seen if isinstance(e, ev.LedgerInitialised)), "")
    accounts = {a.code: a for e in seen if isinstance(e, ev.AccountsAdded) for a in e.accounts}
    renames = sorted(
        (e for e in seen if isinstance(e, ev.AccountRenamed) and e.effective_on <= end and e.code in accounts),
        key=lambda e: (e.effective_on, e.position),
    )
    for rename in renames:  # each account by its name in effect at the end of the period
        accounts[rename.code] = accounts[rename.code].model_copy(update={"name": rename.name})
    kept = tuple(entry for entry in entries if start <= entry.effective_on <= end)
    return Journal(entity, year, start, end, clock.as_utc(known_at), accounts, kept)


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
