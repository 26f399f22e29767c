"""The statutory reporting commands (ADR 0039): code lists, a unit's default service class,
and the submissions of the Treasury's report sets."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from ledger.vocabulary.declaring import Command, argument, option

if TYPE_CHECKING:
    from ledger.commands import Check


@dataclass(frozen=True, kw_only=True)
class ClassesLoad(Command):
    """Load a code list of service classes or sectors, valid from a day on (a newer list does
    not change how earlier days report); loading the same list again records nothing."""

    verb: ClassVar[str] = "classes load"
    dry_run: ClassVar[bool] = True
    kind: str = field(
        metadata=option(
            "service-class (palveluluokka) or sector (sektori).",
            choices=("service-class", "sector"),
            refusal="use service-class or sector",
        )
    )
    file: Path = field(
        metadata=option(
            "CSV with header code;name and optional parent and status columns (status: empty or unverified); "
            "# lines before the header say where the list comes from."
        )
    )
    valid_from: date = field(metadata=option("The first day the list is valid."))
    encoding: str | None = field(default=None, metadata=option("File encoding when not UTF-8.", show_default=False))

    def check(self) -> Check:
        from ledger import commands

        return commands.load_classes(self.kind, self.file, self.valid_from, self.encoding)


@dataclass(frozen=True, kw_only=True)
class UnitsSet(Command):
    """Set a unit's default service class, for its lines that name none."""

    verb: ClassVar[str] = "units set"
    code: str = field(metadata=argument("Unit code."))
    service_class: str = field(metadata=option("Service class code (palveluluokka), from the list valid on --on."))
    on: date | None = field(
        default=None,
        metadata=option("The first day it holds (default: since the unit was added; checked against today's list)."),
    )

    def check(self) -> Check:
        from ledger import commands

        return commands.set_unit_service_class(self.code, self.service_class, self.on)


@dataclass(frozen=True, kw_only=True)
class Submit(Command):
    """Record that an export was approved and submitted to the State Treasury: its content hash,
    the (as-of, known-at) it was made at and who approved it. The same export again records
    nothing; another one for the same set and period is recorded as a correction."""

    verb: ClassVar[str] = "submit"
    report_set: str = field(
        metadata=option(
            "KKNR (quarterly actuals) or KTAS (the budget).",
            spelled="--set",
            choices=("KKNR", "KTAS"),
            refusal="use KKNR or KTAS",
        )
    )
    period: str = field(metadata=option("KKNR: a quarter, e.g. 2024Q2; KTAS: the budget year, e.g. 2025."))
    file: Path = field(metadata=option("The export file as it was sent."))
    approved_by: str = field(metadata=option("Who approved it (name, office)."))
    decision: str = field(metadata=option("The approving decision's reference, e.g. 'Kh 12.8.2024 § 140'."))
    as_of: date | None = field(
        default=None,
        metadata=option("The export's as-of date, when it does not carry one (default: the period's last day)."),
    )
    known_at: str | None = field(
        default=None,
        metadata=option(
            "The export's known-at moment, when it does not carry one (default: when the submission is recorded)."
        ),
    )

    def check(self) -> Check:
        from ledger import commands

        return commands.submit(
            self.report_set, self.period, self.file, self.approved_by, self.decision, self.as_of, self.known_at
        )
