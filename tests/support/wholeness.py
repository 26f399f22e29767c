"""What must hold of a store after concurrent writers or a killed command.

- positions are gapless from 1, recording times never go backwards, and the hash
  chain verifies (ADR 0006);
- every voucher is in the log once, balanced, and the trial balance is zero;
- the read models have caught up to exactly the log's head and equal a fresh replay.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import func, select

from ledger import events as ev
from ledger.application import Ledger
from ledger.store import tables as t
from ledger.verification import verify_chain
from projections.verify import replay_differences

E = TypeVar("E", bound=ev.LedgerEvent)


@dataclass(frozen=True)
class Whole:
    events: list[ev.LedgerEvent]
    vouchers: Counter[str]  # voucher id -> how many times it is in the log
    lines: int  # posting lines in the log

    def of_type(self, kind: type[E]) -> list[E]:
        return [event for event in self.events if isinstance(event, kind)]


def read_models_position(ledger: Ledger) -> tuple[int, int]:
    """(notification id, log position) the read models have reached, without catching up."""
    with ledger.engine.connect() as conn:
        return ledger.projector.tracked(conn)


def assert_log_whole(store_url: str) -> Whole:
    """The log alone: gapless positions, monotonic recording times, the chain, balanced
    vouchers each in the log once. Reads nothing of the read models."""
    with Ledger(store_url) as ledger:
        events = list(ledger.events())
        chain = verify_chain(ledger.stored_records())
    positions = [event.position for event in events]
    assert positions == list(range(1, len(events) + 1)), "positions must be gapless and in order"
    stamps = [event.recorded_at for event in events]
    assert stamps == sorted(stamps), "recording times never go backwards"
    assert chain.ok, chain.broken
    vouchers: Counter[str] = Counter()
    lines = 0
    for posted in events:
        if isinstance(posted, ev.VouchersPosted):
            for voucher in posted.vouchers:
                vouchers[voucher.voucher] += 1
                lines += len(voucher.lines)
                assert sum(line.amount_cents for line in voucher.lines) == 0, f"{voucher.voucher} does not balance"
    assert [v for v, n in vouchers.items() if n > 1] == [], "a voucher is in the log twice"
    return Whole(events, vouchers, lines)


def assert_whole(store_url: str, catch_up: bool = True, replay: bool = True) -> Whole:
    """The log and the read models; `catch_up=False` requires the read models to be current
    already; `replay=False` leaves the comparison with a fresh replay to `kuntaledger verify`."""
    whole = assert_log_whole(store_url)
    with Ledger(store_url) as ledger:
        if catch_up:
            ledger.catch_up()
        head = (ledger.log_length(), len(whole.events))
        assert read_models_position(ledger) == head, "the read models are not at the log's head"
        with ledger.engine.connect() as conn:
            trial_balance = conn.execute(select(func.coalesce(func.sum(t.amounts.c.amount_cents), 0))).scalar_one()
            projected = conn.execute(select(func.count()).select_from(t.vouchers)).scalar_one()
        assert trial_balance == 0, "the trial balance of the read models is not zero"
        assert projected == len(whole.vouchers)
        if replay:
            projector = ledger.projector
            differences = replay_differences(ledger.engine, projector.select_notifications, projector.decode)
            assert differences == [], [str(d) for d in differences]
    return whole
