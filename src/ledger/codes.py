"""The codes of units, accounts and projects: what one may hold.

A code is typed on command lines, written into `;`-separated files and matched between
spaces in the event log's unit list, so it holds letters (ä and ö too), digits, '-', '_'
and '.', nothing else. Voucher ids are not codes: they come from the general ledger's
exports as they are, and every file we write quotes them.
"""

from __future__ import annotations

import re

from ledger.errors import InvalidInput

_CODE = re.compile(r"[\w.-]+")


def checked_code(kind: str, code: str) -> str:
    """`code` without surrounding spaces, or InvalidInput naming what a code may hold;
    `kind` as in a sentence: 'a unit', 'an account'."""
    code = code.strip()
    if not code:
        raise InvalidInput(f"{kind} needs a code", field="code")
    if not _CODE.fullmatch(code):
        raise InvalidInput(
            f"'{code}': {kind} code holds only letters, digits, '-', '_' and '.'", field="code", value=code
        )
    return code
