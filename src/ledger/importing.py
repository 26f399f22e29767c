"""Voucher files of any size (ADR 0009): check the whole file, then record it in chunks.

1. Check: the file is read once, streaming, and every line and voucher is checked
   against the chart, the organisation, the closed years and the vouchers already
   posted. Every problem (up to a limit) is reported together and nothing is written.
2. Record: the checked vouchers, spooled to a temporary file by the check (so the file
   is parsed once, and what is recorded is exactly what was checked), are recorded in
   date order (file order within a day), in chunks of whole vouchers, one
   `VouchersPosted` event (one transaction) per chunk of about `CHUNK_LINES` lines.

An interrupted import is finished by running the same command again: the vouchers
already posted identically are skipped. Memory stays flat when each voucher's lines
are adjacent (as every general-ledger export writes them); a file whose vouchers are
interleaved is accepted too, but grouped in memory.

A history file's `post` step makes the same checks in one `Ledger.record`
(`check_in_one_event`, ADR 0034): one event, in the order of the file.
"""

from __future__ import annotations

import gc
import marshal
import os
import signal
import tempfile
import threading
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, NoReturn

from ledger import posting
from ledger.counting import counted, were
from ledger.csvfiles import (
    ErrorCollector,
    FilePart,
    PostingRow,
    halves,
    is_workbook,
    iter_posting_rows,
    posting_lines,
)
from ledger.drafts import Outcome
from ledger.errors import RuleViolation
from ledger.payloads import Line
from ledger.posting import CheckedVoucher, References, vouchers_and_lines
from ledger.state import LedgerState

if TYPE_CHECKING:
    from ledger.application import Ahead, Head, Ledger

CHUNK_LINES = 10_000
SPOOL_BUFFER_LINES = 50_000  # checked lines held in memory before they are spooled, by day
LOOKUP_BATCH = 2_000
COLLECT_AFTER_OBJECTS = 50_000  # the cycle collector's first threshold during an import

# (phase, lines done, lines in the file): phase is "checking" or "recording".
Progress = Callable[[str, int, int], None]


class _NotContiguous(Exception):
    """A voucher id came back after other vouchers: group the file in memory instead."""


# A spooled voucher: (id, first line number, date ordinal, [(account, unit, project, cents, text)])
Spooled = tuple[str, int, int, Sequence[Line]]


@dataclass
class Plan:
    """What the check found, and the checked vouchers spooled by day.

    The vouchers are recorded in date order (in file order within a day), whatever the
    order of the file: a posting dated before a balance's newest day makes new versions
    of every later day's balance (ADR 0007, Revision 2), so a file in voucher-number or
    account order, recorded as it stands, would make that happen in every chunk."""

    source: str
    spool: IO[bytes] | None  # None for a dry run: the checked vouchers are counted, not kept
    lines: int = 0
    vouchers: int = 0
    new_vouchers: int = 0
    new_lines: int = 0
    repeated: int = 0
    contiguous: bool = True
    # date ordinal -> (offset, size) of each run of that day's vouchers in the spool
    runs: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    buffered: dict[int, list[Spooled]] = field(default_factory=dict)
    buffered_lines: int = 0

    def spool_voucher(self, voucher: CheckedVoucher) -> None:
        if self.spool is None:
            return
        voucher_id, line_no, effective_on, lines = voucher
        ordinal = effective_on.toordinal()
        same_day = self.buffered.get(ordinal)
        if same_day is None:
            same_day = self.buffered[ordinal] = []
        same_day.append((voucher_id, line_no, ordinal, lines))
        self.buffered_lines += len(lines)
        if self.buffered_lines >= SPOOL_BUFFER_LINES:
            self.flush()

    def flush(self) -> None:
        """Each buffered day's vouchers as one run of marshal bytes (one read each way)."""
        if self.spool is None:
            return
        for ordinal, vouchers in self.buffered.items():
            data = marshal.dumps(vouchers)
            self.runs.setdefault(ordinal, []).append((self.spool.tell(), len(data)))
            self.spool.write(data)
        self.buffered.clear()
        self.buffered_lines = 0
        self.spool.flush()

    def chunks(self) -> Iterator[list[Spooled]]:
        """The spooled vouchers in date order, in chunks of whole vouchers of about CHUNK_LINES."""
        chunk: list[Spooled] = []
        lines = 0
        assert self.spool is not None, "a dry run's plan keeps no vouchers"
        for ordinal in sorted(self.runs):
            for offset, size in self.runs[ordinal]:
                self.spool.seek(offset)
                for voucher in marshal.loads(self.spool.read(size)):
                    chunk.append(voucher)
                    lines += len(voucher[3])
                    if lines >= CHUNK_LINES:
                        yield chunk
                        chunk, lines = [], 0
        if chunk:
            yield chunk


