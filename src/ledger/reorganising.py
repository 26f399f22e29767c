"""Renaming and closing units and accounts: organisations change mid-year (ADR 0020).

A rename takes effect on a date and a closing on a date; neither changes any figure, and
a report keeps the name in effect on its as-of date, as known at its known-at.
"""

from __future__ import annotations

from datetime import date

from ledger import events as ev
from ledger.drafts import Draft, Outcome
from ledger.errors import InvalidInput, NotFound, RuleViolation
from ledger.state import LedgerState

LISTS = {"unit": "units", "account": "accounts"}


def rename_unit(state: LedgerState, code: str, name: str, effective_on: date) -> Outcome:
    _known(state, "unit", code)
    return _renamed(ev.UnitRenamed, "unit", code, name, effective_on)


def rename_account(state: LedgerState, code: str, name: str, effective_on: date) -> Outcome:
    _known(state, "account", code)
    return _renamed(ev.AccountRenamed, "account", code, name, effective_on)


def close_unit(state: LedgerState, code: str, on: date) -> Outcome:
    _closable(state, "unit", code, on)
    closings = state.closings("unit")
    open_below = sorted(
        f"{unit.code} ({unit.name})"
        for unit in state.units.values()
        if unit.parent == code and closings.get(unit.code, date.max) > on
    )
    if open_below:
        raise RuleViolation(
            f"unit {code} has units under it open after {on}: {', '.join(open_below)}; close them first"
        )
    return Outcome([Draft(ev.UnitClosed, {"code": code, "effective_on": on})], [f"closed unit {code} on {on}"])


def close_account(state: LedgerState, code: str, on: date) -> Outcome:
    _closable(state, "account", code, on)
    return Outcome([Draft(ev.AccountClosed, {"code": code, "effective_on": on})], [f"closed account {code} on {on}"])


def _known(state: LedgerState, kind: str, code: str) -> None:
    codes = state.units if kind == "unit" else state.account_rows()
    if code not in codes:
        raise NotFound(f"'{code}': no such {kind}; see `kuntaledger {LISTS[kind]} list`", field="code", value=code)


def _renamed(
    event_type: type[ev.UnitRenamed | ev.AccountRenamed], kind: str, code: str, name: str, effective_on: date
) -> Outcome:
    if not name.strip():
        raise InvalidInput(f"give {kind} {code} its new name", field="name")
    return Outcome(
        [Draft(event_type, {"code": code, "name": name.strip(), "effective_on": effective_on})],
        [f"renamed {kind} {code} {name.strip()} from {effective_on} on"],
    )


def _closable(state: LedgerState, kind: str, code: str, on: date) -> None:
    _known(state, kind, code)
    closed_on = state.closings(kind).get(code)
    if closed_on is not None:
        raise RuleViolation(f"{kind} {code} was closed on {closed_on} already")
    used = state.last_day_used(kind, code)
    if used is not None and used > on:
        what = "postings or budget lines" if kind == "unit" else "postings"
        raise RuleViolation(
            f"{on}: {kind} {code} has {what} dated up to {used}; close it on that day or later", field="on", value=on
        )
