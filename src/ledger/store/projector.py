"""Feeds the read-model tables from the notification log, exactly once.

Each batch of events is applied in one transaction together with the new tracked
position, which is advanced by compare-and-set: a crash never leaves a half-applied
event, and two processes catching up at once cannot apply an event twice.
"""

from __future__ import annotations

import gc
import json
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, Table, delete, insert, select, update

from ledger import events as ev
from ledger.store import bulk
from ledger.store import tables as t
from ledger.store.log_entries import log_entry
from ledger.store.names import PROJECTOR

BATCH_SIZE = 200
BATCH_LINES = 100_000  # a batch stops after the event that brings it past this many posting lines
MAIN = PROJECTOR  # its row in rm_position
SEARCHED_EVENTS = 8  # stored posting events a batch keeps indexed by voucher, for reversals
# Reversals into one stored posting event that read their voucher alone (about 6 ms each)
# before the batch decodes and indexes the whole event (about 40 ms, then free).
PARTLY_SEARCHED = 6


def to_micros(moment: datetime) -> int:
    """Exact integer microseconds since the epoch (a float detour is off by one now and then)."""
    return (moment - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for one batch: decoding an import's JSON makes
    hundreds of thousands of dicts, and each full collection walks them all (a sixth of a
    rebuild's CPU). A batch makes no reference cycles worth collecting; they wait for the
    next collection after it."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


class _LostRace(Exception):
    """Another process advanced the position first; re-read and go on."""


class Projector:
    """Applies events after the tracked position to the read-model tables."""

    def __init__(
        self,
        engine: Engine,
        select_notifications: Callable[[int, int], Sequence[Any]],
        decode: Callable[[Any], ev.LedgerEvent],
        payload: Callable[[Any], bytes] | None = None,
    ) -> None:
        self.engine = engine
        self.select_notifications = select_notifications
        self.decode = decode
        self.payload = payload  # the stored JSON, read as plain data on the hot path (bulk.py)
        # What the last batch this projector committed learned, and the notification it
        # ended at: the next batch reuses it only if it starts there (`_Carried`).
        self._carried: _Carried | None = None
        self._carried_at = -1

    def tracked(self, conn: Connection, lock: bool = False) -> tuple[int, int]:
        """The tracked position; `lock` holds the row until the transaction ends, so that
        concurrent projectors on PostgreSQL queue here instead of inserting the same rows
        (SQLite's BEGIN IMMEDIATE already serialises them; it ignores FOR UPDATE)."""
        query = select(t.position.c.notification_id, t.position.c.log_position).where(t.position.c.name == MAIN)
        row = conn.execute(query.with_for_update() if lock else query).one()
        return int(row[0]), int(row[1])

    def catch_up(self, on_batch: Callable[[int], None] | None = None) -> int:
        """Apply every new event; returns how many were applied."""
        applied = 0
        while True:
            try:
                with _collector_paused():
                    count = self._apply_next_batch()
            except _LostRace:
                continue
            if count == 0:
                return applied
            applied += count
            if on_batch:
                on_batch(count)

    def _apply_next_batch(self) -> int:
        with self.engine.begin() as conn:
            notification_id, log_position = self.tracked(conn)
            notifications = self.select_notifications(notification_id, BATCH_SIZE)
            if not notifications:
                return 0  # nothing new: no row lock, so a reader's catch-up stays a read
            if self.tracked(conn, lock=True)[0] != notification_id:
                raise _LostRace()
            # Carried over only from the batch that ended at this very position, and handed
            # back only once this batch has committed.
            carried = self._carried if self._carried_at == notification_id else None
            self._carried, self._carried_at = None, -1
            batch = _Batch(conn, self, carried or _Carried())
            applied = 0
            for notification in notifications:
                log_position = self._apply(batch, notification)
                applied += 1
                if batch.lines >= BATCH_LINES:
                    break
            batch.flush()
            result = conn.execute(
                update(t.position)
                .where(t.position.c.name == MAIN, t.position.c.notification_id == notification_id)
                .values(notification_id=notifications[applied - 1].id, log_position=log_position)
            )
            if result.rowcount != 1:
                raise _LostRace()
            done = int(notifications[applied - 1].id)
        self._carried, self._carried_at = batch.carried, done
        return applied

    def _apply(self, batch: _Batch, notification: Any) -> int:
        """Apply one event; returns its log position."""
        if self.payload is not None and notification.topic == ev.VouchersPosted.TOPIC:
            state = json.loads(self.payload(notification))
            if bulk.is_current_vouchers_posted(notification.topic, state):
                position = int(notification.originator_version)
                batch.lines += bulk.apply_vouchers_posted(batch, state, position, notification.id, to_micros)
                return position
        event = self.decode(notification)
        batch.apply(event, notification.id)
        return event.position


@dataclass
class _Carried:
    """What a batch reads that the next batch may reuse when it starts where this one
    ended (no other process applied anything between): each (unit, row)'s newest balance
    (`bulk.newest_balances`, kept current by `bulk.apply_balance_changes`), and the
    account rows, project groups and unit chains read so far. Each maps a code to what
    never changes once added (an added unit has no children yet, so no chain above it
    changes); the handlers that add one extend them, and a code missing is read again."""

    newest: bulk.Newest | None = None
    account_rows: dict[str, str | None] = field(default_factory=dict)
    project_groups: dict[str, str | None] = field(default_factory=dict)
    unit_chains: dict[str, tuple[str, ...]] = field(default_factory=dict)  # a unit and its ancestors


class _Batch:
    """Accumulates the rows of one batch and writes them at once (bulk.py)."""

    def __init__(self, conn: Connection, projector: Projector, carried: _Carried) -> None:
        self.conn = conn
        self.projector = projector
        self.rows: dict[Table, list[dict[str, Any]]] = defaultdict(list)  # the rare tables
        self.tuples: dict[Table, list[tuple[Any, ...]]] = {}  # the big ones (bulk.COLUMNS)
        self.posted_here: dict[str, ev.Voucher] = {}
        self.lines = 0  # posting lines applied in this batch
        self.carried = carried
        self.account_rows = carried.account_rows
        self.project_groups = carried.project_groups
        self.unit_chains = carried.unit_chains
        # notification id -> {voucher: lines} of the stored events searched for a reversal
        self.searched: dict[int, dict[str, list[bulk.Line]]] = {}
        self.searches: defaultdict[int, int] = defaultdict(int)  # reversals into each stored event
        # position -> (unit, row) -> {ISO day: debit-positive change} of the unit's own
        # postings: versions of the unit's and its ancestors' balances, written by flush()
        self.balance_changes: dict[int, defaultdict[tuple[str, str], defaultdict[str, int]]] = {}

    def add(self, table: Table, **values: Any) -> None:
        self.rows[table].append(values)

    def tuples_of(self, table: Table) -> list[tuple[Any, ...]]:
        """The pending rows of a table of `bulk.COLUMNS`: append tuples in its column order."""
        found = self.tuples.get(table)
        if found is None:
            found = self.tuples[table] = []
        return found

    def flush(self) -> None:
        if self.balance_changes:
            self._apply_balance_changes()
        for table in t.PROJECTED_TABLES:
            rows = self.rows.pop(table, None)
            if rows:
                bulk.insert_rows(self.conn, table, rows)
            tuples = self.tuples.pop(table, None)
            if tuples:
                bulk.insert_tuples(self.conn, table, tuples)

    def _apply_balance_changes(self) -> None:
        """Each unit's changes go to its own balances and to those of every unit above it,
        event by event: each event's are versions at its position."""
        if self.carried.newest is None:
            self.carried.newest = bulk.newest_balances(self.conn)
        chains = self.unit_chains  # known for every unit here: _amount_rows looked them up
        for position in sorted(self.balance_changes):
            changes: dict[tuple[str, str], dict[str, int]] = {}
            for (unit, row), own in self.balance_changes[position].items():
                for holder in chains[unit]:
                    by_day = changes.get((holder, row))
                    if by_day is None:
                        changes[(holder, row)] = dict(own)
                    else:
                        for day, amount in own.items():
                            by_day[day] = by_day.get(day, 0) + amount
            bulk.apply_balance_changes(self, position, changes, self.carried.newest)
        self.balance_changes.clear()

    def apply(self, event: ev.LedgerEvent, notification_id: int) -> None:
        entry = log_entry(event)
        self.add(
            t.log,
            position=event.position,
            notification_id=notification_id,
            recorded_us=to_micros(event.recorded_at),
            actor=event.actor,
            type=ev.type_name(event),
            summary=entry.summary,
            fiscal_year=entry.fiscal_year,
            units=" " + " ".join(entry.units) + " " if entry.units else "",
            chain_hash=event.chain_hash,
        )
        handler = getattr(self, f"_on_{ev.type_name(event)}")
        handler(event)

    # One method per event type; each only writes rows.

    def _on_LedgerInitialised(self, event: ev.LedgerInitialised) -> None:
        self.add(t.settings, key="entity", value=event.entity)
        self.add(t.settings, key="deviation_sign", value=event.deviation_sign)

    def _on_AccountsAdded(self, event: ev.AccountsAdded) -> None:
        for account in event.accounts:
            self.account_rows[account.code] = account.row
            self.add(
                t.accounts,
                code=account.code,
                name=account.name,
                row=account.row,
                account_class=account.account_class,
                position=event.position,
            )

    def _on_UnitRenamed(self, event: ev.UnitRenamed) -> None:
        self._reference_change("unit", event.code, "renamed", event.name, event)

    def _on_UnitClosed(self, event: ev.UnitClosed) -> None:
        self._reference_change("unit", event.code, "closed", None, event)

    def _on_AccountRenamed(self, event: ev.AccountRenamed) -> None:
        self._reference_change("account", event.code, "renamed", event.name, event)

    def _on_AccountClosed(self, event: ev.AccountClosed) -> None:
        self._reference_change("account", event.code, "closed", None, event)

    def _reference_change(
        self,
        kind: str,
        code: str,
        change: str,
        name: str | None,
        event: ev.UnitRenamed | ev.UnitClosed | ev.AccountRenamed | ev.AccountClosed,
    ) -> None:
        self.add(
            t.reference_changes,
            kind=kind,
            code=code,
            change=change,
            name=name,
            effective_on=event.effective_on,
            position=event.position,
        )

    def _on_EventsMarkedIllustrative(self, event: ev.EventsMarkedIllustrative) -> None:
        self.add(
            t.illustrative_marks,
            position=event.position,
            first_position=event.first_position,
            last_position=event.last_position,
            note=event.note,
        )

    def _on_InvestmentGroupsAdded(self, event: ev.InvestmentGroupsAdded) -> None:
        for group in event.groups:
            self.add(t.investment_groups, code=group.code, name_fi=group.name_fi, name_en=group.name_en)

    def _on_UnitAdded(self, event: ev.UnitAdded) -> None:
        # Pending balance changes still need every chain known: extend them, never clear.
        above = self.unit_chains.get(event.parent) if event.parent else ()
        if above is not None:
            self.unit_chains[event.code] = (event.code, *above)
        self.add(
            t.units,
            code=event.code,
            name=event.name,
            parent=event.parent,
            binding=event.binding,
            position=event.position,
        )

    def _on_UnitDescribed(self, event: ev.UnitDescribed) -> None:
        self._unit_text(event.unit, event.fiscal_year, event.kind, event.text, event)

    def _on_DeviationExplained(self, event: ev.DeviationExplained) -> None:
        self._unit_text(event.unit, event.fiscal_year, "deviation", event.text, event)

    def _unit_text(
        self, unit: str, year: int, kind: str, text: str, event: ev.UnitDescribed | ev.DeviationExplained
    ) -> None:
        self.add(
            t.unit_texts,
            unit=unit,
            fiscal_year=year,
            kind=kind,
            text=text,
            effective_on=event.effective_on,
            position=event.position,
        )

    def _on_ProjectAdded(self, event: ev.ProjectAdded) -> None:
        self.project_groups[event.code] = event.investment_group
        self.add(
            t.projects,
            code=event.code,
            name=event.name,
            investment_group=event.investment_group,
            unit=event.unit,
        )

    def _on_BudgetAdopted(self, event: ev.BudgetAdopted) -> None:
        self._fiscal_year_seen(event.fiscal_year)
        self.conn.execute(
            update(t.fiscal_years)
            .where(t.fiscal_years.c.fiscal_year == event.fiscal_year)
            .values(adopted_position=event.position)
        )
        self._budget_lines(event.fiscal_year, "original", event.lines, event.decision, event.position)
        self._budget_decision(event.fiscal_year, "original", event.decision, "", event.position)

    def _on_BudgetAmended(self, event: ev.BudgetAmended) -> None:
        self._budget_lines(event.fiscal_year, event.kind, event.lines, event.decision, event.position)
        self._budget_decision(event.fiscal_year, event.kind, event.decision, event.reason, event.position)

    def _budget_decision(self, year: int, kind: str, decision: ev.Decision, reason: str, position: int) -> None:
        self.add(
            t.budget_decisions,
            position=position,
            fiscal_year=year,
            kind=kind,
            body=decision.body,
            reference=decision.reference,
            decided_on=decision.decided_on,
            reason=reason,
        )

    def _budget_lines(
        self,
        year: int,
        kind: str,
        lines: tuple[ev.BudgetLine, ...],
        decision: ev.Decision,
        position: int,
    ) -> None:
        for line in lines:
            self.add(
                t.budget_lines,
                position=position,
                fiscal_year=year,
                unit=line.unit,
                kind=kind,
                row=line.row,
                investment_group=line.investment_group,
                investment_side=line.investment_side,
                amount_cents=line.amount_cents,
                effective_on=decision.decided_on,
            )

    def _fiscal_year_seen(self, year: int) -> None:
        self.flush()
        exists = self.conn.execute(
            select(t.fiscal_years.c.fiscal_year).where(t.fiscal_years.c.fiscal_year == year)
        ).first()
        if exists is None:
            self.conn.execute(insert(t.fiscal_years).values(fiscal_year=year))

    def _on_FiscalYearClosed(self, event: ev.FiscalYearClosed) -> None:
        self._fiscal_year_seen(event.fiscal_year)
        self.conn.execute(
            update(t.fiscal_years)
            .where(t.fiscal_years.c.fiscal_year == event.fiscal_year)
            .values(closed_position=event.position, closed_on=event.decision.decided_on)
        )

    def _on_FiscalYearReopened(self, event: ev.FiscalYearReopened) -> None:
        self.flush()
        self.conn.execute(
            update(t.fiscal_years)
            .where(t.fiscal_years.c.fiscal_year == event.fiscal_year)
            .values(closed_position=None, closed_on=None)
        )

    def _on_ReportApproved(self, event: ev.ReportApproved) -> None:
        self.add(
            t.approvals,
            position=event.position,
            unit=event.unit,
            fiscal_year=event.fiscal_year,
            body=event.decision.body,
            reference=event.decision.reference,
            decided_on=event.decision.decided_on,
            figures_hash=event.figures_hash,
            recorded_us=to_micros(event.recorded_at),
        )

    def _on_VouchersPosted(self, event: ev.VouchersPosted) -> None:
        sums: dict[tuple[Any, ...], int] = defaultdict(int)
        for voucher in event.vouchers:
            self.posted_here[voucher.voucher] = voucher
            day = voucher.effective_on.isoformat()
            row = (voucher.voucher, event.position, day, voucher.content_hash)
            self.tuples_of(t.vouchers).append(row)
            for key, amount in self.classify(bulk.model_lines(voucher), sign=1):
                sums[(*key, day)] += amount
            self.lines += len(voucher.lines)
        self._amount_rows(sums, event.position)

    def _on_VoucherReversed(self, event: ev.VoucherReversed) -> None:
        original = self._find_voucher(event.voucher)
        self.flush()
        self.conn.execute(
            update(t.vouchers)
            .where(t.vouchers.c.voucher == event.voucher)
            .values(reversed_position=event.position, reversed_on=event.effective_on)
        )
        sums: dict[tuple[Any, ...], int] = defaultdict(int)
        for key, amount in self.classify(original, sign=-1):
            sums[(*key, event.effective_on.isoformat())] += amount
        self._amount_rows(sums, event.position)

    def classify(self, lines: list[bulk.Line], sign: int) -> list[tuple[tuple[Any, ...], int]]:
        """(unit, account, row, investment group, side) and the signed amount of each line."""
        out = []
        rows = self.account_rows
        for account, unit, project, amount in lines:
            row = rows[account] if account in rows else self._account_row(account)
            group = side = None
            if project:
                group = self._project_group(project)
                side = "expenditure" if amount > 0 else "income"
            out.append(((unit, account, row, group, side), sign * amount))
        return out

    def _amount_rows(self, sums: dict[tuple[Any, ...], int], position: int) -> None:
        """rm_amounts rows of (unit, account, row, group, side, ISO day) -> amount, in order."""
        for unit in {key[0] for key in sums}:
            if unit not in self.unit_chains:
                self._unit_chain(unit)  # may flush: before any row of this event is pending
        changes = self.balance_changes.get(position)
        if changes is None:
            changes = self.balance_changes[position] = defaultdict(lambda: defaultdict(int))
        rows = []
        for (unit, account, row, group, side, day), amount in sums.items():
            if amount:
                rows.append((unit, account, row, group, side, day, position, amount))
                if row is not None:  # a day with an rm_amounts row has a balance row, even if it nets to 0
                    changes[(unit, row)][day] += amount
        if rows:
            self.tuples_of(t.amounts).extend(rows)

    def _unit_chain(self, code: str) -> tuple[str, ...]:
        """The unit and every unit above it: rm_balance_versions holds each unit's subtree total.
        Read for every unit at once (a handful of rows), again only for a unit added since."""
        self.flush()
        parents = dict(self.conn.execute(select(t.units.c.code, t.units.c.parent)).tuples().all())
        for unit in parents:
            chain = [unit]
            while (parent := parents.get(chain[-1])) and parent not in chain:
                chain.append(parent)
            self.unit_chains[unit] = tuple(chain)
        return self.unit_chains.setdefault(code, (code,))

    def _account_row(self, code: str) -> str | None:
        """An account's statement row: every account's read at the first one asked for."""
        cache = self.account_rows
        if code not in cache:
            self.flush()
            cache.update(self.conn.execute(select(t.accounts.c.code, t.accounts.c.row)).tuples().all())
            cache.setdefault(code, None)
        return cache[code]

    def _project_group(self, code: str) -> str | None:
        """A project's group: every project's read at the first one asked for."""
        if self.project_groups.get(code) is None:
            self.flush()
            self.project_groups.update(
                self.conn.execute(select(t.projects.c.code, t.projects.c.investment_group)).tuples().all()
            )
        return self.project_groups.get(code)

    def _find_voucher(self, voucher_id: str) -> list[bulk.Line]:
        if voucher_id in self.posted_here:
            return bulk.model_lines(self.posted_here[voucher_id])
        self.flush()
        notification_id = self.conn.execute(
            select(t.log.c.notification_id)
            .join(t.vouchers, t.vouchers.c.position == t.log.c.position)
            .where(t.vouchers.c.voucher == voucher_id)
        ).scalar_one()
        if notification_id in self.searched:
            return bulk.find_indexed_voucher(self.searched[notification_id], voucher_id)
        (notification,) = self.projector.select_notifications(notification_id - 1, 1)
        payload = self.projector.payload
        if payload is not None and notification.topic == ev.VouchersPosted.TOPIC:
            data = payload(notification)
            self.searches[notification_id] += 1
            if self.searches[notification_id] <= PARTLY_SEARCHED:
                lines = bulk.voucher_in_payload(data, voucher_id)
                if lines is not None:
                    return lines
            state = json.loads(data)
            if bulk.is_current_vouchers_posted(notification.topic, state):
                if len(self.searched) >= SEARCHED_EVENTS:
                    del self.searched[next(iter(self.searched))]
                self.searched[notification_id] = bulk.index_vouchers(state)
                return bulk.find_indexed_voucher(self.searched[notification_id], voucher_id)
        event = self.projector.decode(notification)
        assert isinstance(event, ev.VouchersPosted)
        return bulk.model_lines(next(v for v in event.vouchers if v.voucher == voucher_id))

    def _on_GoalSet(self, event: ev.GoalSet) -> None:
        self._goal_row(event.goal, event.unit, event.fiscal_year, "set", event)

    def _on_GoalReworded(self, event: ev.GoalReworded) -> None:
        self._goal_row(event.goal, None, None, "reworded", event)

    def _on_GoalOutcomeReported(self, event: ev.GoalOutcomeReported) -> None:
        self._goal_row(event.goal, None, None, "outcome", event)

    def _goal_row(
        self,
        goal: str,
        unit: str | None,
        year: int | None,
        kind: str,
        event: ev.GoalSet | ev.GoalReworded | ev.GoalOutcomeReported,
    ) -> None:
        if unit is None or year is None:
            self.flush()
            unit, year = self.conn.execute(
                select(t.goal_events.c.unit, t.goal_events.c.fiscal_year).where(
                    t.goal_events.c.goal == goal, t.goal_events.c.kind == "set"
                )
            ).one()
        self.add(
            t.goal_events,
            goal=goal,
            unit=unit,
            fiscal_year=year,
            kind=kind,
            effective_on=event.effective_on,
            position=event.position,
            payload=json.dumps(event.content(), ensure_ascii=False),
        )

    def _on_RiskAssessed(self, event: ev.RiskAssessed) -> None:
        self.add(
            t.risk_events,
            risk=event.risk,
            unit=event.unit,
            fiscal_year=event.fiscal_year,
            effective_on=event.effective_on,
            position=event.position,
            payload=json.dumps(event.content(), ensure_ascii=False),
        )


def reset(conn: Connection) -> None:
    """Empty every projected table and rewind the position (for `rebuild`)."""
    for table in reversed(t.PROJECTED_TABLES):
        conn.execute(delete(table))
    conn.execute(update(t.position).where(t.position.c.name == MAIN).values(notification_id=0, log_position=0))
