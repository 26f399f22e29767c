"""Plain option values coerced without pydantic; typer coerces everything else.

typer coerces every option's value, a default or a missing one included, through a
pydantic `TypeAdapter` that it builds on first use. Importing pydantic and building an
adapter per option cost a report more than all of its own work (ADR 0031). A text
option's text is its value, and an integer option's ASCII digits are `int(text)`,
whatever the adapter would add; those values, and a missing one, are coerced here. Any
other value, and every other type, goes to typer's own coercion, which also words every
refusal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from typer._coercion import RuntimeParam, build_runtime_param
from typer.core import TyperCommand, TyperGroup, _TyperParameter

from cli.help import PlainHelpCommand, PlainHelpGroup


@dataclass(frozen=True)
class PlainValue(RuntimeParam):
    """A missing value, a text option's text, an integer option's digits; else typer's coercion."""

    plain: bool = False  # no constraint, parser or file: the value is the text, or its int

    def _coerce_value(self, value: Any, param: _TyperParameter, ctx: Any) -> Any:
        if self.plain and self.annotation is str and isinstance(value, str):
            return value
        if self.plain and self.annotation is int and (type(value) is int or _digits(value)):
            return int(value)
        return build_runtime_param(param.type_descriptor)._coerce_value(value, param=param, ctx=ctx)


def _digits(value: Any) -> bool:
    return isinstance(value, str) and value.isascii() and value.isdigit()


def plain_values(params: list[Any]) -> None:
    """Give each option the coercion above, before typer builds its own: `coerce` returns a
    missing value as it is, and typer's own is built only for a value `PlainValue` passes on."""
    for param in params:
        if not isinstance(param, _TyperParameter) or param._runtime_param is not None:
            continue
        described = param.type_descriptor
        info = described.parameter_info
        plain = described.file_annotation is None and info.parser is None and info.min is None and info.max is None
        param._runtime_param = PlainValue(parameter_info=info, annotation=described.annotation, plain=plain)


class LedgerCommand(PlainHelpCommand):
    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        plain_values(self.get_params(ctx))
        return TyperCommand.parse_args(self, ctx, args)


class LedgerGroup(PlainHelpGroup):
    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        plain_values(self.get_params(ctx))
        return TyperGroup.parse_args(self, ctx, args)
