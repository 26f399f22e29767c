"""The `kuntaledger` command line: parse options, call the ledger, render. No rules here."""
