"""What the property and stateful tests check reports against, written apart from the code.

- `statement_identity_errors`: the identities of DOMAIN.md, exact in cents, for every
  column, and the comparison's formulas (TA after amendments, Poikkeama in either sign,
  Toteuma % computed exactly with fractions);
- `investment_identity_errors`: net = income + expenditure, and the total of the groups;
- `both_faces`: a report from the reference fold and from the SQL fast path;
- `snapshot`: every report of a store as JSON text, and the read-model tables, to
  compare two stores or one store before and after a command.
Each check returns a list of problems (empty when all hold), which the tests assert on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

from sqlalchemy import select

from ledger import events as ev
from ledger.application import Ledger
from ledger.store import tables as t
from projections import goals, investments, plan, risks, statement, summary
from projections.comparison import Comparison
from projections.render import render

AMOUNTS = ("prior_year_actual", "original_budget", "budget_amendments", "budget", "actual", "deviation")
NOW = datetime(2100, 1, 1, tzinfo=UTC)

# DOMAIN.md, "Identities": each computed row and the rows it adds up.
MARGINS = {
    "operating_margin": ("operating_income", "manufacture_for_own_use", "operating_expenses"),
    "annual_margin": ("operating_margin", "tax_revenue", "state_contributions", "financial_items"),
    "result_for_period": ("annual_margin", "depreciation_and_impairment", "extraordinary_items"),
    "surplus_or_deficit": (
        "result_for_period",
        "change_in_depreciation_difference",
        "change_in_reserves",
        "change_in_funds",
    ),
}
# DOMAIN.md, the row table: Toimintatuotot and Toimintakulut are the sums of the rows below.
AGGREGATES = {
    "operating_income": ("sales_income", "fee_income", "grants_and_subsidies_received", "other_operating_income"),
    "operating_expenses": (
        "personnel_expenses",
        "purchases_of_services",
        "materials_and_supplies",
        "grants_paid",
        "other_operating_expenses",
    ),
}

Fold = Callable[[Iterable[ev.LedgerEvent], str, int, date, datetime], Any]
Query = Callable[[Any, str, int, date, datetime], Any]
FACES: dict[str, tuple[Fold, Query]] = {
    "statement": (statement.fold_statement, statement.query_statement),
    "summary": (summary.fold_summary, summary.query_summary),
    "investments": (investments.fold_investments, investments.query_investments),
    "plan": (plan.fold_plan, plan.query_plan),
    "goals": (goals.fold_goals, goals.query_goals),
    "risks": (risks.fold_risks, risks.query_risks),
}


def utilisation(actual: int, budget: int, places: int = 2) -> Decimal:
    """Toteuma % = actual / TA x 100, two decimals (the investment table: one), half away
    from zero; 0,00 where TA is 0."""
    if budget == 0:
        return Decimal(0).scaleb(-places)
    exact = Fraction(actual * 100, budget)
    steps = (abs(exact) * 10**places + Fraction(1, 2)).__floor__()
    return Decimal(steps if exact >= 0 else -steps).scaleb(-places)


def comparison_errors(where: str, c: Comparison, deviation_sign: str, places: int = 2) -> list[str]:
    errors = []
    if c.budget != c.original_budget + c.budget_amendments:
        errors.append(f"{where}: budget {c.budget} != original {c.original_budget} + amendments {c.budget_amendments}")
    expected = c.budget - c.actual if deviation_sign == "budget-minus-actual" else c.actual - c.budget
    if c.deviation != expected:
        errors.append(f"{where}: deviation {c.deviation} != {expected} ({deviation_sign})")
    expected_pct = utilisation(c.actual, c.budget, places)
    if c.utilisation_pct != expected_pct or c.utilisation_pct.as_tuple().exponent != -places:
        errors.append(f"{where}: utilisation {c.utilisation_pct} != {expected_pct}")
    return errors


def statement_identity_errors(report: statement.Statement, aggregates: bool = True) -> list[str]:
    rows = {line.key: line.figures for line in report.lines}
    errors = []
    identities = {**MARGINS, **(AGGREGATES if aggregates else {})}
    for total, parts in identities.items():
        for column in AMOUNTS:
            value = getattr(rows[total], column)
            added = sum(getattr(rows[part], column) for part in parts)
            if value != added:
                errors.append(f"{report.scope.unit} {total}.{column} = {value}, its parts add up to {added}")
    for key, figures in rows.items():
        errors += comparison_errors(f"{report.scope.unit} {key}", figures, report.deviation_sign)
    return errors


def summary_errors(report: summary.Summary, of: statement.Statement) -> list[str]:
    """TULOT, MENOT and NETTO are the statement's Toimintatuotot, Toimintakulut and Toimintakate."""
    rows = {line.key: line.figures for line in of.lines}
    found = {line.key: line.figures for line in report.lines}
    wanted = {"income": "operating_income", "expenditure": "operating_expenses", "net": "operating_margin"}
    return [f"summary {key} != statement {row}" for key, row in wanted.items() if found.get(key) != rows[row]]


