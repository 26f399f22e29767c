"""The investment table (investointiosa): income, expenditure and net per investment group.

Investment actuals are balance-sheet posting lines with a project; the project names the
group. Expenditure = -(sum of the lines that were debits), income = -(sum of the lines
that were credits), so a debit of 10 000 is expenditure -10 000 and a credit of 25 228 is
income +25 228; net = income + expenditure. Budget lines name GROUP:side in the
statement's sign. Two faces as in `statement.py`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

import ledger
from projections import amounts, query, reader
from projections.comparison import Comparison, Sums, compare
from projections.query import Scope

if TYPE_CHECKING:  # the lean report path imports neither (ADR 0015)
    from sqlalchemy import Connection

    from ledger import events as ev

SIDES = (("income", "Tulot", "Income"), ("expenditure", "Menot", "Expenditure"))
PERCENT_PLACES = 1  # the investment table prints Toteuma % with one decimal (the seed: 53,6)
NET = ("net", "Netto", "Net")


@dataclass(frozen=True)
class InvestmentLine:
    key: str  # income | expenditure | net
    label_fi: str
    label_en: str
    figures: Comparison


@dataclass(frozen=True)
class InvestmentGroupLines:
    group: str
    name_fi: str
    name_en: str
    lines: tuple[InvestmentLine, ...]

    @property
    def is_zero(self) -> bool:
        return all(line.figures.is_zero for line in self.lines)


@dataclass(frozen=True)
class Investments:
    report_name: ClassVar[str] = "investments"
    scope: Scope
    deviation_sign: str
    groups: tuple[InvestmentGroupLines, ...]
    total: InvestmentGroupLines


@cache
def _standard_order() -> dict[str, int]:
    """The standard groups' order: ledger/data/investment_groups.csv, the file that
    `ledger.reference.default_investment_groups` reads, read here without the event models."""
    lines = (Path(ledger.__file__).parent / "data" / "investment_groups.csv").read_text(encoding="utf-8").splitlines()
    return {line.split(";", 1)[0]: index for index, line in enumerate(lines[1:]) if line.strip()}


def _matches(key: str, groups: tuple[str, ...], side: str | None) -> bool:
    """Whether a 'GROUP:side' key belongs to one of the groups (and to the side, if one is named)."""
    group, _, key_side = key.partition(":")
    return group in groups and (side is None or side == key_side)


def _lines(sums: Sums, keys: Iterable[str], sign: str) -> tuple[InvestmentLine, ...]:
    """Income and expenditure of the given GROUP prefixes, and their net."""
    prefixes = tuple(keys)

    def total(column: Mapping[str, int], side: str | None) -> int:
        return sum(amount for key, amount in column.items() if _matches(key, prefixes, side))

    def figures(side: str | None) -> Comparison:
        columns = (sums.prior, sums.original, sums.amendments, sums.actual)
        prior, original, amendments, actual = (total(column, side) for column in columns)
        return compare(prior, original, amendments, actual, sign, PERCENT_PLACES)

    found = [InvestmentLine(key, fi, en, figures(key)) for key, fi, en in SIDES]
    return (*found, InvestmentLine(*NET, figures(None)))


def build_investments(
    scope: Scope, deviation_sign: str, names: Mapping[str, tuple[str, str]], sums: Sums, budgeted: Sequence[str] = ()
) -> Investments:
    """Every known group, and the total. The groups the year's budget names come first, in
    the order it first names them (the council's budget lays out the investment part: the
    seed prints Osakkeet ja osuudet before Irtain omaisuus); the others follow in the
    standard order, then by code."""
    order = _standard_order()
    first = {code: index for index, code in enumerate(dict.fromkeys(budgeted))}
    codes = sorted(names, key=lambda code: (first.get(code, len(first)), order.get(code, len(order)), code))
    groups = tuple(InvestmentGroupLines(code, *names[code], _lines(sums, [code], deviation_sign)) for code in codes)
    total = InvestmentGroupLines(
        "total", "Investoinnit yhteensä", "Investments total", _lines(sums, codes, deviation_sign)
    )
    return Investments(scope, deviation_sign, groups, total)


# The reference fold.


def fold_investments(
    events: Iterable[ev.LedgerEvent], unit: str, year: int, as_of: date, known_at: datetime
) -> Investments:
    from ledger import events as ev

    every = list(events)
    scope = query.scope_for(query.units_in(every, as_of, known_at), unit, year, as_of, known_at)
    seen = query.known(every, scope.known_at)
    names = {g.code: (g.name_fi, g.name_en) for e in every if isinstance(e, ev.InvestmentGroupsAdded) for g in e.groups}
    budgeted = [
        line.investment_group
        for _, line in amounts.budget_events(seen, scope.fiscal_year, scope.as_of)
        if line.investment_group is not None and line.unit in scope.members
    ]
    return build_investments(scope, query.deviation_sign_in(every), names, _folded_sums(seen, scope), budgeted)


def _folded_sums(seen: list[ev.LedgerEvent], scope: Scope) -> Sums:
    rows = amounts.account_rows(seen)
    groups = amounts.project_groups(seen)
    prior: Counter[str] = Counter()
    actual: Counter[str] = Counter()
    for posted in amounts.posted_amounts(seen):
        if posted.project is None or rows.get(posted.account) is not None or posted.unit not in scope.members:
            continue
        key = f"{groups[posted.project]}:{posted.side}"
        if scope.year_start <= posted.effective_on <= scope.actuals_until:
            actual[key] -= posted.amount_cents
        if posted.effective_on.year == scope.fiscal_year - 1:
            prior[key] -= posted.amount_cents
    original: Counter[str] = Counter()
    amendments: Counter[str] = Counter()
    for is_original, line in amounts.budget_events(seen, scope.fiscal_year, scope.as_of):
        if line.investment_group is not None and line.unit in scope.members:
            key = f"{line.investment_group}:{line.investment_side}"
            (original if is_original else amendments)[key] += line.amount_cents
    return Sums(prior, original, amendments, actual)


# The fast path.


def query_investments(
    conn: Connection | reader.Reader, unit: str, year: int, as_of: date, known_at: datetime
) -> Investments:
    db = reader.of(conn)
    scope, position, sign = query.report_header(db, unit, year, as_of, known_at)
    names = {r[0]: (r[1], r[2]) for r in db.rows("SELECT code, name_fi, name_en FROM {rm_investment_groups}")}
    return build_investments(scope, sign, names, _queried_sums(db, scope, position), _budgeted(db, scope, position))


def _budgeted(db: reader.Reader, scope: Scope, position: int) -> list[str]:
    """The investment groups the year's budget lines name, in the order they were first named."""
    units, members = reader.placeholders("u", sorted(scope.members))
    found = db.rows(
        "SELECT investment_group, min(id) FROM {rm_budget_lines}"
        f" WHERE fiscal_year = :year AND unit IN ({units}) AND effective_on <= :as_of AND position <= :position"
        " AND investment_group IS NOT NULL GROUP BY investment_group ORDER BY min(id)",
        {**members, "year": scope.fiscal_year, "as_of": scope.as_of, "position": position},
    )
    return [str(group) for group, _ in found]


