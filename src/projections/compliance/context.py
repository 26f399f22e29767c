"""What the rules look at: the figures of one fiscal year, as of D, known at T, gathered once.

Figures come from the reports' own functions (the fast path), so a finding quotes the
same numbers as the printed report. The budget decisions are the decoded events, as
recorded, because a rule about who may decide what needs their bodies and lines.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Connection, case, func, select

from ledger import clock
from ledger import events as ev
from ledger.application import Ledger
from ledger.store import tables as t
from ledger.units import Unit, binding_unit_of
from projections import query, reader
from projections.compliance.findings import Thresholds
from projections.goals import GoalItem, query_goals
from projections.investments import Investments, query_investments
from projections.statement import Statement, build_statement, queried_sums


@dataclass(frozen=True)
class UnitFigures:
    code: str
    name: str
    parent: str | None
    binding: str  # net | gross | none
    binding_unit: str | None  # the nearest council binding unit at or above it
    statement: Statement
    events: tuple[int, ...]  # the log positions behind its statement figures


@dataclass(frozen=True)
class BudgetDecision:
    position: int
    kind: str  # original | council | operating-plan
    decision: ev.Decision
    lines: tuple[ev.BudgetLine, ...]


@dataclass(frozen=True)
class Explanation:
    """A unit's deviation explanation for the year: the latest text by effective date."""

    text: str
    effective_on: date
    events: tuple[int, ...]  # every explanation's position, in effective-date order: the last gave `text`


@dataclass(frozen=True)
class GroupFigures:
    unit: str
    investments: Investments
    events: Mapping[str, tuple[int, ...]]  # investment group -> positions behind its figures


@dataclass(frozen=True)
class CheckContext:
    fiscal_year: int
    as_of: date
    known_at: datetime
    position: int  # P(T): the last log position recorded by known-at
    thresholds: Thresholds
    units: Mapping[str, UnitFigures]
    investments: tuple[GroupFigures, ...]
    goals: tuple[tuple[GoalItem, tuple[int, ...]], ...]  # each goal of the year and its events
    deviation_explanations: Mapping[str, Explanation]  # unit -> its explanation
    budget_decisions: tuple[BudgetDecision, ...]
    trial_balance_cents: int  # every posting line of the period, debit positive: zero
    unbalanced_events: Mapping[int, int]  # position -> by how much its lines miss zero

    @property
    def year_over(self) -> bool:
        """The period reaches the year's end and the year has ended by known-at: the
        municipality's year, which ends at midnight in Helsinki whatever --tz says (ADR 0025)."""
        last_day = clock.year_end(self.fiscal_year)
        end = clock.parse_moment(last_day.isoformat(), clock.zone(clock.HOME_ZONE))
        return self.as_of >= last_day and self.known_at > end

    def binding_units(self) -> list[UnitFigures]:
        return [unit for unit in self.units.values() if unit.binding != "none"]


def gather(
    ledger: Ledger, year: int, as_of: date, known_at: datetime, thresholds: Thresholds | None = None
) -> CheckContext:
    with ledger.state() as state:
        conn = state.conn
        db = reader.of(conn)
        header = query.load_header(db, as_of, known_at)
        position = header.position
        units = _units(conn, position)
        behind = _Positions(db, year, as_of, position, sorted(header.units))
        figures = {code: _unit_figures(conn, units, code, year, as_of, known_at, header, behind) for code in units}
        binding = [code for code, unit in units.items() if unit.binding != "none"] or _roots(units)
        groups = tuple(_group_figures(conn, code, year, as_of, known_at, behind) for code in binding)
        goals = tuple(_goals(conn, _roots(units), year, as_of, known_at, position))
        explained = _explanations(conn, year, position)
        trial_total, unbalanced = _trial_balance(conn, year, as_of, position)
        d = t.budget_decisions.c
        decision_positions = list(
            conn.execute(select(d.position).where(d.fiscal_year == year, d.position <= position)).scalars()
        )
    decisions = tuple(_budget_decisions(ledger, decision_positions))
    return CheckContext(
        year,
        as_of,
        clock.as_utc(known_at),
        position,
        thresholds or Thresholds(),
        figures,
        groups,
        goals,
        explained,
        decisions,
        trial_total,
        unbalanced,
    )


