"""Budget amendments checked against a plain model of the ledger state: who may decide
what, when, and what an operating-plan amendment may not change."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ledger import budgeting
from ledger import events as ev
from ledger.csvfiles import BudgetRow
from ledger.errors import InvalidInput, RuleViolation
from ledger.units import Unit, binding_unit_of


class PlainState:
    """The parts of LedgerState that budgeting reads."""

    def __init__(self, adopted: set[int] | None = None, closed: set[int] | None = None) -> None:
        self.units = {
            u.code: u
            for u in (
                Unit("YP", "Yhteiset palvelut", None, "net"),
                Unit("TAL", "Talouspalvelut", "YP", "none"),
                Unit("HEN", "Henkilöstöpalvelut", "YP", "none"),
                Unit("TEK", "Tekniset palvelut", None, "gross"),
                Unit("KAD", "Kadut", "TEK", "none"),
                Unit("FREE", "Sitomaton", None, "none"),
            )
        }
        self.adopted = {2024} if adopted is None else adopted
        self.closed = closed or set()

    def binding_unit_of(self, code: str) -> Unit | None:
        return binding_unit_of(self.units, code)

    def budget_adopted(self, year: int) -> bool:
        return year in self.adopted

    def closed_years(self) -> set[int]:
        return self.closed

    def adopted_on(self, year: int) -> date | None:
        return date(year - 1, 12, 11) if year in self.adopted else None

    def account_rows(self) -> dict[str, str | None]:
        return {"4300": "purchases_of_services", "1130": None}

    def investment_groups(self) -> set[str]:
        return {"movable_property", "buildings"}

    def closings(self, kind: str) -> dict[str, date]:
        return {}


def rows(*lines: tuple[str, str, int]) -> list[BudgetRow]:
    return [BudgetRow(n, unit, line, cents) for n, (unit, line, cents) in enumerate(lines, start=2)]


def amend(
    lines: list[BudgetRow],
    kind: str = "operating-plan",
    body: str | None = None,
    decided_on: date = date(2024, 6, 1),
    state: PlainState | None = None,
) -> list[ev.BudgetLine]:
    chosen = body or ("board" if kind == "operating-plan" else "council")
    outcome = budgeting.amend(
        state or PlainState(),
        2024,
        kind,
        lines,
        Path("m.csv"),
        "Kh § 1",
        decided_on,
        "syy",
        chosen,  # type: ignore[arg-type]
        date(2025, 1, 1),
    )
    (draft,) = outcome.drafts
    return list(draft.fields["lines"])


def test_moving_money_between_service_areas_of_a_net_bound_sector_is_allowed() -> None:
    lines = amend(rows(("TAL", "personnel_expenses", -500), ("HEN", "sales_income", 300), ("HEN", "4300", 200)))

    assert [line.row for line in lines] == ["personnel_expenses", "sales_income", "purchases_of_services"]


@pytest.mark.parametrize(
    "lines",
    [
        rows(("TAL", "personnel_expenses", -500)),
        rows(("TAL", "personnel_expenses", -500), ("HEN", "sales_income", 499)),
        rows(("TAL", "personnel_expenses", 500), ("TAL", "planned_depreciation", -500)),
        rows(("TAL", "interest_expenses", -500), ("HEN", "fee_income", 500)),
    ],
    ids=["one-sided", "one-cent-short", "to-depreciation", "from-financial-items"],
)
def test_changing_the_operating_margin_of_a_net_bound_sector_is_refused(lines: list[BudgetRow]) -> None:
    with pytest.raises(RuleViolation, match=r"changes the net of YP \(Yhteiset palvelut\)"):
        amend(lines)


def test_rows_below_the_operating_margin_are_outside_the_net_binding() -> None:
    lines = amend(rows(("TAL", "planned_depreciation", -500)))

    assert lines[0].row == "planned_depreciation"


def test_a_gross_bound_sector_keeps_its_income_and_its_expenditure() -> None:
    amend(rows(("KAD", "materials_and_supplies", -100), ("TEK", "purchases_of_services", 100)))

    with pytest.raises(RuleViolation, match=r"changes the (income|expenditure) of TEK"):
        amend(rows(("KAD", "sales_income", 100), ("KAD", "purchases_of_services", -100)))


def test_investments_of_a_bound_unit_keep_their_group_total() -> None:
    amend(rows(("TAL", "movable_property:expenditure", -100), ("HEN", "movable_property:expenditure", 100)))

    with pytest.raises(RuleViolation, match=r"changes the (movable_property|buildings) investments of YP"):
        amend(rows(("TAL", "movable_property:expenditure", -100), ("TAL", "buildings:expenditure", 100)))


def test_units_under_no_binding_level_may_change_freely() -> None:
    assert amend(rows(("FREE", "personnel_expenses", -100)))[0].amount_cents == -100


def test_a_council_amendment_may_change_the_net() -> None:
    assert amend(rows(("TAL", "personnel_expenses", -500)), kind="council")[0].amount_cents == -500


@pytest.mark.parametrize(
    ("kind", "body", "words"),
    [("operating-plan", "council", "decided by the board"), ("council", "board", "decided by the council")],
)
def test_each_kind_of_amendment_has_its_deciding_body(kind: str, body: str, words: str) -> None:
    with pytest.raises(RuleViolation, match=words):
        amend(rows(("FREE", "sales_income", 1)), kind=kind, body=body)


def test_a_council_amendment_must_be_decided_within_the_year() -> None:
    amend(rows(("FREE", "sales_income", 1)), kind="council", decided_on=date(2024, 12, 31))

    with pytest.raises(RuleViolation, match=r"must be decided by 31\.12\.2024"):
        amend(rows(("FREE", "sales_income", 1)), kind="council", decided_on=date(2025, 1, 1))


def test_an_amendment_needs_an_adopted_budget_and_an_open_year() -> None:
    with pytest.raises(RuleViolation, match="no budget is adopted for 2024"):
        amend(rows(("FREE", "sales_income", 1)), state=PlainState(adopted=set()))
    with pytest.raises(RuleViolation, match="fiscal year 2024 is closed"):
        amend(rows(("FREE", "sales_income", 1)), state=PlainState(closed={2024}))


def test_unknown_units_and_lines_are_refused_with_their_file_lines() -> None:
    with pytest.raises(InvalidInput) as raised:
        amend(rows(("NOPE", "sales_income", 1), ("TAL", "wages", 1), ("TAL", "1130", 1), ("TAL", "buildings:x", 1)))

    assert str(raised.value).splitlines() == [
        "m.csv line 2, column unit: unknown unit 'NOPE'; see `kuntaledger units list`",
        "m.csv line 3, column line: 'wages' is not a statement row key, an account code or an investment group "
        "(e.g. personnel_expenses, 4300, movable_property:expenditure)",
        "m.csv line 4, column line: account 1130 is a balance-sheet account; budget its investment group instead",
        "m.csv line 5, column line: 'buildings:x': the side after ':' is income or expenditure",
    ]
