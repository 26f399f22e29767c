"""The command reference in docs/history-format.md, printed from the vocabulary.

`python -m ledger.vocabulary.reference docs/history-format.md` rewrites the part of the
file between the two markers; a test fails while the file and the commands differ.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from ledger.vocabulary import COMMANDS, Command, Parameter, parameters

BEGIN = "<!-- The command reference: `python -m ledger.vocabulary.reference` prints it from ledger/vocabulary. -->"
END = "<!-- The end of the command reference. -->"
_KINDS = {str: "text", int: "whole number", date: "date", Path: "file"}


def markdown() -> str:
    """Each command: what it does, then a table of its keys."""
    return "\n".join(_section(command) for command in COMMANDS)


def _section(command: type[Command]) -> str:
    about = " ".join((command.__doc__ or "").split())
    head = ["| key | value | default | meaning |", "|---|---|---|---|"]
    rows = [_row(parameter) for parameter in parameters(command)]
    return "\n".join([f"### `{command.verb}`", "", about, "", *head, *rows, ""])


def _row(parameter: Parameter) -> str:
    meaning = parameter.help.replace("|", "\\|")
    return f"| `{parameter.key}` | {_KINDS[parameter.kind]} | {_default(parameter)} | {meaning} |"


def _default(parameter: Parameter) -> str:
    if parameter.required:
        return "required"
    if parameter.default in (None, ""):
        return "—"
    return f"`{parameter.default}`"


def rewritten(text: str) -> str:
    """`text` with the part between the markers replaced by the reference."""
    before, begin, rest = text.partition(BEGIN)
    _, end, after = rest.partition(END)
    assert begin and end, "the markers of the command reference are in the file"
    return f"{before}{BEGIN}\n\n{markdown()}\n{END}{after}"


def main(argv: list[str]) -> None:
    path = Path(argv[0] if argv else "docs/history-format.md")
    path.write_text(rewritten(path.read_text(encoding="utf-8")), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