class _Positions:
    """The log positions behind each unit's figures, read once for every unit of the year.

    A subtree's positions are the union of its members', so one query per kind (postings
    on statement rows, investment lines, budget lines) serves every unit, instead of a
    scan of the subtree's amounts per unit. Each reads a covering index: the postings on
    statement rows `ix_rm_amounts_position`, the investment lines (a posting counts for
    its group when it is not on a statement row) `ix_rm_amounts_investment`, per unit.
    """

    def __init__(self, db: reader.Reader, year: int, as_of: date, position: int, units: list[str]) -> None:
        self.rows: dict[str, set[int]] = defaultdict(set)
        self.groups: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
        if position <= 0:
            return
        in_units, named = reader.placeholders("u", units)
        period = {"start": clock.year_start(year), "end": min(as_of, clock.year_end(year)), "position": position}
        in_period = "effective_on >= :start AND effective_on <= :end AND position <= :position"
        on_rows = f'SELECT DISTINCT unit, position FROM {{rm_amounts}} WHERE "row" IS NOT NULL AND {in_period}'
        for unit, at in db.rows(on_rows, period):
            self.rows[unit].add(int(at))
        invested = (
            "SELECT DISTINCT unit, investment_group, position FROM {rm_amounts}"
            f' WHERE unit IN ({in_units}) AND "row" IS NULL AND investment_group IS NOT NULL AND {in_period}'
        )
        for unit, group, at in db.rows(invested, {**named, **period}):
            self.groups[unit][group].add(int(at))
        budgeted = (
            'SELECT DISTINCT unit, "row" IS NOT NULL, investment_group, position FROM {rm_budget_lines}'
            " WHERE fiscal_year = :year AND effective_on <= :as_of AND position <= :position"
        )
        for unit, has_row, group, at in db.rows(budgeted, {"year": year, "as_of": as_of, "position": position}):
            if has_row:
                self.rows[unit].add(int(at))
            if group is not None:
                self.groups[unit][group].add(int(at))

    def of_rows(self, members: frozenset[str]) -> tuple[int, ...]:
        return tuple(sorted(set().union(*(self.rows.get(code, set()) for code in members))))

    def of_groups(self, members: frozenset[str]) -> dict[str, tuple[int, ...]]:
        found: dict[str, set[int]] = defaultdict(set)
        for code in members:
            for group, at in self.groups.get(code, {}).items():
                found[group] |= at
        return {group: tuple(sorted(at)) for group, at in found.items()}


def _units(conn: Connection, position: int) -> dict[str, Unit]:
    """The units known at `position`, by the names they were added with."""
    u = t.units.c
    rows = conn.execute(select(u.code, u.name, u.parent, u.binding).where(u.position <= position)).all()
    return {r[0]: Unit(r[0], r[1], r[2], r[3]) for r in rows}


def _roots(units: Mapping[str, Unit]) -> list[str]:
    return [code for code, unit in units.items() if unit.parent is None]


def _unit_figures(
    conn: Connection,
    units: Mapping[str, Unit],
    code: str,
    year: int,
    as_of: date,
    known_at: datetime,
    header: query.Header,
    behind: _Positions,
) -> UnitFigures:
    scope = header.scope(code, year, as_of, known_at)
    statement = build_statement(scope, header.deviation_sign, queried_sums(conn, scope, header.position))
    unit, above = units[code], binding_unit_of(units, code)
    positions = behind.of_rows(statement.scope.members)
    return UnitFigures(code, unit.name, unit.parent, unit.binding, above.code if above else None, statement, positions)


def _group_figures(
    conn: Connection, code: str, year: int, as_of: date, known_at: datetime, behind: _Positions
) -> GroupFigures:
    report = query_investments(conn, code, year, as_of, known_at)
    return GroupFigures(code, report, behind.of_groups(report.scope.members))


def _goals(
    conn: Connection, roots: list[str], year: int, as_of: date, known_at: datetime, position: int
) -> Iterator[tuple[GoalItem, tuple[int, ...]]]:
    g = t.goal_events.c
    for root in roots:
        for item in query_goals(conn, root, year, as_of, known_at).items:
            positions = conn.execute(
                select(g.position).where(g.goal == item.goal, g.position <= position).order_by(g.position)
            ).scalars()
            yield item, tuple(int(p) for p in positions)


def _explanations(conn: Connection, year: int, position: int) -> dict[str, Explanation]:
    """Each unit's explanation; the latest is the last by effective date, then position
    (as the report's text, projections.document.texts)."""
    x = t.unit_texts.c
    rows = conn.execute(
        select(x.unit, x.text, x.effective_on, x.position)
        .where(x.kind == "deviation", x.fiscal_year == year, x.position <= position, func.length(x.text) > 0)
        .order_by(x.effective_on, x.position)
    ).all()
    found: dict[str, Explanation] = {}
    for unit, text, effective_on, at in rows:
        earlier = found[unit].events if unit in found else ()
        found[unit] = Explanation(text, effective_on, (*earlier, int(at)))
    return found


def _trial_balance(conn: Connection, year: int, as_of: date, position: int) -> tuple[int, dict[int, int]]:
    """The period's total over every account and unit (known units or not), and each event
    whose lines miss zero: one pass over the posted rows known at position."""
    a = t.amounts.c
    in_period = (a.effective_on >= clock.year_start(year)) & (a.effective_on <= min(as_of, clock.year_end(year)))
    period_part = func.sum(case((in_period, a.amount_cents), else_=0))
    query = select(a.position, func.sum(a.amount_cents), period_part).where(a.position <= position)
    period_total = 0
    unbalanced: dict[int, int] = {}
    for at, whole, in_year in conn.execute(query.group_by(a.position)).tuples():
        period_total += int(in_year or 0)
        if whole:
            unbalanced[int(at)] = int(whole)
    return period_total, unbalanced


def _budget_decisions(ledger: Ledger, positions: list[int]) -> Iterator[BudgetDecision]:
    """The year's budget decisions known at P(T), read from the log at their positions."""
    for event in ledger.events_at(positions):
        assert isinstance(event, ev.BudgetAdopted | ev.BudgetAmended)
        kind = event.kind if isinstance(event, ev.BudgetAmended) else "original"
        yield BudgetDecision(event.position, kind, event.decision, event.lines)


def budget_years(conn: Connection) -> list[int]:
    """Every fiscal year that has a budget decision or a fiscal-year record."""
    years = set(conn.execute(select(t.budget_lines.c.fiscal_year).distinct()).scalars())
    years |= set(conn.execute(select(t.fiscal_years.c.fiscal_year)).scalars())
    return sorted(years)
