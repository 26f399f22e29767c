"""The ledger application: the one place that writes to the event store.

Every recording command follows the same path (ADR 0002): catch the read models up
with the log, check the command against them (a pure function returning drafts),
stamp the drafts with the next log positions, the recording time, the actor and the
chain hash, and save them in one transaction. If another writer took those positions
first, the store refuses the save and the command is checked again.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any, NamedTuple, cast
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import IntegrityError, Mapper, Notification, OperationalError, StoredEvent
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import DBAPIError

from ledger import clock
from ledger.chain import next_hash
from ledger.drafts import Draft, Outcome
from ledger.errors import Conflict, InvalidInput, NotFound, ReadOnly, RuleViolation
from ledger.events import LEDGER_ID, LedgerEvent
from ledger.mapper import PydanticMapper
from ledger.payloads import PreparedEvent, prepare
from ledger.state import LedgerState
from ledger.storable import unstorable_event
from ledger.store import tables as read_model_tables
from ledger.store.access import StoreAccess, os_user, probe_access, replayed_read_models
from ledger.store.database import TablesMissing, ensure_schema, make_engine, snapshot
from ledger.store.projector import Projector
from ledger.store.projector import reset as reset_read_models
from ledger.store.url import StoreConfig, missing_store, parse_store_url
from ledger.verification import ChainBreak, Seal, StoredRecord, stored_records, verify_chain
from ledger.wal import settle_wal_mode

MAX_ATTEMPTS = 16
BACKOFF_SECONDS = (0.002, 0.25)  # a lost race waits a random time up to 2 ms * 2**attempt, at most 0.25 s
SETUP_LOCK_KEY = 0x6B756E7461  # 'kunta': the PostgreSQL advisory lock held while opening a store
WRITER_LOCK_KEY = 0x6B756E7462  # held by a PostgreSQL writer from its check to its save
WRITER_QUEUE_WAIT = "5s"  # then the writer goes ahead without its turn, guarded by the retry alone
CLOCK_TOLERANCE = timedelta(seconds=60)  # how far a recording time may run ahead of the clock (ADR 0021)
EVENTS_AT_GAP = 16  # `events_at` reads positions this close together in one range


class LedgerApplication(Application[UUID]):
    """eventsourcing's application, with our pydantic mapper. Tables: `kuntaledger_*`."""

    name = "kuntaledger"

    def construct_mapper(self) -> Mapper[UUID]:
        return PydanticMapper(transcoder=self.construct_transcoder(), compressor=self.factory.compressor())


