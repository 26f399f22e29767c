"""Feeds the read-model tables from the notification log, exactly once.

Each batch of events is applied in one transaction together with the new tracked
position, which is advanced by compare-and-set: a crash never leaves a half-applied
event, and two processes catching up at once cannot apply an event twice.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, Table, delete, insert, select, update

from ledger import events as ev
from projections import bulk
from projections import tables as t
from projections.log_entries import log_entry

BATCH_SIZE = 200
BATCH_LINES = 100_000  # a batch stops after the event that brings it past this many posting lines
MAIN = "main"


def to_micros(moment: datetime) -> int:
    """Exact integer microseconds since the epoch (a float detour is off by one now and then)."""
    return (moment - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1)


class _LostRace(Exception):
    """Another process advanced the position first; re-read and go on."""


class Projector:
    """Applies events after the tracked position to the read-model tables."""

    def __init__(
        self,
        engine: Engine,
        select_notifications: Callable[[int, int], Sequence[Any]],
        decode: Callable[[Any], ev.LedgerEvent],
        decode_state: Callable[[Any], dict[str, Any]] | None = None,
    ) -> None:
        self.engine = engine
        self.select_notifications = select_notifications
        self.decode = decode
        self.decode_state = decode_state  # the stored JSON as dicts, for the hot path (bulk.py)

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
            batch = _Batch(conn, self)
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
            return applied

    def _apply(self, batch: _Batch, notification: Any) -> int:
        """Apply one event; returns its log position."""
        if self.decode_state is not None and notification.topic == ev.VouchersPosted.TOPIC:
            state = self.decode_state(notification)
            if bulk.is_current_vouchers_posted(notification.topic, state):
                position = int(notification.originator_version)
                batch.lines += bulk.apply_vouchers_posted(batch, state, position, notification.id, to_micros)
                return position
        event = self.decode(notification)
        batch.apply(event, notification.id)
        return event.position


class _Batch:
    """Accumulates the rows of one batch and writes them with executemany."""

    def __init__(self, conn: Connection, projector: Projector) -> None:
        self.conn = conn
        self.projector = projector
        self.rows: dict[Table, list[dict[str, Any]]] = defaultdict(list)
        self.posted_here: dict[str, ev.Voucher] = {}
        self.lines = 0  # posting lines applied in this batch
        self.account_rows: dict[str, str | None] = {}
        self.project_groups: dict[str, str | None] = {}
        self.last_raw: tuple[int, dict[str, Any]] | None = None  # (position, payload) of the last event searched
        # (unit, row) -> {ISO day: debit-positive change}: applied to rm_balances by flush()
        self.balance_changes: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.amount_rows_through: int | None = None  # rm_amounts rows so far (rm_amount_marks)
        self.unit_chains: dict[str, tuple[str, ...]] = {}  # a unit and its ancestors (units never move)

    def add(self, table: Table, **values: Any) -> None:
        self.rows[table].append(values)

    def flush(self) -> None:
        if self.balance_changes:  # emptied in place: _amount_rows may hold it across a flush
            changes = dict(self.balance_changes)
            self.balance_changes.clear()
            bulk.apply_balance_changes(self, changes)
        for table in t.PROJECTED_TABLES:
            rows = self.rows.pop(table, None)
            if rows:
                bulk.insert_rows(self.conn, table, rows)

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
            self.add(
                t.accounts,
                code=account.code,
                name=account.name,
                row=account.row,
                account_class=account.account_class,
                position=event.position,
            )

    def _on_InvestmentGroupsAdded(self, event: ev.InvestmentGroupsAdded) -> None:
        for group in event.groups:
            self.add(t.investment_groups, code=group.code, name_fi=group.name_fi, name_en=group.name_en)

    def _on_UnitAdded(self, event: ev.UnitAdded) -> None:
        self.add(
            t.units,
            code=event.code,
            name=event.name,
            parent=event.parent,
            binding=event.binding,
            position=event.position,
        )

    def _on_UnitDescribed(self, event: ev.UnitDescribed) -> None:
        self._unit_text(event.unit, event.fiscal_year, "description", event.text, event)

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

    def _on_BudgetAmended(self, event: ev.BudgetAmended) -> None:
        self._budget_lines(event.fiscal_year, event.kind, event.lines, event.decision, event.position)

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

    def _on_VouchersPosted(self, event: ev.VouchersPosted) -> None:
        sums: dict[tuple[Any, ...], int] = defaultdict(int)
        for voucher in event.vouchers:
            self.posted_here[voucher.voucher] = voucher
            self.add(
                t.vouchers,
                voucher=voucher.voucher,
                position=event.position,
                effective_on=voucher.effective_on,
                content_hash=voucher.content_hash,
            )
            for key, amount in self.classify(bulk.model_lines(voucher), sign=1):
                sums[(*key, voucher.effective_on)] += amount
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
            sums[(*key, event.effective_on)] += amount
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
        changes = self.balance_changes
        written = 0
        for (unit, account, row, group, side, day), amount in sums.items():
            if amount:
                written += 1
                if row is not None:  # a day with an rm_amounts row has a balance row, even if it nets to 0
                    chains = self.unit_chains
                    for holder in chains[unit] if unit in chains else self._unit_chain(unit):
                        changes[(holder, row)][str(day)] += amount
                self.add(
                    t.amounts,
                    unit=unit,
                    account=account,
                    row=row,
                    investment_group=group,
                    investment_side=side,
                    effective_on=day,
                    position=position,
                    amount_cents=amount,
                )
        if written:
            if self.amount_rows_through is None:
                self.amount_rows_through = bulk.amount_rows_through(self.conn)
            self.amount_rows_through += written
            self.add(t.amount_marks, position=position, rows_through=self.amount_rows_through)

    def _unit_chain(self, code: str) -> tuple[str, ...]:
        """The unit and every unit above it: rm_balances holds each unit's subtree total.
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
        cache = self.account_rows
        if code not in cache:
            self.flush()
            cache[code] = self.conn.execute(
                select(t.accounts.c.row).where(t.accounts.c.code == code)
            ).scalar_one_or_none()
        return cache[code]

    def _project_group(self, code: str) -> str | None:
        """A project's group; cached once known (a project never changes its group)."""
        if self.project_groups.get(code) is None:
            self.flush()
            self.project_groups[code] = self.conn.execute(
                select(t.projects.c.investment_group).where(t.projects.c.code == code)
            ).scalar_one_or_none()
        return self.project_groups[code]

    def _find_voucher(self, voucher_id: str) -> list[bulk.Line]:
        if voucher_id in self.posted_here:
            return bulk.model_lines(self.posted_here[voucher_id])
        self.flush()
        notification_id = self.conn.execute(
            select(t.log.c.notification_id)
            .join(t.vouchers, t.vouchers.c.position == t.log.c.position)
            .where(t.vouchers.c.voucher == voucher_id)
        ).scalar_one()
        if self.last_raw is not None and self.last_raw[0] == notification_id:
            return bulk.find_raw_voucher(self.last_raw[1], voucher_id)
        (notification,) = self.projector.select_notifications(notification_id - 1, 1)
        decode_state = self.projector.decode_state
        if decode_state is not None:
            state = decode_state(notification)
            if bulk.is_current_vouchers_posted(notification.topic, state):
                self.last_raw = (notification_id, state)
                return bulk.find_raw_voucher(state, voucher_id)
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
