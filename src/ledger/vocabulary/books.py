"""The books' commands: budgets and their amendments, vouchers, the fiscal year and its report's approval."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from ledger.vocabulary.declaring import Command, argument, option

if TYPE_CHECKING:
    from ledger.commands import Check

_BUDGET_FILE = option(
    "CSV (or XLSX) with header unit;line;amount (or yksikkö;rivi;summa). line: a row key (personnel_expenses), "
    "an account code (4300) or GROUP:income|expenditure. Amounts in euros, statement sign: income +, costs -. "
    "Optional plan-year columns plan_Y+1..plan_Y+3 for budget year Y (plan_2026;plan_2027 for 2025): the "
    "financial plan's years (an amendment's: their changes); an empty cell is no line."
)
_VOUCHER_FILE = option(
    "CSV (or XLSX) with header voucher;date;account;unit;amount;text (or tosite;pvm;tili;kustannuspaikka;summa;"
    "selite) and an optional project column. Debit positive, credit negative; lines with the same voucher id "
    "form one voucher."
)
_ENCODING = option("File encoding when not UTF-8, e.g. latin-1.", show_default=False)
_DECIDED_ON = option("Decision date.")


@dataclass(frozen=True, kw_only=True)
class BudgetAdopt(Command):
    """Record the budget the council adopted."""

    verb: ClassVar[str] = "budget adopt"
    dry_run: ClassVar[bool] = True
    year: int = field(metadata=option("Fiscal year."))
    file: Path = field(metadata=_BUDGET_FILE)
    decision: str = field(metadata=option("Decision reference, e.g. 'Kv 11.12.2023 § 85'."))
    decided_on: date = field(metadata=_DECIDED_ON)
    body: str = field(default="council", metadata=option("Deciding body: council."))
    encoding: str | None = field(default=None, metadata=_ENCODING)

    def check(self) -> Check:
        from ledger import commands

        return commands.adopt_budget(self.year, self.file, self.decision, self.decided_on, self.body, self.encoding)


@dataclass(frozen=True, kw_only=True)
class BudgetAmend(Command):
    """Record a budget amendment; the file's amounts are changes (deltas)."""

    verb: ClassVar[str] = "budget amend"
    dry_run: ClassVar[bool] = True
    year: int = field(metadata=option("Fiscal year."))
    kind: str = field(metadata=option("council (talousarviomuutos) or operating-plan."))
    file: Path = field(metadata=_BUDGET_FILE)
    decision: str = field(metadata=option("Decision reference."))
    decided_on: date = field(metadata=_DECIDED_ON)
    reason: str = field(metadata=option("Why the budget changes."))
    body: str | None = field(
        default=None, metadata=option("council or board (default: council for council, board for operating-plan).")
    )
    encoding: str | None = field(default=None, metadata=_ENCODING)

    def check(self) -> Check:
        from ledger import commands

        body = self.body or ("board" if self.kind == "operating-plan" else "council")
        return commands.amend_budget(
            self.year, self.kind, self.file, self.decision, self.decided_on, self.reason, body, self.encoding
        )


@dataclass(frozen=True, kw_only=True)
class Post(Command):
    """Post vouchers from a file: every line is checked before anything is recorded; a large
    file is recorded in chunks of whole vouchers, and running it again finishes an interrupted one."""

    verb: ClassVar[str] = "post"
    dry_run: ClassVar[bool] = True
    file: Path = field(metadata=_VOUCHER_FILE)
    encoding: str | None = field(default=None, metadata=_ENCODING)

    def check(self) -> Check:
        from ledger import commands

        return commands.post_file(self.file, self.encoding)


@dataclass(frozen=True, kw_only=True)
class Reverse(Command):
    """Reverse a voucher: its lines negated, effective on --on."""

    verb: ClassVar[str] = "reverse"
    voucher: str = field(metadata=argument("The voucher id to reverse."))
    on: date = field(metadata=option("Date of the reversal."))
    reason: str = field(metadata=option("Why."))

    def check(self) -> Check:
        from ledger import commands

        return commands.reverse(self.voucher, self.on, self.reason)


@dataclass(frozen=True, kw_only=True)
class CloseYear(Command):
    """Close a fiscal year: postings dated in it are refused from then on."""

    verb: ClassVar[str] = "close-year"
    year: int = field(metadata=option("Fiscal year to close."))
    decision: str = field(metadata=option("Decision reference."))
    decided_on: date = field(metadata=_DECIDED_ON)

    def check(self) -> Check:
        from ledger import commands

        return commands.close_year(self.year, self.decision, self.decided_on)


@dataclass(frozen=True, kw_only=True)
class ReopenYear(Command):
    """Reopen a closed fiscal year by the council's decision: its postings are accepted until it is closed again."""

    verb: ClassVar[str] = "reopen-year"
    year: int = field(metadata=option("Closed fiscal year to reopen."))
    decision: str = field(metadata=option("The council's decision reference."))
    decided_on: date = field(metadata=_DECIDED_ON)
    reason: str = field(metadata=option("Why the year is reopened."))

    def check(self) -> Check:
        from ledger import commands

        return commands.reopen_year(self.year, self.decision, self.decided_on, self.reason)


@dataclass(frozen=True, kw_only=True)
class Approve(Command):
    """Record that the year-end report was approved: reports of the year then default to the
    books as they stand now, with a notice of anything changed later."""

    verb: ClassVar[str] = "approve"
    hashes_figures: ClassVar[bool] = True
    unit: str = field(metadata=option("The unit whose report (with the units below it) is approved."))
    year: int = field(metadata=option("Fiscal year, ended."))
    body: str = field(metadata=option("kaupunginhallitus (board) approves; valtuusto (council) later accepts."))
    decision: str = field(metadata=option("The decision's reference, e.g. 'Kh 26.3.2025 § 79'."))
    decided_on: date = field(metadata=option("The decision's date, after the year's end."))
    figures_hash: Callable[..., str] | None = None  # not a parameter: the read side's FiguresHash

    def check(self) -> Check:
        from ledger import commands

        assert self.figures_hash is not None, "approve hashes the report's figures"
        return commands.approve_report(
            self.unit, self.year, self.body, self.decision, self.decided_on, self.figures_hash
        )