class Ledger:
    """A store opened for reading and recording."""

    def __init__(
        self,
        store_url: str,
        notify: Callable[[str], None] | None = None,
        migrate: bool = False,
        create: bool = True,
        read_only: bool = False,
    ) -> None:
        """`notify` receives notes for the user (the CLI prints them to stderr); `migrate`
        creates or completes the tables, which only the owner role may do (ADR 0011);
        without `create`, a store that does not exist yet is refused, not created. A
        `read_only` ledger (the web view, ADR 0035) acts as a reader role whatever its
        role may do: it never records, catches up nor creates anything, and on SQLite its
        connections may not write."""
        self.config: StoreConfig = parse_store_url(store_url)
        self.read_only = read_only
        _require_sqlite_file(self.config, (create or migrate) and not read_only)
        self.engine: Engine = make_engine(self.config, read_only=read_only)
        self.notify = notify or (lambda _note: None)
        try:
            with self._setup_lock():
                self.access = self._probe()
                if not (create or migrate or self.access.events_exist):
                    raise NotFound(missing_store(self.config, f"it holds no {self.access.events_table} table"))
                self.app = LedgerApplication(env=self._eventsourcing_env(migrate))
                self._create_read_models()
                if migrate or not self.access.tables_exist:
                    self.access = self._probe()  # what it may do with the new tables
        except BaseException:
            if "app" in self.__dict__:
                self.app.close()
            self.engine.dispose()
            raise
        self.projector = Projector(self.engine, self._notifications_after, self._decode, self._payload)

    def _probe(self) -> StoreAccess:
        access = probe_access(self.engine, self.config)
        if not self.read_only:
            return access
        return replace(access, can_create=False, can_record=False, can_project=False, why_not="it was opened read-only")

    @contextmanager
    def _setup_lock(self) -> Iterator[None]:
        """On PostgreSQL, one process at a time creates or checks the tables: opening the
        store runs DDL (eventsourcing's CREATE OR REPLACE FUNCTION, our CREATE TABLE), and
        concurrent DDL fails with 'tuple concurrently updated' or a duplicate pg_type key.
        A SQLite file is first settled in WAL mode (`ledger.wal`); its DDL waits for the lock."""
        if self.config.kind != "postgresql":
            if self.config.sqlite_path is not None and not self.read_only:
                settle_wal_mode(self.config.sqlite_path)
            yield
            return
        with self.engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": SETUP_LOCK_KEY})
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": SETUP_LOCK_KEY})

    def _eventsourcing_env(self, migrate: bool) -> dict[str, str]:
        """eventsourcing runs its DDL (CREATE TABLE, TYPE, FUNCTION) on construction; only
        when the event table is missing or when migrating, so that roles without CREATE
        privilege can open the store."""
        env = dict(self.config.eventsourcing_env)
        if migrate and not self.access.can_create:
            raise RuleViolation(
                f"role '{self.access.role}' may not create or change the ledger's tables; "
                "run `kuntaledger migrate` as the owner role (docs/deploy-postgresql.md)"
            )
        if self.access.events_exist and not migrate:
            env["CREATE_TABLE"] = "n"
        elif not self.access.can_create:
            raise NotFound(self._cannot_create(self.access.events_table))
        return env

    def _create_read_models(self) -> None:
        """Create the read models, or upgrade those an earlier version wrote (`ensure_schema`)."""
        try:
            projected_again = ensure_schema(
                self.engine, self.config.schema, can_create=self.access.can_create, can_project=self.access.can_project
            )
        except TablesMissing:
            raise NotFound(self._cannot_create("rm_*")) from None
        if projected_again:
            self.notify("note: the read models were written by an earlier version; projecting them again from the log")

    def _cannot_create(self, tables: str) -> str:
        why = f" ({self.access.why_not})" if self.access.why_not else ""
        return (
            f"this store has no ledger tables ({tables}) yet, and role '{self.access.role}' may not create them{why}; "
            "the owner role creates them with `kuntaledger migrate` (docs/deploy-postgresql.md)"
        )

    def require_writable(self, what: str) -> None:
        if not self.access.can_record:
            raise ReadOnly(
                f"this store is read-only for role '{self.access.role}' ({self.access.why_not}); {what} "
                "needs the writer role (docs/deploy-postgresql.md); nothing was changed"
            )

    def close(self) -> None:
        self.app.close()
        self.engine.dispose()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # Reading the log

    def _notifications_after(self, notification_id: int, limit: int) -> list[Notification]:
        return list(self.app.recorder.select_notifications(notification_id, limit, inclusive_of_start=False))

    def _decode(self, notification: Notification) -> LedgerEvent:
        return cast(LedgerEvent, self.app.mapper.to_domain_event(notification))

    def _payload(self, notification: Notification) -> bytes:
        """The stored JSON, unvalidated (the projector's hot path)."""
        return cast(PydanticMapper, self.app.mapper).payload(notification)

    def events(self, after_notification: int = 0, batch: int = 500) -> Iterator[LedgerEvent]:
        """Every event in log order (for folds, exports and verification)."""
        cursor = after_notification
        while True:
            page = self._notifications_after(cursor, batch)
            if not page:
                return
            for notification in page:
                yield self._decode(notification)
            cursor = page[-1].id

    def catch_up(self, on_batch: Callable[[int], None] | None = None) -> int:
        """Apply new events to the read models; a role that may not write them applies none."""
        if not self.access.can_project:
            return 0
        return self.projector.catch_up(on_batch)

    def rebuild(self, on_batch: Callable[[int], None] | None = None, sealed: Seal | None = None) -> int:
        """Verify the log, then empty the read models and refill them from it (`kuntaledger rebuild`).

        The log must verify as a hash chain and match `sealed`, or without one the read
        models' own record of it (their position and its chain hash), so that a rebuild
        never turns a rewritten or shortened log into figures (ADR 0022); else it refuses
        and changes nothing. The reset is one transaction and every batch another, with
        its position: if the rebuild stops midway, the next read catches up from there."""
        self.require_writable("rebuilding the read models")
        recorded = None if sealed else self._read_models_record()
        records = stored_records(self.app.recorder, cast(PydanticMapper, self.app.mapper))
        chain = verify_chain(records, sealed or recorded)
        if chain.broken:
            raise RuleViolation(_rebuild_refusal(chain.broken, recorded))
        with self.engine.begin() as conn:
            reset_read_models(conn)
        return self.catch_up(on_batch)

    def _read_models_record(self) -> Seal | None:
        """The log position the read models have reached and the chain hash they hold for it."""
        with self.engine.connect() as conn:
            _, position = self.projector.tracked(conn)
            log = read_model_tables.log
            chain_hash = conn.execute(select(log.c.chain_hash).where(log.c.position == position)).scalar()
        return Seal(position, chain_hash or "") if position else None

    def log_length(self) -> int:
        """The newest notification id: about how many events the log holds."""
        return int(self.app.recorder.max_notification_id() or 0)

    @contextmanager
    def state(self) -> Iterator[LedgerState]:
        """The read models, caught up with the log, read in one snapshot that takes no write
        lock (ADR 0031): catching up writes in short transactions of its own, before the
        snapshot opens, so that a long read never keeps a writer waiting."""
        if not self.access.can_project:
            with self._read_only_state() as state:
                yield state
            return
        self.catch_up()
        with self.engine.connect() as conn:
            yield LedgerState(snapshot(conn))

    @contextmanager
    def _checking_state(self) -> Iterator[LedgerState]:
        """The read models, caught up, read by a command's check in a transaction that holds
        SQLite's write lock (BEGIN IMMEDIATE) until the check is done: writers check in turn."""
        self.catch_up()
        with self.engine.connect() as conn:
            yield LedgerState(conn)

    @contextmanager
    def _read_only_state(self) -> Iterator[LedgerState]:
        """A reader that may not catch up (ADR 0011): the read models in one snapshot when
        they are at the log head, else a private replay of the log."""
        with self.engine.connect() as conn:
            conn = snapshot(conn)
            with conn.begin():
                tracked, _ = self.projector.tracked(conn)
                head = self.log_length()
                if tracked >= head:
                    yield LedgerState(conn)
                    return
        self.notify(
            f"note: the read models are behind the log (at notification {tracked} of {head}) and role "
            f"'{self.access.role}' may not update them; reading from a private replay of the log instead. "
            "Any command run by the writer role brings them up to date."
        )
        replay = replayed_read_models(self._notifications_after, self._decode, self._payload)
        with replay as engine, engine.connect() as conn:
            yield LedgerState(conn)

    # Recording

    def record(
        self,
        check: Callable[[LedgerState], Outcome],
        actor: str | None = None,
        recorded_at: datetime | None = None,
        require_initialised: bool = True,
        dry_run: bool = False,
        ahead: Ahead | None = None,
        on_stamped: Callable[[Head], None] | None = None,
    ) -> Outcome:
        """Check against the caught-up state, then record; retried on a lost race, after a
        random wait that grows with each loss, at most MAX_ATTEMPTS times. A dry run checks
        and stamps the same way, and records nothing.

        An import records its chunks one after another (ADR 0037): `on_stamped` learns the
        log's head as it will be once these events are saved, before they are, so that the
        next chunk can be written and compressed meanwhile (`prepare_ahead`); that chunk's
        `record` is given it as `ahead`, and uses it only if it is exactly what stamping
        would write now (the same vouchers, position, previous hash and recording time)."""
        if dry_run:
            with self.state() as state:
                return self._checked(state, check, actor, recorded_at, require_initialised)[0]
        self.require_writable("recording")
        started = time.monotonic()
        for attempt in range(MAX_ATTEMPTS):
            with self._writer_turn():
                with self._checking_state() as state:
                    outcome, events = self._checked(state, check, actor, recorded_at, require_initialised, ahead)
                    if not events:
                        return outcome
                if on_stamped:
                    last = events[-1]
                    on_stamped(Head(last.originator_version, last.chain_hash, last.recorded_at, actor or os_user()))
                try:
                    self.app.save(*events)
                except IntegrityError:
                    base, cap = BACKOFF_SECONDS
                    time.sleep(random.uniform(0, min(cap, base * 2**attempt)))
                    continue
                except OperationalError as error:
                    raise Conflict(
                        f"the store stayed locked by another process ({error}); nothing was recorded; try again"
                    ) from None
            self.catch_up()
            return outcome
        raise Conflict(
            f"other writers recorded first {MAX_ATTEMPTS} times in a row ({time.monotonic() - started:.1f} s); "
            "nothing was recorded; run the command again"
        )

    def _checked(
        self,
        state: LedgerState,
        check: Callable[[LedgerState], Outcome],
        actor: str | None,
        recorded_at: datetime | None,
        require_initialised: bool,
        ahead: Ahead | None = None,
    ) -> tuple[Outcome, list[LedgerEvent | PreparedEvent]]:
        """The command's outcome and its events, stamped and found storable."""
        if require_initialised and not state.initialised:
            raise RuleViolation("the store is not initialised; run `kuntaledger init` first")
        outcome = check(state)
        if not outcome.drafts:
            return outcome, []
        events = self._stamp(state, outcome, actor or os_user(), recorded_at, ahead)
        problem = next(filter(None, map(_unstorable, events)), None)
        if problem:
            raise InvalidInput(f"{problem}; nothing was recorded")
        return outcome, events

    @contextmanager
    def _writer_turn(self) -> Iterator[None]:
        """On PostgreSQL, writers take turns from check to save (an advisory lock, queued in
        order), so that eight writers at once do not keep invalidating each other's checks.
        The turn is an optimisation, never the guarantee: a writer that waits longer than
        WRITER_QUEUE_WAIT goes ahead without it, and the log's optimistic concurrency (the
        retry in `record`) keeps every position exact either way. SQLite needs no turn: its
        check already holds the database's write lock (BEGIN IMMEDIATE)."""
        if self.config.kind != "postgresql":
            yield
            return
        with self.engine.connect() as conn:
            conn.execute(text(f"SET LOCAL lock_timeout = '{WRITER_QUEUE_WAIT}'"))
            try:
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITER_LOCK_KEY})
            except DBAPIError as error:
                if getattr(error.orig, "sqlstate", None) != "55P03":  # lock_not_available
                    raise
            try:
                yield
            finally:
                conn.rollback()  # ends the transaction, which releases the lock

    def _stamp(
        self,
        state: LedgerState,
        outcome: Outcome,
        actor: str,
        recorded_at: datetime | None,
        ahead: Ahead | None = None,
    ) -> list[LedgerEvent | PreparedEvent]:
        moment = self._recording_moment(state, recorded_at)
        previous_hash = state.head_hash
        stamped: list[LedgerEvent | PreparedEvent] = []
        for offset, draft in enumerate(outcome.drafts, start=1):
            position = state.head + offset
            if (
                ahead is not None
                and draft.rendered is ahead.draft.rendered
                and ahead.event.originator_version == position
                and ahead.previous_hash == previous_hash
                and ahead.actor == actor
                and (ahead.moment == moment or (recorded_at is None and _between(state, ahead.moment, moment)))
            ):
                event: LedgerEvent | PreparedEvent = (
                    ahead.event
                )  # written and compressed while the last chunk was saved
            else:
                event = self._stamped(draft, position, moment, actor, previous_hash)
            stamped.append(event)
            previous_hash = event.chain_hash
        return stamped

    @staticmethod
    def _stamped(
        draft: Draft, position: int, moment: datetime, actor: str, previous_hash: str
    ) -> LedgerEvent | PreparedEvent:
        fields: dict[str, Any] = {
            **draft.fields,
            "originator_id": LEDGER_ID,
            "originator_version": position,
            "recorded_at": moment,
            "actor": actor,
            "chain_hash": "",
        }
        event = draft.event_type.model_validate(fields)
        if draft.rendered is not None:  # an import chunk: its vouchers are JSON already
            return prepare(event, draft.rendered, previous_hash)
        chain_hash = next_hash(previous_hash, event.TOPIC, event.position, event.content())
        return event.model_copy(update={"chain_hash": chain_hash})

    def prepare_ahead(self, head: Head, draft: Draft, recorded_at: datetime | None) -> Ahead:
        """The event `draft` (an import chunk) becomes if it is recorded right after `head`:
        stamped, written and compressed, for `record(..., ahead=)`. It reads nothing from the
        store, so that it can run while the chunk before it is saved and projected."""
        moment = clock.as_utc(recorded_at) if recorded_at is not None else max(clock.now(), head.recorded_at)
        event = self._stamped(draft, head.position + 1, moment, head.actor, head.chain_hash)
        assert isinstance(event, PreparedEvent)
        compressor = self.app.mapper.compressor
        if compressor is not None and event.problem is None:
            event = replace(event, compressed=compressor.compress(event.payload))
        return Ahead(event, draft, head.chain_hash, moment, head.actor)

    @staticmethod
    def _recording_moment(state: LedgerState, recorded_at: datetime | None) -> datetime:
        """Now, or --recorded-at; never earlier than the newest event, never ahead of the
        clock by more than CLOCK_TOLERANCE (ADR 0021)."""
        now, latest = clock.now(), state.head_recorded_at
        if latest and latest > now + CLOCK_TOLERANCE:
            raise Conflict(_stamped_in_the_future(state.head, latest, now))
        if recorded_at is None:
            return max(now, latest) if latest else now
        moment = clock.as_utc(recorded_at)
        if moment > now + CLOCK_TOLERANCE:
            raise RuleViolation(
                f"{clock.format_moment(moment)} is ahead of this machine's clock "
                f"({clock.format_moment(now)}) by more than {CLOCK_TOLERANCE.seconds} s; a recording time says when "
                "the ledger learned something, so it is never in the future: leave --recorded-at out to record now; "
                "nothing was recorded",
                field="recorded_at",
                value=moment,
            )
        if latest and moment < latest:
            raise RuleViolation(
                f"{clock.format_moment(moment)} is earlier than the newest recorded "
                f"event ({clock.format_moment(latest)}); recording times never go backwards",
                field="recorded_at",
                value=moment,
            )
        return moment

    # The stored log, for the modules outside this one: only this module reads eventsourcing's
    # recorder and mapper.

    def is_empty(self) -> bool:
        """The log holds no event, whatever the read models say."""
        return not self._notifications_after(0, 1)

    def stored_records(self) -> Iterator[StoredRecord]:
        """Every stored event in log order, its payload as stored (the chain, the JSON export)."""
        return stored_records(self.app.recorder, cast(PydanticMapper, self.app.mapper))

    def events_at(self, positions: Iterable[int]) -> list[LedgerEvent]:
        """The events at these log positions, in log order: each run of neighbouring
        positions is read by its key range, never the whole log."""
        wanted = sorted(set(positions))
        found: list[LedgerEvent] = []
        start = 0
        while start < len(wanted):
            end = start
            while end + 1 < len(wanted) and wanted[end + 1] - wanted[end] <= EVENTS_AT_GAP:
                end += 1
            first, last = wanted[start], wanted[end]
            stored = self.app.recorder.select_events(LEDGER_ID, gt=first - 1, lte=last)
            keep = set(wanted[start : end + 1])
            found += [self._decode_stored(event) for event in stored if event.originator_version in keep]
            start = end + 1
        return found

    def decode_record(self, record: StoredRecord) -> LedgerEvent:
        """The event a record would be once stored here: upcast and validated
        (pydantic's ValidationError, or ValueError for an unknown topic)."""
        return self._decode_stored(self._stored(record))

    def insert_records(self, records: Sequence[StoredRecord]) -> None:
        """Append records as they are (positions, payloads, chain hashes and class versions
        kept) in one transaction; Conflict when another writer took one of their positions."""
        self._insert([self._stored(record) for record in records])

    def copy_log_into(self, other: Ledger, after_notification: int = 0, page: int | None = 500) -> int:
        """Append this log's stored events after `after_notification` to `other`'s, bytes
        unchanged: a transaction per `page` events, or with `page=None` one for all.
        Returns how many; Conflict when `other` already holds one of their positions."""
        copied, pending = 0, []
        cursor = after_notification
        while notifications := self._notifications_after(cursor, page or 500):
            pending += [StoredEvent(n.originator_id, n.originator_version, n.topic, n.state) for n in notifications]
            cursor = notifications[-1].id
            if page is not None:
                other._insert(pending)
                copied, pending = copied + len(pending), []
        if pending:
            other._insert(pending)
        return copied + len(pending)

    def _decode_stored(self, stored: StoredEvent) -> LedgerEvent:
        return cast(LedgerEvent, self.app.mapper.to_domain_event(stored))

    def _insert(self, stored: list[StoredEvent]) -> None:
        try:
            self.app.recorder.insert_events(stored)
        except IntegrityError:
            raise Conflict("another writer recorded at the same positions first; nothing was copied") from None

    def _stored(self, record: StoredRecord) -> StoredEvent:
        assert record.payload is not None
        state = {**record.payload, "chain_hash": record.chain_hash}
        if record.class_version > 1:
            state["class_version"] = record.class_version
        data = json.dumps(state, separators=(",", ":"), ensure_ascii=False).encode()
        mapper = self.app.mapper
        if mapper.compressor:
            data = mapper.compressor.compress(data)
        if mapper.cipher:
            data = mapper.cipher.encrypt(data)
        return StoredEvent(originator_id=LEDGER_ID, originator_version=record.position, topic=record.topic, state=data)


