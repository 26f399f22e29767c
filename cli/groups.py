"""The command groups (`kuntaledger units ...`), shared by the modules that fill them."""

from __future__ import annotations

from cli.errors import LedgerTyper

units_app = LedgerTyper(help="Organisation units: city, sector, service area, cost centre.", no_args_is_help=True)
accounts_app = LedgerTyper(help="The chart of accounts.", no_args_is_help=True)
projects_app = LedgerTyper(help="Investment projects and their groups.", no_args_is_help=True)
budget_app = LedgerTyper(help="Budgets (talousarvio) and amendments.", no_args_is_help=True)
goals_app = LedgerTyper(
    help="Goals: `goals --unit U --year Y` reports them; `goals set|reword|report` records.",
    invoke_without_command=True,
)
risks_app = LedgerTyper(
    help="Risks: `risks --unit U --year Y` reports the register; `risks assess` records.",
    invoke_without_command=True,
)
classes_app = LedgerTyper(
    help="Reporting code lists: `classes --kind K` lists the one valid on a day; `classes load` records one.",
    invoke_without_command=True,
)
