"""What the application checks a command against: the read models, caught up.

A `LedgerState` is read inside one connection right after catching up with the log, at
log position `head`. Recording then writes at `head + 1`; if another writer got there
first the store refuses it and the command is checked again (ADR 0002).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Connection, func, select

from ledger import clock
from ledger.chain import GENESIS_HASH
from ledger.store import tables as t
from ledger.units import Unit, ancestry, binding_unit_of


class LedgerState:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        row = conn.execute(
            select(t.log.c.position, t.log.c.chain_hash, t.log.c.recorded_us).order_by(t.log.c.position.desc()).limit(1)
        ).first()
        self.head: int = int(row[0]) if row else 0
        self.head_hash: str = row[1] if row else GENESIS_HASH
        self.head_recorded_at: datetime | None = clock.from_micros(int(row[2])) if row else None
        self._units: dict[str, Unit] | None = None

    # Settings

    def setting(self, key: str) -> str | None:
        return self.conn.execute(select(t.settings.c.value).where(t.settings.c.key == key)).scalar_one_or_none()

    @property
    def initialised(self) -> bool:
        return self.setting("entity") is not None

    # Organisation and chart

    @property
    def units(self) -> dict[str, Unit]:
        if self._units is None:
            rows = self.conn.execute(select(t.units.c.code, t.units.c.name, t.units.c.parent, t.units.c.binding)).all()
            self._units = {r[0]: Unit(r[0], r[1], r[2], r[3]) for r in rows}
        return self._units

    def binding_unit_of(self, code: str) -> Unit | None:
        """The nearest unit at or above `code` that the council binds (net or gross)."""
        return binding_unit_of(self.units, code)

    def account_rows(self) -> dict[str, str | None]:
        rows = self.conn.execute(select(t.accounts.c.code, t.accounts.c.row)).all()
        return {r[0]: r[1] for r in rows}

    def closings(self, kind: str) -> dict[str, date]:
        """{code: closing date} of the closed units (`kind` unit) or accounts (account)."""
        c = t.reference_changes.c
        rows = self.conn.execute(select(c.code, c.effective_on).where(c.kind == kind, c.change == "closed")).all()
        return {r[0]: r[1] for r in rows}

    def last_day_used(self, kind: str, code: str) -> date | None:
        """The latest effective date of a posting (or a budget line, for a unit) to the code."""
        amounts = t.amounts.c.unit if kind == "unit" else t.amounts.c.account
        days = [self.conn.execute(select(func.max(t.amounts.c.effective_on)).where(amounts == code)).scalar()]
        if kind == "unit":
            lines = t.budget_lines.c
            days.append(self.conn.execute(select(func.max(lines.effective_on)).where(lines.unit == code)).scalar())
        return max((day for day in days if day is not None), default=None)

    def investment_groups(self) -> set[str]:
        return set(self.conn.execute(select(t.investment_groups.c.code)).scalars())

    def project_groups(self) -> dict[str, str]:
        rows = self.conn.execute(select(t.projects.c.code, t.projects.c.investment_group)).all()
        return {r[0]: r[1] for r in rows}

    # Fiscal years and budgets

    def budget_adopted(self, year: int) -> bool:
        return (
            self.conn.execute(
                select(t.fiscal_years.c.adopted_position).where(t.fiscal_years.c.fiscal_year == year)
            ).scalar_one_or_none()
            is not None
        )

    def closed_years(self) -> set[int]:
        return set(
            self.conn.execute(
                select(t.fiscal_years.c.fiscal_year).where(t.fiscal_years.c.closed_position.is_not(None))
            ).scalars()
        )

    def known_years(self) -> set[int]:
        """The fiscal years a budget was adopted for or that were closed."""
        return set(self.conn.execute(select(t.fiscal_years.c.fiscal_year)).scalars())

    def closed_on(self, year: int) -> date | None:
        """The closing decision's date while the year is closed, else None."""
        found: date | None = self.conn.execute(
            select(t.fiscal_years.c.closed_on).where(
                t.fiscal_years.c.fiscal_year == year, t.fiscal_years.c.closed_position.is_not(None)
            )
        ).scalar_one_or_none()
        return found

    def adopted_on(self, year: int) -> date | None:
        """The date the council adopted the year's budget (its lines take effect then)."""
        b = t.budget_lines.c
        found: date | None = self.conn.execute(
            select(func.min(b.effective_on)).where(b.fiscal_year == year, b.kind == "original")
        ).scalar_one_or_none()
        return found

    def board_approved(self, code: str, year: int) -> bool:
        """Whether the board approved the year's report of the unit or of a unit above it."""
        chain = [unit.code for unit in ancestry(self.units, code)]
        a = t.approvals.c
        found = self.conn.execute(
            select(func.count()).where(a.fiscal_year == year, a.body == "board", a.unit.in_(chain))
        ).scalar_one()
        return bool(found)

    # Vouchers, goals, risks

    def voucher_hashes(self, vouchers: list[str]) -> dict[str, str]:
        """{voucher id: content hash} of those of `vouchers` that are posted.

        Sent straight to the driver: an import asks for every id of its file twice, and
        SQLAlchemy's work per bound parameter cost ten times the lookups (6 µs an id)."""
        found: dict[str, str] = {}
        if not vouchers:
            return found
        schema = (self.conn.get_execution_options().get("schema_translate_map") or {}).get(None)
        table = (
            t.vouchers.name
            if schema is None
            else f"{self.conn.dialect.identifier_preparer.quote_schema(schema)}.{t.vouchers.name}"
        )
        mark = "?" if self.conn.dialect.paramstyle == "qmark" else "%s"
        cursor = self.conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            for start in range(0, len(vouchers), 500):
                batch = vouchers[start : start + 500]
                cursor.execute(
                    f"SELECT voucher, content_hash FROM {table} WHERE voucher IN ({','.join([mark] * len(batch))})",
                    batch,
                )
                found.update(cursor.fetchall())
        finally:
            cursor.close()
        return found

    def voucher(self, voucher: str) -> tuple[date, date | None] | None:
        """(effective date, reversal date or None) of a voucher, or None if unknown."""
        if "\x00" in voucher:  # no stored id holds one, and PostgreSQL refuses it as a parameter
            return None
        row = self.conn.execute(
            select(t.vouchers.c.effective_on, t.vouchers.c.reversed_on).where(t.vouchers.c.voucher == voucher)
        ).first()
        if row is None:
            return None
        return row[0], row[1]

    def goal_exists(self, goal: str) -> bool:
        if "\x00" in goal:  # no stored id holds one, and PostgreSQL refuses it as a parameter
            return False
        count = self.conn.execute(
            select(func.count()).select_from(t.goal_events).where(t.goal_events.c.goal == goal)
        ).scalar_one()
        return bool(count)
