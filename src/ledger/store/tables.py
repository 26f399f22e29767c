"""The read-model tables (SQLAlchemy Core), fed from the log by `projector.py`.

They serve both the reports and the application's checks before it records anything.
Every row keeps the log `position` of the event that made it, so that `--known-at`
(positions up to P(T)) and `--as-of` (effective dates up to D) are plain filters
(ADR 0007). Moments are stored as integer microseconds since the epoch (UTC).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

from ledger.store.names import SCHEMA_VERSION as SCHEMA_VERSION  # the read models' version, read cheaply

metadata = MetaData()

position = Table(
    "rm_position",
    metadata,
    Column("name", String(32), primary_key=True),
    Column("notification_id", BigInteger, nullable=False),
    Column("log_position", BigInteger, nullable=False),
    Column("schema_version", Integer, nullable=False),
)

log = Table(
    "rm_log",
    metadata,
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("notification_id", BigInteger, nullable=False),
    Column("recorded_us", BigInteger, nullable=False),
    Column("actor", Text, nullable=False),
    Column("type", String(64), nullable=False),
    Column("summary", Text, nullable=False),
    Column("fiscal_year", Integer),
    Column("units", Text, nullable=False, default=""),  # ' A B ' : the units it touches
    Column("chain_hash", String(64), nullable=False),
    Index("ix_rm_log_recorded", "recorded_us"),
)

settings = Table(
    "rm_settings",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

units = Table(
    "rm_units",
    metadata,
    Column("code", String(64), primary_key=True),
    Column("name", Text, nullable=False),
    Column("parent", String(64)),
    Column("binding", String(8), nullable=False),
    Column("position", BigInteger, nullable=False),
)

unit_texts = Table(
    "rm_unit_texts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("unit", String(64), nullable=False),
    Column("fiscal_year", Integer, nullable=False),
    Column("kind", String(16), nullable=False),  # deviation, or a UnitDescribed kind (description, ...)
    Column("text", Text, nullable=False),
    Column("effective_on", Date, nullable=False),
    Column("position", BigInteger, nullable=False),
    Index("ix_rm_unit_texts", "unit", "fiscal_year"),
)

accounts = Table(
    "rm_accounts",
    metadata,
    Column("code", String(64), primary_key=True),
    Column("name", Text, nullable=False),
    Column("row", String(64)),
    Column("account_class", String(32), nullable=False),
    Column("position", BigInteger, nullable=False),
)

# Renames and closings of units and accounts (kind: unit | account; change: renamed |
# closed). A name at (D, T) is the latest rename effective by D among positions up to
# P(T), else the name the unit or account was added with (rm_units, rm_accounts).
reference_changes = Table(
    "rm_reference_changes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(8), nullable=False),
    Column("code", String(64), nullable=False),
    Column("change", String(8), nullable=False),
    Column("name", Text),  # the new name of a rename
    Column("effective_on", Date, nullable=False),
    Column("position", BigInteger, nullable=False),
    Index("ix_rm_reference_changes", "kind", "code"),
)

investment_groups = Table(
    "rm_investment_groups",
    metadata,
    Column("code", String(64), primary_key=True),
    Column("name_fi", Text, nullable=False),
    Column("name_en", Text, nullable=False),
)

projects = Table(
    "rm_projects",
    metadata,
    Column("code", String(64), primary_key=True),
    Column("name", Text, nullable=False),
    Column("investment_group", String(64), nullable=False),
    Column("unit", String(64)),
)

fiscal_years = Table(
    "rm_fiscal_years",
    metadata,
    Column("fiscal_year", Integer, primary_key=True, autoincrement=False),
    Column("adopted_position", BigInteger),
    Column("closed_position", BigInteger),
    Column("closed_on", Date),
)

budget_lines = Table(
    "rm_budget_lines",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("position", BigInteger, nullable=False),
    Column("fiscal_year", Integer, nullable=False),
    Column("unit", String(64), nullable=False),
    Column("kind", String(16), nullable=False),  # original | council | operating-plan
    Column("row", String(64)),
    Column("investment_group", String(64)),
    Column("investment_side", String(16)),
    Column("amount_cents", BigInteger, nullable=False),  # statement sign
    Column("effective_on", Date, nullable=False),
    Column("service_class", String(64)),  # the reporting dimensions the line names (ADR 0039)
    Column("sector", String(64)),
    Index("ix_rm_budget_lines", "fiscal_year", "unit"),
)

# The financial plan's years (FinancialPlanRecorded): lines for `plan_year`, decided with
# the `fiscal_year` budget or an amendment to it; the statement's sign, as budget lines.
plan_lines = Table(
    "rm_plan_lines",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("position", BigInteger, nullable=False),
    Column("fiscal_year", Integer, nullable=False),
    Column("plan_year", Integer, nullable=False),
    Column("unit", String(64), nullable=False),
    Column("kind", String(16), nullable=False),  # original | council | operating-plan
    Column("row", String(64)),
    Column("investment_group", String(64)),
    Column("investment_side", String(16)),
    Column("amount_cents", BigInteger, nullable=False),  # statement sign
    Column("effective_on", Date, nullable=False),
    Index("ix_rm_plan_lines", "fiscal_year", "unit"),
)

budget_decisions = Table(
    "rm_budget_decisions",
    metadata,
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("fiscal_year", Integer, nullable=False),
    Column("kind", String(16), nullable=False),  # original | council | operating-plan
    Column("body", String(16), nullable=False),  # council | board
    Column("reference", Text, nullable=False),
    Column("decided_on", Date, nullable=False),
    Column("reason", Text, nullable=False),  # "" for the adopted budget
    Index("ix_rm_budget_decisions", "fiscal_year"),
)

# The approvals of year-end reports (ReportApproved, ADR 0027): a report of a unit, or of
# a unit below it, as of 31.12. defaults to the books as they stood at the latest approval.
approvals = Table(
    "rm_approvals",
    metadata,
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("unit", String(64), nullable=False),
    Column("fiscal_year", Integer, nullable=False),
    Column("body", String(16), nullable=False),  # board | council
    Column("reference", Text, nullable=False),
    Column("decided_on", Date, nullable=False),
    Column("figures_hash", String(64), nullable=False),
    Column("recorded_us", BigInteger, nullable=False),
    Index("ix_rm_approvals", "fiscal_year", "unit"),
)

vouchers = Table(
    "rm_vouchers",
    metadata,
    Column("voucher", String(128), primary_key=True),
    Column("position", BigInteger, nullable=False),
    Column("effective_on", Date, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("reversed_position", BigInteger),
    Column("reversed_on", Date),
)

# Posting lines summed per (event, unit, account, investment group and side, day): the
# investment table, monthly and journal figures, `explain` and `check` sum this table
# filtered by unit, day and position (a statement reads rm_balance_versions instead).
amounts = Table(
    "rm_amounts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("unit", String(64), nullable=False),
    Column("account", String(64), nullable=False),
    Column("row", String(64)),
    Column("investment_group", String(64)),
    Column("investment_side", String(16)),
    Column("effective_on", Date, nullable=False),
    Column("position", BigInteger, nullable=False),
    Column("amount_cents", BigInteger, nullable=False),  # debit positive
    # Covering: (unit, day, position) ranges summed by row without touching the table.
    Index("ix_rm_amounts_unit_day", "unit", "effective_on", "position", "row", "amount_cents"),
    # Covering, by position: the postings of each event (`check`'s trial balance).
    Index("ix_rm_amounts_position", "position", "unit", "effective_on", "row", "amount_cents"),
)
# Covering, partial: the investment lines (a project's, off the statement rows), which the
# investment table sums per unit and period; "row" IS NULL as an equality makes SQLite
# prefer it to ix_rm_amounts_unit_day, which would visit every posting of the units.
_investment_lines = amounts.c.investment_group.is_not(None) & amounts.c.row.is_(None)
Index(
    "ix_rm_amounts_investment",
    *(amounts.c[name] for name in ("unit", "row", "effective_on", "position", "investment_group", "investment_side")),
    amounts.c.amount_cents,
    sqlite_where=_investment_lines,
    postgresql_where=_investment_lines,
)

# The running balance of each unit's subtree per statement row at the end of each day
# that has postings, summed over all days up to it (debit positive), as known from the
# log `position` of the event that changed it on: a posting writes a new version of the
# balance of each day it moves (a back-dated one, of every later day too, and always of
# the key's newest day), and never changes an older version. So the key's latest version
# known at P(T) is of its newest day then; when D is that day or later, that is the
# balance; otherwise the version with the latest day <= D, and of that day the latest
# position <= P(T). A figure for a period is the difference of two balances (ADR 0007,
# Revision 2).
balances = Table(
    "rm_balance_versions",
    metadata,
    Column("unit", String(64), primary_key=True),
    Column("row", String(64), primary_key=True),
    Column("effective_on", Date, primary_key=True),
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("balance_cents", BigInteger, nullable=False),
    # Covering, by position: the key's latest version known at P(T).
    Index("ix_rm_balance_versions_known", "unit", "row", "position", "effective_on", "balance_cents"),
    sqlite_with_rowid=False,  # the key is the index: a lookup by day reads the balance with it
)

# The (unit, row) keys of rm_balance_versions: a statement looks up balances per key.
balance_keys = Table(
    "rm_balance_keys",
    metadata,
    Column("unit", String(64), primary_key=True),
    Column("row", String(64), primary_key=True),
    sqlite_with_rowid=False,
)

# Read-model tables of earlier versions, dropped when a store is opened by this one:
# balances known only now, and the counts that chose how to subtract late rows from them.
OBSOLETE_TABLES = ("rm_balances", "rm_amount_marks")

goal_events = Table(
    "rm_goal_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("goal", String(128), nullable=False),
    Column("unit", String(64), nullable=False),
    Column("fiscal_year", Integer, nullable=False),
    Column("kind", String(16), nullable=False),  # set | reworded | outcome
    Column("effective_on", Date, nullable=False),
    Column("position", BigInteger, nullable=False),
    Column("payload", Text, nullable=False),  # JSON of the event's fields
    Index("ix_rm_goal_events", "goal"),
)

risk_events = Table(
    "rm_risk_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("risk", String(128), nullable=False),
    Column("unit", String(64), nullable=False),
    Column("fiscal_year", Integer, nullable=False),
    Column("effective_on", Date, nullable=False),
    Column("position", BigInteger, nullable=False),
    Column("payload", Text, nullable=False),
    Index("ix_rm_risk_events", "unit", "fiscal_year"),
)

# The events marked illustrative (ADR 0028): positions first..last, as the marking event at
# `position` says. A mark is known at T when its position is up to P(T).
illustrative_marks = Table(
    "rm_illustrative_marks",
    metadata,
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("first_position", BigInteger, nullable=False),
    Column("last_position", BigInteger, nullable=False),
    Column("note", Text, nullable=False),
)

# The reporting code lists (ADR 0039): one row per load (`ClassesLoaded` at `position`) and
# one per code. The list of a kind valid on D as known at T: the load with the latest
# (valid_from, position) among valid_from <= D and position <= P(T).
class_lists = Table(
    "rm_class_lists",
    metadata,
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("kind", String(16), nullable=False),
    Column("valid_from", Date, nullable=False),
    Column("file", Text, nullable=False),
    Column("source", Text, nullable=False),
    Column("codes", Integer, nullable=False),
    Column("unverified", Integer, nullable=False),  # how many codes the file marked unverified
    Index("ix_rm_class_lists", "kind", "valid_from"),
)

class_codes = Table(
    "rm_class_codes",
    metadata,
    Column("position", BigInteger, nullable=False),  # the load's
    Column("code", String(64), nullable=False),
    Column("name", Text, nullable=False),
    Column("parent", String(64)),
    Column("unverified", Integer, nullable=False),
    Index("ix_rm_class_codes", "position", "code", unique=True),
)

# A unit's default service class from `effective_on` (NULL: since it was added) on.
unit_service_classes = Table(
    "rm_unit_service_classes",
    metadata,
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("unit", String(64), nullable=False),
    Column("service_class", String(64), nullable=False),
    Column("effective_on", Date),
    Index("ix_rm_unit_service_classes", "unit"),
)

# What was reported to the Treasury: one row per ExportSubmitted.
submissions = Table(
    "rm_submissions",
    metadata,
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("report_set", String(8), nullable=False),
    Column("period", String(8), nullable=False),
    Column("file", Text, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("as_of", Date, nullable=False),
    Column("known_at_us", BigInteger, nullable=False),  # the event's own recording time when it named none
    Column("recorded_us", BigInteger, nullable=False),
    Column("approved_by", Text, nullable=False),
    Column("decision", Text, nullable=False),
    Column("corrects", BigInteger),
    Index("ix_rm_submissions", "report_set", "period"),
)

# Tables emptied by `rebuild`; rm_position is reset instead.
PROJECTED_TABLES = (
    log,
    settings,
    units,
    unit_texts,
    accounts,
    reference_changes,
    investment_groups,
    projects,
    fiscal_years,
    budget_lines,
    plan_lines,
    budget_decisions,
    approvals,
    vouchers,
    amounts,
    balances,
    balance_keys,
    goal_events,
    risk_events,
    illustrative_marks,
    class_lists,
    class_codes,
    unit_service_classes,
    submissions,
)