def _queried_sums(db: reader.Reader, scope: Scope, position: int) -> Sums:
    """Sums per 'GROUP:side': the balance-sheet lines with a project (`rm_amounts`, the
    row is NULL), negated, and the budget lines on investment groups."""
    units, members = reader.placeholders("u", sorted(scope.members))
    previous = scope.fiscal_year - 1

    def actuals(start: date, end: date) -> dict[str, int]:
        found = db.rows(
            "SELECT investment_group, investment_side, sum(amount_cents) FROM {rm_amounts}"
            f" WHERE unit IN ({units}) AND effective_on >= :start AND effective_on <= :end"
            ' AND position <= :position AND investment_group IS NOT NULL AND "row" IS NULL'
            " GROUP BY investment_group, investment_side",
            {**members, "start": start, "end": end, "position": position},
        )
        return {f"{group}:{side}": -int(total) for group, side, total in found}

    original: dict[str, int] = {}
    amendments: dict[str, int] = {}
    budgeted = db.rows(
        "SELECT investment_group, investment_side, kind, sum(amount_cents) FROM {rm_budget_lines}"
        f" WHERE fiscal_year = :year AND unit IN ({units}) AND effective_on <= :as_of AND position <= :position"
        " AND investment_group IS NOT NULL GROUP BY investment_group, investment_side, kind",
        {**members, "year": scope.fiscal_year, "as_of": scope.as_of, "position": position},
    )
    for group, side, kind, total in budgeted:
        target = original if kind == "original" else amendments
        key = f"{group}:{side}"
        target[key] = target.get(key, 0) + int(total)
    return Sums(
        prior=actuals(date(previous, 1, 1), date(previous, 12, 31)),
        original=original,
        amendments=amendments,
        actual=actuals(scope.year_start, scope.actuals_until),
    )
