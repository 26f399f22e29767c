"""The read-model rows of every event but the postings (`postings.py`): one handler per
event type, each only writes rows."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import Connection, insert, select, update

from ledger import clock
from ledger import events as ev
from ledger.store import tables as t
from ledger.store.batch import Batch
from ledger.store.reporting_rows import HANDLERS as REPORTING_HANDLERS

E = TypeVar("E", bound=ev.LedgerEvent)
_HANDLERS: dict[type[ev.LedgerEvent], Callable[[Batch, Any], None]] = dict(REPORTING_HANDLERS)


def write_rows(batch: Batch, event: ev.LedgerEvent) -> None:
    _HANDLERS[type(event)](batch, event)


def _handles(event_type: type[E]) -> Callable[[Callable[[Batch, E], None]], Callable[[Batch, E], None]]:
    def register(handler: Callable[[Batch, E], None]) -> Callable[[Batch, E], None]:
        _HANDLERS[event_type] = handler
        return handler

    return register


@_handles(ev.LedgerInitialised)
def _initialised(batch: Batch, event: ev.LedgerInitialised) -> None:
    batch.add(t.settings, key="entity", value=event.entity)
    batch.add(t.settings, key="deviation_sign", value=event.deviation_sign)


@_handles(ev.AccountsAdded)
def _accounts_added(batch: Batch, event: ev.AccountsAdded) -> None:
    for account in event.accounts:
        batch.references.account_added(account.code, account.row)
        batch.add(
            t.accounts,
            code=account.code,
            name=account.name,
            row=account.row,
            account_class=account.account_class,
            position=event.position,
        )


@_handles(ev.UnitRenamed)
def _unit_renamed(batch: Batch, event: ev.UnitRenamed) -> None:
    _reference_change(batch, "unit", event.code, "renamed", event.name, event)


@_handles(ev.UnitClosed)
def _unit_closed(batch: Batch, event: ev.UnitClosed) -> None:
    _reference_change(batch, "unit", event.code, "closed", None, event)


@_handles(ev.AccountRenamed)
def _account_renamed(batch: Batch, event: ev.AccountRenamed) -> None:
    _reference_change(batch, "account", event.code, "renamed", event.name, event)


@_handles(ev.AccountClosed)
def _account_closed(batch: Batch, event: ev.AccountClosed) -> None:
    _reference_change(batch, "account", event.code, "closed", None, event)


def _reference_change(
    batch: Batch,
    kind: str,
    code: str,
    change: str,
    name: str | None,
    event: ev.UnitRenamed | ev.UnitClosed | ev.AccountRenamed | ev.AccountClosed,
) -> None:
    batch.add(
        t.reference_changes,
        kind=kind,
        code=code,
        change=change,
        name=name,
        effective_on=event.effective_on,
        position=event.position,
    )


@_handles(ev.EventsMarkedIllustrative)
def _marked_illustrative(batch: Batch, event: ev.EventsMarkedIllustrative) -> None:
    batch.add(
        t.illustrative_marks,
        position=event.position,
        first_position=event.first_position,
        last_position=event.last_position,
        note=event.note,
    )


@_handles(ev.InvestmentGroupsAdded)
def _investment_groups_added(batch: Batch, event: ev.InvestmentGroupsAdded) -> None:
    for group in event.groups:
        batch.add(t.investment_groups, code=group.code, name_fi=group.name_fi, name_en=group.name_en)


@_handles(ev.UnitAdded)
def _unit_added(batch: Batch, event: ev.UnitAdded) -> None:
    batch.references.unit_added(event.code, event.parent)
    batch.add(
        t.units,
        code=event.code,
        name=event.name,
        parent=event.parent,
        binding=event.binding,
        position=event.position,
    )


@_handles(ev.UnitDescribed)
def _unit_described(batch: Batch, event: ev.UnitDescribed) -> None:
    _unit_text(batch, event.unit, event.fiscal_year, event.kind, event.text, event)


@_handles(ev.DeviationExplained)
def _deviation_explained(batch: Batch, event: ev.DeviationExplained) -> None:
    _unit_text(batch, event.unit, event.fiscal_year, "deviation", event.text, event)


def _unit_text(
    batch: Batch, unit: str, year: int, kind: str, text: str, event: ev.UnitDescribed | ev.DeviationExplained
) -> None:
    batch.add(
        t.unit_texts,
        unit=unit,
        fiscal_year=year,
        kind=kind,
        text=text,
        effective_on=event.effective_on,
        position=event.position,
    )


@_handles(ev.ProjectAdded)
def _project_added(batch: Batch, event: ev.ProjectAdded) -> None:
    batch.references.project_added(event.code, event.investment_group)
    batch.add(
        t.projects,
        code=event.code,
        name=event.name,
        investment_group=event.investment_group,
        unit=event.unit,
    )


@_handles(ev.BudgetAdopted)
def _budget_adopted(batch: Batch, event: ev.BudgetAdopted) -> None:
    _fiscal_year_seen(batch, event.fiscal_year).execute(
        update(t.fiscal_years)
        .where(t.fiscal_years.c.fiscal_year == event.fiscal_year)
        .values(adopted_position=event.position)
    )
    _budget_lines(batch, event.fiscal_year, "original", event.lines, event.decision, event.position)
    _budget_decision(batch, event.fiscal_year, "original", event.decision, "", event.position)


@_handles(ev.BudgetAmended)
def _budget_amended(batch: Batch, event: ev.BudgetAmended) -> None:
    _budget_lines(batch, event.fiscal_year, event.kind, event.lines, event.decision, event.position)
    _budget_decision(batch, event.fiscal_year, event.kind, event.decision, event.reason, event.position)


@_handles(ev.FinancialPlanRecorded)
def _plan_recorded(batch: Batch, event: ev.FinancialPlanRecorded) -> None:
    for line in event.lines:
        batch.add(
            t.plan_lines,
            position=event.position,
            fiscal_year=event.fiscal_year,
            plan_year=line.plan_year,
            unit=line.unit,
            kind=event.kind,
            row=line.row,
            investment_group=line.investment_group,
            investment_side=line.investment_side,
            amount_cents=line.amount_cents,
            effective_on=event.decision.decided_on,
        )


def _budget_decision(batch: Batch, year: int, kind: str, decision: ev.Decision, reason: str, position: int) -> None:
    batch.add(
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
    batch: Batch, year: int, kind: str, lines: tuple[ev.BudgetLine, ...], decision: ev.Decision, position: int
) -> None:
    for line in lines:
        batch.add(
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
            service_class=line.service_class,
            sector=line.sector,
        )


def _fiscal_year_seen(batch: Batch, year: int) -> Connection:
    """The year's rm_fiscal_years row, added when missing; the connection, to update it."""
    conn = batch.flushed()
    exists = conn.execute(select(t.fiscal_years.c.fiscal_year).where(t.fiscal_years.c.fiscal_year == year)).first()
    if exists is None:
        conn.execute(insert(t.fiscal_years).values(fiscal_year=year))
    return conn


