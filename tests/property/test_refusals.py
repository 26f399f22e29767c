"""A refused command changes nothing: it raises a LedgerError, and afterwards the log has
the same events and every report and read-model table is as it was."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st
from support.oracles import snapshot
from support.strategies import (
    BANK,
    PL_ACCOUNTS,
    YEARS,
    BudgetLineSpec,
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
)

from ledger import events as ev
from ledger.application import Ledger
from ledger.statement_rows import INCOME_ROWS


@dataclass(frozen=True)
class Facts:
    """What the store holds, read from its events."""

    units: tuple[str, ...]
    bindings: dict[str, str]
    parents: dict[str, str | None]
    vouchers: dict[str, ev.Voucher]
    reversed: frozenset[str]
    adopted: frozenset[int]
    closed: frozenset[int]
    goals: tuple[str, ...]

    @classmethod
    def of(cls, ledger: Ledger) -> Facts:
        events = list(ledger.events())
        added = [e for e in events if isinstance(e, ev.UnitAdded)]
        return cls(
            units=tuple(e.code for e in added),
            bindings={e.code: e.binding for e in added},
            parents={e.code: e.parent for e in added},
            vouchers={v.voucher: v for e in events if isinstance(e, ev.VouchersPosted) for v in e.vouchers},
            reversed=frozenset(e.voucher for e in events if isinstance(e, ev.VoucherReversed)),
            adopted=frozenset(e.fiscal_year for e in events if isinstance(e, ev.BudgetAdopted)),
            closed=frozenset(e.fiscal_year for e in events if isinstance(e, ev.FiscalYearClosed)),
            goals=tuple(e.goal for e in events if isinstance(e, ev.GoalSet)),
        )

    def net_bound_leaf(self) -> str | None:
        for unit in self.units:
            code: str | None = unit
            while code is not None:
                if self.bindings[code] == "net":
                    return unit
                if self.bindings[code] == "gross":
                    break
                code = self.parents[code]
        return None


# Debits over credits or credits over debits: a check that looks at one side only lets the other through.
imbalances = st.integers(1, 10**9) | st.integers(-(10**9), -1)


def balanced(draw: st.DrawFn, facts: Facts, voucher: str, day: date) -> VoucherSpec:
    units = st.sampled_from(facts.units)
    lines = [PostingSpec(draw(st.sampled_from(PL_ACCOUNTS)), draw(units), draw(amounts_cents))]
    lines.append(PostingSpec(BANK, draw(units), -lines[0].amount_cents))
    return VoucherSpec(voucher, day, tuple(lines))


@st.composite
def refused_commands(draw: st.DrawFn, facts: Facts, at: datetime) -> dict[str, Command]:
    """Commands the ledger must refuse, given what the store holds, by what is wrong with them."""
    day = draw(st.dates(date(2023, 1, 1), date(2025, 12, 31)))
    open_day = day if day.year not in facts.closed else date(2030, 6, 1)
    good = balanced(draw, facts, "V-UUSI", open_day)
    unit = draw(st.sampled_from(facts.units))
    candidates: dict[str, tuple[str, dict[str, object]]] = {
        "unbalanced voucher": (
            "post",
            {"vouchers": (replace(good, lines=(*good.lines, PostingSpec(BANK, unit, draw(imbalances)))),)},
        ),
        "unknown unit": ("post", {"vouchers": (replace(good, lines=_with(good, unit="ei-ole")),)}),
        "unknown account": ("post", {"vouchers": (replace(good, lines=_with(good, account="0000x")),)}),
        "unknown project": ("post", {"vouchers": (replace(good, lines=_with(good, project="ei-hanketta")),)}),
        "one bad voucher of two": (
            "post",
            {"vouchers": (balanced(draw, facts, "V-HYVÄ", open_day), replace(good, lines=_with(good, unit="ei")))},
        ),
        "a voucher on two dates": (
            "post",
            {"vouchers": (good, VoucherSpec(good.voucher, open_day + timedelta(days=1), good.lines))},
        ),
        "adopt by the board": (
            "adopt",
            {"year": 2026, "lines": (BudgetLineSpec(unit, "sales_income", 1),), "body": "board"},
        ),
        "adopt for an unknown unit": ("adopt", {"year": 2026, "lines": (BudgetLineSpec("ei-ole", "sales_income", 1),)}),
        "adopt an unknown line": ("adopt", {"year": 2026, "lines": (BudgetLineSpec(unit, "operating_margin", 1),)}),
        "amend a year with no budget": ("amend", {"year": 2031, "kind": "council", "body": "council"}),
        "amend with an empty reason": ("amend", {"year": 2031, "kind": "council", "body": "council", "reason": " "}),
        "operating-plan amendment by the council": (
            "amend",
            {"year": 2031, "kind": "operating-plan", "body": "council"},
        ),
        "reverse an unknown voucher": ("reverse", {"voucher": "ei-tositetta", "on": day}),
        "close a year before it ends": ("close_year", {"year": 2026, "decided_on": date(2026, 12, 31)}),
        "add a unit under an unknown parent": (
            "add_unit",
            {"code": "UUSI", "name": "x", "parent": "ei", "binding": "none"},
        ),
        "add a unit that exists": ("add_unit", {"code": unit, "name": "x", "parent": None, "binding": "none"}),
        "add a unit with a bad binding": ("add_unit", {"code": "UUSI", "name": "x", "parent": None, "binding": "both"}),
        "add a unit whose code the store cannot hold": (
            "add_unit",
            {"code": "U" * 65, "name": "x", "parent": None, "binding": "none"},
        ),
        "a goal text with a NUL character": (
            "set_goal",
            {"goal": "G-NUL", "year": 2024, "unit": unit, "level": "council", "text": "x\x00y", "on": day},
        ),
        "add an account on a margin": ("add_account", {"code": "9999", "name": "x", "row": "annual_margin"}),
        "add an account that exists": ("add_account", {"code": "4300", "name": "x", "row": "sales_income"}),
        "report on an unknown goal": ("report_goal", {"goal": "ei", "text": "x", "status": "achieved", "on": day}),
        "a risk of probability 4": (
            "assess_risk",
            {
                "risk": "R",
                "unit": unit,
                "year": 2024,
                "class": "x",
                "description": "x",
                "probability": 4,
                "significance": 1,
                "on": day,
            },
        ),
        "a goal on an unknown unit": (
            "set_goal",
            {"goal": "G-UUSI", "year": 2024, "unit": "ei", "level": "council", "text": "x", "on": day},
        ),
        "a file with a bad header": ("post_bytes", {"content": b"tosite;pvm\n1;2\n"}),
        "a file with a bad amount": (
            "post_bytes",
            {"content": f"voucher;date;account;unit;amount;text\nV;2024-01-01;4300;{unit};1,2,3;x\n".encode()},
        ),
        "an empty budget file": (
            "adopt_bytes",
            {"year": 2026, "decided_on": date(2025, 12, 1), "content": b"unit;line;amount\n"},
        ),
    }
    for option in (
        "amend a year with no budget",
        "amend with an empty reason",
        "operating-plan amendment by the council",
    ):
        candidates[option][1].update(lines=(BudgetLineSpec(unit, "sales_income", 100),), decided_on=date(2031, 5, 1))
    candidates["adopt by the board"][1]["decided_on"] = date(2025, 12, 1)
    candidates["adopt for an unknown unit"][1]["decided_on"] = date(2025, 12, 1)
    candidates["adopt an unknown line"][1]["decided_on"] = date(2025, 12, 1)
    _add_state_dependent(draw, facts, unit, day, candidates)
    candidates["recorded before the newest event"] = (
        "set_goal",
        {"goal": "G-MYÖHÄ", "year": 2024, "unit": unit, "level": "council", "text": "x", "on": day},
    )
    style = draw(csv_styles)
    commands = {
        name: Command(command, at, tuple(options.items()), style) for name, (command, options) in candidates.items()
    }
    early = timedelta(microseconds=draw(st.integers(1, 10**12)))
    commands["recorded before the newest event"] = replace(
        commands["recorded before the newest event"], recorded_at=at - early
    )
    return commands


def _with(voucher: VoucherSpec, **change: object) -> tuple[PostingSpec, ...]:
    return (replace(voucher.lines[0], **change), *voucher.lines[1:])


def _add_state_dependent(
    draw: st.DrawFn, facts: Facts, unit: str, day: date, candidates: dict[str, tuple[str, dict[str, object]]]
) -> None:
    for year in facts.adopted:
        candidates[f"adopt {year} again"] = (
            "adopt",
            {"year": year, "lines": (BudgetLineSpec(unit, "sales_income", 1),), "decided_on": date(year, 1, 1)},
        )
        lines = (BudgetLineSpec(unit, "sales_income", 100),)
        candidates[f"council amendment to {year} after its end"] = (
            "amend",
            {"year": year, "kind": "council", "body": "council", "lines": lines, "decided_on": date(year + 1, 1, 1)},
        )
        leaf = facts.net_bound_leaf()
        if leaf is not None and year not in facts.closed:
            row = draw(st.sampled_from(sorted(INCOME_ROWS)))
            change = (BudgetLineSpec(leaf, row, draw(st.integers(1, 10**9))),)
            candidates[f"operating-plan amendment changing a net in {year}"] = (
                "amend",
                {
                    "year": year,
                    "kind": "operating-plan",
                    "body": "board",
                    "lines": change,
                    "decided_on": date(year, 6, 1),
                },
            )
    for year in facts.closed:
        candidates[f"close {year} again"] = ("close_year", {"year": year, "decided_on": date(year + 1, 6, 1)})
        for voucher_id, voucher in facts.vouchers.items():
            if voucher.effective_on.year <= year and voucher_id not in facts.reversed:
                candidates["reverse into a closed year"] = (
                    "reverse",
                    {"voucher": voucher_id, "on": date(year, 12, 31)},
                )
        closed_voucher = balanced(draw, facts, "V-SULJETTU", date(year, 3, 3))
        candidates[f"post into the closed {year}"] = ("post", {"vouchers": (closed_voucher,)})
    for voucher_id, voucher in facts.vouchers.items():
        changed = PostingSpec(BANK, voucher.lines[0].unit, 0, text="muutettu")
        spec = VoucherSpec(
            voucher_id,
            voucher.effective_on if voucher.effective_on.year not in facts.closed else date(2030, 1, 1),
            (*(PostingSpec(x.account, x.unit, x.amount_cents, x.project, x.text) for x in voucher.lines), changed),
        )
        candidates["a changed voucher under a used id"] = ("post", {"vouchers": (spec,)})
        candidates["reverse before the voucher's date"] = (
            "reverse",
            {"voucher": voucher_id, "on": voucher.effective_on - timedelta(days=1)},
        )
        candidates["reverse with an empty reason"] = (
            "reverse",
            {"voucher": voucher_id, "on": voucher.effective_on, "reason": "  "},
        )
    for voucher_id in facts.reversed:
        candidates["reverse twice"] = ("reverse", {"voucher": voucher_id, "on": date(2030, 1, 1)})
    for goal in facts.goals:
        candidates["set a goal that exists"] = (
            "set_goal",
            {"goal": goal, "year": 2024, "unit": unit, "level": "council", "text": "x", "on": day},
        )
        candidates["a goal outcome with a bad status"] = (
            "report_goal",
            {"goal": goal, "text": "x", "status": "done", "on": day},
        )


@examples(0.5)
@given(history=histories(max_steps=8), data=st.data())
def test_a_refused_command_changes_nothing(history: History, data: st.DataObject) -> None:
    """Every kind of refusal the store's state allows, one after another: each raises, and
    none writes an event, a report figure or a read-model row."""
    with recorded(history) as (ledger, _):
        facts = Facts.of(ledger)
        late = list(ledger.events())[-1].recorded_at  # the newest event's recording time
        refusals = data.draw(refused_commands(facts, late))
        length, events = ledger.log_length(), list(ledger.events())
        before = snapshot(ledger, YEARS)
        files = Files(ledger.config.sqlite_path.parent)
        for name, command in sorted(refusals.items()):
            assert not record(ledger, command, files), name
            assert ledger.log_length() == length, name
        assert list(ledger.events()) == events
        assert snapshot(ledger, YEARS) == before
