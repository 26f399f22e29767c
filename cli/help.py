"""Help that reads as a manual: `--known-at TIMESTAMP`, `--file FILE`, a flag bare.

Typer prints every option's Python type (`<str>`, `<bool>`, `<Path>`). Our commands and
groups show the option's metavar instead (DATE, TIMESTAMP, N, ... where an option names
one), else TEXT, INTEGER or FILE by its type; nothing after a flag; and an argument by
its name in capitals (CODE, VOUCHER), which is already the whole of its placeholder.
"""

from __future__ import annotations

import functools
from typing import Any

from typer.core import TyperArgument, TyperCommand, TyperGroup

# What an option takes, by its name, the same in every command.
PLACEHOLDERS = {
    "--as-of": "DATE",
    "--on": "DATE",
    "--decided-on": "DATE",
    "--known-at": "TIMESTAMP",
    "--recorded-at": "TIMESTAMP",
    "--against": "TIMESTAMP",
    "--store": "URL",
    "--year": "YEAR",
    "--limit": "N",
}
_BY_TYPE = {"int": "INTEGER", "Path": "FILE"}


def _placeholder(param: Any, ctx: Any) -> str | None:
    if isinstance(param, TyperArgument) or getattr(param, "is_flag", False):
        return None
    named = next((PLACEHOLDERS[opt] for opt in param.opts if opt in PLACEHOLDERS), None)
    return param.metavar or named or _BY_TYPE.get(param.bare_type(), "TEXT")


def plain(params: list[Any]) -> list[Any]:
    for param in params:
        if isinstance(param, TyperArgument) and param.metavar is None:
            param.metavar = param.name.upper()
        param.display_type_rich = functools.partial(_placeholder, param)
    return params


class PlainHelpCommand(TyperCommand):
    def get_params(self, ctx: Any) -> list[Any]:
        return plain(super().get_params(ctx))


class PlainHelpGroup(TyperGroup):
    def get_params(self, ctx: Any) -> list[Any]:
        return plain(super().get_params(ctx))