def investment_identity_errors(report: investments.Investments) -> list[str]:
    errors = []
    for group in (*report.groups, report.total):
        lines = {line.key: line.figures for line in group.lines}
        for column in AMOUNTS:
            income, expenditure, net = (getattr(lines[k], column) for k in ("income", "expenditure", "net"))
            if net != income + expenditure:
                errors.append(f"{group.group} {column}: net {net} != income {income} + expenditure {expenditure}")
        for key, figures in lines.items():
            errors += comparison_errors(f"{group.group} {key}", figures, report.deviation_sign, places=1)
    for key in ("income", "expenditure", "net"):
        for column in AMOUNTS:
            total = getattr(next(x for x in report.total.lines if x.key == key).figures, column)
            added = sum(getattr(next(x for x in g.lines if x.key == key).figures, column) for g in report.groups)
            if total != added:
                errors.append(f"investments total {key}.{column} = {total}, the groups add up to {added}")
    return errors


def amount_columns(report: statement.Statement | investments.Investments) -> dict[str, int]:
    """Every amount of a money report, keyed 'line.column' (for sums across units)."""
    if isinstance(report, statement.Statement):
        lines = [(line.key, line.figures) for line in report.lines]
    else:
        lines = [(f"{g.group}.{line.key}", line.figures) for g in (*report.groups, report.total) for line in g.lines]
    return {f"{key}.{column}": getattr(figures, column) for key, figures in lines for column in AMOUNTS}


def both_faces(
    ledger: Ledger, events: list[ev.LedgerEvent], kind: str, unit: str, year: int, as_of: date, known_at: datetime
) -> tuple[Any, Any]:
    """(reference fold, fast path) of one report."""
    fold, query = FACES[kind]
    with ledger.state() as state:
        fast = query(state.conn, unit, year, as_of, known_at)
    return fold(events, unit, year, as_of, known_at), fast


def trial_balance(events: Iterable[ev.LedgerEvent], as_of: date, known_at: datetime) -> int:
    """Σ every posting line (debit +, credit -) dated up to as-of and known at T, reversals included."""
    posted: dict[str, ev.Voucher] = {}
    total = 0
    for event in events:
        if event.recorded_at > known_at:
            break
        if isinstance(event, ev.VouchersPosted):
            for voucher in event.vouchers:
                posted[voucher.voucher] = voucher
                if voucher.effective_on <= as_of:
                    total += sum(line.amount_cents for line in voucher.lines)
        elif isinstance(event, ev.VoucherReversed) and event.effective_on <= as_of:
            total -= sum(line.amount_cents for line in posted[event.voucher].lines)
    return total


def unit_codes(ledger: Ledger) -> list[str]:
    return [e.code for e in ledger.events() if isinstance(e, ev.UnitAdded)]


def snapshot(
    ledger: Ledger,
    years: Iterable[int],
    as_of_days: Iterable[date] = (),
    tables: bool = True,
    kinds: Iterable[str] = tuple(FACES),
) -> dict[str, str]:
    """Every report of every unit and year, rendered as JSON (as of the year's end and the
    given days, known now), and every read-model table's rows in a stable order."""
    found: dict[str, str] = {}
    units = unit_codes(ledger)
    extra = list(as_of_days)
    with ledger.state() as state:
        for unit in units:
            for year in years:
                for as_of in [date(year, 12, 31), *extra]:
                    for kind in kinds:
                        text = render(FACES[kind][1](state.conn, unit, year, as_of, NOW), "json", "fi")
                        found[f"{kind} {unit} {year} {as_of}"] = str(text)
        for table in t.PROJECTED_TABLES if tables else ():
            columns = [c for c in table.c if c.name != "id"]
            rows = state.conn.execute(select(*columns)).all()
            found[f"table {table.name}"] = repr(sorted(map(repr, rows)))
    return found


def stored_trial_balance(ledger: Ledger, as_of: date, known_at: datetime) -> int:
    """The same sum over the fast path's table of posted amounts."""
    from sqlalchemy import func

    from projections.query import position_known_at

    with ledger.state() as state:
        position = position_known_at(state.conn, known_at)
        a = t.amounts.c
        total = state.conn.execute(
            select(func.coalesce(func.sum(a.amount_cents), 0)).where(a.effective_on <= as_of, a.position <= position)
        ).scalar_one()
    return int(total)
