"""The read side: tables fed from the event log, and the reports built on them."""
