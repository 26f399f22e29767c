"""The read-model rows of the statutory reporting events (ADR 0039): code lists, units'
default service classes and submissions. `event_rows` dispatches to `HANDLERS`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ledger import clock
from ledger import events as ev
from ledger.store import tables as t
from ledger.store.batch import Batch


def _classes_loaded(batch: Batch, event: ev.ClassesLoaded) -> None:
    unverified = sum(code.unverified for code in event.codes)
    batch.add(
        t.class_lists,
        position=event.position,
        kind=event.kind,
        valid_from=event.valid_from,
        file=event.file,
        source=event.source,
        codes=len(event.codes),
        unverified=unverified,
    )
    for code in event.codes:
        batch.add(
            t.class_codes,
            position=event.position,
            code=code.code,
            name=code.name,
            parent=code.parent,
            unverified=int(code.unverified),
        )


def _unit_service_class_set(batch: Batch, event: ev.UnitServiceClassSet) -> None:
    batch.add(
        t.unit_service_classes,
        position=event.position,
        unit=event.unit,
        service_class=event.service_class,
        effective_on=event.effective_on,
    )


def _export_submitted(batch: Batch, event: ev.ExportSubmitted) -> None:
    recorded_us = clock.to_micros(event.recorded_at)
    batch.add(
        t.submissions,
        position=event.position,
        report_set=event.report_set,
        period=event.period,
        file=event.file,
        content_hash=event.content_hash,
        as_of=event.as_of,
        known_at_us=recorded_us if event.known_at is None else clock.to_micros(event.known_at),
        recorded_us=recorded_us,
        approved_by=event.approved_by,
        decision=event.decision,
        corrects=event.corrects,
    )


HANDLERS: dict[type[ev.LedgerEvent], Callable[[Batch, Any], None]] = {
    ev.ClassesLoaded: _classes_loaded,
    ev.UnitServiceClassSet: _unit_service_class_set,
    ev.ExportSubmitted: _export_submitted,
}