@dataclass
class Result:
    plan: Plan
    events: int = 0
    posted_vouchers: int = 0
    posted_lines: int = 0
    notes: list[str] = field(default_factory=list)


def count_lines(path: Path) -> int:
    """Data lines in the file (for progress): newlines less the header, or the sheet's rows."""
    if is_workbook(path):
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
    part: FilePart | None = None,
    started: _StartedVouchers | None = None,
) -> Iterator[tuple[str, list[PostingRow]]]:
    """Every good voucher of the file (or of a `part` of it) as (id, lines); problems go to `errors`.

    With `contiguous`, a voucher is complete when the next one starts, and an id that
    started twice raises _NotContiguous at the end (or is left in `started`, when the
    caller gives it, for the caller to ask); otherwise the whole file is grouped first."""
    if not contiguous:
        grouped = posting.group_vouchers(_rows(path, errors, encoding, on_line))
        for voucher_id, lines in grouped.items():
            if posting.check_voucher(voucher_id, lines, refs, errors):
                yield voucher_id, lines
        return
    asked = started is not None
    started = started or _StartedVouchers()
    current: str | None = None
    rows: list[PostingRow] = []
    broken = False  # a line of the current voucher did not parse
    for number, voucher_id, row in posting_lines(path, errors, encoding, part):
        if voucher_id != current:
            if current is not None and not broken and posting.check_voucher(current, rows, refs, errors):
                yield current, rows
            started.add(voucher_id)
            current, rows, broken = voucher_id, [], False
        if row is None:
            broken = True
        else:
            rows.append(row)
        if on_line and number % 10_000 == 0:
            on_line(number)
    if current is not None and not broken and posting.check_voucher(current, rows, refs, errors):
        yield current, rows
    if not asked and started.any_twice():
        raise _NotContiguous


class _StartedVouchers:
    """The ids at which a new voucher started, as 8-byte hashes: is any id there twice?

    A set of a million ids' hashes takes about 100 MB and grew with the file (360 MB of
    peak RSS at 10 million lines); 8 bytes each in 256 arrays, checked one array at a time
    at the end, keeps the check's memory flat. The answer comes only at the end of the
    file, which is when the errors of the scan are read too: a file whose vouchers are
    interleaved is checked again, grouped (a hash collision does the same, harmlessly)."""

    def __init__(self) -> None:
        self.buckets = [array("q") for _ in range(256)]

    def add(self, voucher_id: str) -> None:
        key = hash(voucher_id)
        self.buckets[key & 255].append(key)

    def merge(self, buckets: Sequence[bytes]) -> None:
        for bucket, more in zip(self.buckets, buckets, strict=True):
            bucket.frombytes(more)

    def any_twice(self) -> bool:
        return any(len(set(bucket)) != len(bucket) for bucket in self.buckets)


def _rows(
    path: Path, errors: ErrorCollector, encoding: str | None, on_line: Callable[[int], None] | None
) -> Iterator[PostingRow]:
    for number, _voucher, row in posting_lines(path, errors, encoding):
        if row is not None:
            yield row
        if on_line and number % 10_000 == 0:
            on_line(number)


