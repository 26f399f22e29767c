"""Names in a store that both sides read, kept free of imports so the reports can use them cheaply."""

# The event log's table (eventsourcing's names): its head is the newest notification id.
EVENT_TABLES = {"sqlite": "stored_events", "postgresql": "kuntaledger_events"}
NOTIFICATION_ID = {"sqlite": "rowid", "postgresql": "notification_id"}
PROJECTOR = "main"  # the projector's row in rm_position
# 5: rm_plan_lines; 4: reporting code lists, submissions, budget lines' dimensions;
# 3: ix_rm_amounts_investment; 2: counted summaries in rm_log; older: projected again
SCHEMA_VERSION = 5
