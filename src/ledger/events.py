"""Every persisted event of the ledger: frozen pydantic models, past participles.

All events live on one stream, the ledger's (ADR 0002): an event's `originator_version`
is its position in the log. `recorded_at` is when the ledger learned it (drives
`--known-at`); business dates are named fields (`effective_on`, `decided_on`).
Amounts are integer cents. To change an event's shape, bump `class_version`, add an
`upcast_vN_vN+1` static method and a stored sample of the new version (ADR 0005).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar, Literal
from uuid import UUID, uuid5

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    StrictBool,
    StrictInt,
    StrictStr,
    model_serializer,
)

LEDGER_NAMESPACE = UUID("5a1c0f5e-6b2d-4b8e-9a57-6c0c1e3e8d11")
LEDGER_ID = uuid5(LEDGER_NAMESPACE, "kuntaledger/ledger")

Binding = Literal["net", "gross", "none"]
Body = Literal["council", "board"]
AmendmentKind = Literal["council", "operating-plan"]
GoalLevel = Literal["council", "operating-plan"]
GoalStatus = Literal["achieved", "partly-achieved", "not-achieved", "not-assessed"]
AccountClass = Literal["income-statement", "balance-sheet"]
DeviationSign = Literal["budget-minus-actual", "actual-minus-budget"]
InvestmentSide = Literal["income", "expenditure"]
# What a unit's recorded text is: its description, its responsible office holder
# (vastuuhenkilö), or the note that opens one section of its report.
UnitTextKind = Literal["description", "responsible", "council-goals", "summary", "investments", "plan-goals", "risks"]
# The statutory reporting dimensions (ADR 0039): a code list of each kind, and the Treasury's report sets.
ClassKind = Literal["service-class", "sector"]
ReportSet = Literal["KKNR", "KTAS"]


class Value(BaseModel):
    """A frozen, strict value inside an event."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)


class Decision(Value):
    body: Body
    reference: StrictStr = Field(min_length=1)
    decided_on: date


class Account(Value):
    code: StrictStr = Field(min_length=1)
    name: StrictStr
    row: StrictStr | None  # the income-statement row key, None for balance-sheet accounts
    account_class: AccountClass


class InvestmentGroup(Value):
    code: StrictStr
    name_fi: StrictStr
    name_en: StrictStr