class Head(NamedTuple):
    """The log's head once a command's events are saved: the last one's position, chain
    hash and recording time, and who recorded it."""

    position: int
    chain_hash: str
    recorded_at: datetime
    actor: str


class Ahead(NamedTuple):
    """An import chunk's event stamped ahead of its turn (`Ledger.prepare_ahead`)."""

    event: PreparedEvent
    draft: Draft
    previous_hash: str
    moment: datetime
    actor: str


def _between(state: LedgerState, moment: datetime, now: datetime) -> bool:
    """Whether `moment`, taken a moment before `now`, is a recording time `now` could be:
    not earlier than the newest event, and not later than now."""
    latest = state.head_recorded_at
    return (latest is None or latest <= moment) and moment <= now


def _stamped_in_the_future(position: int, latest: datetime, now: datetime) -> str:
    return (
        f"the newest event (position {position}) was recorded at {clock.format_moment(latest)}, ahead of this "
        f"machine's clock ({clock.format_moment(now)}): a new event would have to be stamped in the future too, and "
        "reports known now would hide it; nothing was recorded. If the clock is right, an older version stamped "
        "the store in the future: copy the log as it stood (`kuntaledger export --format json --known-at "
        f"{clock.format_moment(now)} --output log.json`), load it into a new store (`kuntaledger import-log "
        "log.json --store NEW`) and record the later commands there; if the clock is behind, set it right"
    )


