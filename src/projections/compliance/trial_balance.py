"""The trial balance is not zero: some posted lines do not balance. This must never happen.

Source: Local Government Act 410/2015, section 112 (municipal accounts follow the
Accounting Act) and the Accounting Act 1336/1997, chapter 2: double-entry bookkeeping,
every voucher's debits equal its credits. `post` refuses an unbalanced voucher, so a
finding here means the log or the read models were changed outside the ledger: run
`kuntaledger verify`.
"""

from __future__ import annotations

from ledger.money import format_fi
from projections.compliance.context import CheckContext
from projections.compliance.findings import Finding, Severity

RULE_ID = "trial-balance"
SEVERITY: Severity = "error"
SUMMARY = "the trial balance of the period is not zero, or a posting event does not balance"
SOURCE = "Local Government Act 410/2015 § 112; Accounting Act 1336/1997 ch. 2 (double entry)"


def evaluate(context: CheckContext) -> list[Finding]:
    findings = [
        Finding(
            RULE_ID,
            SEVERITY,
            None,
            f"the vouchers recorded at position {position} miss balance by {format_fi(gap, 2)} €; "
            "run `kuntaledger verify`, then reverse and re-post them balanced",
            {"imbalance": gap},
            (position,),
        )
        for position, gap in sorted(context.unbalanced_events.items())
    ]
    if context.trial_balance_cents:
        findings.append(
            Finding(
                RULE_ID,
                SEVERITY,
                None,
                f"the trial balance of {context.fiscal_year} up to {context.as_of} is "
                f"{format_fi(context.trial_balance_cents, 2)} €, not zero; run `kuntaledger verify`",
                {"trial_balance": context.trial_balance_cents},
                tuple(sorted(context.unbalanced_events)),
            )
        )
    return findings