def check_file(
    ledger: Ledger, path: Path, spool: IO[bytes] | None, encoding: str | None = None, progress: Progress | None = None
) -> Plan:
    """Check everything, spooling the vouchers (unless `spool` is None: a dry run); raise
    InvalidInput naming every bad line (up to a limit)."""
    total = count_lines(path) if progress else 0
    with ledger.state() as state:
        if not state.initialised:
            raise RuleViolation("the store is not initialised; run `kuntaledger init` first")
        refs = References.of(state)
    two = halves(path, encoding) if _may_fork() else None
    try:
        if two is not None:
            try:
                return _check_in_two(ledger, path, encoding, refs, Plan(path.name, spool), two, total, progress)
            except _CheckAgain:
                _empty(spool)
        return _check(ledger, path, encoding, refs, Plan(path.name, spool), total, progress)
    except _NotContiguous:
        _empty(spool)
        return _check(ledger, path, encoding, refs, Plan(path.name, spool, contiguous=False), total, progress)


def _empty(spool: IO[bytes] | None) -> None:
    if spool is not None:
        spool.seek(0)
        spool.truncate()


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
    _take(ledger, _batches(scan(path, refs, errors, encoding, plan.contiguous, on_line)), plan, errors)
    errors.raise_if_any()
    plan.flush()
    if progress:
        progress("checking", total, total)
    return plan


def _batches(vouchers: Iterable[tuple[str, list[PostingRow]]]) -> Iterator[list[CheckedVoucher]]:
    """Scanned vouchers, checked, in batches of LOOKUP_BATCH (compared with the store at once)."""
    pending: list[CheckedVoucher] = []
    for voucher_id, rows in vouchers:
        pending.append(posting.checked(voucher_id, rows))
        if len(pending) >= LOOKUP_BATCH:
            yield pending
            pending = []
    if pending:
        yield pending


def _take(ledger: Ledger, batches: Iterable[list[CheckedVoucher]], plan: Plan, errors: ErrorCollector) -> None:
    for batch in batches:
        plan.vouchers += len(batch)
        plan.lines += sum(len(voucher[3]) for voucher in batch)
        _compare_with_store(ledger, batch, plan, errors)


class _CheckAgain(Exception):
    """A part of a file checked in two had a problem: check it in one, which reports every
    problem in the order of the file."""


def _may_fork() -> bool:
    """Whether this process may check half a file in a child process: it can fork, and
    has no other thread (a child forked beside a thread can inherit a lock that thread held)."""
    return hasattr(os, "fork") and threading.active_count() == 1


