"""Long lists as plain aligned text: a title, the headers, a rule, one line per record.

rich measures and wraps every cell: 3.4 s for the 5,500 items of one `explain`, most of
the command's time. These tables are read in a terminal, grepped and pasted, so each
record stays on one line, its columns padded to the widest value, text as it is (no
markup). Widths count characters, which is the terminal's width for the Latin letters
of our data.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any


def aligned(title: str, columns: Sequence[str], records: Sequence[Mapping[str, Any]], right: Collection[str]) -> str:
    cells = [[_text(record.get(column)) for column in columns] for record in records]
    widths = [max([len(column), *(len(row[i]) for row in cells)]) for i, column in enumerate(columns)]

    def line(values: Sequence[str]) -> str:
        padded = (
            value.rjust(width) if column in right else value.ljust(width)
            for value, width, column in zip(values, widths, columns, strict=True)
        )
        return "  ".join(padded).rstrip()

    rule = "  ".join("─" * width for width in widths)
    return "\n".join([title, line(columns), rule, *map(line, cells)]) + "\n"


def _text(value: Any) -> str:
    return "" if value is None else " ".join(str(value).splitlines())
