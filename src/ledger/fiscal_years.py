"""Fiscal years (tilikausi, the calendar year): the dates a posting may carry, and the
council's decisions that close a year and reopen it (ADR 0024).

A posting belongs to a fiscal year the ledger knows (one with a budget adopted or a
closing recorded) or a year next to one, and never to a year after next by the clock.
A decision is never dated in the future: it is recorded once it has been made.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ledger import events as ev
from ledger.drafts import Draft, Outcome
from ledger.errors import InvalidInput, RuleViolation
from ledger.state import LedgerState


@dataclass(frozen=True)
class PostingWindow:
    """The first and last date a posting may carry, and the years that set them."""

    first_day: date
    last_day: date
    known_years: tuple[int, ...]

    def refusal(self, day: date) -> str | None:
        """Why `day` cannot be a posting date, or None when it can."""
        if self.first_day <= day <= self.last_day:
            return None
        if not self.known_years:
            return f"{day} is outside the dates this ledger accepts: no later than {self.last_day} (end of next year)"
        first, last = self.known_years[0], self.known_years[-1]
        years = str(first) if first == last else f"{first}–{last}"
        return (
            f"{day} is outside the dates this ledger accepts, {self.first_day} to {self.last_day}: a year of its "
            f"budgets or closings ({years}) or one next to it, and no later than the end of next year; if the date "
            "is right, record that year's budget first (`budget adopt`)"
        )


def posting_window(known_years: set[int], today: date) -> PostingWindow:
    clock_limit = date(today.year + 1, 12, 31)
    if not known_years:
        return PostingWindow(date.min, clock_limit, ())
    years = tuple(sorted(known_years))
    first_day = date(years[0] - 1, 1, 1)
    return PostingWindow(first_day, min(date(years[-1] + 1, 12, 31), clock_limit), years)


def check_not_in_future(decided_on: date, today: date) -> None:
    if decided_on > today:
        raise RuleViolation(
            f"{decided_on}: that is in the future (today is {today}); record the decision once it has been made",
            field="decided_on",
            value=decided_on,
        )


def council_decision(reference: str, decided_on: date) -> ev.Decision:
    if not reference.strip():
        raise InvalidInput("give the decision's reference", field="decision")
    return ev.Decision(body="council", reference=reference.strip(), decided_on=decided_on)


def close_year(state: LedgerState, year: int, reference: str, decided_on: date, today: date) -> Outcome:
    if year in state.closed_years():
        raise RuleViolation(f"fiscal year {year} is closed already")
    if decided_on <= date(year, 12, 31):
        raise RuleViolation(
            f"{decided_on}: the accounts of {year} can be closed only after 31.12.{year}",
            field="decided_on",
            value=decided_on,
        )
    check_not_in_future(decided_on, today)
    decision = council_decision(reference, decided_on)
    return Outcome(
        [Draft(ev.FiscalYearClosed, {"fiscal_year": year, "decision": decision})],
        [f"closed fiscal year {year}; postings dated in it are refused from now on"],
    )


def reopen_year(state: LedgerState, year: int, reference: str, decided_on: date, reason: str, today: date) -> Outcome:
    closed_on = state.closed_on(year)
    if closed_on is None:
        raise RuleViolation(f"fiscal year {year} is not closed; only a closed year can be reopened")
    decision = council_decision(reference, decided_on)
    if not reason.strip():
        raise InvalidInput("say why the year is reopened", field="reason")
    check_not_in_future(decided_on, today)
    if decided_on < closed_on:
        raise RuleViolation(
            f"{decided_on}: fiscal year {year} was closed on {closed_on}; "
            "it can be reopened only by a decision made on or after that day",
            field="decided_on",
            value=decided_on,
        )
    return Outcome(
        [Draft(ev.FiscalYearReopened, {"fiscal_year": year, "decision": decision, "reason": reason.strip()})],
        [f"reopened fiscal year {year}; postings dated in it are accepted until it is closed again"],
    )
