"""The document laid out in the seed's order, in Finnish or English (see `layout.py`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo

from projections.document import budget, charts, figures
from projections.document import labels as words
from projections.document.approved import changes_sections, version_facts
from projections.document.binding import binding_held
from projections.document.layout import (
    Block,
    Chart,
    Layout,
    Note,
    Notice,
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

SERVICE_AREA_DEPTH = 2


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
        words.text("monthly_illustrative", lang) if document.illustration.monthly else None,
    )
    area_chart = Chart(
        "area",
        words.text("area_chart", lang),
        words.text("area_chart_caption", lang),
        area_svg,
        figures.area_table(document.areas, lang),
    )
    summary = figures.summary_table(document.summary, lang)
    phases = budget.budget_and_decisions(document.sector, document.areas, document.decisions, lang)
    investments = _investments(document, lang)
    statement_key = {"net": "statement_net", "gross": "statement_gross"}.get(document.sector.binding, "statement")
    sections = (
        *changes_sections(document, lang),
        _section("council-goals", words.text("council_goals", lang), _council_goals(document, lang)),
        _section("descriptions", words.text("descriptions", lang), _descriptions(document.areas, lang)),
        _section("summary", words.text("summary", lang), _noted(document, "summary", (summary, monthly, phases))),
        _section("statement", words.text(statement_key, lang), _statement(document, lang)),
        _section("areas", words.text("areas", lang), _areas(document, area_chart, lang)),
        _section("investments", words.text("investments", lang), _noted(document, "investments", investments)),
        _section("plan-goals", words.text("plan_goals", lang), _plan_goals(document, lang)),
        _section("risks", words.text("risks", lang), _noted(document, "risks", _risks(document.risks, lang))),
    )
    notes = (words.text("figures_note", lang), words.text(f"deviation_{document.summary.deviation_sign}", lang))
    facts = (
        (words.text("entity", lang), document.entity),
        (words.text("unit", lang), f"{scope.unit} {scope.unit_name}"),
        *(((words.text("responsible_person", lang), document.responsible),) if document.responsible else ()),
        (words.text("fiscal_year", lang), str(year)),
        (words.text("as_of", lang), labels.format_date(scope.as_of, lang)),
        *version_facts(document, lang),
        (words.text("known_at", lang), labels.format_moment(scope.known_at, lang, zone)),
        (words.text("report_date", lang), labels.format_date(scope.known_at.astimezone(zone).date(), lang)),
    )
    running = words.text("running_header", lang).format(
        unit=scope.unit_name,
        year=year,
        as_of=labels.format_date(scope.as_of, lang),
        known_at=labels.format_moment(scope.known_at, lang, zone),
    )
    subtitle = words.text("subtitle", lang, year)
    notices = (_illustrative(document, lang),) if document.illustration else ()
    title = TitleBlock(document.entity, scope.unit_name, subtitle, facts, notes, running, notices)
    return Layout(lang, title, sections)


def _illustrative(document: Document, lang: str) -> Notice:
    """Which parts of the report rest on events marked illustrative, and how many events each."""
    marked = document.illustration.positions
    references = ", ".join(d.reference for d in document.decisions if d.position in marked)
    items = []
    for part, count in document.illustration.parts:
        events = words.text("events_one" if count == 1 else "events_many", lang).format(count=count)
        shown = f" ({references})" if part == "decisions" and references else ""
        items.append(f"{words.text(f'part_{part}', lang)}: {events}{shown}")
    return Notice(words.text("illustrative_heading", lang), words.text("illustrative_lead", lang), tuple(items))


def _section(key: str, heading: str, blocks: Sequence[Block]) -> Section:
    return Section(key, heading, tuple(blocks))


def _noted(document: Document, key: str, blocks: Sequence[Block]) -> tuple[Block, ...]:
    """The section's recorded note (the unit's text of that kind), then its blocks."""
    note = document.notes.get(key)
    return (Paragraphs(note), *blocks) if note else tuple(blocks)


def _unit_blocks(section: UnitSection, lang: str) -> tuple[Block, ...]:
    """The deviation explanation, then the statement (the seed's order)."""
    explanation: Block = Paragraphs(section.deviation) if section.deviation else Note(words.text("no_deviation", lang))
    return (explanation, figures.statement_table(section.statement, lang))


def _heading(area: UnitSection, lang: str) -> str:
    """A service area (two levels below the top: kaupunki → toimiala → palvelualue) is
    headed "Talouspalvelut -palvelualue" in Finnish, unless its name already says so."""
    if lang != "fi" or area.depth != SERVICE_AREA_DEPTH or "palvelualue" in area.name.casefold():
        return area.name
    return f"{area.name} -palvelualue"


def _statement(document: Document, lang: str) -> tuple[Block, ...]:
    """The sector's explanation and statement, then whether each binding unit's appropriation held."""
    held = binding_held((document.sector, *document.areas), lang)
    return (*_unit_blocks(document.sector, lang), *((held,) if held else ()))


def _descriptions(areas: Sequence[UnitSection], lang: str) -> tuple[Block, ...]:
    found = tuple(
        Subsection(_heading(area, lang), (Paragraphs(area.description),)) for area in areas if area.description
    )
    return found or (Note(words.text("none_descriptions", lang)),)


def _areas(document: Document, chart: Chart, lang: str) -> tuple[Block, ...]:
    if not document.areas:
        return (Note(words.text("none_areas", lang)),)
    return (chart, *(Subsection(_heading(area, lang), _unit_blocks(area, lang)) for area in document.areas))


def _investments(document: Document, lang: str) -> tuple[Block, ...]:
    table = figures.investments_table(document.investments, lang)
    return (table,) if table else (Note(words.text("none_investments", lang)),)


def _outcomes(items: Sequence[GoalItem], lang: str) -> tuple[str, list[str]]:
    """The outcome column's heading and cells: a date shared by every outcome heads the
    column (Toteuma 31.12.2024), otherwise each outcome's own date follows its words."""
    days = {item.outcome_on for item in items if item.outcome is not None}
    shared = days.pop() if len(days) == 1 else None
    heading = words.text("outcome", lang)
    if shared is not None:
        heading = f"{heading} {labels.format_date(shared, lang)}"
    cells = []
    for item in items:
        dated = item.outcome_on is not None and shared is None
        day = f"({labels.format_date(item.outcome_on, lang)})" if dated and item.outcome_on else ""
        cells.append(" ".join(part for part in (item.outcome or "", day) if part))
    return heading, cells


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
    outcome, outcomes = _outcomes(items, lang)
    columns = (
        words.text("strategic_goal", lang),
        words.text("sector_goal", lang, year),
        outcome,
        words.text("status", lang),
    )
    rows = tuple(
        Row((strategic, item.text, told, _status(item, lang)))
        for item, strategic, told in zip(items, _strategic_goals(items), outcomes, strict=True)
    )
    intro = Paragraphs(document.notes.get("council-goals") or words.text("council_goals_intro", lang))
    return (intro, Table(columns, (False,) * 4, rows, variant="words", widths=(20, 30, 38, 12)))


def _plan_goals(document: Document, lang: str) -> tuple[Block, ...]:
    items = document.goals_at("operating-plan")
    if not items:
        return (Note(words.text("none_goals", lang)),)
    year = document.scope.fiscal_year
    outcome, outcomes = _outcomes(items, lang)
    keys = ("strategic_goal", "plan_goal", "metric_target", "responsible")
    columns = (*(words.text(key, lang, year) for key in keys), outcome, words.text("status", lang))
    rows = tuple(
        Row((strategic, item.text, _metric_and_target(item), item.responsible, told, _status(item, lang)))
        for item, strategic, told in zip(items, _strategic_goals(items), outcomes, strict=True)
    )
    intro = Paragraphs(document.notes.get("plan-goals") or words.text("plan_goals_intro", lang))
    return (intro, Table(columns, (False,) * 6, rows, variant="words", widths=(15, 17, 18, 13, 27, 10)))


def _metric_and_target(item: GoalItem) -> str:
    """The metric, and the target level below it unless the metric already states it."""
    stated = all(part.strip() in item.metric for part in item.target.split(";"))
    return "\n".join(part for part in (item.metric, "" if stated else item.target) if part)


def _risk(risk_class: str, description: str) -> str:
    """The class, and the identified risk below it unless it only repeats the class."""
    return description if description.startswith(risk_class) else f"{risk_class}\n{description}"


def _mitigation(mitigation: str, responsible: str, lang: str) -> str:
    """The mitigation, and below it who answers for it when that is recorded."""
    return f"{mitigation}\n{words.text('responsible', lang)}: {responsible}" if responsible else mitigation


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
                _mitigation(item.mitigation, item.responsible, lang),
                item.carried_out,
            )
        )
        for item in report.items
    )
    return (Table(columns, (False,) * 4, rows, variant="words", widths=(25, 17, 29, 29)),)
