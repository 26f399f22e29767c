"""Reference data: the entity, units, accounts, investment groups and projects."""

from __future__ import annotations

import csv
from importlib import resources

from ledger import clock
from ledger import events as ev
from ledger.classification import checked_class
from ledger.codes import checked_code
from ledger.drafts import Draft, Outcome
from ledger.errors import InvalidInput, NotFound, RuleViolation
from ledger.state import LedgerState
from ledger.statement_rows import POSTABLE_KEYS, ROWS_BY_KEY

BINDINGS = ("net", "gross", "none")
DEVIATION_SIGNS = ("budget-minus-actual", "actual-minus-budget")


def _data_rows(name: str) -> list[dict[str, str]]:
    text = resources.files("ledger").joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines(), delimiter=";"))


def default_chart() -> tuple[ev.Account, ...]:
    return tuple(
        ev.Account(
            code=row["code"],
            name=row["name"],
            row=row["row"] or None,
            account_class="balance-sheet" if not row["row"] else "income-statement",
        )
        for row in _data_rows("default_chart.csv")
    )


def default_investment_groups() -> tuple[ev.InvestmentGroup, ...]:
    return tuple(
        ev.InvestmentGroup(code=r["code"], name_fi=r["name_fi"], name_en=r["name_en"])
        for r in _data_rows("investment_groups.csv")
    )


def initialise(state: LedgerState, entity: str, deviation_sign: str) -> Outcome:
    if state.initialised or state.head > 0:
        raise RuleViolation("the store is already initialised; use another --store, or delete this one to start over")
    if deviation_sign not in DEVIATION_SIGNS:
        raise InvalidInput(
            f"'{deviation_sign}': use {' or '.join(DEVIATION_SIGNS)}", field="deviation_sign", value=deviation_sign
        )
    if not entity.strip():
        raise InvalidInput("name the municipality, e.g. 'Heinolan kaupunki'", field="entity")
    return Outcome(
        [
            Draft(ev.LedgerInitialised, {"entity": entity.strip(), "deviation_sign": deviation_sign}),
            Draft(ev.AccountsAdded, {"accounts": default_chart()}),
            Draft(ev.InvestmentGroupsAdded, {"groups": default_investment_groups()}),
        ],
        [f"initialised the ledger of {entity.strip()} with the default chart"],
    )


def add_unit(
    state: LedgerState, code: str, name: str, parent: str | None, binding: str, service_class: str | None = None
) -> Outcome:
    code, name = checked_code("a unit", code), name.strip()
    if not name:
        raise InvalidInput(f"unit {code} needs a name", field="name")
    if code in state.units:
        raise RuleViolation(f"unit {code} exists already ({state.units[code].name})")
    if parent and parent not in state.units:
        raise NotFound(f"'{parent}': no such unit; add it first or check `units list`", field="parent", value=parent)
    if binding not in BINDINGS:
        raise InvalidInput(f"'{binding}': use net, gross or none", field="binding", value=binding)
    drafts = [Draft(ev.UnitAdded, {"code": code, "name": name, "parent": parent or None, "binding": binding})]
    if service_class:  # from the start, checked against the list valid today (ADR 0039)
        checked_class(state.conn, "service-class", service_class, clock.today(), "service_class")
        drafts.append(Draft(ev.UnitServiceClassSet, {"unit": code, "service_class": service_class}))
    return Outcome(drafts, [f"added unit {code} {name}"])


def add_account(state: LedgerState, code: str, name: str, row: str | None, balance_sheet: bool) -> Outcome:
    code = checked_code("an account", code)
    if code in state.account_rows():
        raise RuleViolation(f"account {code} exists already")
    if (row is None) == (not balance_sheet):
        raise InvalidInput(f"account {code}: give either a statement row or the class balance-sheet", field="row")
    if row is not None and row not in POSTABLE_KEYS:
        hint = "a margin is computed, not posted to" if row in ROWS_BY_KEY else "see docs/json.md for the keys"
        raise InvalidInput(f"'{row}': not a row accounts can roll into ({hint})", field="row", value=row)
    account = ev.Account(
        code=code,
        name=name.strip(),
        row=row,
        account_class="balance-sheet" if balance_sheet else "income-statement",
    )
    return Outcome([Draft(ev.AccountsAdded, {"accounts": (account,)})], [f"added account {code}"])


def add_project(state: LedgerState, code: str, name: str, group: str, unit: str | None) -> Outcome:
    code = checked_code("a project", code)
    if code in state.project_groups():
        raise RuleViolation(f"project {code} exists already")
    groups = state.investment_groups()
    if group not in groups:
        raise NotFound(
            f"'{group}': no such investment group; use one of {', '.join(sorted(groups))}", field="group", value=group
        )
    if unit and unit not in state.units:
        raise NotFound(f"'{unit}': no such unit", field="unit", value=unit)
    return Outcome(
        [Draft(ev.ProjectAdded, {"code": code, "name": name.strip(), "investment_group": group, "unit": unit})],
        [f"added project {code} in {group}"],
    )
