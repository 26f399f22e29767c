"""`python -m cli ...` runs the `kuntaledger` command (for environments without the console script)."""

from cli.main import run

run()
