"""Commands as users give them (files, options), turned into checks on the ledger state.

Each function reads and parses its input first, reporting every problem it finds, and
returns a `check(state) -> Outcome` for `Ledger.record`. The CLI and the history
loader both go through here, so both are validated alike.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from ledger import approvals, budgeting, clock, fiscal_years, importing, narrative, posting, reference, reorganising
from ledger import events as ev
from ledger.csvfiles import read_budget_file
from ledger.drafts import Draft, Outcome
from ledger.state import LedgerState

Check = Callable[[LedgerState], Outcome]


def initialise(entity: str, deviation_sign: str) -> Check:
    return lambda state: reference.initialise(state, entity, deviation_sign)


def add_unit(code: str, name: str, parent: str | None, binding: str) -> Check:
    return lambda state: reference.add_unit(state, code, name, parent, binding)


def add_account(code: str, name: str, row: str | None, balance_sheet: bool) -> Check:
    return lambda state: reference.add_account(state, code, name, row, balance_sheet)


def add_project(code: str, name: str, group: str, unit: str | None) -> Check:
    return lambda state: reference.add_project(state, code, name, group, unit)


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


def reverse(voucher: str, on: date, reason: str) -> Check:
    return lambda state: posting.reverse(state, voucher, on, reason)


def close_year(year: int, decision: str, decided_on: date) -> Check:
    return lambda state: fiscal_years.close_year(state, year, decision, decided_on, clock.today())


def reopen_year(year: int, decision: str, decided_on: date, reason: str) -> Check:
    return lambda state: fiscal_years.reopen_year(state, year, decision, decided_on, reason, clock.today())


def approve_report(
    unit: str, year: int, body: str, decision: str, decided_on: date, figures_hash: approvals.FiguresHash
) -> Check:
    return lambda state: approvals.approve(state, unit, year, body, decision, decided_on, figures_hash, clock.today())


def set_goal(
    goal: str,
    year: int,
    unit: str,
    level: str,
    strategic_goal: str,
    text: str,
    metric: str,
    target: str,
    responsible: str,
    on: date,
) -> Check:
    return lambda state: narrative.set_goal(
        state, goal, year, unit, level, strategic_goal, text, metric, target, responsible, on
    )


def reword_goal(goal: str, text: str, metric: str | None, target: str | None, on: date) -> Check:
    return lambda state: narrative.reword_goal(state, goal, text, metric, target, on)


def report_goal(goal: str, on: date, text: str, status: str) -> Check:
    return lambda state: narrative.report_goal(state, goal, on, text, status)


def assess_risk(
    risk: str,
    unit: str,
    year: int,
    risk_class: str,
    description: str,
    probability: int,
    significance: int,
    mitigation: str,
    carried_out: str,
    on: date,
    responsible: str = "",
) -> Check:
    return lambda state: narrative.assess_risk(
        state,
        risk,
        unit,
        year,
        risk_class,
        description,
        probability,
        significance,
        mitigation,
        carried_out,
        on,
        responsible,
    )


def describe_unit(unit: str, year: int, text: str, on: date, kind: str = "description") -> Check:
    return lambda state: narrative.describe_unit(state, unit, year, text, on, kind)


def explain_deviation(unit: str, year: int, text: str, on: date) -> Check:
    return lambda state: narrative.explain_deviation(state, unit, year, text, on)


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
