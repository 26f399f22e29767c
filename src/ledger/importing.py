"""Voucher files of any size (ADR 0009): check the whole file, then record it in chunks.

1. Check: the file is read once, streaming, and every line and voucher is checked
   against the chart, the organisation, the closed years and the vouchers already
   posted. Every problem (up to a limit) is reported together and nothing is written.
2. Record: the checked vouchers, spooled to a temporary file by the check (so the file
   is parsed once, and what is recorded is exactly what was checked), are recorded in
   chunks of whole vouchers, one `VouchersPosted` event (one transaction) per chunk of
   about `CHUNK_LINES` lines.

An interrupted import is finished by running the same command again: the vouchers
already posted identically are skipped. Memory stays flat when each voucher's lines
are adjacent (as every general-ledger export writes them); a file whose vouchers are
interleaved is accepted too, but grouped in memory.
"""

from __future__ import annotations

import marshal
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO

from ledger import events as ev
from ledger import posting
from ledger.application import Ledger
from ledger.csvfiles import XLSX_SUFFIXES, ErrorCollector, PostingParser, PostingRow, posting_cells
from ledger.drafts import Outcome
from ledger.errors import RuleViolation
from ledger.posting import References
from ledger.state import LedgerState

CHUNK_LINES = 10_000
LOOKUP_BATCH = 2_000

# (phase, lines done, lines in the file): phase is "checking" or "recording".
Progress = Callable[[str, int, int], None]


class _NotContiguous(Exception):
    """A voucher id came back after other vouchers: group the file in memory instead."""


# A spooled voucher: (id, first line number, date ordinal, [(account, unit, project, cents, text)])
Spooled = tuple[str, int, int, list[tuple[str, str, str | None, int, str]]]


@dataclass
class Plan:
    """What the check found, and the checked vouchers spooled in chunks."""

    source: str
    spool: IO[bytes]
    lines: int = 0
    vouchers: int = 0
    new_vouchers: int = 0
    new_lines: int = 0
    repeated: int = 0
    contiguous: bool = True

    def chunks(self) -> Iterator[list[Spooled]]:
        self.spool.seek(0)
        while True:
            try:
                yield marshal.load(self.spool)
            except EOFError:
                return


@dataclass
class Result:
    plan: Plan
    events: int = 0
    posted_vouchers: int = 0
    posted_lines: int = 0
    notes: list[str] = field(default_factory=list)


def count_lines(path: Path) -> int:
    """Data lines in the file (for progress): newlines less the header, or the sheet's rows."""
    if path.suffix.lower() in XLSX_SUFFIXES:
        return 0
    count = 0
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            count += block.count(b"\n")
    return max(count - 1, 0)


def scan(
    path: Path,
    refs: References,
    errors: ErrorCollector,
    encoding: str | None,
    contiguous: bool,
    on_line: Callable[[int], None] | None = None,
) -> Iterator[tuple[str, list[PostingRow]]]:
    """Every good voucher of the file as (id, lines); problems go to `errors`.

    With `contiguous`, a voucher is complete when the next one starts, and an id seen
    again later raises _NotContiguous; otherwise the whole file is grouped first."""
    if not contiguous:
        grouped = posting.group_vouchers(_rows(path, errors, encoding, on_line))
        for voucher_id, lines in grouped.items():
            if posting.check_voucher(voucher_id, lines, refs, errors):
                yield voucher_id, lines
        return
    parser = PostingParser(errors)
    seen: set[int] = set()
    current: str | None = None
    rows: list[PostingRow] = []
    broken = False  # a line of the current voucher did not parse
    for number, cells in posting_cells(path, encoding):
        voucher_id = cells[0]
        if voucher_id != current:
            if current is not None and not broken and posting.check_voucher(current, rows, refs, errors):
                yield current, rows
            key = hash(voucher_id)
            if key in seen:
                raise _NotContiguous(voucher_id)
            seen.add(key)
            current, rows, broken = voucher_id, [], False
        row = parser.parse(number, cells)
        if row is None:
            broken = True
        else:
            rows.append(row)
        if on_line and number % 10_000 == 0:
            on_line(number)
    if current is not None and not broken and posting.check_voucher(current, rows, refs, errors):
        yield current, rows


def _rows(
    path: Path, errors: ErrorCollector, encoding: str | None, on_line: Callable[[int], None] | None
) -> Iterator[PostingRow]:
    parser = PostingParser(errors)
    for number, cells in posting_cells(path, encoding):
        row = parser.parse(number, cells)
        if row is not None:
            yield row
        if on_line and number % 10_000 == 0:
            on_line(number)


def check_file(
    ledger: Ledger, path: Path, spool: IO[bytes], encoding: str | None = None, progress: Progress | None = None
) -> Plan:
    """Check everything, spooling the vouchers; raise InvalidInput naming every bad line (up to a limit)."""
    total = count_lines(path)
    with ledger.state() as state:
        if not state.initialised:
            raise RuleViolation("the store is not initialised; run `kuntaledger init` first")
        refs = References.of(state)
    try:
        return _check(ledger, path, encoding, refs, Plan(path.name, spool), total, progress)
    except _NotContiguous:
        spool.seek(0)
        spool.truncate()
        return _check(ledger, path, encoding, refs, Plan(path.name, spool, contiguous=False), total, progress)


