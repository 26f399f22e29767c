"""What the projector reads of the reference data to classify posting lines: each
account's statement row, each project's investment group, each unit's chain of units
above it. Each maps a code to what never changes once added (an added unit has no
children yet, so no chain above it changes); the handlers that add one extend the maps,
and a code missing is read again. Carried from batch to batch like the balances (ADR 0014).

The readers take `read`: a function that writes the batch's pending rows and gives its
connection, so that what the batch added is there to read.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, select

from ledger.store import tables as t

Read = Callable[[], Connection]


class ReferenceCache:
    def __init__(self) -> None:
        self.account_rows: dict[str, str | None] = {}
        self.project_groups: dict[str, str | None] = {}
        self.unit_chains: dict[str, tuple[str, ...]] = {}  # a unit and its ancestors

    def account_added(self, code: str, row: str | None) -> None:
        self.account_rows[code] = row

    def project_added(self, code: str, group: str) -> None:
        self.project_groups[code] = group

    def unit_added(self, code: str, parent: str | None) -> None:
        # Pending balance changes still need every chain known: extend, never clear.
        above = self.unit_chains.get(parent) if parent else ()
        if above is not None:
            self.unit_chains[code] = (code, *above)

    def account_row(self, code: str, read: Read) -> str | None:
        """An account's statement row: every account's read at the first one asked for."""
        rows = self.account_rows
        if code not in rows:
            rows.update(read().execute(select(t.accounts.c.code, t.accounts.c.row)).tuples().all())
            rows.setdefault(code, None)
        return rows[code]

    def project_group(self, code: str, read: Read) -> str | None:
        """A project's group: every project's read at the first one asked for."""
        if self.project_groups.get(code) is None:
            found = read().execute(select(t.projects.c.code, t.projects.c.investment_group)).tuples().all()
            self.project_groups.update(found)
        return self.project_groups.get(code)

    def unit_chain(self, code: str, read: Read) -> tuple[str, ...]:
        """The unit and every unit above it: rm_balance_versions holds each unit's subtree
        total. Read for every unit at once (a handful of rows), again only for one added since."""
        chain = self.unit_chains.get(code)
        if chain is not None:
            return chain
        parents = dict(read().execute(select(t.units.c.code, t.units.c.parent)).tuples().all())
        for unit in parents:
            found = [unit]
            while (parent := parents.get(found[-1])) and parent not in found:
                found.append(parent)
            self.unit_chains[unit] = tuple(found)
        return self.unit_chains.setdefault(code, (code,))
