"""The document's tables of figures: statements, the budget summary, investments, chart data.

The printed reports' columns: TP (previous year), TA after amendments, actual, deviation
and utilisation %. A statement keeps the rows people read (`visible_lines`) and is laid
out as the seed prints it: a caption row TOIMINTATUOTOT, the income rows, then their total.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from ledger import clock
from ledger.money import format_fi, format_percent_fi, percent
from ledger.statement_rows import ROWS_BY_KEY
from projections.comparison import Comparison
from projections.document import labels as words
from projections.document.layout import Row, RowStyle, Table
from projections.document.model import UnitSection
from projections.investments import Investments
from projections.monthly import MonthlyExpenditure
from projections.query import Scope
from projections.render import labels
from projections.render.sheets import CAPTIONED_SECTIONS, captioned_layout, visible_lines
from projections.statement import Statement
from projections.summary import Summary

FIGURE_COLUMNS = ("prior_year_actual", "budget", "actual", "deviation", "utilisation_pct")


def figure_cells(figures: Comparison) -> tuple[str, ...]:
    amounts = (format_fi(getattr(figures, key)) for key in FIGURE_COLUMNS[:-1])
    return (*amounts, format_percent_fi(figures.utilisation_pct))


def period(as_of: date, lang: str, months: bool) -> str:
    """The actuals' period: the year (or months 1–12) at its end, months 1–M at a month's
    end, else the days from 1 January."""
    year_end, month_end = as_of == clock.year_end(as_of.year), (as_of + timedelta(days=1)).day == 1
    if year_end and not months:
        return str(as_of.year)
    if month_end:
        return f"1–{as_of.month}" if months else f"1–{as_of.month}/{as_of.year}"
    return f"1.1.–{labels.format_date(as_of, lang)}"


def _figure_table(first: str, rows: Iterable[Row], lang: str, scope: Scope, short: bool = False) -> Table:
    """The seed's headings: Tilinpäätös 2023, Talousarvio 2024, Toteuma 2024 (the investment
    table's short TP 2023, TA 2024, Toteuma 1–12), Poikkeama, Toteuma %."""
    prefix = "short_" if short else ""
    actuals = period(scope.as_of, lang, months=short)
    columns = (
        first,
        words.text(f"{prefix}prior_year_actual", lang).format(prior=scope.fiscal_year - 1),
        words.text(f"{prefix}budget", lang).format(year=scope.fiscal_year),
        words.text("actual", lang).format(period=actuals),
        words.text("deviation", lang),
        words.text("utilisation_pct", lang),
    )
    return Table(columns, (False,) + (True,) * len(FIGURE_COLUMNS), tuple(rows))


def statement_table(statement: Statement, lang: str) -> Table:
    lines = visible_lines(statement)
    shown = {line.key for line in lines}
    sums = [ROWS_BY_KEY[key] for key in shown if key not in CAPTIONED_SECTIONS]
    # parts of a posted-to sum (wages under personnel expenses), not the parts of a margin
    sub_parts = {part for row in sums if not row.computed for part in row.parts}
    rows = []
    for caption, line in captioned_layout(lines):
        label = labels.pick((line.label_fi, line.label_en), lang)
        if caption:
            rows.append(Row((label.upper(), *[""] * len(FIGURE_COLUMNS)), "heading"))
        else:
            rows.append(Row((label, *figure_cells(line.figures)), _style(line.key, sub_parts)))
    return _figure_table(words.text("label", lang), rows, lang, statement.scope)


def _style(key: str, sub_parts: set[str]) -> RowStyle:
    row = ROWS_BY_KEY[key]
    if row.computed:
        return "margin"
    if key in CAPTIONED_SECTIONS:
        return "total"
    return "sub" if key in sub_parts else "line"


def summary_table(summary: Summary, lang: str) -> Table:
    rows = (
        Row(
            (labels.pick((line.label_fi, line.label_en), lang), *figure_cells(line.figures)),
            "margin" if line.key == "net" else "line",
        )
        for line in summary.lines
    )
    return _figure_table(words.text("label", lang), rows, lang, summary.scope)


def investments_table(investments: Investments, lang: str) -> Table | None:
    """Each group with figures (income and expenditure where not zero, and net), then the
    total; a group is headed by its name as the seed prints it ("Osakkeet ja osuudet")."""
    groups = [group for group in investments.groups if not group.is_zero]
    if not groups:
        return None
    rows: list[Row] = []
    for group in (*groups, investments.total):
        is_total = group is investments.total
        name = labels.pick((group.name_fi, group.name_en), lang)
        rows.append(Row((name.upper() if is_total else name, *[""] * 5), "heading"))
        for line in group.lines:
            if line.key != "net" and line.figures.is_zero:
                continue
            style: RowStyle = "total" if line.key == "net" else "line"
            label = labels.pick((line.label_fi, line.label_en), lang)
            rows.append(Row((label, *figure_cells(line.figures)), "margin" if is_total and style == "total" else style))
    return _figure_table(words.text("investment_group", lang), rows, lang, investments.scope, short=True)


def net_expenditure(section: UnitSection) -> tuple[int, int]:
    """(budget, actual) net expenditure: the operating margin with its sign turned, in cents."""
    figures = section.statement.line("operating_margin").figures
    return -figures.budget, -figures.actual


def area_table(areas: Iterable[UnitSection], lang: str) -> Table:
    rows = tuple(
        Row((area.name, format_fi(budget), format_fi(actual), format_percent_fi(percent(actual, budget))))
        for area in areas
        for budget, actual in [net_expenditure(area)]
    )
    columns = (
        words.text("label", lang),
        words.text("budget_series", lang),
        words.text("actual_series", lang),
        words.text("utilisation_pct", lang),
    )
    return Table(columns, (False, True, True, True), rows)


def monthly_table(monthly: MonthlyExpenditure, lang: str) -> Table:
    rows = tuple(
        Row(
            (
                words.month(figure.month, lang),
                format_fi(figure.actual_cents),
                format_fi(figure.cumulative_cents),
                format_percent_fi(monthly.utilisation_pct(figure)),
            )
        )
        for figure in monthly.months
    )
    budget = Row((words.text("budget_series", lang), "", format_fi(monthly.budget_cents), ""), "total")
    columns = tuple(words.text(key, lang) for key in ("month", "month_expenses", "cumulative", "share_of_budget"))
    return Table(columns, (False, True, True, True), (*rows, budget))