def _require_sqlite_file(config: StoreConfig, create: bool) -> None:
    """A SQLite store's file exists, or may be created (its folder exists)."""
    path = config.sqlite_path
    if path is None or path.is_file():
        return
    if not create:
        raise NotFound(missing_store(config, f"no file {path}"))
    if not path.parent.is_dir():
        raise NotFound(
            f"the store {config.shown} cannot be created: the folder {path.parent} does not exist; create it first"
        )


def _unstorable(event: LedgerEvent | PreparedEvent) -> str | None:
    return event.problem if isinstance(event, PreparedEvent) else unstorable_event(event)


def _rebuild_refusal(broken: ChainBreak, recorded: Seal | None) -> str:
    advice = (
        "nothing was changed; compare the log against your last seal with `kuntaledger verify --sealed "
        "POSITION:HASH`, and rebuild only from a log that matches it (`kuntaledger rebuild --sealed POSITION:HASH`)"
    )
    if recorded is None or not broken.against_seal:
        return f"rebuild refused: {broken.message}; {advice}"
    if broken.against_seal == "differs":
        found = f"the log's chain hash at position {recorded.position} differs from the one the read models recorded"
    else:
        found = (
            f"the log now ends at position {broken.position - 1}, "
            f"but the read models show it up to position {recorded.position}"
        )
    return f"rebuild refused: {found}; either the log or the read models were altered; {advice}"
