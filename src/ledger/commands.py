"""Commands as users give them (files, options), turned into checks on the ledger state.

Each function reads and parses its input first, reporting every problem it finds, and
returns a `check(state) -> Outcome` for `Ledger.record`. The CLI and the history
loader both go through here, so both are validated alike.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Concatenate, ParamSpec

from ledger import (
    approvals,
    budgeting,
    classification,
    clock,
    fiscal_years,
    importing,
    narrative,
    posting,
    reference,
    reorganising,
    submissions,
)
from ledger import events as ev
from ledger.csvfiles import read_budget_file
from ledger.drafts import Draft, Outcome
from ledger.errors import InvalidInput
from ledger.state import LedgerState

Check = Callable[[LedgerState], Outcome]
P = ParamSpec("P")


def deferred(rule: Callable[Concatenate[LedgerState, P], Outcome]) -> Callable[P, Check]:
    """`rule` with its arguments given now and the state later: the command a rule checks."""

    def command(*args: P.args, **kwargs: P.kwargs) -> Check:
        return lambda state: rule(state, *args, **kwargs)

    return command


# The commands whose arguments go to their rule as given.
initialise = deferred(reference.initialise)
add_unit = deferred(reference.add_unit)
add_account = deferred(reference.add_account)
add_project = deferred(reference.add_project)
reverse = deferred(posting.reverse)
set_goal = deferred(narrative.set_goal)
reword_goal = deferred(narrative.reword_goal)
report_goal = deferred(narrative.report_goal)
assess_risk = deferred(narrative.assess_risk)
describe_unit = deferred(narrative.describe_unit)
explain_deviation = deferred(narrative.explain_deviation)


def set_unit_service_class(unit: str, service_class: str, on: date | None) -> Check:
    return lambda state: classification.set_service_class(
        state.conn, set(state.units), unit.strip(), service_class.strip(), on, on or clock.today()
    )


def load_classes(kind: str, file: Path, valid_from: date, encoding: str | None = None) -> Check:
    listed = classification.read_class_file(file, encoding)
    return lambda state: classification.load(state.conn, kind, listed, valid_from)


def submit(
    report_set: str,
    period: str,
    file: Path,
    approved_by: str,
    decision: str,
    as_of: date | None = None,
    known_at: str | None = None,
) -> Check:
    export = submissions.read_export(file)
    moment = None
    if known_at:
        try:
            moment = clock.parse_known_at(known_at, clock.zone(clock.HOME_ZONE))
        except ValueError as error:
            raise InvalidInput(str(error), field="known_at") from None
    return lambda state: submissions.submit(
        state.conn, report_set, period, export, approved_by, decision, as_of, moment
    )


def rename_unit(code: str, name: str, effective_on: date) -> Check:
    return lambda state: reorganising.rename_unit(state, code.strip(), name, effective_on)


def close_unit(code: str, on: date) -> Check:
    return lambda state: reorganising.close_unit(state, code.strip(), on)


def rename_account(code: str, name: str, effective_on: date) -> Check:
    return lambda state: reorganising.rename_account(state, code.strip(), name, effective_on)


def close_account(code: str, on: date) -> Check:
    return lambda state: reorganising.close_account(state, code.strip(), on)


def adopt_budget(
    year: int, file: Path, decision: str, decided_on: date, body: str, encoding: str | None = None
) -> Check:
    rows = read_budget_file(file, encoding, year)
    return lambda state: budgeting.adopt(state, year, rows, file, decision, decided_on, body, clock.today())


def amend_budget(
    year: int,
    kind: str,
    file: Path,
    decision: str,
    decided_on: date,
    reason: str,
    body: str,
    encoding: str | None = None,
) -> Check:
    rows = read_budget_file(file, encoding, year)
    return lambda state: budgeting.amend(
        state, year, kind, rows, file, decision, decided_on, reason, body, clock.today()
    )


def post_file(file: Path, encoding: str | None = None) -> Check:
    return importing.check_in_one_event(file, encoding)


def close_year(year: int, decision: str, decided_on: date) -> Check:
    return lambda state: fiscal_years.close_year(state, year, decision, decided_on, clock.today())


def reopen_year(year: int, decision: str, decided_on: date, reason: str) -> Check:
    return lambda state: fiscal_years.reopen_year(state, year, decision, decided_on, reason, clock.today())


def approve_report(
    unit: str, year: int, body: str, decision: str, decided_on: date, figures_hash: approvals.FiguresHash
) -> Check:
    return lambda state: approvals.approve(state, unit, year, body, decision, decided_on, figures_hash, clock.today())


def marked_illustrative(check: Check, note: str) -> Check:
    """`check`, with the events it records marked illustrative by `note` in the same save (ADR 0028)."""

    def marked(state: LedgerState) -> Outcome:
        outcome = check(state)
        if not outcome.drafts:
            return outcome
        positions = {"first_position": state.head + 1, "last_position": state.head + len(outcome.drafts)}
        mark = Draft(ev.EventsMarkedIllustrative, {**positions, "note": note})
        return Outcome([*outcome.drafts, mark], outcome.notes)

    return marked
