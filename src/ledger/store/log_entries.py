"""One line per event for `kuntaledger events`: a summary, its year and its units, and
the rm_log row that holds it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from ledger import clock
from ledger import events as ev
from ledger.counting import counted
from ledger.money import format_fi


@dataclass(frozen=True)
class LogEntry:
    summary: str
    fiscal_year: int | None
    units: tuple[str, ...]


def _lines_total(lines: tuple[ev.BudgetLine, ...]) -> str:
    return format_fi(sum(line.amount_cents for line in lines), decimals=2)


def _units_of(lines: tuple[ev.BudgetLine, ...]) -> tuple[str, ...]:
    return tuple(sorted({line.unit for line in lines}))


class Stamped(Protocol):
    """What every event carries: a decoded event, or posted vouchers as plain data."""

    @property
    def position(self) -> int: ...
    @property
    def recorded_at(self) -> datetime: ...
    @property
    def actor(self) -> str: ...
    @property
    def chain_hash(self) -> str: ...


def log_row(entry: LogEntry, event_type: str, event: Stamped, notification_id: int) -> dict[str, Any]:
    """The rm_log row of an event."""
    return {
        "position": event.position,
        "notification_id": notification_id,
        "recorded_us": clock.to_micros(event.recorded_at),
        "actor": event.actor,
        "type": event_type,
        "summary": entry.summary,
        "fiscal_year": entry.fiscal_year,
        "units": " " + " ".join(entry.units) + " " if entry.units else "",
        "chain_hash": event.chain_hash,
    }


def vouchers_entry(vouchers: int, first: str, lines: int, units: Iterable[str], years: set[int]) -> LogEntry:
    """'1 voucher (V-1), 2 lines' or '3 vouchers (V-1 …), 6 lines', of the vouchers' year
    when they share one. The projector's posting path counts them from plain data."""
    names = first if vouchers == 1 else f"{first} …"
    return LogEntry(
        f"{counted(vouchers, 'voucher')} ({names}), {counted(lines, 'line')}",
        years.pop() if len(years) == 1 else None,
        tuple(sorted(units)),
    )


