"""The journal as files for the auditors' own tools: beancount and CSV.

Beancount: one account per (our account, unit), `Assets|Liabilities|Equity|Income|
Expenses:CODE:UNIT`; one transaction per voucher or reversal, dated on its effective
date, with the voucher id, log position, recorded-at and actor as metadata; and on the
day after the period a `balance` assertion per account holding the read model's sum,
to the cent (`~ 0.00`), so `bean-check` proves the two agree. Only the period's movements are exported (there
are no opening balances in the ledger), so balance-sheet accounts show the year's change.
CSV: one row per line, semicolon-separated like the input files, amounts in euros.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

from ledger import clock
from ledger import events as ev
from ledger.money import format_plain
from ledger.statement_rows import INCOME_ROWS
from projections.journal import Journal
from projections.render.sheet import neutralise

CURRENCY = "EUR"
INCOME_SIDE_ROWS = INCOME_ROWS | {
    "tax_revenue",
    "state_contributions",
    "interest_income",
    "other_financial_income",
    "extraordinary_income",
}
_NOT_NAME = re.compile(r"[^A-Za-z0-9-]+")

CSV_COLUMNS = (
    "position",
    "recorded_at",
    "actor",
    "kind",
    "voucher",
    "effective_on",
    "account",
    "account_name",
    "row",
    "unit",
    "project",
    "debit",
    "credit",
    "amount",
    "text",
)


def account_root(account: ev.Account | None, code: str) -> str:
    if account is None or account.account_class == "balance-sheet":
        if code.startswith(("20", "21")):
            return "Equity"
        return "Liabilities" if code.startswith("2") else "Assets"
    return "Income" if account.row in INCOME_SIDE_ROWS else "Expenses"


def component(text: str) -> str:
    """A valid beancount account component: ASCII letters, digits and '-', starting with a capital or digit."""
    name = _NOT_NAME.sub("-", text).strip("-") or "X"
    return name if name[0].isdigit() or name[0].isupper() else "U-" + name


def beancount_account(journal: Journal, code: str, unit: str) -> str:
    return f"{account_root(journal.accounts.get(code), code)}:{component(code)}:{component(unit)}"


def _quoted(text: str) -> str:
    return '"' + " ".join(text.split()).replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_beancount(journal: Journal, balances: dict[tuple[str, str], int]) -> str:
    used = sorted(
        {(line.account, line.unit) for entry in journal.entries for line in entry.lines} | set(balances),
    )
    title = f"{journal.entity} {journal.fiscal_year}: postings {journal.start} - {journal.end}"
    out = [
        f"; {title}, as known at {clock.format_moment(journal.known_at)}; exported by kuntaledger",
        f"option {_quoted('title')} {_quoted(title)}",
        f'option "operating_currency" "{CURRENCY}"',
        "",
    ]
    for code, unit in used:
        name = journal.accounts[code].name if code in journal.accounts else code
        out.append(f"{journal.start} open {beancount_account(journal, code, unit)} {CURRENCY}")
        out.append(f"  name: {_quoted(name)}")
    out.append("")
    for entry in journal.entries:
        out.append(f"{entry.effective_on} * {_quoted(entry.voucher)} {_quoted(entry.text or entry.kind)}")
        out.append(f"  voucher: {_quoted(entry.voucher)}")
        out.append(f"  kind: {_quoted(entry.kind)}")
        out.append(f"  position: {entry.position}")
        out.append(f"  recorded_at: {_quoted(clock.format_moment(entry.recorded_at))}")
        out.append(f"  actor: {_quoted(entry.actor)}")
        for line in entry.lines:
            account = beancount_account(journal, line.account, line.unit)
            out.append(f"  {account}  {format_plain(line.amount_cents)} {CURRENCY}")
            if line.project:
                out.append(f"    project: {_quoted(line.project)}")
        out.append("")
    check_day = journal.end + timedelta(days=1)
    for code, unit in used:
        amount = format_plain(balances.get((code, unit), 0))
        out.append(f"{check_day} balance {beancount_account(journal, code, unit)}  {amount} ~ 0.00 {CURRENCY}")
    return "\n".join(out) + "\n"


def to_csv(journal: Journal) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for entry in journal.entries:
        for line in entry.lines:
            account = journal.accounts.get(line.account)
            debit = line.amount_cents if line.amount_cents > 0 else 0
            writer.writerow(
                (
                    entry.position,
                    clock.format_moment(entry.recorded_at),
                    neutralise(entry.actor),  # user text: no spreadsheet formulas (render/sheet.py)
                    entry.kind,
                    neutralise(entry.voucher),
                    entry.effective_on.isoformat(),
                    neutralise(line.account),
                    neutralise(account.name) if account else "",
                    (account.row or "") if account else "",
                    neutralise(line.unit),
                    neutralise(line.project or ""),
                    format_plain(debit),
                    format_plain(debit - line.amount_cents),
                    format_plain(line.amount_cents),
                    neutralise(line.text if entry.kind == "posting" else entry.text),
                )
            )
    return buffer.getvalue()
