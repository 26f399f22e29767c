"""The auditor's web view (`kuntaledger serve`): a read-only presentation layer beside the commands (ADR 0035)."""
