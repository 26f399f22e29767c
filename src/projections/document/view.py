"""The document laid out in the seed's order, in Finnish or English (see `layout.py`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo

from projections.document import charts, figures
from projections.document import labels as words
from projections.document.layout import (
    Block,
    Chart,
    Layout,
    Note,
    Paragraphs,
    Row,
    Section,
    Subsection,
    Table,
    TitleBlock,
)
from projections.document.model import Document, UnitSection
from projections.goals import GoalItem
from projections.render import labels
from projections.risks import RiskReport


def layout(document: Document, lang: str, zone: tzinfo, with_charts: bool = True) -> Layout:
    """The document in `lang`; its known-at, and the report date (the day of known-at), in `zone`."""
    scope, year = document.scope, document.scope.fiscal_year
    monthly_svg = charts.monthly_chart(document.monthly, lang) if with_charts else None
    area_svg = charts.area_chart(document.areas, lang) if with_charts else None
    monthly = Chart(
        "monthly",
        words.text("monthly_chart", lang),
        words.text("monthly_chart_caption", lang),
        monthly_svg,
        figures.monthly_table(document.monthly, lang),
    )
    area_chart = Chart(
        "area",
        words.text("area_chart", lang),
        words.text("area_chart_caption", lang),
        area_svg,
        figures.area_table(document.areas, lang),
    )
    statement_key = {"net": "statement_net", "gross": "statement_gross"}.get(document.binding, "statement")
    sections = (
        _section("council-goals", words.text("council_goals", lang), _council_goals(document, lang)),
        _section("descriptions", words.text("descriptions", lang), _descriptions(document.areas, lang)),
        _section("summary", words.text("summary", lang), (figures.summary_table(document.summary, lang), monthly)),
        _section("statement", words.text(statement_key, lang), _unit_blocks(document.sector, lang)),
        _section("areas", words.text("areas", lang), _areas(document, area_chart, lang)),
        _section("investments", words.text("investments", lang), _investments(document, lang)),
        _section("plan-goals", words.text("plan_goals", lang), _plan_goals(document, lang)),
        _section("risks", words.text("risks", lang), _risks(document.risks, lang)),
    )
    notes = (words.text("figures_note", lang), words.text(f"deviation_{document.summary.deviation_sign}", lang))
    facts = (
        (words.text("entity", lang), document.entity),
        (words.text("unit", lang), f"{scope.unit} {scope.unit_name}"),
        (words.text("fiscal_year", lang), str(year)),
        (words.text("as_of", lang), labels.format_date(scope.as_of, lang)),
        (words.text("known_at", lang), labels.format_moment(scope.known_at, lang, zone)),
        (words.text("report_date", lang), labels.format_date(scope.known_at.astimezone(zone).date(), lang)),
    )
    title = TitleBlock(document.entity, scope.unit_name, words.text("subtitle", lang, year), facts, notes)
    return Layout(lang, title, sections)


def _section(key: str, heading: str, blocks: Sequence[Block]) -> Section:
    return Section(key, heading, tuple(blocks))


def _unit_blocks(section: UnitSection, lang: str) -> tuple[Block, ...]:
    """The deviation explanation, then the statement (the seed's order)."""
    explanation: Block = Paragraphs(section.deviation) if section.deviation else Note(words.text("no_deviation", lang))
    return (explanation, figures.statement_table(section.statement, lang))


def _descriptions(areas: Sequence[UnitSection], lang: str) -> tuple[Block, ...]:
    found = tuple(Subsection(area.name, (Paragraphs(area.description),)) for area in areas if area.description)
    return found or (Note(words.text("none_descriptions", lang)),)


def _areas(document: Document, chart: Chart, lang: str) -> tuple[Block, ...]:
    if not document.areas:
        return (Note(words.text("none_areas", lang)),)
    return (chart, *(Subsection(area.name, _unit_blocks(area, lang)) for area in document.areas))


def _investments(document: Document, lang: str) -> tuple[Block, ...]:
    table = figures.investments_table(document.investments, lang)
    return (table,) if table else (Note(words.text("none_investments", lang)),)


def _outcome(item: GoalItem, lang: str) -> str:
    if item.outcome is None:
        return ""
    day = f" ({labels.format_date(item.outcome_on, lang)})" if item.outcome_on else ""
    return item.outcome + day


def _strategic_goals(items: Sequence[GoalItem]) -> list[str]:
    """Each goal's strategic goal, left blank where it repeats the one above (as printed)."""
    previous: str | None = None
    shown = []
    for item in items:
        shown.append("" if item.strategic_goal == previous else item.strategic_goal)
        previous = item.strategic_goal
    return shown


def _status(item: GoalItem, lang: str) -> str:
    return labels.pick(labels.STATUSES[item.status], lang)


def _council_goals(document: Document, lang: str) -> tuple[Block, ...]:
    items = document.goals_at("council")
    if not items:
        return (Note(words.text("none_goals", lang)),)
    year = document.scope.fiscal_year
    columns = tuple(words.text(key, lang, year) for key in ("strategic_goal", "sector_goal", "outcome", "status"))
    rows = tuple(
        Row((strategic, item.text, _outcome(item, lang), _status(item, lang)))
        for item, strategic in zip(items, _strategic_goals(items), strict=True)
    )
    intro = Paragraphs(words.text("council_goals_intro", lang))
    return (intro, Table(columns, (False,) * 4, rows, variant="words", widths=(20, 30, 38, 12)))


def _plan_goals(document: Document, lang: str) -> tuple[Block, ...]:
    items = document.goals_at("operating-plan")
    if not items:
        return (Note(words.text("none_goals", lang)),)
    year = document.scope.fiscal_year
    keys = ("strategic_goal", "plan_goal", "metric_target", "responsible", "outcome", "status")
    columns = tuple(words.text(key, lang, year) for key in keys)
    rows = tuple(
        Row(
            (
                strategic,
                item.text,
                "\n".join(part for part in (item.metric, item.target) if part),
                item.responsible,
                _outcome(item, lang),
                _status(item, lang),
            )
        )
        for item, strategic in zip(items, _strategic_goals(items), strict=True)
    )
    intro = Paragraphs(words.text("plan_goals_intro", lang))
    return (intro, Table(columns, (False,) * 6, rows, variant="words", widths=(15, 17, 18, 13, 27, 10)))


def _risk(risk_class: str, description: str) -> str:
    """The class, and the identified risk below it unless it only repeats the class."""
    return description if description.startswith(risk_class) else f"{risk_class}\n{description}"


def _risks(report: RiskReport, lang: str) -> tuple[Block, ...]:
    if not report.items:
        return (Note(words.text("none_risks", lang)),)
    keys = ("risk_class", "risk_value", "mitigation", "carried_out")
    columns = tuple(words.text(key, lang) for key in keys)
    rows = tuple(
        Row(
            (
                _risk(item.risk_class, item.description),
                f"{words.text('probability', lang)}: {item.probability}\n"
                f"{words.text('significance', lang)}: {item.significance}",
                item.mitigation,
                item.carried_out,
            )
        )
        for item in report.items
    )
    return (Table(columns, (False,) * 4, rows, variant="words", widths=(25, 17, 29, 29)),)
