"""One valid instance of every event type, for the event and mapper tests."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from ledger import events as ev

DECISION = ev.Decision(body="council", reference="Kv 11.12.2023 § 85", decided_on=date(2023, 12, 11))
LINE = ev.BudgetLine(unit="TAL", line="personnel_expenses", row="personnel_expenses", amount_cents=-40000000)
VOUCHER = ev.Voucher(
    voucher="V-1",
    effective_on=date(2024, 3, 1),
    lines=(
        ev.PostingLine(account="4010", unit="TAL", amount_cents=100050, text="palkka ä"),
        ev.PostingLine(account="1130", unit="TAL", project="P-1", amount_cents=-100050),
    ),
    content_hash="ab" * 32,
)
DAY = date(2024, 6, 30)

FIELDS: dict[type[ev.LedgerEvent], dict[str, Any]] = {
    ev.LedgerInitialised: {"entity": "Heinolan kaupunki", "deviation_sign": "budget-minus-actual"},
    ev.AccountsAdded: {
        "accounts": (
            ev.Account(code="4010", name="Palkat", row="wages_and_salaries", account_class="income-statement"),
        )
    },
    ev.InvestmentGroupsAdded: {
        "groups": (ev.InvestmentGroup(code="movable_property", name_fi="Irtain omaisuus", name_en="Movable property"),)
    },
    ev.UnitAdded: {"code": "TAL", "name": "Talouspalvelut", "parent": "YP", "binding": "none"},
    ev.UnitDescribed: {
        "unit": "TAL", "fiscal_year": 2024, "text": "Talous", "effective_on": DAY, "kind": "responsible"
    },
    ev.ProjectAdded: {"code": "P-1", "name": "Kalusto", "investment_group": "movable_property", "unit": None},
    ev.BudgetAdopted: {"fiscal_year": 2024, "lines": (LINE,), "decision": DECISION},
    ev.FinancialPlanRecorded: {
        "fiscal_year": 2024,
        "kind": "original",
        "lines": (ev.PlanLine(**LINE.model_dump(), plan_year=2025),),
        "decision": DECISION,
    },
    ev.BudgetAmended: {
        "fiscal_year": 2024,
        "kind": "operating-plan",
        "lines": (LINE, LINE.model_copy(update={"unit": "HEN", "amount_cents": 40000000})),
        "decision": DECISION.model_copy(update={"body": "board"}),
        "reason": "siirto",
    },
    ev.VouchersPosted: {"vouchers": (VOUCHER,), "source": "gl.csv"},
    ev.VoucherReversed: {"voucher": "V-1", "effective_on": DAY, "reason": "väärä kausi"},
    ev.FiscalYearClosed: {"fiscal_year": 2024, "decision": DECISION},
    ev.FiscalYearReopened: {"fiscal_year": 2024, "decision": DECISION, "reason": "tilintarkastajan huomautus"},
    ev.ReportApproved: {
        "unit": "YP", "fiscal_year": 2024, "figures_hash": "ef" * 32,
        "decision": ev.Decision(body="board", reference="Kh 26.3.2025 § 79", decided_on=date(2025, 3, 26)),
    },
    ev.GoalSet: {
        "goal": "G1", "fiscal_year": 2024, "unit": "YP", "level": "council", "strategic_goal": "S",
        "text": "T", "metric": "M", "target": "100 %", "responsible": "kaupunginjohtaja", "effective_on": DAY,
    },
    ev.GoalReworded: {"goal": "G1", "text": "T2", "metric": None, "target": "90 %", "effective_on": DAY},
    ev.GoalOutcomeReported: {"goal": "G1", "text": "Toteutui", "status": "achieved", "effective_on": DAY},
    ev.RiskAssessed: {
        "risk": "R1", "unit": "YP", "fiscal_year": 2024, "risk_class": "Talous", "description": "D",
        "probability": 2, "significance": 3, "mitigation": "M", "carried_out": "C", "effective_on": DAY,
    },
    ev.DeviationExplained: {"unit": "YP", "fiscal_year": 2024, "text": "Syy", "effective_on": DAY},
    ev.UnitRenamed: {"code": "TAL", "name": "Talous- ja hankintapalvelut", "effective_on": DAY},
    ev.UnitClosed: {"code": "TAL", "effective_on": DAY},
    ev.AccountRenamed: {"code": "4010", "name": "Palkat", "effective_on": DAY},
    ev.AccountClosed: {"code": "4010", "effective_on": DAY},
    ev.EventsMarkedIllustrative: {"first_position": 5, "last_position": 6, "note": "päivät valittu"},
    ev.ClassesLoaded: {"kind": "service-class", "valid_from": DAY, "source": "testi", "file": "pl.csv",
                       "codes": (ev.ClassCode(code="1000", name="Yleishallinto", unverified=True),)},
    ev.UnitServiceClassSet: {"unit": "TAL", "service_class": "1000", "effective_on": DAY},
    ev.ExportSubmitted: {"report_set": "KKNR", "period": "2024Q2", "file": "q2.json", "content_hash": "ab" * 32,
                         "as_of": DAY, "known_at": None, "approved_by": "Talousjohtaja", "decision": "Kh 1",
                         "corrects": None},
}  # fmt: skip


def sample(event_type: type[ev.LedgerEvent], position: int = 7, **changes: Any) -> ev.LedgerEvent:
    fields = {
        **FIELDS[event_type],
        "originator_id": ev.LEDGER_ID,
        "originator_version": position,
        "recorded_at": datetime(2024, 7, 1, 9, 30, 15, 123456, tzinfo=UTC),
        "actor": "alice",
        "chain_hash": "cd" * 32,
        **changes,
    }
    return event_type.model_validate(fields)
