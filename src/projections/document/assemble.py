"""Gathering the document from the reports, by either face.

`query_document` calls each report's fast path on one connection; `fold_document` calls
each report's reference fold on the decoded log. Both hand the same `Faces` to
`assemble`, so the two documents must be equal (a test keeps them so).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import Connection, select

from ledger import events as ev
from ledger.store import tables as t
from projections import budget_decisions, goals, illustrative, investments, monthly, query, risks, statement
from projections.budget_decisions import BudgetDecision
from projections.document.model import Document, UnitSection
from projections.document.texts import SECTION_NOTES, UnitTexts, fold_texts, query_texts
from projections.query import Scope
from projections.summary import summarise


@dataclass(frozen=True)
class Faces:
    """One face of every report, each bound to the year, as-of and known-at."""

    entity: str
    ordered_units: tuple[tuple[str, str, str | None, str], ...]  # (code, name, parent, binding), in order added
    statement: Callable[[str], statement.Statement]
    investments: Callable[[str], investments.Investments]
    goals: Callable[[str], goals.GoalReport]
    risks: Callable[[str], risks.RiskReport]
    monthly: Callable[[str], monthly.MonthlyExpenditure]
    texts: Callable[[Scope], UnitTexts]
    decisions: Callable[[Scope], tuple[BudgetDecision, ...]]
    illustration: Callable[[Scope], illustrative.Illustration]


def assemble(faces: Faces, unit: str) -> Document:
    sector_statement = faces.statement(unit)
    scope = sector_statement.scope
    texts = faces.texts(scope)

    parents = {code: parent for code, _, parent, _ in faces.ordered_units}
    bindings = {code: binding for code, _, _, binding in faces.ordered_units}

    def section(code: str, name: str, found: statement.Statement) -> UnitSection:
        depth = _depth(parents, code)
        description, deviation = texts.get(code, "description"), texts.get(code, "deviation")
        return UnitSection(code, name, depth, bindings.get(code, "none"), description, deviation, found)

    areas = tuple(
        section(code, name, faces.statement(code))
        for code, name, parent, _ in faces.ordered_units
        if parent == scope.unit
    )
    return Document(
        entity=faces.entity,
        scope=scope,
        responsible=texts.get(scope.unit, "responsible"),
        notes={key: text for key in SECTION_NOTES if (text := texts.get(scope.unit, key))},
        goals=faces.goals(scope.unit),
        summary=summarise(sector_statement),
        sector=section(scope.unit, scope.unit_name, sector_statement),
        areas=areas,
        investments=faces.investments(scope.unit),
        risks=faces.risks(scope.unit),
        monthly=faces.monthly(scope.unit),
        decisions=tuple(_by_area(found, parents, scope.unit) for found in faces.decisions(scope)),
        illustration=faces.illustration(scope),
    )


def _by_area(decision: BudgetDecision, parents: dict[str, str | None], top: str) -> BudgetDecision:
    """The decision's changes summed to the units right below `top` (and `top`'s own)."""
    by_area: dict[str, int] = {}
    for unit, cents in decision.margin_cents:
        area = unit
        while area != top and parents.get(area) not in (top, None):
            area = parents[area] or top
        by_area[area] = by_area.get(area, 0) + cents
    return replace(decision, margin_cents=tuple(by_area.items()))


def _depth(parents: dict[str, str | None], code: str) -> int:
    """How many units lie above `code` (0 for the top of the organisation)."""
    depth, parent = 0, parents.get(code)
    while parent is not None:
        depth, parent = depth + 1, parents.get(parent)
    return depth


def query_document(conn: Connection, unit: str, year: int, as_of: date, known_at: datetime) -> Document:
    u = t.units.c
    known = query.position_known_at(conn, known_at)
    found = select(u.code, u.name, u.parent, u.binding).where(u.position <= known).order_by(u.position)
    rows = conn.execute(found).all()
    names = query.load_units(conn, as_of, known)
    ordered = tuple((r[0], names[r[0]].name, r[2], r[3]) for r in rows)
    faces = Faces(
        entity=query.setting(conn, "entity", ""),
        ordered_units=ordered,
        statement=lambda code: statement.query_statement(conn, code, year, as_of, known_at),
        investments=lambda code: investments.query_investments(conn, code, year, as_of, known_at),
        goals=lambda code: goals.query_goals(conn, code, year, as_of, known_at),
        risks=lambda code: risks.query_risks(conn, code, year, as_of, known_at),
        monthly=lambda code: monthly.query_monthly(conn, code, year, as_of, known_at),
        texts=lambda scope: query_texts(conn, scope),
        decisions=lambda scope: budget_decisions.query_decisions(conn, scope),
        illustration=lambda scope: illustrative.query_illustration(conn, scope),
    )
    return assemble(faces, unit)


def fold_document(events: Iterable[ev.LedgerEvent], unit: str, year: int, as_of: date, known_at: datetime) -> Document:
    every = list(events)
    entity = next((e.entity for e in every if isinstance(e, ev.LedgerInitialised)), "")
    seen = query.known(every, known_at)
    names = query.units_in(every, as_of, known_at)
    ordered = tuple((e.code, names[e.code].name, e.parent, e.binding) for e in seen if isinstance(e, ev.UnitAdded))
    faces = Faces(
        entity=entity,
        ordered_units=ordered,
        statement=lambda code: statement.fold_statement(every, code, year, as_of, known_at),
        investments=lambda code: investments.fold_investments(every, code, year, as_of, known_at),
        goals=lambda code: goals.fold_goals(every, code, year, as_of, known_at),
        risks=lambda code: risks.fold_risks(every, code, year, as_of, known_at),
        monthly=lambda code: monthly.fold_monthly(every, code, year, as_of, known_at),
        texts=lambda scope: fold_texts(every, scope),
        decisions=lambda scope: budget_decisions.fold_decisions(every, scope),
        illustration=lambda scope: illustrative.fold_illustration(every, scope),
    )
    return assemble(faces, unit)
