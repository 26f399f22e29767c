"""Submissions of the statutory reports to the State Treasury, recorded as events (ADR 0039).

`submit` records that an export file of a report set (KKNR: the quarterly actuals, KTAS:
the budget) was approved and sent: the sha-256 of its bytes, the (as-of, known-at) it was
made at, who approved it and under which decision. Submitting the export last recorded
for the same set and period again records nothing; another export for them is recorded
as a correction of that one.

The (as-of, known-at): an export that is a JSON object carrying `as_of` and `known_at`
(every JSON report of ours does) gives them; otherwise `--as-of` (default: the period's
last day) and `--known-at` (default: the books as they stand when the submission is
recorded). Options that contradict the export are refused.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import Connection, select

from ledger import clock
from ledger import events as ev
from ledger.drafts import Draft, Outcome
from ledger.errors import InvalidInput
from ledger.store import tables as t

REPORT_SETS = ("KKNR", "KTAS")
_PERIODS = {"KKNR": re.compile(r"([0-9]{4})Q([1-4])"), "KTAS": re.compile(r"([0-9]{4})")}
_QUARTER_ENDS = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31)}
_PERIOD_FORMS = {"KKNR": "a quarter, e.g. 2024Q2", "KTAS": "the budget year, e.g. 2025"}


@dataclass(frozen=True)
class Export:
    """An export file as submitted: its name, its bytes' hash and the moments it names."""

    name: str
    content_hash: str
    as_of: date | None
    known_at: datetime | None


def read_export(path: Path) -> Export:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InvalidInput(f"{path.name}: cannot read the file ({error.strerror})", field="file") from None
    if not data:
        raise InvalidInput(f"{path.name}: the file is empty; nothing to submit", field="file")
    as_of, known_at = _moments(path.name, data)
    return Export(path.name, hashlib.sha256(data).hexdigest(), as_of, known_at)


def _moments(name: str, data: bytes) -> tuple[date | None, datetime | None]:
    """The `as_of` and `known_at` a JSON export names at its top, else None for each."""
    if not data.lstrip().startswith(b"{"):
        return None, None
    try:
        document = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None, None
    if not isinstance(document, dict):
        return None, None
    as_of, known_at = document.get("as_of"), document.get("known_at")
    try:
        return (
            clock.parse_date(as_of) if isinstance(as_of, str) else None,
            clock.parse_moment(known_at) if isinstance(known_at, str) else None,
        )
    except ValueError as error:
        raise InvalidInput(f"{name}: its as_of or known_at is no date or moment ({error})", field="file") from None


def period_end(report_set: str, period: str) -> date:
    """The last day of the period (`2024Q2` → 2024-06-30, `2025` → 2025-12-31)."""
    if report_set not in REPORT_SETS:
        raise InvalidInput(f"'{report_set}': use {' or '.join(REPORT_SETS)}", field="report_set", value=report_set)
    matched = _PERIODS[report_set].fullmatch(period)
    if matched is None:
        raise InvalidInput(
            f"'{period}': a {report_set} period is {_PERIOD_FORMS[report_set]}", field="period", value=period
        )
    year = int(matched.group(1))
    if report_set == "KTAS":
        return clock.year_end(year)
    month, day = _QUARTER_ENDS[int(matched.group(2))]
    return date(year, month, day)


def submit(
    conn: Connection,
    report_set: str,
    period: str,
    export: Export,
    approved_by: str,
    decision: str,
    as_of: date | None,
    known_at: datetime | None,
) -> Outcome:
    end = period_end(report_set, period)
    if not approved_by.strip():
        raise InvalidInput("name who approved the export", field="approved_by")
    if not decision.strip():
        raise InvalidInput("name the decision that approved it, e.g. 'Kh 12.8.2024 § 140'", field="decision")
    if export.as_of is not None and as_of is not None and as_of != export.as_of:
        raise InvalidInput(
            f"{as_of}: the export {export.name} says it is as of {export.as_of}", field="as_of", value=as_of
        )
    if export.known_at is not None and known_at is not None and clock.as_utc(known_at) != clock.as_utc(export.known_at):
        raise InvalidInput(
            f"{clock.format_moment(known_at)}: the export {export.name} says it is as known at "
            f"{clock.format_moment(export.known_at)}",
            field="known_at",
            value=known_at,
        )
    made_as_of = export.as_of or as_of or end
    made_known_at = export.known_at or known_at
    s = t.submissions.c
    last = conn.execute(
        select(s.position, s.content_hash)
        .where(s.report_set == report_set, s.period == period)
        .order_by(s.position.desc())
        .limit(1)
    ).first()
    if last is not None and last[1] == export.content_hash:
        return Outcome(
            [], [f"{report_set} {period}: {export.name} was submitted already (position {last[0]}); nothing recorded"]
        )
    fields = {
        "report_set": report_set,
        "period": period,
        "file": export.name,
        "content_hash": export.content_hash,
        "as_of": made_as_of,
        "known_at": None if made_known_at is None else clock.as_utc(made_known_at),
        "approved_by": approved_by.strip(),
        "decision": decision.strip(),
        "corrects": None if last is None else int(last[0]),
    }
    what = "submission" if last is None else f"correction of the submission at position {last[0]}"
    return Outcome([Draft(ev.ExportSubmitted, fields)], [f"recorded the {report_set} {period} {what}"])
