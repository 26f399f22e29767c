"""Each report laid out as a Sheet, for people (table, md) or for data (csv, xlsx).

For people, rows that are zero in every column are hidden, and so are the statement's
closing rows where nothing more happens: `result_for_period` when depreciation and
extraordinary items are zero throughout, `surplus_or_deficit` when its three change rows
are. Data keeps every row and adds the stable row key.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import tzinfo
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias

from ledger.statement_rows import rows_under
from projections.comparison import COLUMNS as COMPARISON_COLUMNS
from projections.comparison import Comparison
from projections.query import Scope
from projections.render import labels
from projections.render.sheet import Cell, Column, Kind, Sheet

if TYPE_CHECKING:  # goals, risks and investments read with SQLAlchemy: not for the lean path (ADR 0015)
    from projections.goals import GoalReport
    from projections.investments import Investments
    from projections.plan import Plan
    from projections.risks import RiskReport
    from projections.statement import Statement, StatementLine
    from projections.summary import Summary

Report: TypeAlias = "Statement | Summary | Investments | Plan | GoalReport | RiskReport"

RESULT_PARTS = frozenset({"depreciation_and_impairment", "extraordinary_items"})
SURPLUS_PARTS = frozenset({"change_in_depreciation_difference", "change_in_reserves", "change_in_funds"})


def visible_lines(statement: Statement) -> tuple[StatementLine, ...]:
    """The statement's rows as the printed statements show them: a row zero throughout is
    left out unless the budget names it (a line of 0), as the printed tables print it."""
    zero = {line.key for line in statement.lines if line.figures.is_zero}
    hidden = zero - statement.budgeted
    if zero >= RESULT_PARTS:
        hidden.add("result_for_period")
    if zero >= SURPLUS_PARTS:
        hidden.add("surplus_or_deficit")
    return tuple(line for line in statement.lines if line.key not in hidden)


def _columns(keys: tuple[tuple[str, Kind], ...], lang: str, year: int) -> tuple[Column, ...]:
    return tuple(Column(key, labels.column_label(key, lang, year), kind) for key, kind in keys)


def _comparison_keys() -> tuple[tuple[str, Kind], ...]:
    return tuple((key, "percent" if key == "utilisation_pct" else "money") for key in COMPARISON_COLUMNS)


def _cells(figures: Comparison) -> tuple[Cell, ...]:
    return (*figures.amounts(), figures.utilisation_pct)


class _Line(Protocol):
    @property
    def key(self) -> str: ...
    @property
    def label_fi(self) -> str: ...
    @property
    def label_en(self) -> str: ...
    @property
    def figures(self) -> Comparison: ...


def _row_sheet(name: str, scope: Scope, lines: Sequence[_Line], lang: str, for_people: bool, zone: tzinfo) -> Sheet:
    """One line per row: its label (and, for data, its key), then the comparison."""
    head: tuple[tuple[str, Kind], ...] = (("label", "text"),) if for_people else (("key", "text"), ("label", "text"))
    rows = tuple(
        ((() if for_people else (line.key,)) + (labels.pick((line.label_fi, line.label_en), lang),))
        + _cells(line.figures)
        for line in lines
    )
    columns = _columns(head + _comparison_keys(), lang, scope.fiscal_year)
    return Sheet(labels.title(name, scope, lang, zone), columns, rows)


def statement_sheet(report: Statement, lang: str, for_people: bool, zone: tzinfo) -> Sheet:
    if not for_people:
        return _row_sheet("statement", report.scope, report.lines, lang, for_people, zone)
    sheet = _row_sheet("statement", report.scope, visible_lines(report), lang, for_people, zone)
    return Sheet(sheet.title, sheet.columns, printed_layout(sheet.rows, visible_lines(report), lang))


# The printed statements caption these sections (TOIMINTATUOTOT), list their rows, and
# close them with the total (Toimintatuotot); data outputs keep the JHS 192 order.
CAPTIONED_SECTIONS = ("operating_income", "operating_expenses")

Placed = tuple[bool, "StatementLine"]  # (a caption row in capitals without figures?, the line)


def captioned_layout(lines: Sequence[StatementLine]) -> list[Placed]:
    """The statement's lines in printed order: a captioned section whose parts are shown
    gets a caption row in its place, and its total moves below its last part."""
    shown = {line.key for line in lines}
    placed: list[Placed] = []
    pending: list[tuple[frozenset[str], StatementLine]] = []  # totals waiting for their last part
    for line in lines:
        while pending and line.key not in pending[-1][0]:
            placed.append((False, pending.pop()[1]))
        parts = rows_under(line.key) - {line.key}
        if line.key in CAPTIONED_SECTIONS and parts & shown:
            placed.append((True, line))
            pending.append((parts, line))
        else:
            placed.append((False, line))
    placed.extend((False, total) for _, total in reversed(pending))
    return placed


def printed_layout(
    rows: tuple[tuple[Cell, ...], ...], lines: Sequence[StatementLine], lang: str
) -> tuple[tuple[Cell, ...], ...]:
    """Rows for people, in `captioned_layout`'s order; a caption row has no figures."""
    row_of = {line.key: row for line, row in zip(lines, rows, strict=True)}
    return tuple(
        (labels.pick((line.label_fi, line.label_en), lang).upper(), *(None,) * (len(row_of[line.key]) - 1))
        if caption
        else row_of[line.key]
        for caption, line in captioned_layout(lines)
    )


