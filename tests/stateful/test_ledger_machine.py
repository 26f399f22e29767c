"""The ledger driven command by command, valid and invalid, beside a plain-dict model.

Each rule writes the CSV file a user would, records the command through `ledger.commands`
and `Ledger.record`, and asks the model whether it should have been accepted; after every
step the invariants check that the log holds exactly the model's events, that every
unit's statement equals the model's, that the identities hold, that the trial balance is
zero, and that the fast path equals the reference fold. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import event
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
from support.ledger_model import CHART, POSTABLE, Model
from support.oracles import NOW, comparison_errors, stored_trial_balance
from support.strategies import (
    BudgetLineSpec,
    Command,
    Files,
    PostingSpec,
    VoucherSpec,
    examples,
    postgres_schema,
    record,
)

from ledger.application import Ledger
from ledger.statement_rows import POSTABLE_KEYS
from projections.statement import fold_statement, query_statement

YEARS = (2023, 2024)
UNITS = ("A", "B", "C", "D", " E", "")
ACCOUNTS = (*sorted(CHART), "9100", "0000", "3000", "3500", "4000")  # 9100 may be added, 0000 never is
VOUCHERS = ("V1", "V2", "V3", "V4", "V5")
GOALS = ("G1", " G1", "G2 ", "G3")
# Every row a budget line may name (and a margin, which it may not), the binding level's
# rows more often.
BINDING_ROWS = ("sales_income", "manufacture_for_own_use", "personnel_expenses", "purchases_of_services")
MOVABLE_ROWS = (*BINDING_ROWS, "fee_income", "materials_and_supplies", "interest_expenses")
ROWS = (*sorted(POSTABLE), "operating_margin", *BINDING_ROWS)
BINDINGS = ("net", "gross", "none")
LINE_UNITS = ("A", "A", "A", "B", "B", "C", "D", "X")  # mostly units that exist
MOSTLY = st.sampled_from([True, True, True, False])
amounts = st.integers(-(10**11), 10**11) | st.sampled_from([0, 1, -1])
# Any day, or a day the invariants report as of (so that a posting on it tests the boundary).
days = st.dates(date(2022, 6, 1), date(2025, 6, 30)) | st.sampled_from(
    [date(year, month, day) for year in (2022, *YEARS) for month, day in ((6, 30), (12, 31))]
)
later = st.integers(0, 20 * 86_400 * 10**6).map(lambda micros: timedelta(microseconds=micros))
VOUCHER_LINES = st.lists(
    st.tuples(st.sampled_from(ACCOUNTS), st.sampled_from(LINE_UNITS), amounts), min_size=1, max_size=2
)


@contextmanager
def sqlite_store() -> Iterator[str]:
    with tempfile.TemporaryDirectory() as directory:
        yield f"sqlite:///{Path(directory) / 'ledger.db'}"


class LedgerMachine(RuleBasedStateMachine):
    store: Callable[[], AbstractContextManager[str]] = staticmethod(sqlite_store)

    def __init__(self) -> None:
        super().__init__()
        assert POSTABLE == POSTABLE_KEYS, "the model's rows are the statement's"
        self.stack = ExitStack()
        self.ledger = self.stack.enter_context(Ledger(self.stack.enter_context(self.store())))
        self.files = Files(Path(self.stack.enter_context(tempfile.TemporaryDirectory())))
        self.model = Model()
        self.clock = datetime(2022, 10, 1, tzinfo=UTC)
        self.probe = 0
        # (unit, year, as of, known at) -> the statement then; none of them may change later
        self.earlier: dict[tuple[str, int, date, datetime], object] = {}

    def teardown(self) -> None:
        self.stack.close()

    def run(self, command: str, delay: timedelta, expected: bool, events: int = 1, **options: object) -> None:
        """Record a command `delay` after the clock (before it, when negative); the model says
        whether it must be accepted."""
        at = self.clock + delay
        allowed = expected and self.model.record(events if expected else 0, at)
        accepted = record(self.ledger, Command(command, at, tuple(options.items())), self.files)
        assert accepted == allowed, f"{command} {options}: accepted {accepted}, the model says {allowed}"
        event(f"{command} {'accepted' if accepted else 'refused'}")
        self.clock = max(self.clock, at)

    @initialize(
        sign=st.sampled_from(["budget-minus-actual", "actual-minus-budget"]),
        tree=st.lists(
            st.tuples(st.sampled_from(UNITS[:4]), st.sampled_from([None, "A", "B"]), st.sampled_from(BINDINGS)),
            min_size=1,
            max_size=4,
        ),
        budget=st.lists(st.tuples(st.sampled_from(LINE_UNITS), st.sampled_from(ROWS), amounts), max_size=4),
        vouchers=st.lists(st.tuples(days, VOUCHER_LINES), max_size=3),
        large=st.integers(2**31, 10**11) | st.integers(-(10**11), -(2**31)),
    )
    def init(
        self,
        sign: str,
        tree: list[tuple[str, str | None, str]],
        budget: list[tuple[str, str, int]],
        vouchers: list[tuple[date, list[tuple[str, str, int]]]],
        large: int,
    ) -> None:
        """Initialise the store, add an organisation, adopt the 2024 budget and post a few
        vouchers (one of more than 21 million euros), through the rules."""
        self.model.deviation_sign = sign
        self.run("init", timedelta(0), True, 3, entity="Testikunta", deviation_sign=sign)
        for index, (code, parent, binding) in enumerate(tree):
            self.add_unit(code if index else "A", parent if index else None, binding, timedelta(0))
        self.adopt(2024, [("A", row, amount) for _, row, amount in budget], date(2023, 12, 1), "council", timedelta(0))
        vouchers = [(date(2024, 6, 30), [("4300", "A", large)]), *vouchers]  # beyond 32 bits, every run
        for number, (day, lines) in enumerate(vouchers, start=1):
            self.post(
                [f"V{number}"], [(day, [(account, "A", cents) for account, _, cents in lines], True)], timedelta(0)
            )

    @rule(
        code=st.sampled_from(UNITS),
        parent=st.sampled_from([None, "A", "B", "C", "X"]),
        binding=st.sampled_from(["net", "gross", "none", "none", "all"]),
        delay=later,
    )
    def add_unit(self, code: str, parent: str | None, binding: str, delay: timedelta) -> None:
        m = self.model
        valid = bool(code.strip()) and code.strip() not in m.units and (parent is None or parent in m.units)
        valid = valid and binding in ("net", "gross", "none")
        self.run("add_unit", delay, valid, code=code, name=f"Yksikkö {code}", parent=parent, binding=binding)
        if valid:
            m.units[code.strip()], m.bindings[code.strip()] = parent, binding

    @rule(row=st.sampled_from(ROWS), delay=later)
    def add_account(self, row: str, delay: timedelta) -> None:
        valid = "9100" not in self.model.accounts and row in POSTABLE
        self.run("add_account", delay, valid, code="9100", name="Lisätili", row=row)
        if valid:
            self.model.accounts["9100"] = row

    def _budget_lines(self, lines: list[tuple[str, str, int]]) -> tuple[BudgetLineSpec, ...]:
        return tuple(BudgetLineSpec(*line) for line in lines)

    budget_lines = st.lists(
        st.tuples(st.sampled_from(LINE_UNITS), st.sampled_from(ROWS), amounts), min_size=1, max_size=3
    ) | st.just([])

    @rule(
        year=st.sampled_from(YEARS),
        lines=budget_lines,
        decided_on=days,
        body=st.sampled_from(["council"] * 3 + ["board"]),
        delay=later,
    )
    def adopt(
        self, year: int, lines: list[tuple[str, str, int]], decided_on: date, body: str, delay: timedelta
    ) -> None:
        m = self.model
        valid = body == "council" and year not in m.closed and year not in m.adopted and self._known(lines)
        valid = valid and decided_on <= date(year, 12, 31)
        options = {"year": year, "lines": self._budget_lines(lines), "decided_on": decided_on, "body": body}
        self.run("adopt", delay, valid, **options)
        if valid:
            m.adopted.add(year)
            m.budget_lines += [(year, unit, row, True, decided_on, amount) for unit, row, amount in lines]

    def _known(self, lines: list[tuple[str, str, int]]) -> bool:
        return bool(lines) and all(u in self.model.units and row in POSTABLE for u, row, _ in lines)

    @rule(
        year=st.sampled_from(YEARS),
        council=st.booleans(),
        lines=budget_lines,
        decided_on=days,
        body=st.sampled_from(["council", "board", None]),
        reason=st.sampled_from(["lisämääräraha", " "]),
        delay=later,
    )
    def amend(
        self,
        year: int,
        council: bool,
        lines: list[tuple[str, str, int]],
        decided_on: date,
        body: str | None,
        reason: str,
        delay: timedelta,
    ) -> None:
        m = self.model
        body = body or ("council" if council else "board")
        valid = body == ("council" if council else "board") and year in m.adopted and year not in m.closed
        valid = valid and bool(reason.strip()) and self._known(lines)
        valid = valid and decided_on >= (m.adopted_on(year) or decided_on)
        valid = valid and (decided_on <= date(year, 12, 31) if council else m.operating_plan_allowed(lines))
        kind = "council" if council else "operating-plan"
        options = {
            "year": year,
            "kind": kind,
            "body": body,
            "lines": self._budget_lines(lines),
            "decided_on": decided_on,
            "reason": reason,
        }
        self.run("amend", delay, valid, **options)
        if valid:
            m.budget_lines += [(year, unit, row, False, decided_on, amount) for unit, row, amount in lines]

    @rule(
        units=st.tuples(st.sampled_from(LINE_UNITS), st.sampled_from(LINE_UNITS)),
        rows=st.tuples(st.sampled_from(MOVABLE_ROWS), st.sampled_from(MOVABLE_ROWS)),
        amount=amounts,
        decided_on=days,
        delay=later,
    )
    def move_within_the_operating_plan(
        self, units: tuple[str, str], rows: tuple[str, str], amount: int, decided_on: date, delay: timedelta
    ) -> None:
        """A käyttösuunnitelmamuutos that moves money between two lines: allowed when both
        lines share a binding unit and it keeps that unit's net (at a gross unit: its income
        and its expenditure) unchanged."""
        lines = [(units[0], rows[0], amount), (units[1], rows[1], -amount)]
        self.amend(2024, False, lines, decided_on, "board", "siirto", delay)

    @rule(
        ids=st.lists(st.sampled_from(VOUCHERS), min_size=1, max_size=2, unique=True),
        content=st.lists(st.tuples(days, VOUCHER_LINES, MOSTLY), min_size=2, max_size=2),
        delay=later,
    )
    def post(
        self, ids: list[str], content: list[tuple[date, list[tuple[str, str, int]], bool]], delay: timedelta
    ) -> None:
        vouchers = []
        for voucher, (day, lines, balanced) in zip(ids, content, strict=False):
            lines = list(lines)
            if balanced:
                lines.append(("1900", lines[0][1], -sum(amount for _, _, amount in lines)))
            vouchers.append(VoucherSpec(voucher, day, tuple(PostingSpec(a, u, x, text="rivi") for a, u, x in lines)))
        self._post(tuple(vouchers), delay)

    def _post(self, vouchers: tuple[VoucherSpec, ...], delay: timedelta) -> None:
        m = self.model
        new = {}
        valid = True
        for v in vouchers:
            lines = tuple((p.account, p.unit, p.amount_cents, p.text) for p in v.lines)
            known = all(a in m.accounts and u in m.units for a, u, _, _ in lines)
            balanced = sum(amount for _, _, amount, _ in lines) == 0
            valid = valid and known and balanced and v.effective_on.year not in m.closed and m.postable(v.effective_on)
            if v.voucher not in m.vouchers:
                new[v.voucher] = (v.effective_on, lines)
            elif m.vouchers[v.voucher] != (v.effective_on, lines):
                valid = False
        self.run("post", delay, valid, 1 if new else 0, vouchers=vouchers)
        if valid:
            m.vouchers.update(new)

    @precondition(lambda self: self.model.vouchers)
    @rule(data=st.data(), delay=later)
    def repost_identically(self, data: st.DataObject, delay: timedelta) -> None:
        voucher = data.draw(st.sampled_from(sorted(self.model.vouchers)))
        day, lines = self.model.vouchers[voucher]
        self._post((VoucherSpec(voucher, day, tuple(PostingSpec(a, u, x, text=t) for a, u, x, t in lines)),), delay)

    @precondition(lambda self: self.model.vouchers)
    @rule(data=st.data(), change=amounts, delay=later)
    def repost_changed(self, data: st.DataObject, change: int, delay: timedelta) -> None:
        """A used id with other lines (one amount changed, still balanced) is refused."""
        voucher = data.draw(st.sampled_from(sorted(self.model.vouchers)))
        day, ((account, unit, amount, text), *rest) = self.model.vouchers[voucher]
        lines = [(account, unit, amount + change, text), *rest, ("1900", unit, -change, "muutos")]
        self._post((VoucherSpec(voucher, day, tuple(PostingSpec(a, u, x, text=t) for a, u, x, t in lines)),), delay)

    @rule(
        voucher=st.sampled_from(VOUCHERS),
        days_after=st.integers(-5, 400),
        reason=st.sampled_from(["virhe", ""]),
        delay=later,
    )
    def reverse(self, voucher: str, days_after: int, reason: str, delay: timedelta) -> None:
        m = self.model
        posted = m.vouchers.get(voucher)
        on = (posted[0] if posted else date(2024, 1, 1)) + timedelta(days=days_after)
        valid = posted is not None and voucher not in m.reversed and days_after >= 0
        valid = valid and on.year not in m.closed and bool(reason.strip()) and m.postable(on)
        self.run("reverse", delay, valid, voucher=voucher, on=on, reason=reason)
        if valid:
            m.reversed[voucher] = on

    @rule(year=st.sampled_from((2022, 2022, 2023, 2024)), days_after=st.integers(-3, 200), delay=later)
    def close_year(self, year: int, days_after: int, delay: timedelta) -> None:
        decided_on = date(year, 12, 31) + timedelta(days=days_after)
        valid = year not in self.model.closed and days_after > 0
        self.run("close_year", delay, valid, year=year, decided_on=decided_on)
        if valid:
            self.model.closed.add(year)

    @rule(
        goal=st.sampled_from(GOALS), unit=st.sampled_from(UNITS[:4]), year=st.sampled_from(YEARS), on=days, delay=later
    )
    def set_goal(self, goal: str, unit: str, year: int, on: date, delay: timedelta) -> None:
        valid = goal.strip() not in self.model.goals and unit in self.model.units
        self.run("set_goal", delay, valid, goal=goal, year=year, unit=unit, level="council", text="Tavoite", on=on)
        if valid:
            self.model.goals[goal.strip()] = (unit, year)

    @rule(
        goal=st.sampled_from(GOALS), on=days, status=st.sampled_from(["achieved", "not-achieved", "done"]), delay=later
    )
    def report_goal(self, goal: str, on: date, status: str, delay: timedelta) -> None:
        valid = goal in self.model.goals and status != "done"
        self.run("report_goal", delay, valid, goal=goal, text="Toteutui", status=status, on=on)

    @rule(unit=st.sampled_from(UNITS[:4]), probability=st.integers(0, 4), on=days, delay=later)
    def assess_risk(self, unit: str, probability: int, on: date, delay: timedelta) -> None:
        valid = unit in self.model.units and 1 <= probability <= 3
        options = {
            "risk": "R1",
            "unit": unit,
            "year": 2024,
            "class": "Talous",
            "description": "Riski",
            "probability": probability,
            "significance": 2,
            "on": on,
        }
        self.run("assess_risk", delay, valid, **options)

    @precondition(lambda self: self.model.head_recorded_at is not None)
    @rule(early=st.integers(1, 10**10).map(lambda micros: timedelta(microseconds=-micros)))
    def record_before_the_newest_event(self, early: timedelta) -> None:
        """A valid command recorded earlier than the newest event is refused."""
        self.clock = self.model.head_recorded_at or self.clock
        self.run("add_account", early, False, code="9200", name="Myöhässä", row="sales_income")

    @rule()
    def rebuild(self) -> None:
        """Refill the read models from the log in one batch, where the units and accounts
        added since a posting land between pending postings."""
        self.ledger.rebuild()

    # Invariants: after every step.

    @invariant()
    def the_log_holds_the_models_events(self) -> None:
        assert self.ledger.log_length() == self.model.events

    @invariant()
    def every_statement_equals_the_model(self) -> None:
        m = self.model
        with self.ledger.state() as state:
            for unit in m.units:
                for year in YEARS:
                    for as_of in (date(year, 6, 30), date(year, 12, 31)):
                        report = query_statement(state.conn, unit, year, as_of, NOW)
                        expected = m.statement(unit, year, as_of)
                        for line in report.lines:
                            f = line.figures
                            found = (f.prior_year_actual, f.original_budget, f.budget_amendments, f.actual)
                            assert found == expected[line.key], (unit, year, as_of, line.key)
                            assert comparison_errors(line.key, f, m.deviation_sign) == []

    @invariant()
    def the_trial_balance_is_zero(self) -> None:
        for day in (date(2023, 6, 30), date(2024, 12, 31), date(2026, 1, 1)):
            assert stored_trial_balance(self.ledger, day, NOW) == 0

    @invariant()
    def earlier_reports_stay_as_they_were(self) -> None:
        """What a statement known just before the newest event shows (its unit's name and its
        lines) is taken now and checked after every later step (the last eight of them),
        whatever units and accounts came since."""
        head = self.model.head_recorded_at
        if head is None or not self.model.units:
            return
        units = sorted(self.model.units)
        key = (units[len(self.earlier) % len(units)], YEARS[len(self.earlier) % 2], date(2024, 6, 30), head)
        with self.ledger.state() as state:
            for unit, year, as_of, known_at in [*list(self.earlier)[-8:], key]:
                report = query_statement(state.conn, unit, year, as_of, known_at - timedelta(microseconds=1))
                shown = (report.scope.unit_name, report.lines)
                assert self.earlier.setdefault((unit, year, as_of, known_at), shown) == shown, (unit, year, known_at)

    @invariant()
    def the_fast_path_equals_the_fold(self) -> None:
        if not self.model.units:
            return
        units = sorted(self.model.units)
        self.probe += 1
        unit, year = units[self.probe % len(units)], YEARS[self.probe % len(YEARS)]
        events = list(self.ledger.events())
        known_at = self.clock - timedelta(days=self.probe % 30)
        posted = sorted({day for day, _ in self.model.vouchers.values()} | set(self.model.reversed.values()))
        as_of = posted[self.probe % len(posted)] if posted else date(year, 9, 30)  # a day something happened
        with self.ledger.state() as state:
            fast = query_statement(state.conn, unit, year, as_of, known_at)
        assert fast == fold_statement(events, unit, year, as_of, known_at)


# A third of the profile's examples on SQLite (ci 8, deep 83), an eighth on PostgreSQL
# (ci 3, deep 31); `examples` checks that deep runs at least ten times ci.
TestLedgerOnSQLite = LedgerMachine.TestCase
TestLedgerOnSQLite.settings = examples(1 / 3, stateful_step_count=30)


class PostgresLedgerMachine(LedgerMachine):
    store = staticmethod(postgres_schema)


TestLedgerOnPostgreSQL = pytest.mark.postgres(PostgresLedgerMachine.TestCase)
TestLedgerOnPostgreSQL.settings = examples(1 / 8, stateful_step_count=15)