@_handles(ev.FiscalYearClosed)
def _fiscal_year_closed(batch: Batch, event: ev.FiscalYearClosed) -> None:
    _fiscal_year_seen(batch, event.fiscal_year).execute(
        update(t.fiscal_years)
        .where(t.fiscal_years.c.fiscal_year == event.fiscal_year)
        .values(closed_position=event.position, closed_on=event.decision.decided_on)
    )


@_handles(ev.FiscalYearReopened)
def _fiscal_year_reopened(batch: Batch, event: ev.FiscalYearReopened) -> None:
    batch.flushed().execute(
        update(t.fiscal_years)
        .where(t.fiscal_years.c.fiscal_year == event.fiscal_year)
        .values(closed_position=None, closed_on=None)
    )


@_handles(ev.ReportApproved)
def _report_approved(batch: Batch, event: ev.ReportApproved) -> None:
    batch.add(
        t.approvals,
        position=event.position,
        unit=event.unit,
        fiscal_year=event.fiscal_year,
        body=event.decision.body,
        reference=event.decision.reference,
        decided_on=event.decision.decided_on,
        figures_hash=event.figures_hash,
        recorded_us=clock.to_micros(event.recorded_at),
    )


@_handles(ev.GoalSet)
def _goal_set(batch: Batch, event: ev.GoalSet) -> None:
    _goal_row(batch, event.goal, event.unit, event.fiscal_year, "set", event)


@_handles(ev.GoalReworded)
def _goal_reworded(batch: Batch, event: ev.GoalReworded) -> None:
    _goal_row(batch, event.goal, None, None, "reworded", event)


@_handles(ev.GoalOutcomeReported)
def _goal_outcome_reported(batch: Batch, event: ev.GoalOutcomeReported) -> None:
    _goal_row(batch, event.goal, None, None, "outcome", event)


def _goal_row(
    batch: Batch,
    goal: str,
    unit: str | None,
    year: int | None,
    kind: str,
    event: ev.GoalSet | ev.GoalReworded | ev.GoalOutcomeReported,
) -> None:
    if unit is None or year is None:
        unit, year = (
            batch.flushed()
            .execute(
                select(t.goal_events.c.unit, t.goal_events.c.fiscal_year).where(
                    t.goal_events.c.goal == goal, t.goal_events.c.kind == "set"
                )
            )
            .one()
        )
    batch.add(
        t.goal_events,
        goal=goal,
        unit=unit,
        fiscal_year=year,
        kind=kind,
        effective_on=event.effective_on,
        position=event.position,
        payload=json.dumps(event.content(), ensure_ascii=False),
    )


@_handles(ev.RiskAssessed)
def _risk_assessed(batch: Batch, event: ev.RiskAssessed) -> None:
    batch.add(
        t.risk_events,
        risk=event.risk,
        unit=event.unit,
        fiscal_year=event.fiscal_year,
        effective_on=event.effective_on,
        position=event.position,
        payload=json.dumps(event.content(), ensure_ascii=False),
    )