class BudgetLine(Value):
    """One line of a budget or amendment, in the statement's sign (income +, costs -).

    Exactly one target: a statement row (`row`) or an investment group and side.
    `line` keeps what the file said (a row key, an account code or GROUP:side).
    """

    unit: StrictStr
    line: StrictStr
    row: StrictStr | None = None
    investment_group: StrictStr | None = None
    investment_side: InvestmentSide | None = None
    amount_cents: StrictInt
    # The reporting dimensions (ADR 0039), left out of the stored JSON when absent, so a
    # line without them is stored and hashed exactly as before they existed.
    service_class: StrictStr | None = None
    sector: StrictStr | None = None

    @model_serializer(mode="wrap")
    def _without_absent_dimensions(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        for key in ("service_class", "sector"):
            if data.get(key, 0) is None:
                del data[key]
        return data


class PlanLine(BudgetLine):
    """A line of a financial-plan year (taloussuunnitelma, Local Government Act 110 §):
    a budget line for `plan_year`, a year after the budget year."""

    plan_year: StrictInt


class PostingLine(Value):
    """Debit positive, credit negative."""

    account: StrictStr
    unit: StrictStr
    project: StrictStr | None = None
    amount_cents: StrictInt
    text: StrictStr = ""


class Voucher(Value):
    voucher: StrictStr = Field(min_length=1)
    effective_on: date
    lines: tuple[PostingLine, ...]
    content_hash: StrictStr  # of (effective_on, lines): makes a re-post detectable


class LedgerEvent(BaseModel):
    """Fields every event carries."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    TOPIC: ClassVar[str]
    class_version: ClassVar[int] = 1

    originator_id: UUID
    originator_version: StrictInt  # the position in the log, from 1
    recorded_at: datetime
    actor: StrictStr
    chain_hash: StrictStr  # sha-256 of this event's content and the previous hash (ADR)

    @property
    def position(self) -> int:
        return self.originator_version

    def content(self) -> dict[str, Any]:
        """The event's own fields, JSON-ready, without the position and the chain hash."""
        return self.model_dump(mode="json", exclude={"originator_id", "originator_version", "chain_hash"})


class LedgerInitialised(LedgerEvent):
    TOPIC = "kuntaledger.LedgerInitialised"
    entity: StrictStr
    deviation_sign: DeviationSign


class AccountsAdded(LedgerEvent):
    TOPIC = "kuntaledger.AccountsAdded"
    accounts: tuple[Account, ...]


class InvestmentGroupsAdded(LedgerEvent):
    TOPIC = "kuntaledger.InvestmentGroupsAdded"
    groups: tuple[InvestmentGroup, ...]


class UnitAdded(LedgerEvent):
    TOPIC = "kuntaledger.UnitAdded"
    code: StrictStr
    name: StrictStr
    parent: StrictStr | None
    binding: Binding


class UnitDescribed(LedgerEvent):
    """Version 2 added `kind`: the text describes the unit, names its responsible, or
    opens a section of its report; texts stored before it are descriptions (ADR 0026)."""

    TOPIC = "kuntaledger.UnitDescribed"
    class_version = 2
    unit: StrictStr
    fiscal_year: StrictInt
    text: StrictStr
    effective_on: date
    kind: UnitTextKind = "description"

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        state["kind"] = "description"


class ProjectAdded(LedgerEvent):
    TOPIC = "kuntaledger.ProjectAdded"
    code: StrictStr
    name: StrictStr
    investment_group: StrictStr
    unit: StrictStr | None


class BudgetAdopted(LedgerEvent):
    TOPIC = "kuntaledger.BudgetAdopted"
    fiscal_year: StrictInt
    lines: tuple[BudgetLine, ...]
    decision: Decision


class BudgetAmended(LedgerEvent):
    TOPIC = "kuntaledger.BudgetAmended"
    fiscal_year: StrictInt
    kind: AmendmentKind
    lines: tuple[BudgetLine, ...]
    decision: Decision
    reason: StrictStr


class FinancialPlanRecorded(LedgerEvent):
    """The plan years the council decided with a budget year's budget (`kind` original)
    or an amendment to it (`council`, `operating-plan`): recorded beside the
    BudgetAdopted or BudgetAmended of the same decision, so those keep their shape."""

    TOPIC = "kuntaledger.FinancialPlanRecorded"
    fiscal_year: StrictInt
    kind: Literal["original", "council", "operating-plan"]
    lines: tuple[PlanLine, ...]
    decision: Decision


class VouchersPosted(LedgerEvent):
    """One or more vouchers recorded together (one import, one event)."""

    TOPIC = "kuntaledger.VouchersPosted"
    vouchers: tuple[Voucher, ...]
    source: StrictStr = ""


class VoucherReversed(LedgerEvent):
    """The voucher's lines negated, effective on `effective_on`."""

    TOPIC = "kuntaledger.VoucherReversed"
    voucher: StrictStr
    effective_on: date
    reason: StrictStr


class FiscalYearClosed(LedgerEvent):
    TOPIC = "kuntaledger.FiscalYearClosed"
    fiscal_year: StrictInt
    decision: Decision


class FiscalYearReopened(LedgerEvent):
    """The council reopened a closed year (e.g. after an auditor's remark): postings dated
    in it are accepted again until a new FiscalYearClosed (ADR 0024)."""

    TOPIC = "kuntaledger.FiscalYearReopened"
    fiscal_year: StrictInt
    decision: Decision
    reason: StrictStr


class ReportApproved(LedgerEvent):
    """A body approved the year-end report of `unit` (and the units below it) for the year,
    the books as they stood when this event was recorded (ADR 0027): the board
    (kaupunginhallitus) approves the financial statements, the council (valtuusto) later
    accepts them. `figures_hash` is the sha-256 of the report's figures the read side
    computed from those books."""

    TOPIC = "kuntaledger.ReportApproved"
    unit: StrictStr
    fiscal_year: StrictInt
    decision: Decision
    figures_hash: StrictStr = Field(pattern=r"^[0-9a-f]{64}$")


class GoalSet(LedgerEvent):
    TOPIC = "kuntaledger.GoalSet"
    goal: StrictStr
    fiscal_year: StrictInt
    unit: StrictStr
    level: GoalLevel
    strategic_goal: StrictStr
    text: StrictStr
    metric: StrictStr
    target: StrictStr
    responsible: StrictStr
    effective_on: date


class GoalReworded(LedgerEvent):
    TOPIC = "kuntaledger.GoalReworded"
    goal: StrictStr
    text: StrictStr
    metric: StrictStr | None
    target: StrictStr | None
    effective_on: date


class GoalOutcomeReported(LedgerEvent):
    TOPIC = "kuntaledger.GoalOutcomeReported"
    goal: StrictStr
    text: StrictStr
    status: GoalStatus
    effective_on: date


class RiskAssessed(LedgerEvent):
    """Version 2 added `responsible`, the office holder who answers for the mitigation
    (vastuuhenkilö); assessments stored before it read back with "" (ADR 0005)."""

    TOPIC = "kuntaledger.RiskAssessed"
    class_version = 2
    risk: StrictStr
    unit: StrictStr
    fiscal_year: StrictInt
    risk_class: StrictStr
    description: StrictStr
    probability: StrictInt = Field(ge=1, le=3)
    significance: StrictInt = Field(ge=1, le=3)
    mitigation: StrictStr
    carried_out: StrictStr
    effective_on: date
    responsible: StrictStr = ""

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        state["responsible"] = ""


class DeviationExplained(LedgerEvent):
    TOPIC = "kuntaledger.DeviationExplained"
    unit: StrictStr
    fiscal_year: StrictInt
    text: StrictStr
    effective_on: date


class UnitRenamed(LedgerEvent):
    """The unit's name from `effective_on` on; reports as of an earlier day keep the old one."""

    TOPIC = "kuntaledger.UnitRenamed"
    code: StrictStr
    name: StrictStr
    effective_on: date


class UnitClosed(LedgerEvent):
    """No postings or budget lines dated after `effective_on` go to the unit."""

    TOPIC = "kuntaledger.UnitClosed"
    code: StrictStr
    effective_on: date


class AccountRenamed(LedgerEvent):
    TOPIC = "kuntaledger.AccountRenamed"
    code: StrictStr
    name: StrictStr
    effective_on: date


class AccountClosed(LedgerEvent):
    TOPIC = "kuntaledger.AccountClosed"
    code: StrictStr
    effective_on: date


class EventsMarkedIllustrative(LedgerEvent):
    """The events at positions `first_position`..`last_position` hold illustrative data
    (chosen or invented, not taken from the record), as `note` says. Recorded in the same
    save as the events it marks, which stay as they were (ADR 0028)."""

    TOPIC = "kuntaledger.EventsMarkedIllustrative"
    first_position: StrictInt = Field(ge=1)
    last_position: StrictInt = Field(ge=1)
    note: StrictStr = Field(min_length=1)


class ClassCode(Value):
    """One code of a reporting code list: its name, its parent code in the same list, and
    whether the list's file marked it unverified against the official publication."""

    code: StrictStr = Field(min_length=1)
    name: StrictStr = Field(min_length=1)
    parent: StrictStr | None = None
    unverified: StrictBool = False


class ClassesLoaded(LedgerEvent):
    """A code list of service classes (palveluluokat) or counterparty sectors (sektorit),
    valid from `valid_from` until a list of the same kind valid from a later day; a list
    loaded again for the same day replaces it from this position on (ADR 0039). `source`
    is what the file says of where the list comes from; `file` its name."""

    TOPIC = "kuntaledger.ClassesLoaded"
    kind: ClassKind
    valid_from: date
    codes: tuple[ClassCode, ...]
    source: StrictStr = ""
    file: StrictStr = ""


class UnitServiceClassSet(LedgerEvent):
    """The unit's default service class from `effective_on` on (None: since it was added),
    for lines that name none (ADR 0039)."""

    TOPIC = "kuntaledger.UnitServiceClassSet"
    unit: StrictStr
    service_class: StrictStr
    effective_on: date | None = None


class ExportSubmitted(LedgerEvent):
    """An export of a report set (KKNR: quarterly actuals, KTAS: the budget) was approved by
    `approved_by` under `decision` and sent: the sha-256 of its bytes, the (as-of, known-at)
    it was made at (known-at None: the books as they stood when this was recorded), and the
    position of the submission of the same set and period it corrects, if any (ADR 0039)."""

    TOPIC = "kuntaledger.ExportSubmitted"
    report_set: ReportSet
    period: StrictStr = Field(pattern=r"^[0-9]{4}(Q[1-4])?$")
    file: StrictStr
    content_hash: StrictStr = Field(pattern=r"^[0-9a-f]{64}$")
    as_of: date
    known_at: datetime | None = None
    approved_by: StrictStr = Field(min_length=1)
    decision: StrictStr = Field(min_length=1)
    corrects: StrictInt | None = None


EVENT_TYPES: tuple[type[LedgerEvent], ...] = (
    LedgerInitialised,
    AccountsAdded,
    InvestmentGroupsAdded,
    UnitAdded,
    UnitDescribed,
    ProjectAdded,
    BudgetAdopted,
    BudgetAmended,
    VouchersPosted,
    VoucherReversed,
    FiscalYearClosed,
    FiscalYearReopened,
    ReportApproved,
    GoalSet,
    GoalReworded,
    GoalOutcomeReported,
    RiskAssessed,
    DeviationExplained,
    UnitRenamed,
    UnitClosed,
    AccountRenamed,
    AccountClosed,
    EventsMarkedIllustrative,
    FinancialPlanRecorded,
    ClassesLoaded,
    UnitServiceClassSet,
    ExportSubmitted,
)
EVENTS_BY_TOPIC: dict[str, type[LedgerEvent]] = {cls.TOPIC: cls for cls in EVENT_TYPES}


def type_name(event: LedgerEvent | type[LedgerEvent]) -> str:
    """'VouchersPosted': the name users see in `events` and in exports."""
    cls = event if isinstance(event, type) else type(event)
    return cls.TOPIC.removeprefix("kuntaledger.")
