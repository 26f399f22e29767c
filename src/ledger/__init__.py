"""kuntaledger: an event-sourced ledger for Finnish municipal budgets."""
