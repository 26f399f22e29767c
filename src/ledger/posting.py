"""Vouchers (tositteet): debit positive, credit negative, every voucher sums to zero.

A voucher id is posted once. Posting the identical voucher again changes nothing and
says so; a different voucher under a used id is refused. Nothing dated in a closed
fiscal year is accepted, nor far from the ledger's fiscal years (`ledger.fiscal_years`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from operator import itemgetter

from ledger import clock, payloads
from ledger import events as ev
from ledger.counting import counted, were
from ledger.csvfiles import ErrorCollector, PostingRow
from ledger.drafts import Draft, Outcome
from ledger.errors import InvalidInput, NotFound, RuleViolation
from ledger.fiscal_years import PostingWindow, posting_window
from ledger.money import format_fi
from ledger.state import LedgerState

# A checked voucher: (id, first line number, effective_on, [payloads.Line]).
CheckedVoucher = tuple[str, int, date, Sequence[payloads.Line]]
_line_of: Callable[[PostingRow], payloads.Line] = itemgetter(3, 4, 7, 5, 6)  # a PostingRow's Line


def group_vouchers(rows: Iterable[PostingRow]) -> dict[str, list[PostingRow]]:
    grouped: dict[str, list[PostingRow]] = {}
    for row in rows:
        grouped.setdefault(row.voucher, []).append(row)
    return grouped


@dataclass(frozen=True)
class References:
    """What voucher lines are checked against, read once per file."""

    accounts: dict[str, str | None]
    units: set[str]
    projects: dict[str, str]
    closed: set[int]
    closed_units: dict[str, date]
    closed_accounts: dict[str, date]
    window: PostingWindow

    @classmethod
    def of(cls, state: LedgerState) -> References:
        closed_units, closed_accounts = state.closings("unit"), state.closings("account")
        window = posting_window(state.known_years(), clock.today())
        return cls(
            state.account_rows(),
            set(state.units),
            state.project_groups(),
            state.closed_years(),
            closed_units,
            closed_accounts,
            window,
        )


def check_voucher(voucher_id: str, rows: list[PostingRow], refs: References, errors: ErrorCollector) -> bool:
    """Whether the voucher's lines are all known, open, on one date and balanced; problems go to `errors`."""
    first_day = rows[0].effective_on
    accounts, units, projects = refs.accounts, refs.units, refs.projects
    closed_units, closed_accounts = refs.closed_units, refs.closed_accounts
    balance = 0
    for _line, _voucher, day, account, unit, cents, _text, project in rows:  # one pass for the usual case
        if day != first_day or account not in accounts or unit not in units:
            break
        if unit in closed_units or account in closed_accounts:
            break
        if project is not None and project not in projects:
            break
        balance += cents
    else:
        window = refs.window
        if not balance and first_day.year not in refs.closed and window.first_day <= first_day <= window.last_day:
            return True
    return _report_voucher(voucher_id, rows, refs, errors)


def _report_voucher(voucher_id: str, rows: list[PostingRow], refs: References, errors: ErrorCollector) -> bool:
    """Every problem of a voucher that has one, each with its line and column."""
    ok = True
    first_day = rows[0].effective_on
    if any(row.effective_on != first_day for row in rows):
        dates = {row.effective_on for row in rows}
        errors.add(
            rows[0].line_no,
            "date",
            f"voucher {voucher_id} has lines on {len(dates)} different dates; a voucher has one date",
        )
        ok = False
    outside = refs.window.refusal(first_day)
    if outside:
        errors.add(rows[0].line_no, "date", outside)
        ok = False
    accounts, units, projects, closed = refs.accounts, refs.units, refs.projects, refs.closed
    for row in rows:
        if row.account not in accounts:
            errors.add(row.line_no, "account", f"unknown account '{row.account}'; see `kuntaledger accounts list`")
            ok = False
        if row.unit not in units:
            errors.add(row.line_no, "unit", f"unknown unit '{row.unit}'; see `kuntaledger units list`")
            ok = False
        if row.project is not None and row.project not in projects:
            errors.add(
                row.line_no, "project", f"unknown project '{row.project}'; add it with `kuntaledger projects add`"
            )
            ok = False
        if row.effective_on.year in closed:
            errors.add(row.line_no, "date", f"{row.effective_on} is in the closed fiscal year {row.effective_on.year}")
            ok = False
        ok = _open_on(row, refs, errors) and ok
    balance = sum(row.amount_cents for row in rows)
    if balance:
        errors.add(
            rows[-1].line_no,
            "amount",
            f"voucher {voucher_id} does not balance: debits and credits differ by {format_fi(balance, 2)} €",
        )
        ok = False
    return ok


