"""The organisation's commands: the store itself, units, accounts and investment projects."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from ledger.vocabulary.declaring import Command, argument, option

if TYPE_CHECKING:
    from ledger.commands import Check

_NEW_NAME_FROM = option("The first day of the new name.")
_LAST_DAY = option("The last day postings may be dated.")


@dataclass(frozen=True, kw_only=True)
class Init(Command):
    """Initialise an empty store with the default chart of accounts (JHS 192)."""

    verb: ClassVar[str] = "init"
    on_empty_store: ClassVar[bool] = True
    entity: str = field(default="Kunta", metadata=option("The municipality's name."))
    deviation_sign: str = field(
        default="budget-minus-actual", metadata=option("budget-minus-actual (Heinola) or actual-minus-budget.")
    )

    def check(self) -> Check:
        from ledger import commands

        return commands.initialise(self.entity, self.deviation_sign)


@dataclass(frozen=True, kw_only=True)
class UnitsAdd(Command):
    """Add an organisation unit."""

    verb: ClassVar[str] = "units add"
    code: str = field(metadata=argument("Unit code, e.g. YP."))
    name: str = field(metadata=option("Unit name."))
    parent: str | None = field(default=None, metadata=option("Parent unit code."))
    binding: str = field(default="none", metadata=option("Council binding level: net, gross or none."))
    service_class: str | None = field(
        default=None, metadata=option("Default service class (palveluluokka) of its lines, from the list valid today.")
    )

    def check(self) -> Check:
        from ledger import commands

        return commands.add_unit(self.code, self.name, self.parent, self.binding, self.service_class)


@dataclass(frozen=True, kw_only=True)
class UnitsRename(Command):
    """Rename a unit from a date on; reports as of earlier days keep the old name."""

    verb: ClassVar[str] = "units rename"
    code: str = field(metadata=argument("Unit code."))
    name: str = field(metadata=option("The new name."))
    effective_on: date = field(metadata=_NEW_NAME_FROM)

    def check(self) -> Check:
        from ledger import commands

        return commands.rename_unit(self.code, self.name, self.effective_on)


@dataclass(frozen=True, kw_only=True)
class UnitsClose(Command):
    """Close a unit: postings and budget lines dated after --on are refused (its units below first)."""

    verb: ClassVar[str] = "units close"
    code: str = field(metadata=argument("Unit code."))
    on: date = field(metadata=_LAST_DAY)

    def check(self) -> Check:
        from ledger import commands

        return commands.close_unit(self.code, self.on)


@dataclass(frozen=True, kw_only=True)
class AccountsRename(Command):
    """Rename an account from a date on; reports as of earlier days keep the old name."""

    verb: ClassVar[str] = "accounts rename"
    code: str = field(metadata=argument("Account code."))
    name: str = field(metadata=option("The new name."))
    effective_on: date = field(metadata=_NEW_NAME_FROM)

    def check(self) -> Check:
        from ledger import commands

        return commands.rename_account(self.code, self.name, self.effective_on)


@dataclass(frozen=True, kw_only=True)
class AccountsClose(Command):
    """Close an account: postings and budget lines dated after --on are refused."""

    verb: ClassVar[str] = "accounts close"
    code: str = field(metadata=argument("Account code."))
    on: date = field(metadata=_LAST_DAY)

    def check(self) -> Check:
        from ledger import commands

        return commands.close_account(self.code, self.on)


@dataclass(frozen=True, kw_only=True)
class AccountsAdd(Command):
    """Add an account: --row KEY (income statement) or --class balance-sheet."""

    verb: ClassVar[str] = "accounts add"
    code: str = field(metadata=argument("Account code, e.g. 4310."))
    name: str = field(metadata=option("Account name."))
    row: str | None = field(default=None, metadata=option("Income-statement row key it rolls into."))
    account_class: str | None = field(
        default=None,
        metadata=option(
            "balance-sheet for a counter-entry account.",
            spelled="--class",
            choices=("balance-sheet",),
            refusal="the only class to name is balance-sheet; use --row otherwise",
        ),
    )

    def check(self) -> Check:
        from ledger import commands

        return commands.add_account(self.code, self.name, self.row, self.account_class == "balance-sheet")


@dataclass(frozen=True, kw_only=True)
class ProjectsAdd(Command):
    """Add an investment project in an investment group."""

    verb: ClassVar[str] = "projects add"
    code: str = field(metadata=argument("Project code."))
    name: str = field(metadata=option("Project name."))
    group: str = field(metadata=option("Investment group, e.g. movable_property."))
    unit: str | None = field(default=None, metadata=option("Responsible unit."))

    def check(self) -> Check:
        from ledger import commands

        return commands.add_project(self.code, self.name, self.group, self.unit)
