"""Budgets (talousarvio) and their amendments, checked before anything is recorded.

- The council adopts the budget, once per year, before the year has ended (normally in
  December before it; during the year is a `check` finding), for no year after next.
- A `council` amendment (talousarviomuutos) is the council's, decided by the end of the
  year (Local Government Act 410/2015, section 110).
- No amendment is decided before the budget it amends was adopted, and no decision is
  dated after today (ADR 0024).
- An `operating-plan` amendment (käyttösuunnitelmamuutos) is the board's and must leave
  every council binding unit's net unchanged (for a `gross` unit: its income and its
  expenditure), and every investment group's total at that unit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ledger import events as ev
from ledger.classification import ClassList, valid_list
from ledger.counting import counted
from ledger.csvfiles import BudgetRow, ErrorCollector
from ledger.drafts import Draft, Outcome
from ledger.errors import InvalidInput, RuleViolation
from ledger.fiscal_years import check_not_in_future
from ledger.money import format_fi
from ledger.state import LedgerState
from ledger.statement_rows import EXPENSE_ROWS, INCOME_ROWS, POSTABLE_KEYS


def resolve_lines(
    state: LedgerState, rows: list[BudgetRow], source: str, decided_on: date, year: int | None = None
) -> tuple[ev.BudgetLine, ...]:
    """Map each file line to a statement row or an investment group and side; its service
    class and sector, if it names them, must be in the lists valid on 1.1. of `year`."""
    errors = ErrorCollector(source)
    dimensions = _dimension_lists(state, rows, date(year, 1, 1) if year else decided_on)
    accounts = state.account_rows()
    groups = state.investment_groups()
    closed_units, closed_accounts = state.closings("unit"), state.closings("account")
    resolved = []
    for row in rows:
        if row.unit not in state.units:
            errors.add(row.line_no, "unit", f"unknown unit '{row.unit}'; see `kuntaledger units list`")
            continue
        if closed_units.get(row.unit, decided_on) < decided_on:
            errors.add(
                row.line_no, "unit", f"unit {row.unit} was closed on {closed_units[row.unit]}, before {decided_on}"
            )
            continue
        if closed_accounts.get(row.line, decided_on) < decided_on:
            errors.add(
                row.line_no,
                "line",
                f"account {row.line} was closed on {closed_accounts[row.line]}, before {decided_on}",
            )
            continue
        target = _resolve_target(row, accounts, groups)
        if isinstance(target, str):
            errors.add(row.line_no, "line", target)
            continue
        statement_row, group, side = target
        if not _dimensions_known(row, dimensions, errors):
            continue
        resolved.append(
            ev.BudgetLine(
                unit=row.unit,
                line=row.line,
                row=statement_row,
                investment_group=group,
                investment_side=side,
                amount_cents=row.amount_cents,
                service_class=row.service_class or None,
                sector=row.sector or None,
            )
        )
    errors.raise_if_any()
    return tuple(resolved)


def _dimension_lists(state: LedgerState, rows: list[BudgetRow], on: date) -> dict[str, tuple[date, ClassList | None]]:
    """{column: (the day, the list of its kind valid then)} for the dimension columns the file fills."""
    wanted = {"service_class": any(row.service_class for row in rows), "sector": any(row.sector for row in rows)}
    return {
        column: (on, valid_list(state.conn, column.replace("_", "-"), on)) for column, used in wanted.items() if used
    }


def _dimensions_known(
    row: BudgetRow, dimensions: dict[str, tuple[date, ClassList | None]], errors: ErrorCollector
) -> bool:
    known = True
    for column, code in (("service_class", row.service_class), ("sector", row.sector)):
        if not code:
            continue
        on, found = dimensions[column]
        kind = column.replace("_", "-")
        if found is None:
            errors.add(row.line_no, column, f"no {kind} list is valid on {on}; load one with `classes load`")
            known = False
        elif code not in found.names:
            errors.add(
                row.line_no,
                column,
                f"unknown {kind} '{code}' in the list valid from {found.valid_from}; see `kuntaledger classes "
                f"--kind {kind} --as-of {on}`",
            )
            known = False
    return known


def _resolve_target(
    row: BudgetRow, accounts: dict[str, str | None], groups: set[str]
) -> tuple[str | None, str | None, ev.InvestmentSide | None] | str:
    """(row, group, side), or an error message."""
    line = row.line
    if line in POSTABLE_KEYS:
        return line, None, None
    if line in accounts:
        if accounts[line] is None:
            return f"account {line} is a balance-sheet account; budget its investment group instead"
        return accounts[line], None, None
    group, _, side = line.partition(":")
    if group in groups:
        if side == "income":
            return None, group, "income"
        if side == "expenditure":
            return None, group, "expenditure"
        if side:
            return f"'{line}': the side after ':' is income or expenditure"
        return None, group, "income" if row.amount_cents > 0 else "expenditure"
    return (
        f"'{line}' is not a statement row key, an account code or an investment group "
        "(e.g. personnel_expenses, 4300, movable_property:expenditure)"
    )


def plan_drafts(
    kind: str, year: int, rows: list[BudgetRow], lines: tuple[ev.BudgetLine, ...], decision: ev.Decision
) -> list[Draft]:
    """The plan years' lines (the file's plan_YEAR columns), each resolved as its row's
    budget line was: a FinancialPlanRecorded beside the budget event, or nothing."""
    plan = tuple(
        ev.PlanLine(**line.model_dump(exclude={"amount_cents"}), amount_cents=amount_cents, plan_year=plan_year)
        for row, line in zip(rows, lines, strict=True)
        for plan_year, amount_cents in row.plan_cents
    )
    if not plan:
        return []
    return [Draft(ev.FinancialPlanRecorded, {"fiscal_year": year, "kind": kind, "lines": plan, "decision": decision})]


def _check_year_open(state: LedgerState, year: int) -> None:
    if year in state.closed_years():
        raise RuleViolation(f"fiscal year {year} is closed; its budget can no longer change")


def _decision(body: str, reference: str, decided_on: date) -> ev.Decision:
    if not reference.strip():
        raise InvalidInput("give the decision's reference, e.g. 'Kv 11.12.2023 § 85'", field="decision")
    return ev.Decision(body=body, reference=reference.strip(), decided_on=decided_on)  # type: ignore[arg-type]


def adopt(
    state: LedgerState,
    year: int,
    rows: list[BudgetRow],
    file: Path,
    reference: str,
    decided_on: date,
    body: str,
    today: date,
) -> Outcome:
    if body != "council":
        raise RuleViolation(
            f"{body}: the budget is adopted by the council (Local Government Act 110 §)", field="body", value=body
        )
    _check_year_open(state, year)
    if decided_on > date(year, 12, 31):
        raise RuleViolation(
            f"{decided_on}: the budget for {year} cannot be adopted after its year has ended "
            f"(31.12.{year}); a budget is adopted before or during its year (Local Government Act 110 §)",
            field="decided_on",
            value=decided_on,
        )
    if year > today.year + 1:
        raise RuleViolation(
            f"{year}: a budget is adopted for the coming year at the latest ({today.year + 1}); "
            "later years belong to the financial plan (taloussuunnitelma), not to a budget",
            field="year",
            value=year,
        )
    check_not_in_future(decided_on, today)
    if state.budget_adopted(year):
        raise RuleViolation(f"the budget for {year} is adopted already; change it with `budget amend`")
    lines = resolve_lines(state, rows, file.name, decided_on, year)
    decision = _decision(body, reference, decided_on)
    total = sum(line.amount_cents for line in lines if line.row)
    plan = plan_drafts("original", year, rows, lines, decision)
    return Outcome(
        [Draft(ev.BudgetAdopted, {"fiscal_year": year, "lines": lines, "decision": decision}), *plan],
        [
            f"adopted the {year} budget: {counted(len(lines), 'line')}, operating net {format_fi(total)} €",
            *_plan_said(plan),
        ],
    )


def _plan_said(plan: list[Draft]) -> list[str]:
    years = sorted({line.plan_year for draft in plan for line in draft.fields["lines"]})
    return [f"with its plan years {', '.join(map(str, years))}"] if years else []


def amend(
    state: LedgerState,
    year: int,
    kind: str,
    rows: list[BudgetRow],
    file: Path,
    reference: str,
    decided_on: date,
    reason: str,
    body: str,
    today: date,
) -> Outcome:
    if kind not in ("council", "operating-plan"):
        raise InvalidInput(f"'{kind}': use council or operating-plan", field="kind", value=kind)
    expected_body = "council" if kind == "council" else "board"
    if body != expected_body:
        who = "the council (talousarviomuutos)" if kind == "council" else "the board (käyttösuunnitelmamuutos)"
        raise RuleViolation(
            f"{body}: {'a council' if kind == 'council' else 'an operating-plan'} amendment is decided by {who}",
            field="body",
            value=body,
        )
    if not state.budget_adopted(year):
        raise RuleViolation(f"no budget is adopted for {year}; adopt it first with `budget adopt`")
    _check_year_open(state, year)
    if kind == "council" and decided_on > date(year, 12, 31):
        raise RuleViolation(
            f"{decided_on}: a council amendment to the {year} budget must be decided "
            f"by 31.12.{year} (Local Government Act 110 §)",
            field="decided_on",
            value=decided_on,
        )
    adopted_on = state.adopted_on(year)
    if adopted_on is not None and decided_on < adopted_on:
        raise RuleViolation(
            f"{decided_on}: the {year} budget it amends was adopted on {adopted_on}; "
            "an amendment is decided on or after the adoption",
            field="decided_on",
            value=decided_on,
        )
    check_not_in_future(decided_on, today)
    if not reason.strip():
        raise InvalidInput("say why the budget changes", field="reason")
    lines = resolve_lines(state, rows, file.name, decided_on, year)
    decision = _decision(body, reference, decided_on)
    plan = plan_drafts(kind, year, rows, lines, decision)
    if kind == "operating-plan":
        _check_binding_levels_unchanged(state, lines, file.name)
        for draft in plan:
            for plan_year in sorted({line.plan_year for line in draft.fields["lines"]}):
                year_lines = tuple(line for line in draft.fields["lines"] if line.plan_year == plan_year)
                _check_binding_levels_unchanged(state, year_lines, f"{file.name} (plan year {plan_year})")
    return Outcome(
        [
            Draft(
                ev.BudgetAmended,
                {"fiscal_year": year, "kind": kind, "lines": lines, "decision": decision, "reason": reason.strip()},
            ),
            *plan,
        ],
        [f"recorded the {kind} amendment to {year}: {counted(len(lines), 'line')}", *_plan_said(plan)],
    )


@dataclass(frozen=True)
class BindingChange:
    """A change an amendment makes at a council binding unit."""

    unit: str
    what: str  # "net", "income", "expenditure" or "GROUP investments"
    change_cents: int


def binding_changes(
    lines: Iterable[ev.BudgetLine], binding_of: Callable[[str], tuple[str, str] | None]
) -> list[BindingChange]:
    """What the lines change at the council's binding units (`binding_of(unit)` gives the
    binding unit's code and its binding, net or gross): the operating margin (toimintakate)
    of a `net` unit, the income and the expenditure of a `gross` unit, and each investment
    group's total. Rows below the operating margin are outside the binding level."""
    changes: dict[tuple[str, str], int] = defaultdict(int)
    for line in lines:
        found = binding_of(line.unit)
        if found is None:
            continue
        code, binding = found
        if line.investment_group:
            changes[(code, f"{line.investment_group} investments")] += line.amount_cents
            continue
        side = "income" if line.row in INCOME_ROWS else "expenditure" if line.row in EXPENSE_ROWS else None
        if side is not None:
            changes[(code, "net" if binding == "net" else side)] += line.amount_cents
    return [BindingChange(unit, what, change) for (unit, what), change in sorted(changes.items()) if change]


def _check_binding_levels_unchanged(state: LedgerState, lines: tuple[ev.BudgetLine, ...], source: str) -> None:
    def binding_of(code: str) -> tuple[str, str] | None:
        unit = state.binding_unit_of(code)
        return (unit.code, unit.binding) if unit else None

    for change in binding_changes(lines, binding_of):
        unit = state.units[change.unit]
        raise RuleViolation(
            f"{source}: this operating-plan amendment changes the {change.what} of {unit.code} ({unit.name}), "
            f"bound by the council at {unit.binding} level, by {format_fi(change.change_cents, 2)} €; "
            "only the council may change it (use --kind council)"
        )
