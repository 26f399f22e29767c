"""Double entry: every voucher sums to zero, the trial balance is zero at every as-of date
(known at any moment, on both faces), and a voucher posted and then reversed leaves every
report as it was, for as-of dates on or after the reversal."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st
from support.oracles import NOW, snapshot, stored_trial_balance, trial_balance
from support.strategies import (
    ASSET_ACCOUNTS,
    BANK,
    PL_ACCOUNTS,
    YEARS,
    Command,
    Files,
    History,
    PostingSpec,
    VoucherSpec,
    amounts_cents,
    csv_styles,
    examples,
    histories,
    record,
    recorded,
    report_moments,
)

from ledger import events as ev

MONEY_REPORTS = ("statement", "summary", "investments")


@examples(0.6)
@given(history=histories(), data=st.data())
def test_every_voucher_balances_and_the_trial_balance_is_zero_at_every_date(
    history: History, data: st.DataObject
) -> None:
    with recorded(history) as (ledger, _):
        events = list(ledger.events())
        days = {date(y, 12, 31) for y in YEARS}
        for event in events:
            if isinstance(event, ev.VouchersPosted):
                for voucher in event.vouchers:
                    assert sum(line.amount_cents for line in voucher.lines) == 0, voucher.voucher
                    days |= {voucher.effective_on, voucher.effective_on - timedelta(days=1)}
            elif isinstance(event, ev.VoucherReversed):
                days |= {event.effective_on, event.effective_on - timedelta(days=1)}
        moments = [NOW, *(data.draw(report_moments(history))[2] for _ in range(2))]
        for known_at in moments:
            for day in sorted(days):
                assert trial_balance(events, day, known_at) == 0, (day, known_at)
                assert stored_trial_balance(ledger, day, known_at) == 0, (day, known_at)


@st.composite
def posting_then_reversal(
    draw: st.DrawFn, history: History, years: list[int], projects: list[str]
) -> tuple[VoucherSpec, date]:
    """A new balanced voucher in one of `years` (with an investment line, when there are
    projects), and a reversal date later in the same year."""
    year = draw(st.sampled_from(years))
    posted_on = date(year, 1, 1) + timedelta(days=draw(st.integers(0, 364)))
    reversed_on = posted_on + timedelta(days=draw(st.integers(0, (date(year, 12, 31) - posted_on).days)))
    units = st.sampled_from(history.leaves)
    lines = draw(
        st.lists(st.builds(PostingSpec, st.sampled_from(PL_ACCOUNTS), units, amounts_cents), min_size=1, max_size=4)
    )
    if projects:
        project = draw(st.sampled_from(projects))
        lines.append(PostingSpec(draw(st.sampled_from(ASSET_ACCOUNTS)), draw(units), draw(amounts_cents), project))
    lines.append(PostingSpec(BANK, draw(units), -sum(line.amount_cents for line in lines)))
    return VoucherSpec("V-REVERSED", posted_on, tuple(lines)), reversed_on


@examples(0.4)
@given(history=histories(), data=st.data())
def test_posting_and_reversing_a_voucher_leaves_every_report_as_before(history: History, data: st.DataObject) -> None:
    with recorded(history) as (ledger, _):
        events = list(ledger.events())
        closed = {e.fiscal_year for e in events if isinstance(e, ev.FiscalYearClosed)}
        known = closed | {e.fiscal_year for e in events if isinstance(e, ev.BudgetAdopted)}
        # Open years in the posting window (ADR 0024): among or next to the known fiscal years.
        years = [y for y in YEARS if y not in closed and (not known or min(known) - 1 <= y <= max(known) + 1)]
        if not years:
            return
        projects = [e.code for e in events if isinstance(e, ev.ProjectAdded)]
        voucher, reversed_on = data.draw(posting_then_reversal(history, years, projects))
        later = data.draw(st.lists(st.dates(reversed_on, date(2026, 12, 31)), max_size=1))
        before = snapshot(ledger, YEARS, later, tables=False, kinds=MONEY_REPORTS)
        files = Files(ledger.config.sqlite_path.parent)
        at = history.commands[-1].recorded_at
        assert record(ledger, Command("post", at, (("vouchers", (voucher,)),), data.draw(csv_styles)), files)
        reversal = Command("reverse", at, (("voucher", voucher.voucher), ("on", reversed_on)))
        assert record(ledger, reversal, files)
        assert snapshot(ledger, YEARS, later, tables=False, kinds=MONEY_REPORTS) == before
