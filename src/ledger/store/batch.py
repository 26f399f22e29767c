"""One batch of events applied in one transaction: the rows it has made, the balances
they move, and the reference data it has read (`Carried`, reused by the next batch
when it starts where this one ended)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Table

from ledger.store.balances import RunningBalances
from ledger.store.pending_rows import PendingRows
from ledger.store.reference_cache import ReferenceCache


@dataclass
class Carried:
    """What a batch has read that the next one may reuse when no other process applied
    anything in between (`Projector`, ADR 0014)."""

    balances: RunningBalances = field(default_factory=RunningBalances)
    references: ReferenceCache = field(default_factory=ReferenceCache)


class Batch:
    def __init__(self, conn: Connection, carried: Carried) -> None:
        self.conn = conn
        self.carried = carried
        self.balances = carried.balances
        self.references = carried.references
        self.pending = PendingRows()
        self.lines = 0  # posting lines applied in this batch

    def add(self, table: Table, **values: Any) -> None:
        self.pending.add(table, values)

    def flushed(self) -> Connection:
        """Write every pending row and balance; the connection, to read them back."""
        self.balances.write(self.conn, self.pending, self.references.unit_chains)
        self.pending.write(self.conn)
        return self.conn
