"""Just enough of libpq, through ctypes, for the lean report path to read PostgreSQL.

Importing psycopg costs 0.15–0.3 s, more than the whole report should (ADR 0015); libpq
itself (the library psycopg wraps) loads in a few milliseconds. This client connects,
runs parameterised statements in text format, and returns rows of `str | None`: the
report queries convert what they read (`int(...)`), so text is all they need. Anything
it cannot do raises `PQError`, and the lean path leaves the command to the typer path.
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

LIBRARIES = ("libpq.so.5", "libpq.5.dylib", "libpq.so")
CONNECTION_OK = 0
COMMAND_OK, TUPLES_OK = 1, 2
_NAMED = re.compile(r"%\((\w+)\)s")


class PQError(Exception):
    """libpq is missing, or the server refused: the typer path will say it properly."""


def _load() -> Any:
    for name in LIBRARIES:
        try:
            lib = ctypes.CDLL(name)
            break
        except OSError:
            continue
    else:
        raise PQError("libpq is not installed")
    pointer, text, number = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int
    texts = ctypes.POINTER(ctypes.c_char_p)
    signatures: dict[str, tuple[Any, list[Any]]] = {
        "PQconnectdbParams": (pointer, [texts, texts, number]),
        "PQstatus": (number, [pointer]),
        "PQerrorMessage": (text, [pointer]),
        "PQfinish": (None, [pointer]),
        "PQexecParams": (pointer, [pointer, text, number, pointer, texts, pointer, pointer, number]),
        "PQresultStatus": (number, [pointer]),
        "PQresultErrorMessage": (text, [pointer]),
        "PQntuples": (number, [pointer]),
        "PQnfields": (number, [pointer]),
        "PQgetisnull": (number, [pointer, number, number]),
        "PQgetvalue": (text, [pointer, number, number]),
        "PQclear": (None, [pointer]),
    }
    for name, (restype, argtypes) in signatures.items():
        function = getattr(lib, name)
        function.restype, function.argtypes = restype, argtypes
    return lib


def _strings(values: Sequence[str | None]) -> Any:
    return (ctypes.c_char_p * (len(values) + 1))(*(v.encode() if v is not None else None for v in values), None)


class Connection:
    """One libpq connection; `close()` it."""

    def __init__(self, settings: Mapping[str, str]) -> None:
        self.lib = _load()
        keywords = [*settings, "client_encoding"]
        values = [*settings.values(), "UTF8"]
        self.conn = self.lib.PQconnectdbParams(_strings(keywords), _strings(values), 0)
        if not self.conn or self.lib.PQstatus(self.conn) != CONNECTION_OK:
            message = self.lib.PQerrorMessage(self.conn) if self.conn else b"out of memory"
            self.close()
            raise PQError((message or b"").decode(errors="replace").strip())

    def execute(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple[str | None, ...]]:
        """Run one statement with `%(name)s` parameters (sent as text, typed by the server)."""
        names: list[str] = []

        def number(match: re.Match[str]) -> str:
            if match.group(1) not in names:
                names.append(match.group(1))
            return f"${names.index(match.group(1)) + 1}"

        statement = _NAMED.sub(number, sql)
        values = [_text((params or {})[name]) for name in names]
        result = self.lib.PQexecParams(
            self.conn, statement.encode(), len(values), None, _strings(values), None, None, 0
        )
        try:
            status = self.lib.PQresultStatus(result) if result else -1
            if status not in (COMMAND_OK, TUPLES_OK):
                message = self.lib.PQresultErrorMessage(result) if result else self.lib.PQerrorMessage(self.conn)
                raise PQError((message or b"").decode(errors="replace").strip())
            rows, fields = self.lib.PQntuples(result), self.lib.PQnfields(result)
            return [tuple(self._value(result, row, field) for field in range(fields)) for row in range(rows)]
        finally:
            if result:
                self.lib.PQclear(result)

    def _value(self, result: Any, row: int, field: int) -> str | None:
        if self.lib.PQgetisnull(result, row, field):
            return None
        value: bytes = self.lib.PQgetvalue(result, row, field)
        return value.decode()

    def close(self) -> None:
        if self.conn:
            self.lib.PQfinish(self.conn)
            self.conn = None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date | int | str):
        return value.isoformat() if isinstance(value, date) else str(value)
    raise PQError(f"no text form for a {type(value).__name__} parameter")