def _check(
    ledger: Ledger,
    path: Path,
    encoding: str | None,
    refs: References,
    plan: Plan,
    total: int,
    progress: Progress | None,
) -> Plan:
    errors = ErrorCollector(path.name)
    on_line = (lambda n: progress("checking", n, total)) if progress else None
    pending: list[tuple[str, list[PostingRow]]] = []
    chunk: list[Spooled] = []
    chunk_lines = 0
    for voucher_id, rows in scan(path, refs, errors, encoding, plan.contiguous, on_line):
        plan.vouchers += 1
        plan.lines += len(rows)
        pending.append((voucher_id, rows))
        if len(pending) >= LOOKUP_BATCH:
            _compare_with_store(ledger, pending, plan, errors)
            pending = []
        if errors.count:
            continue  # nothing will be recorded: stop spooling, go on finding problems
        chunk.append(
            (
                voucher_id,
                rows[0].line_no,
                rows[0].effective_on.toordinal(),
                [(r.account, r.unit, r.project, r.amount_cents, r.text) for r in rows],
            )
        )
        chunk_lines += len(rows)
        if chunk_lines >= CHUNK_LINES:
            marshal.dump(chunk, plan.spool)
            chunk, chunk_lines = [], 0
    _compare_with_store(ledger, pending, plan, errors)
    errors.raise_if_any()
    if chunk:
        marshal.dump(chunk, plan.spool)
    plan.spool.flush()
    if progress:
        progress("checking", total, total)
    return plan


def _compare_with_store(
    ledger: Ledger, vouchers: list[tuple[str, list[PostingRow]]], plan: Plan, errors: ErrorCollector
) -> None:
    """Count the vouchers already posted identically; refuse an id used by a different voucher."""
    if not vouchers:
        return
    with ledger.state() as state:
        known = state.voucher_hashes([voucher_id for voucher_id, _ in vouchers])
    for voucher_id, rows in vouchers:
        if voucher_id not in known:
            plan.new_vouchers += 1
            plan.new_lines += len(rows)
        elif known[voucher_id] == posting.voucher_hash(rows):
            plan.repeated += 1
        else:
            errors.add(
                rows[0].line_no,
                "voucher",
                f"voucher id {voucher_id} is already used by a different voucher; "
                "correct with `kuntaledger reverse` and a new voucher id",
            )


def record_file(
    ledger: Ledger,
    plan: Plan,
    actor: str | None = None,
    recorded_at: datetime | None = None,
    progress: Progress | None = None,
) -> Result:
    """Record a checked file's vouchers in chunks, each chunk one event and one transaction."""
    result = Result(plan)
    done = 0
    for spooled in plan.chunks():
        vouchers = [_voucher(item) for item in spooled]
        first_line = {item[0]: item[1] for item in spooled}
        _record_chunk(ledger, plan, vouchers, first_line, actor, recorded_at, result)
        done += sum(len(item[3]) for item in spooled)
        if progress:
            progress("recording", done, plan.lines)
    notes = []
    if result.posted_vouchers:
        events = f" in {result.events} events" if result.events > 1 else ""
        notes.append(
            f"posted {result.posted_vouchers} vouchers ({result.posted_lines} lines) from {plan.source}{events}"
        )
    repeated = plan.vouchers - result.posted_vouchers
    if repeated:
        notes.append(f"{repeated} vouchers were already posted identically; nothing to do for them")
    if not plan.vouchers:
        notes.append(f"{plan.source} holds no vouchers; nothing to do")
    result.notes = notes
    return result


def _voucher(item: Spooled) -> ev.Voucher:
    voucher_id, _line, ordinal, lines = item
    effective_on = date.fromordinal(ordinal)
    return ev.Voucher(
        voucher=voucher_id,
        effective_on=effective_on,
        lines=tuple(
            ev.PostingLine(account=account, unit=unit, project=project, amount_cents=cents, text=text)
            for account, unit, project, cents, text in lines
        ),
        content_hash=posting.rows_hash(effective_on, lines),
    )


def _record_chunk(
    ledger: Ledger,
    plan: Plan,
    chunk: list[ev.Voucher],
    first_line: dict[str, int],
    actor: str | None,
    recorded_at: datetime | None,
    result: Result,
) -> None:
    def check(state: LedgerState) -> Outcome:
        closed = state.closed_years()
        shut = next((v for v in chunk if v.effective_on.year in closed), None)
        if shut is not None:
            raise RuleViolation(
                f"{plan.source}: fiscal year {shut.effective_on.year} was closed during the import "
                f"(voucher {shut.voucher}); {result.posted_vouchers} vouchers were posted before it"
            )
        return posting.post(state, chunk, first_line, plan.source)

    outcome = ledger.record(check, actor=actor, recorded_at=recorded_at)
    for draft in outcome.drafts:
        posted: tuple[ev.Voucher, ...] = draft.fields["vouchers"]
        result.events += 1
        result.posted_vouchers += len(posted)
        result.posted_lines += sum(len(v.lines) for v in posted)


def import_file(
    ledger: Ledger,
    path: Path,
    encoding: str | None = None,
    actor: str | None = None,
    recorded_at: datetime | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> Result:
    """Check the whole file, then (unless a dry run) record it in chunks."""
    if not dry_run:
        ledger.require_writable("posting")  # a read-only role learns it before the file is read
    with tempfile.TemporaryFile(prefix="kuntaledger-import-") as spool:
        plan = check_file(ledger, path, spool, encoding, progress)
        if dry_run:
            notes = [f"would post {plan.new_vouchers} vouchers ({plan.new_lines} lines) from {plan.source}"]
            if plan.repeated:
                notes.append(f"{plan.repeated} vouchers were already posted identically; nothing to do for them")
            return Result(plan, notes=notes)
        return record_file(ledger, plan, actor, recorded_at, progress)
