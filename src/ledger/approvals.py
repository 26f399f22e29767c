"""The approval of a year-end report by the board, and its later acceptance by the council (ADR 0027).

The board (kaupunginhallitus) approves the financial statements after the year has
ended; the council (valtuusto) accepts them later. Either records the books as they
stand at that moment. The figures' hash comes from the read side, computed from the
state the command is checked against: the ledger itself never computes a report.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy import Connection

from ledger import events as ev
from ledger.drafts import Draft, Outcome
from ledger.errors import InvalidInput, NotFound, RuleViolation
from ledger.fiscal_years import check_not_in_future
from ledger.state import LedgerState

# The names a body goes by, in English and in Finnish (kunta or kaupunki).
BODIES: dict[str, ev.Body] = {
    "board": "board",
    "kaupunginhallitus": "board",
    "kunnanhallitus": "board",
    "council": "council",
    "valtuusto": "council",
    "kaupunginvaltuusto": "council",
    "kunnanvaltuusto": "council",
}
BODY_NAMES: dict[ev.Body, str] = {"board": "kaupunginhallitus", "council": "valtuusto"}

# (read-model connection, unit code, fiscal year) -> the sha-256 of that year-end report's
# figures as the connection shows them now; supplied by the read side (projections.approvals).
FiguresHash = Callable[[Connection, str, int], str]


def body_of(text: str) -> ev.Body:
    body = BODIES.get(text.strip().casefold())
    if body is None:
        raise RuleViolation(
            f"'{text}': a report is approved by the board (kaupunginhallitus) and accepted by the council "
            "(valtuusto); no other body approves it",
            field="body",
            value=text,
        )
    return body


def approve(
    state: LedgerState,
    unit: str,
    year: int,
    body_text: str,
    reference: str,
    decided_on: date,
    figures_hash: FiguresHash,
    today: date,
) -> Outcome:
    body = body_of(body_text)
    code = unit.strip()
    if code not in state.units:
        raise NotFound(f"'{code}': no such unit; see `kuntaledger units list`", field="unit", value=code)
    if not state.budget_adopted(year):
        raise RuleViolation(
            f"{year}: no budget is adopted for {year}, so there is no report to approve", field="year", value=year
        )
    year_end = date(year, 12, 31)
    if today <= year_end:
        raise RuleViolation(
            f"{year}: the year has not ended; its report is approved after 31.12.{year}", field="year", value=year
        )
    if decided_on <= year_end:
        raise RuleViolation(
            f"{decided_on}: the report of {year} can be approved only after the year's end (31.12.{year})",
            field="decided_on",
            value=decided_on,
        )
    check_not_in_future(decided_on, today)
    if not reference.strip():
        raise InvalidInput("give the decision's reference, e.g. 'Kh 26.3.2025 § 79'", field="decision")
    if body == "council" and not state.board_approved(code, year):
        raise RuleViolation(
            f"the council accepts the report of {code} for {year} once the board has approved it; "
            "record the board's approval first (`approve --body kaupunginhallitus`)"
        )
    decision = ev.Decision(body=body, reference=reference.strip(), decided_on=decided_on)
    hashed = figures_hash(state.conn, code, year)
    fields = {"unit": code, "fiscal_year": year, "decision": decision, "figures_hash": hashed}
    verb = "approval" if body == "board" else "acceptance"
    return Outcome(
        [Draft(ev.ReportApproved, fields)],
        [f"recorded the {BODY_NAMES[body]}'s {verb} of the {year} report of {code} ({decision.reference})"],
    )
