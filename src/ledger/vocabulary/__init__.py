"""The recording commands, declared once (ADR 0030): the CLI's options, a history file's keys
and the command reference in docs/history-format.md are all read from `COMMANDS`.

Cheap to import: plain dataclasses; each command imports the domain only to build its check.
"""

from __future__ import annotations

from ledger.vocabulary import books, narrative, organisation, reporting
from ledger.vocabulary.declaring import REQUIRED, Command, Parameter, parameters

# In the order the CLI lists them (within each command group) and the docs describe them.
COMMANDS: tuple[type[Command], ...] = (
    organisation.Init,
    organisation.UnitsAdd,
    reporting.UnitsSet,
    narrative.UnitsDescribe,
    organisation.UnitsRename,
    organisation.UnitsClose,
    organisation.AccountsRename,
    organisation.AccountsClose,
    organisation.AccountsAdd,
    organisation.ProjectsAdd,
    books.BudgetAdopt,
    books.BudgetAmend,
    books.Post,
    books.Reverse,
    books.CloseYear,
    books.ReopenYear,
    narrative.GoalsSet,
    narrative.GoalsReword,
    narrative.GoalsReport,
    narrative.RisksAssess,
    narrative.ExplainDeviation,
    books.Approve,
    reporting.ClassesLoad,
    reporting.Submit,
)
BY_VERB: dict[str, type[Command]] = {command.verb: command for command in COMMANDS}

__all__ = ["BY_VERB", "COMMANDS", "REQUIRED", "Command", "Parameter", "parameters"]
