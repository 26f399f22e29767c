"""A reference model of the ledger in plain dicts, written from DOMAIN.md and the rules the
commands document, without the application's code: which commands are accepted, and what
the income statement of any unit then shows.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

# A part of the default chart (data/default_chart.csv): account -> statement row, None for
# the balance sheet. The machine adds accounts of its own.
CHART: dict[str, str | None] = {
    "3000": "sales_income",
    "3100": "fee_income",
    "3200": "grants_and_subsidies_received",
    "3390": "other_operating_income",
    "3500": "manufacture_for_own_use",
    "4000": "personnel_expenses",
    "4010": "wages_and_salaries",
    "4100": "pension_costs",
    "4300": "purchases_of_services",
    "4400": "materials_and_supplies",
    "4500": "grants_paid",
    "4690": "other_operating_expenses",
    "5000": "tax_revenue",
    "5100": "state_contributions",
    "5200": "interest_income",
    "5400": "interest_expenses",
    "5590": "financial_items",
    "6000": "planned_depreciation",
    "7000": "extraordinary_income",
    "8000": "change_in_depreciation_difference",
    "8200": "change_in_funds",
    "1900": None,
    "2500": None,
}
# The statement's rows that add up others (DOMAIN.md's table, JHS 192's sub-rows).
PARTS: dict[str, tuple[str, ...]] = {
    "operating_income": ("sales_income", "fee_income", "grants_and_subsidies_received", "other_operating_income"),
    "personnel_expenses": ("wages_and_salaries", "pension_costs", "other_social_security_costs"),
    "operating_expenses": (
        "personnel_expenses",
        "purchases_of_services",
        "materials_and_supplies",
        "grants_paid",
        "other_operating_expenses",
    ),
    "operating_margin": ("operating_income", "manufacture_for_own_use", "operating_expenses"),
    "financial_items": ("interest_income", "other_financial_income", "interest_expenses", "other_financial_expenses"),
    "annual_margin": ("operating_margin", "tax_revenue", "state_contributions", "financial_items"),
    "depreciation_and_impairment": ("planned_depreciation", "one_off_depreciation_and_impairment"),
    "extraordinary_items": ("extraordinary_income", "extraordinary_expenses"),
    "result_for_period": ("annual_margin", "depreciation_and_impairment", "extraordinary_items"),
    "surplus_or_deficit": (
        "result_for_period",
        "change_in_depreciation_difference",
        "change_in_reserves",
        "change_in_funds",
    ),
}
MARGINS = frozenset({"operating_margin", "annual_margin", "result_for_period", "surplus_or_deficit"})
LEAF_ROWS = frozenset(part for parts in PARTS.values() for part in parts) - set(PARTS)
POSTABLE = (LEAF_ROWS | set(PARTS)) - MARGINS
# The council binds the operating margin: income (with manufacture for own use) and expenditure.
INCOME = frozenset({"operating_income", "manufacture_for_own_use", *PARTS["operating_income"]})
EXPENDITURE = frozenset({"operating_expenses", *PARTS["operating_expenses"], *PARTS["personnel_expenses"]})

Line = tuple[str, str, int, str]  # account, unit, amount (debit +), text
Columns = tuple[int, int, int, int]  # prior-year actual, original budget, amendments, actual


@dataclass
class Model:
    deviation_sign: str = "budget-minus-actual"
    events: int = 0
    head_recorded_at: datetime | None = None
    units: dict[str, str | None] = field(default_factory=dict)  # code -> parent
    bindings: dict[str, str] = field(default_factory=dict)
    accounts: dict[str, str | None] = field(default_factory=lambda: dict(CHART))
    budget_lines: list[tuple[int, str, str, bool, date, int]] = field(
        default_factory=list
    )  # year, unit, row, original?
    adopted: set[int] = field(default_factory=set)
    closed: set[int] = field(default_factory=set)
    vouchers: dict[str, tuple[date, tuple[Line, ...]]] = field(default_factory=dict)
    reversed: dict[str, date] = field(default_factory=dict)
    goals: dict[str, tuple[str, int]] = field(default_factory=dict)  # id -> unit, year

    def record(self, events: int, at: datetime) -> bool:
        """Whether a well-formed command producing `events` events may be recorded at `at`."""
        if events and self.head_recorded_at is not None and at < self.head_recorded_at:
            return False
        if events:
            self.events += events
            self.head_recorded_at = at
        return True

    def adopted_on(self, year: int) -> date | None:
        return min((d for y, _, _, original, d, _ in self.budget_lines if y == year and original), default=None)

    def postable(self, day: date) -> bool:
        """In the posting window (ADR 0024): a year next to or among those with a budget or
        closing; the clock's limit (the end of next year) lies beyond every generated date."""
        known = self.adopted | self.closed
        return not known or min(known) - 1 <= day.year <= max(known) + 1

    def subtree(self, unit: str) -> set[str]:
        found = {unit}
        grew = True
        while grew:
            grew = False
            for code, parent in self.units.items():
                if parent in found and code not in found:
                    found.add(code)
                    grew = True
        return found

    def binding_unit(self, unit: str) -> str | None:
        code: str | None = unit
        while code is not None:
            if self.bindings[code] != "none":
                return code
            code = self.units[code]
        return None

    def operating_plan_allowed(self, lines: list[tuple[str, str, int]]) -> bool:
        """An operating-plan amendment leaves every binding unit's net unchanged (a gross-bound
        unit's income and expenditure, each)."""
        income: Counter[str] = Counter()
        expenditure: Counter[str] = Counter()
        for unit, row, amount in lines:
            binding = self.binding_unit(unit)
            if binding is not None and row in INCOME:
                income[binding] += amount
            elif binding is not None and row in EXPENDITURE:
                expenditure[binding] += amount
        for code in set(income) | set(expenditure):
            if self.bindings[code] == "net" and income[code] + expenditure[code]:
                return False
            if self.bindings[code] == "gross" and (income[code] or expenditure[code]):
                return False
        return True

    def postings(self) -> list[tuple[date, Line, int]]:
        """(effective date, line, sign): every voucher, and its reversal negated on its date."""
        found = []
        for voucher, (day, lines) in self.vouchers.items():
            for line in lines:
                found.append((day, line, 1))
                if voucher in self.reversed:
                    found.append((self.reversed[voucher], line, -1))
        return found

    def statement(self, unit: str, year: int, as_of: date) -> dict[str, Columns]:
        """Every row: (prior-year actual, original budget, amendments, actual), in the statement's sign."""
        members = self.subtree(unit)
        prior: Counter[str] = Counter()
        actual: Counter[str] = Counter()
        for day, (account, code, amount, _), sign in self.postings():
            row = self.accounts.get(account)
            if row is None or code not in members:
                continue
            if date(year, 1, 1) <= day <= min(as_of, date(year, 12, 31)):
                actual[row] -= sign * amount
            if day.year == year - 1:
                prior[row] -= sign * amount
        original: Counter[str] = Counter()
        amendments: Counter[str] = Counter()
        for line_year, code, row, is_original, decided_on, amount in self.budget_lines:
            if line_year == year and code in members and decided_on <= as_of:
                (original if is_original else amendments)[row] += amount
        columns = [_with_sums(c) for c in (prior, original, amendments, actual)]
        return {row: (columns[0][row], columns[1][row], columns[2][row], columns[3][row]) for row in columns[0]}


def _with_sums(own: Counter[str]) -> dict[str, int]:
    totals: dict[str, int] = {}

    def total(row: str) -> int:
        if row not in totals:
            totals[row] = own[row] + sum(total(part) for part in PARTS.get(row, ()))
        return totals[row]

    for row in POSTABLE | MARGINS:
        total(row)
    return totals