def log_entry(event: ev.LedgerEvent) -> LogEntry:
    match event:
        case ev.LedgerInitialised():
            return LogEntry(f"ledger of {event.entity}, deviation {event.deviation_sign}", None, ())
        case ev.AccountsAdded():
            codes = ", ".join(a.code for a in event.accounts[:5])
            more = f" and {len(event.accounts) - 5} more" if len(event.accounts) > 5 else ""
            return LogEntry(f"{counted(len(event.accounts), 'account')}: {codes}{more}", None, ())
        case ev.InvestmentGroupsAdded():
            return LogEntry(counted(len(event.groups), "investment group"), None, ())
        case ev.UnitAdded():
            parent = f" under {event.parent}" if event.parent else ""
            return LogEntry(f"unit {event.code} {event.name}{parent}, binding {event.binding}", None, (event.code,))
        case ev.UnitDescribed():
            what = "description" if event.kind == "description" else f"{event.kind} text"
            return LogEntry(f"{what} of {event.unit} for {event.fiscal_year}", event.fiscal_year, (event.unit,))
        case ev.ProjectAdded():
            return LogEntry(f"project {event.code} {event.name} in {event.investment_group}", None, ())
        case ev.BudgetAdopted():
            return LogEntry(
                f"budget {event.fiscal_year}: {counted(len(event.lines), 'line')}, net {_lines_total(event.lines)} "
                f"({event.decision.reference})",
                event.fiscal_year,
                _units_of(event.lines),
            )
        case ev.BudgetAmended():
            return LogEntry(
                f"{event.kind} amendment {event.fiscal_year}: {counted(len(event.lines), 'line')}, net "
                f"{_lines_total(event.lines)} ({event.decision.reference}): {event.reason}",
                event.fiscal_year,
                _units_of(event.lines),
            )
        case ev.FinancialPlanRecorded():
            years = ", ".join(str(year) for year in sorted({line.plan_year for line in event.lines}))
            return LogEntry(
                f"plan years {years} of the {event.fiscal_year} budget ({event.kind}): "
                f"{counted(len(event.lines), 'line')} ({event.decision.reference})",
                event.fiscal_year,
                _units_of(event.lines),
            )
        case ev.VouchersPosted():
            return vouchers_entry(
                len(event.vouchers),
                event.vouchers[0].voucher if event.vouchers else "",
                sum(len(v.lines) for v in event.vouchers),
                {line.unit for v in event.vouchers for line in v.lines},
                {v.effective_on.year for v in event.vouchers if v.lines},
            )
        case ev.VoucherReversed():
            return LogEntry(
                f"voucher {event.voucher} reversed on {event.effective_on}: {event.reason}",
                event.effective_on.year,
                (),
            )
        case ev.FiscalYearClosed():
            return LogEntry(
                f"fiscal year {event.fiscal_year} closed ({event.decision.reference})", event.fiscal_year, ()
            )
        case ev.FiscalYearReopened():
            return LogEntry(
                f"fiscal year {event.fiscal_year} reopened ({event.decision.reference}): {event.reason}",
                event.fiscal_year,
                (),
            )
        case ev.ReportApproved():
            verb = "approved" if event.decision.body == "board" else "accepted"
            return LogEntry(
                f"report of {event.unit} for {event.fiscal_year} {verb} by the {event.decision.body} "
                f"({event.decision.reference}), figures {event.figures_hash[:12]}…",
                event.fiscal_year,
                (event.unit,),
            )
        case ev.GoalSet():
            return LogEntry(f"goal {event.goal} set: {event.text[:60]}", event.fiscal_year, (event.unit,))
        case ev.GoalReworded():
            return LogEntry(f"goal {event.goal} reworded: {event.text[:60]}", None, ())
        case ev.GoalOutcomeReported():
            return LogEntry(f"goal {event.goal} outcome on {event.effective_on}: {event.status}", None, ())
        case ev.RiskAssessed():
            return LogEntry(
                f"risk {event.risk} assessed: {event.probability}×{event.significance} {event.description[:50]}",
                event.fiscal_year,
                (event.unit,),
            )
        case ev.DeviationExplained():
            return LogEntry(
                f"deviation of {event.unit} explained for {event.fiscal_year}", event.fiscal_year, (event.unit,)
            )
        case ev.UnitRenamed():
            return LogEntry(f"unit {event.code} renamed {event.name} from {event.effective_on}", None, (event.code,))
        case ev.UnitClosed():
            return LogEntry(f"unit {event.code} closed on {event.effective_on}", None, (event.code,))
        case ev.AccountRenamed():
            return LogEntry(f"account {event.code} renamed {event.name} from {event.effective_on}", None, ())
        case ev.AccountClosed():
            return LogEntry(f"account {event.code} closed on {event.effective_on}", None, ())
        case ev.EventsMarkedIllustrative():
            start, end = event.first_position, event.last_position
            where = f"position {start}" if start == end else f"positions {start}–{end}"
            return LogEntry(f"{where} illustrative: {event.note}", None, ())
        case ev.ClassesLoaded():
            unverified = sum(code.unverified for code in event.codes)
            marked = f", {unverified} unverified" if unverified else ""
            return LogEntry(
                f"{event.kind} list valid from {event.valid_from}: {counted(len(event.codes), 'code')}{marked}",
                None,
                (),
            )
        case ev.UnitServiceClassSet():
            since = f" from {event.effective_on}" if event.effective_on else ""
            return LogEntry(f"unit {event.unit} service class {event.service_class}{since}", None, (event.unit,))
        case ev.ExportSubmitted():
            what = "correction" if event.corrects else "submission"
            return LogEntry(
                f"{event.report_set} {event.period} {what} approved by {event.approved_by} ({event.decision}), "
                f"{event.content_hash[:12]}…",
                int(event.period[:4]),
                (),
            )
    raise TypeError(f"no log entry for {type(event).__name__}")
