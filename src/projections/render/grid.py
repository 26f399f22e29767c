"""The aligned table of `text.table` for plain sheets, without importing rich (ADR 0015).

rich lays a report out as a SIMPLE_HEAD table without edges: the title (wrapped at its
spaces when longer than the table), the header, a rule of '─', then one line per row,
every cell padded by one space on each side, the columns divided by one space. When every
text is plain (each character one cell wide, no markup, no emoji code, no line break) and
the table fits the width, that is all rich does, and `grid` writes the same characters
for a fraction of the cost: importing rich alone takes longer than the whole report. For
anything else `grid` returns None and `text.table` asks rich. The rendering tests check
that both agree (tests/unit/test_statement_rendering.py).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# Characters one terminal cell wide for rich, and inert: ASCII without '[' (markup), the
# Latin-1 letters and Latin Extended-A (ä, ö, å, š, ž, ...), the section sign of a
# decision's reference (Kh 26.3.2025 § 79), and the dashes of the titles.
_PLAIN = re.compile(r"[\x20-\x5a\x5c-\x7e\u00a7\u00c0-\u017f\u2013\u2014]*")
_EMOJI_CODE = re.compile(r":(\S*?):")
_NUMERIC_EMOJI = frozenset({"100", "1234"})  # ':59:' of 23:59:59 is no emoji; ':100:' is


def plain(text: str) -> bool:
    if not _PLAIN.fullmatch(text):
        return False
    return all(code.isdigit() and code not in _NUMERIC_EMOJI for code in _EMOJI_CODE.findall(text))


def grid(
    title: str, headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[bool], width: int
) -> str | None:
    """The table as rich prints it (trailing spaces stripped), or None when rich must."""
    cells = [*headers, *(cell for row in rows for cell in row)]
    if not rows or not title.strip() or not all(map(plain, [title, *cells])):
        return None
    if any(cell != cell.strip() for cell in cells):
        return None  # rich strips a cell's spaces when it justifies it, yet counts them in its width
    widths = [max(len(header), *(len(row[i]) for row in rows)) + 2 for i, header in enumerate(headers)]
    total = sum(widths) + len(widths) - 1
    title_lines = wrap(title, total)
    if total > width or title_lines is None:
        return None  # rich would shrink or fold the columns: its layout, not ours

    def line(cells: Sequence[str]) -> str:
        padded = (
            f" {cell.rjust(size - 2) if flush_right else cell.ljust(size - 2)} "
            for cell, size, flush_right in zip(cells, widths, right, strict=True)
        )
        return " ".join(padded).rstrip()

    return "\n".join([*title_lines, line(headers), "─" * total, *map(line, rows)]) + "\n"


_WORD = re.compile(r"\s*\S+\s*")


def wrap(text: str, width: int) -> list[str] | None:
    """The lines of a title wrapped as rich wraps it: greedily at spaces, a word (with the
    spaces after it) on the next line when its letters do not fit; None when a word is
    longer than a line (rich folds it)."""
    lines: list[str] = []
    current = ""
    for word in _WORD.findall(text):
        if len(word.rstrip()) > width:
            return None
        if current and len(current) + len(word.rstrip()) > width:
            lines.append(current.rstrip())
            current = ""
        current += word
    return [*lines, current.rstrip()]