def summary_sheet(report: Summary, lang: str, for_people: bool, zone: tzinfo) -> Sheet:
    return _row_sheet("summary", report.scope, report.lines, lang, for_people, zone)


def investments_sheet(report: Investments, lang: str, for_people: bool, zone: tzinfo) -> Sheet:
    groups = [g for g in report.groups if not (for_people and g.is_zero)] + [report.total]
    head: tuple[tuple[str, Kind], ...] = (("group", "text"), ("label", "text"))
    rows = tuple(
        (
            labels.pick((group.name_fi, group.name_en), lang),
            labels.pick((line.label_fi, line.label_en), lang),
            *_cells(line.figures),
        )
        for group in groups
        for line in group.lines
    )
    columns = _columns(head + _comparison_keys(), lang, report.scope.fiscal_year)
    return Sheet(labels.title("investments", report.scope, lang, zone), columns, rows)


def plan_sheet(report: Plan, lang: str, for_people: bool, zone: tzinfo) -> Sheet:
    """The budget year after amendments, then each plan year (TS); for people, rows zero
    throughout are hidden."""
    year = report.scope.fiscal_year
    head: tuple[Column, ...] = (Column("label", labels.column_label("label", lang, year), "text"),)
    if not for_people:
        head = (Column("key", labels.column_label("key", lang, year), "text"), *head)
    amounts = (
        Column(f"budget_{year}", labels.column_label("budget", lang, year), "money"),
        *(Column(f"plan_{y}", labels.column_label("plan_year", lang, y), "money") for y in report.plan_years),
    )
    rows = tuple(
        ((() if for_people else (line.key,)) + (labels.pick((line.label_fi, line.label_en), lang),))
        + (line.budget, *line.plan)
        for line in report.lines
        if not (for_people and line.is_zero)
    )
    return Sheet(labels.title("plan", report.scope, lang, zone), (*head, *amounts), rows)


GOAL_COLUMNS: tuple[tuple[str, Kind], ...] = (
    ("goal", "text"),
    ("unit", "text"),
    ("level", "text"),
    ("strategic_goal", "text"),
    ("text", "text"),
    ("metric", "text"),
    ("target", "text"),
    ("responsible", "text"),
    ("outcome", "text"),
    ("outcome_on", "date"),
    ("status", "text"),
)


def goals_sheet(report: GoalReport, lang: str, for_people: bool, zone: tzinfo) -> Sheet:
    rows = tuple(
        (
            item.goal,
            item.unit,
            labels.pick(labels.LEVELS[item.level], lang),
            item.strategic_goal,
            item.text,
            item.metric,
            item.target,
            item.responsible,
            item.outcome,
            item.outcome_on,
            labels.pick(labels.STATUSES[item.status], lang),
        )
        for item in report.items
    )
    columns = _columns(GOAL_COLUMNS, lang, report.scope.fiscal_year)
    return Sheet(labels.title("goals", report.scope, lang, zone), columns, rows)


RISK_COLUMNS: tuple[tuple[str, Kind], ...] = (
    ("risk", "text"),
    ("unit", "text"),
    ("class", "text"),
    ("description", "text"),
    ("probability", "number"),
    ("significance", "number"),
    ("mitigation", "text"),
    ("carried_out", "text"),
    ("responsible", "text"),
    ("assessed_on", "date"),
)


def risks_sheet(report: RiskReport, lang: str, for_people: bool, zone: tzinfo) -> Sheet:
    rows = tuple(
        (
            item.risk,
            item.unit,
            item.risk_class,
            item.description,
            item.probability,
            item.significance,
            item.mitigation,
            item.carried_out,
            item.responsible,
            item.assessed_on,
        )
        for item in report.items
    )
    columns = _columns(RISK_COLUMNS, lang, report.scope.fiscal_year)
    return Sheet(labels.title("risks", report.scope, lang, zone), columns, rows)


def report_name(report: Report) -> str:
    """'statement', 'summary', 'investments', 'goals' or 'risks'."""
    return report.report_name


SHEETS: dict[str, Callable[[Any, str, bool, tzinfo], Sheet]] = {
    "statement": statement_sheet,
    "summary": summary_sheet,
    "investments": investments_sheet,
    "plan": plan_sheet,
    "goals": goals_sheet,
    "risks": risks_sheet,
}


def sheet_of(report: Report, lang: str, for_people: bool, zone: tzinfo) -> Sheet:
    """Chosen by the report's name, so that rendering a statement imports no other report;
    the title shows known-at in `zone`."""
    return SHEETS[report.report_name](report, lang, for_people, zone)
