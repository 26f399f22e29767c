"""The rows of the municipal income statement (tuloslaskelma, JHS 192) and their sums.

A leaf row collects the accounts that the chart maps to it; a sum row adds other rows.
The order is the order of the printed statements. Signs are the statement's: income
positive, costs negative, so every sum is a plain addition.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StatementRow:
    key: str
    label_fi: str
    label_en: str
    parts: tuple[str, ...] = ()  # the rows this row adds to its own amount
    computed: bool = False  # a margin: only ever the sum of its parts, never posted to

    @property
    def is_sum(self) -> bool:
        return bool(self.parts)

    @property
    def postable(self) -> bool:
        """Whether accounts and budget lines may name this row."""
        return not self.computed


ROWS: tuple[StatementRow, ...] = (
    StatementRow(
        "operating_income",
        "Toimintatuotot",
        "Operating income",
        ("sales_income", "fee_income", "grants_and_subsidies_received", "other_operating_income"),
    ),
    StatementRow("sales_income", "Myyntituotot", "Sales income"),
    StatementRow("fee_income", "Maksutuotot", "Fee income"),
    StatementRow("grants_and_subsidies_received", "Tuet ja avustukset", "Grants and subsidies"),
    StatementRow("other_operating_income", "Muut toimintatuotot", "Other operating income"),
    StatementRow("manufacture_for_own_use", "Valmistus omaan käyttöön", "Manufacture for own use"),
    StatementRow(
        "operating_expenses",
        "Toimintakulut",
        "Operating expenses",
        (
            "personnel_expenses",
            "purchases_of_services",
            "materials_and_supplies",
            "grants_paid",
            "other_operating_expenses",
        ),
    ),
    StatementRow(
        "personnel_expenses",
        "Henkilöstökulut",
        "Personnel expenses",
        ("wages_and_salaries", "pension_costs", "other_social_security_costs"),
    ),
    StatementRow("wages_and_salaries", "Palkat ja palkkiot", "Wages and salaries"),
    StatementRow("pension_costs", "Eläkekulut", "Pension costs"),
    StatementRow("other_social_security_costs", "Muut henkilösivukulut", "Other social security costs"),
    StatementRow("purchases_of_services", "Palvelujen ostot", "Purchases of services"),
    StatementRow("materials_and_supplies", "Aineet, tarvikkeet ja tavarat", "Materials, supplies and goods"),
    StatementRow("grants_paid", "Avustukset", "Grants paid"),
    StatementRow("other_operating_expenses", "Muut toimintakulut", "Other operating expenses"),
    StatementRow(
        "operating_margin",
        "Toimintakate",
        "Operating margin",
        ("operating_income", "manufacture_for_own_use", "operating_expenses"),
        computed=True,
    ),
    StatementRow("tax_revenue", "Verotulot", "Tax revenue"),
    StatementRow("state_contributions", "Valtionosuudet", "State contributions"),
    StatementRow(
        "financial_items",
        "Rahoitustuotot ja -kulut",
        "Financial income and expenses",
        ("interest_income", "other_financial_income", "interest_expenses", "other_financial_expenses"),
    ),
    StatementRow("interest_income", "Korkotuotot", "Interest income"),
    StatementRow("other_financial_income", "Muut rahoitustuotot", "Other financial income"),
    StatementRow("interest_expenses", "Korkokulut", "Interest expenses"),
    StatementRow("other_financial_expenses", "Muut rahoituskulut", "Other financial expenses"),
    StatementRow(
        "annual_margin",
        "Vuosikate",
        "Annual margin",
        ("operating_margin", "tax_revenue", "state_contributions", "financial_items"),
        computed=True,
    ),
    StatementRow(
        "depreciation_and_impairment",
        "Poistot ja arvonalentumiset",
        "Depreciation and impairment",
        ("planned_depreciation", "one_off_depreciation_and_impairment"),
    ),
    StatementRow("planned_depreciation", "Suunnitelman mukaiset poistot", "Planned depreciation"),
    StatementRow(
        "one_off_depreciation_and_impairment",
        "Kertaluonteiset poistot ja arvonalentumiset",
        "One-off depreciation and impairment",
    ),
    StatementRow(
        "extraordinary_items",
        "Satunnaiset erät",
        "Extraordinary items",
        ("extraordinary_income", "extraordinary_expenses"),
    ),
    StatementRow("extraordinary_income", "Satunnaiset tuotot", "Extraordinary income"),
    StatementRow("extraordinary_expenses", "Satunnaiset kulut", "Extraordinary expenses"),
    StatementRow(
        "result_for_period",
        "Tilikauden tulos",
        "Result for the financial year",
        ("annual_margin", "depreciation_and_impairment", "extraordinary_items"),
        computed=True,
    ),
    StatementRow("change_in_depreciation_difference", "Poistoeron muutos", "Change in depreciation difference"),
    StatementRow("change_in_reserves", "Varausten muutos", "Change in reserves"),
    StatementRow("change_in_funds", "Rahastojen muutos", "Change in funds"),
    StatementRow(
        "surplus_or_deficit",
        "Tilikauden ylijäämä (alijäämä)",
        "Surplus (deficit) for the financial year",
        (
            "result_for_period",
            "change_in_depreciation_difference",
            "change_in_reserves",
            "change_in_funds",
        ),
        computed=True,
    ),
)

ROWS_BY_KEY: dict[str, StatementRow] = {row.key: row for row in ROWS}
POSTABLE_KEYS: frozenset[str] = frozenset(row.key for row in ROWS if row.postable)

# The budget summary (TULOT, MENOT, NETTO) and which statement rows each one is.
SUMMARY_ROWS: tuple[tuple[str, str, str, str], ...] = (
    ("income", "TULOT", "INCOME", "operating_income"),
    ("expenditure", "MENOT", "EXPENDITURE", "operating_expenses"),
    ("net", "NETTO", "NET", "operating_margin"),
)


def rows_under(key: str) -> frozenset[str]:
    """The row itself and every row it adds up, recursively."""
    found = {key}
    for part in ROWS_BY_KEY[key].parts:
        found |= rows_under(part)
    return frozenset(found)


def expand(own_amounts: dict[str, int]) -> dict[str, int]:
    """Every row's amount (exact cents): its own amount plus the amounts of its parts."""
    result: dict[str, int] = {}

    def value(key: str) -> int:
        if key not in result:
            row = ROWS_BY_KEY[key]
            result[key] = own_amounts.get(key, 0) + sum(value(part) for part in row.parts)
        return result[key]

    for row in ROWS:
        value(row.key)
    return result


INCOME_ROWS: frozenset[str] = rows_under("operating_income") | {"manufacture_for_own_use"}
EXPENSE_ROWS: frozenset[str] = rows_under("operating_expenses")


# The rows the council's binding level binds (talousarvion sitovuus): a `net` unit's
# operating margin; a `gross` unit's expenditure and its income.
BOUND_ROWS: dict[str, tuple[str, ...]] = {
    "net": ("operating_margin",),
    "gross": ("operating_expenses", "operating_income"),
}