def _open_on(row: PostingRow, refs: References, errors: ErrorCollector) -> bool:
    """Whether the line's unit and account were open on its date; problems go to `errors`."""
    ok = True
    checks = (("unit", row.unit, refs.closed_units), ("account", row.account, refs.closed_accounts))
    for field, code, closings in checks:
        closed_on = closings.get(code)
        if closed_on is not None and row.effective_on > closed_on:
            why = f"{field} {code} was closed on {closed_on}; nothing dated {row.effective_on} may be posted to it"
            errors.add(row.line_no, field, why)
            ok = False
    return ok


def checked(voucher_id: str, rows: list[PostingRow]) -> CheckedVoucher:
    """A voucher whose rows passed `check_voucher`, as it is compared with the store and recorded."""
    return voucher_id, rows[0].line_no, rows[0].effective_on, list(map(_line_of, rows))


def sort_out(
    state: LedgerState, vouchers: Sequence[CheckedVoucher], errors: ErrorCollector
) -> tuple[list[CheckedVoucher], int]:
    """The vouchers not posted yet, and how many are posted identically already (nothing
    to do for them); a voucher id used by a different voucher is refused into `errors`."""
    known = state.voucher_hashes([voucher_id for voucher_id, *_ in vouchers])
    new = []
    repeated = 0
    for voucher in vouchers:
        voucher_id, line_no, effective_on, lines = voucher
        posted = known.get(voucher_id)
        if posted is None:
            new.append(voucher)
        elif posted == payloads.content_hash(effective_on, lines):
            repeated += 1
        else:
            _used_by_another(errors, line_no, voucher_id)
    return new, repeated


def post(
    state: LedgerState,
    vouchers: Sequence[CheckedVoucher],
    source: str,
    errors: ErrorCollector,
    drafted: Draft | None = None,
) -> Outcome:
    """The checked vouchers not posted yet as one `VouchersPosted`, written as JSON once
    (payloads.py). A voucher id used by a different voucher is refused together with the
    problems already in `errors` (the caller's checks), and then nothing is recorded.
    `drafted` is `posted(vouchers, source)` made ahead; it stands when all are new."""
    new, repeated = sort_out(state, vouchers, errors)
    errors.raise_if_any()
    if not new:
        return Outcome([], _notes(0, 0, repeated, source))
    draft = drafted if drafted is not None and len(new) == len(vouchers) else posted(new, source)
    assert draft.rendered is not None
    return Outcome([draft], _notes(len(new), draft.rendered.lines, repeated, source))


def posted(vouchers: Sequence[CheckedVoucher], source: str) -> Draft:
    """The `VouchersPosted` of these vouchers, rendered as JSON (payloads.py)."""
    rendered = payloads.render((voucher_id, effective_on, lines) for voucher_id, _, effective_on, lines in vouchers)
    return Draft(ev.VouchersPosted, {"vouchers": (), "source": source}, rendered)


def _used_by_another(errors: ErrorCollector, line_no: int, voucher_id: str) -> None:
    errors.add(
        line_no,
        "voucher",
        f"voucher id {voucher_id} is already used by a different voucher; "
        "correct with `kuntaledger reverse` and a new voucher id",
    )


def _notes(new: int, lines: int, repeated: int, source: str) -> list[str]:
    notes = []
    if new:
        notes.append(f"posted {vouchers_and_lines(new, lines)} from {source}")
    if repeated:
        notes.append(already_posted(repeated))
    return notes


def vouchers_and_lines(vouchers: int, lines: int) -> str:
    """'1 voucher (2 lines)'."""
    return f"{counted(vouchers, 'voucher')} ({counted(lines, 'line')})"


def already_posted(vouchers: int) -> str:
    them = "it" if vouchers == 1 else "them"
    return f"{counted(vouchers, 'voucher')} {were(vouchers)} already posted identically; nothing to do for {them}"


def reverse(state: LedgerState, voucher: str, on: date, reason: str) -> Outcome:
    found = state.voucher(voucher)
    if found is None:
        raise NotFound(f"no voucher '{voucher}'; see `kuntaledger events --type VouchersPosted`")
    posted_on, reversed_on = found
    if reversed_on:
        raise RuleViolation(f"voucher {voucher} was already reversed on {reversed_on}")
    if on < posted_on:
        raise RuleViolation(
            f"{on}: voucher {voucher} is dated {posted_on}; reverse it on or after that", field="on", value=on
        )
    if on.year in state.closed_years():
        raise RuleViolation(f"{on}: fiscal year {on.year} is closed; reverse it in an open year", field="on", value=on)
    outside = posting_window(state.known_years(), clock.today()).refusal(on)
    if outside:
        raise RuleViolation(outside, field="on", value=on)
    if not reason.strip():
        raise InvalidInput("say why the voucher is reversed", field="reason")
    return Outcome(
        [Draft(ev.VoucherReversed, {"voucher": voucher, "effective_on": on, "reason": reason.strip()})],
        [f"reversed voucher {voucher} on {on}"],
    )