def _check_in_two(
    ledger: Ledger,
    path: Path,
    encoding: str | None,
    refs: References,
    plan: Plan,
    parts: tuple[FilePart, FilePart],
    total: int,
    progress: Progress | None,
) -> Plan:
    """`_check` with the file's second half scanned and checked in a child process (the
    second core, ADR 0037), its vouchers passed back through a temporary file; this process
    scans the first half meanwhile, then compares and spools both halves in file order, as
    `_check` does. Any problem in either half raises _CheckAgain: the file is then checked
    in one part, which reports every problem as it always has."""
    first, second = parts
    errors = ErrorCollector(path.name)
    on_line = (lambda n: progress("checking", n, total)) if progress else None
    started = _StartedVouchers()
    with tempfile.TemporaryFile(prefix="kuntaledger-check-") as passed:
        child = os.fork()
        if child == 0:
            _check_part(path, encoding, refs, second, passed)  # never returns
        try:
            _take(ledger, _batches(scan(path, refs, errors, encoding, True, on_line, first, started)), plan, errors)
            if errors.count:
                raise _CheckAgain
        except BaseException:
            os.kill(child, signal.SIGKILL)
            os.waitpid(child, 0)
            raise
        _, status = os.waitpid(child, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            raise _CheckAgain
        passed.seek(0)
        _take(ledger, _passed_back(passed, started), plan, errors)
        if started.any_twice():
            raise _NotContiguous
    errors.raise_if_any()
    plan.flush()
    if progress:
        progress("checking", total, total)
    return plan


def _pass(passed: IO[bytes], item: list[Spooled] | tuple[bytes, ...]) -> None:
    """Write one item for `_passed_back`: its size, then its marshal bytes (read back whole:
    `marshal.load` of a Python file object reads it in many small pieces, ten times slower)."""
    data = marshal.dumps(item)
    passed.write(len(data).to_bytes(8, "little") + data)


def _passed_back(passed: IO[bytes], started: _StartedVouchers) -> Iterator[list[CheckedVoucher]]:
    """The child's batches of vouchers, one at a time; the ids at which they started go to `started`."""
    while True:
        item = marshal.loads(passed.read(int.from_bytes(passed.read(8), "little")))
        if isinstance(item, tuple):  # the last
            started.merge(item)
            return
        yield _checked_chunk(item)


def _check_part(path: Path, encoding: str | None, refs: References, part: FilePart, passed: IO[bytes]) -> NoReturn:
    """(the child process) Scan and check a part of the file; write its vouchers (as spooled,
    in batches) and the ids at which they started to `passed`; exit 0 if it has no problem."""
    code = 2
    try:
        errors = ErrorCollector(path.name)
        started = _StartedVouchers()
        for batch in _batches(scan(path, refs, errors, encoding, True, None, part, started)):
            _pass(passed, [(v, n, day.toordinal(), lines) for v, n, day, lines in batch])
        _pass(passed, tuple(bucket.tobytes() for bucket in started.buckets))
        passed.flush()
        code = 0 if not errors.count else 3
    finally:
        os._exit(code)  # no exit handlers: the parent's connections and files are the parent's


def _compare_with_store(ledger: Ledger, vouchers: list[CheckedVoucher], plan: Plan, errors: ErrorCollector) -> None:
    """Count the new vouchers and those already posted identically; refuse an id used by a
    different voucher. Spool them all, unless a problem was found: then nothing is recorded."""
    if not vouchers:
        return
    with ledger.state() as state:
        new, repeated = posting.sort_out(state, vouchers, errors)
    plan.new_vouchers += len(new)
    plan.new_lines += sum(len(voucher[3]) for voucher in new)
    plan.repeated += repeated
    if not errors.count:
        for voucher in vouchers:
            plan.spool_voucher(voucher)


def record_file(
    ledger: Ledger,
    plan: Plan,
    actor: str | None = None,
    recorded_at: datetime | None = None,
    progress: Progress | None = None,
) -> Result:
    """Record a checked file's vouchers in chunks, each chunk one event and one transaction.

    Two chunks are in hand at a time (ADR 0037): while one is saved and projected, a
    worker thread writes the next one's event as it will be if nothing else is recorded
    meanwhile (its JSON, chain hash and compressed bytes; zlib and SQLite run without
    Python's lock, so this uses the second core). Each chunk is still checked against
    the caught-up state in its own `Ledger.record`, which takes the event written ahead
    only if it is exactly the one it would write."""
    result = Result(plan)
    done = 0
    chunks = plan.chunks()
    with ThreadPoolExecutor(1, thread_name_prefix="kuntaledger-ahead") as worker:
        upcoming = next(chunks, None)
        ahead: Future[Ahead] | None = None
        while upcoming is not None:
            chunk, upcoming = upcoming, next(chunks, None)
            written = _written_ahead(ahead)
            ahead = None

            def start_next(head: Head, following: list[Spooled] | None = upcoming) -> None:
                nonlocal ahead
                if following is not None:
                    ahead = worker.submit(_write_ahead, ledger, head, following, plan.source, recorded_at)

            _record_chunk(ledger, plan, chunk, actor, recorded_at, result, written, start_next)
            done += sum(len(item[3]) for item in chunk)
            if progress:
                progress("recording", done, plan.lines)
    notes = []
    if result.posted_vouchers:
        events = f" in {result.events} events" if result.events > 1 else ""
        notes.append(
            f"posted {vouchers_and_lines(result.posted_vouchers, result.posted_lines)} from {plan.source}{events}"
        )
    repeated = plan.vouchers - result.posted_vouchers
    if repeated:
        notes.append(posting.already_posted(repeated))
    if not plan.vouchers:
        notes.append(f"{plan.source} holds no vouchers; nothing to do")
    result.notes = notes
    return result


def _checked_chunk(spooled: list[Spooled]) -> list[CheckedVoucher]:
    days: dict[int, date] = {}
    return [
        (voucher_id, line_no, days.get(ordinal) or days.setdefault(ordinal, date.fromordinal(ordinal)), lines)
        for voucher_id, line_no, ordinal, lines in spooled
    ]


def _write_ahead(
    ledger: Ledger, head: Head, spooled: list[Spooled], source: str, recorded_at: datetime | None
) -> Ahead:
    """(worker thread) The chunk's event as it will be if it is recorded right after `head`."""
    return ledger.prepare_ahead(head, posting.posted(_checked_chunk(spooled), source), recorded_at)


def _written_ahead(ahead: Future[Ahead] | None) -> Ahead | None:
    """The event written ahead, or None if there is none or writing it failed: then the
    chunk is written in its turn, which meets the same problem and reports it."""
    if ahead is None:
        return None
    try:
        return ahead.result()
    except Exception:  # written again in its turn, where the error is raised and reported
        return None


def _record_chunk(
    ledger: Ledger,
    plan: Plan,
    spooled: list[Spooled],
    actor: str | None,
    recorded_at: datetime | None,
    result: Result,
    written: Ahead | None = None,
    on_stamped: Callable[[Head], None] | None = None,
) -> None:
    chunk = _checked_chunk(spooled)

    def check(state: LedgerState) -> Outcome:
        closed = state.closed_years()
        shut = next((v for v in chunk if v[2].year in closed), None)
        if shut is not None:
            raise RuleViolation(
                f"{plan.source}: fiscal year {shut[2].year} was closed during the import "
                f"(voucher {shut[0]}); {counted(result.posted_vouchers, 'voucher')} {were(result.posted_vouchers)} "
                "posted before it"
            )
        drafted = written.draft if written is not None else None
        return posting.post(state, chunk, plan.source, ErrorCollector(plan.source), drafted)

    outcome = ledger.record(check, actor=actor, recorded_at=recorded_at, ahead=written, on_stamped=on_stamped)
    for draft in outcome.drafts:
        assert draft.rendered is not None
        result.events += 1
        result.posted_vouchers += len(draft.rendered.ids)
        result.posted_lines += draft.rendered.lines


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
    if dry_run:  # checked the same way; nothing is spooled, nothing written
        with _collector_off_the_old_objects():
            plan = check_file(ledger, path, None, encoding, progress)
        notes = [f"would post {vouchers_and_lines(plan.new_vouchers, plan.new_lines)} from {plan.source}"]
        if plan.repeated:
            notes.append(posting.already_posted(plan.repeated))
        return Result(plan, notes=notes)
    ledger.require_writable("posting")  # a read-only role learns it before the file is read
    with tempfile.TemporaryFile(prefix="kuntaledger-import-") as spool, _collector_off_the_old_objects():
        plan = check_file(ledger, path, spool, encoding, progress)
        return record_file(ledger, plan, actor, recorded_at, progress)


def check_in_one_event(path: Path, encoding: str | None = None) -> Callable[[LedgerState], Outcome]:
    """`import_file`'s check of a voucher file as one check for `Ledger.record` (a history
    file's `post` step): the file is read now and its problems raised; each voucher is
    checked against the state and the vouchers already posted as `import_file` checks it,
    and the new ones are recorded as one `VouchersPosted`, in the order of the file."""
    errors = ErrorCollector(path.name)
    grouped = posting.group_vouchers(iter_posting_rows(path, errors, encoding))
    errors.raise_if_any()

    def check(state: LedgerState) -> Outcome:
        refs = References.of(state)
        found = ErrorCollector(path.name)
        vouchers = [
            posting.checked(voucher_id, rows)
            for voucher_id, rows in grouped.items()
            if posting.check_voucher(voucher_id, rows, refs, found)
        ]
        return posting.post(state, vouchers, path.name, found)

    return check


@contextmanager
def _collector_off_the_old_objects() -> Iterator[None]:
    """Keep Python's cycle collector to the objects made during the import.

    An import makes millions of short-lived objects (none in cycles), and with Python's
    default thresholds the collector ran 1,300 times in a 100,000-line import, and walked
    every object of the process (modules, models, connections) ten times: 17 % of its CPU
    time. Frozen, the objects made before the import are not walked again; collecting
    after COLLECT_AFTER_OBJECTS new objects rather than 700 leaves about 2 %."""
    thresholds = gc.get_threshold()
    frozen_before = gc.get_freeze_count() > 0  # by the caller: leave its objects frozen
    gc.freeze()
    gc.set_threshold(COLLECT_AFTER_OBJECTS, *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        if not frozen_before:
            gc.unfreeze()
