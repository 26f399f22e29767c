"""How a recording command declares its parameters: once, for the CLI, history files and the docs.

A command is a frozen dataclass (`Command`) whose fields are its parameters, each with a
type (text, a whole number, a date or a file), perhaps a default, and as its metadata an
`option(...)` or `argument(...)`: what it means (its help) and, where it differs from the
field's name, how the CLI spells it. A history file's key is the CLI's long option
without its dashes (an argument's key is its name). `parameters()` reads the fields back
as `Parameter`s: `cli.recording` makes typer options of them, `ledger.history` reads a
step's keys with them, and `ledger.vocabulary.reference` prints the docs from them.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import MISSING, dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from ledger.commands import Check

_SPEC = "ledger.vocabulary"


class _Required:
    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED: Any = _Required()  # the default of a parameter without one


@dataclass(frozen=True)
class _Spec:
    help: str
    argument: bool = False
    spelled: str | None = None
    today: bool = False
    show_default: bool = True
    choices: tuple[str, ...] = ()
    refusal: str = ""


def option(
    help: str,
    *,
    spelled: str | None = None,
    today: bool = False,
    show_default: bool = True,
    choices: tuple[str, ...] = (),
    refusal: str = "",
) -> dict[str, _Spec]:
    """A field's metadata: given as `--name` (or `spelled`) on the CLI and as the key `name` in a
    history file. `today`: the CLI's default is today's date, which a history file names instead;
    `choices`: the only values accepted, `refusal` saying why another is not."""
    return {_SPEC: _Spec(help, False, spelled, today, show_default, choices, refusal)}


def argument(help: str) -> dict[str, _Spec]:
    """A field's metadata: given positionally on the CLI (shown as its name in capitals)."""
    return {_SPEC: _Spec(help, argument=True)}


@dataclass(frozen=True)
class Parameter:
    """One parameter of a command, as every consumer of the vocabulary reads it."""

    name: str  # the field, and the CLI function's parameter
    kind: type  # str, int, date or Path: the value once read
    optional: bool  # None stands for "not given"
    default: Any  # REQUIRED, or the value when not given
    help: str
    argument: bool  # positional on the CLI
    option: str  # the CLI's spelling: --decided-on (an argument: its name)
    key: str  # the history file's key: decided-on
    today: bool  # the CLI's default is today; a history file names it
    show_default: bool
    choices: tuple[str, ...]
    refusal: str

    @property
    def required(self) -> bool:
        """Must be given in a history file (the CLI may still default a `today` parameter)."""
        return self.default is REQUIRED


class Command:
    """A recording command: its dataclass fields are its parameters, `check` what it does."""

    verb: ClassVar[str]  # the words after `kuntaledger`: "units add"
    dry_run: ClassVar[bool] = False  # can be checked whole without recording anything
    on_empty_store: ClassVar[bool] = False  # records on a store not yet initialised (init)
    hashes_figures: ClassVar[bool] = False  # needs the hash of a report's figures (approve): its `figures_hash`

    def check(self) -> Check:
        """The `check(state) -> Outcome` that `Ledger.record` takes; input files are read now."""
        raise NotImplementedError


_READ: dict[type[Command], tuple[Parameter, ...]] = {}


def parameters(command: type[Command]) -> tuple[Parameter, ...]:
    """The command's parameters, in the order of its fields."""
    if command not in _READ:
        hints = typing.get_type_hints(command)
        fields = dataclasses.fields(command)  # type: ignore[arg-type]
        _READ[command] = tuple(_parameter(field, hints[field.name]) for field in fields if _SPEC in field.metadata)
    return _READ[command]


def _parameter(field: dataclasses.Field[Any], hint: Any) -> Parameter:
    spec: _Spec = field.metadata[_SPEC]
    members = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
    (kind,) = (member for member in members if member is not types.NoneType)
    assert kind in (str, int, date, Path), f"{field.name}: a parameter is text, a whole number, a date or a file"
    key = spec.spelled.removeprefix("--") if spec.spelled else field.name.replace("_", "-")
    default = REQUIRED if field.default is MISSING else field.default
    return Parameter(
        name=field.name,
        kind=kind,
        optional=len(members) > 1,
        default=default,
        help=spec.help,
        argument=spec.argument,
        option=field.name if spec.argument else f"--{key}",
        key=key,
        today=spec.today,
        show_default=spec.show_default,
        choices=spec.choices,
        refusal=spec.refusal,
    )
