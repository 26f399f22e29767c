"""Loads a history file (docs/history-format.md): an ordered script of recording commands.

A step's keys are the parameters of its command as declared once for the CLI too
(`ledger.vocabulary`, ADR 0030), and it goes through the same checks, so a history file
can say what the CLI can and hold nothing the CLI would refuse. The first refused step is named in the
error, and nothing of the file is recorded (`ledger.loading`). A step's `illustrative`
note is recorded with its events (ADR 0028); the file's own `illustrative` key says in
one line what the whole history invents.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ledger import commands
from ledger.approvals import FiguresHash
from ledger.clock import parse_date, parse_moment
from ledger.commands import Check
from ledger.errors import InvalidInput, LedgerError
from ledger.vocabulary import BY_VERB, Parameter, parameters

IGNORED_KEYS = {"command", "recorded-at", "actor", "note"}


@dataclass(frozen=True)
class Step:
    number: int
    command: str
    recorded_at: datetime
    actor: str
    check: Check
    illustrative: str | None  # the note that marks the step's events illustrative


@dataclass(frozen=True)
class History:
    illustrative: str | None  # the file's one-line account of what it invents
    steps: list[Step]


class _Options:
    """Typed access to one step's keys, with errors that name the step and key."""

    def __init__(self, source: str, number: int, raw: dict[str, Any], base: Path) -> None:
        self.source, self.number, self.raw, self.base = source, number, raw, base
        self.used: set[str] = set(IGNORED_KEYS)

    def fail(self, key: str | None, message: str) -> InvalidInput:
        where = f"{self.source} step {self.number}" + (f", key {key}" if key else "")
        return InvalidInput(f"{where}: {message}")

    def text(self, key: str) -> str:
        self.used.add(key)
        value = self.raw.get(key)
        if value is None:
            raise self.fail(key, "is missing")
        if not isinstance(value, str):
            raise self.fail(key, f"expected text, found {value!r}")
        return value

    def note(self, key: str) -> str | None:
        if key not in self.raw:
            return None
        note = self.text(key).strip()
        if not note:
            raise self.fail(key, "the note is empty; say what is illustrative, or leave the key out")
        return note

    def value(self, parameter: Parameter) -> Any:
        """The key of `parameter`, read as its kind: text, a whole number, a date or a file
        beside the history file; empty text is no value where none is allowed."""
        key = parameter.key
        if key not in self.raw:
            if parameter.required:
                raise self.fail(key, "is missing")
            return parameter.default
        if parameter.kind is int:
            return self._integer(key)
        if parameter.kind is date:
            return self._day(key)
        if parameter.kind is Path:
            return self._file(key)
        value = self.text(key) or (None if parameter.optional else "")
        if parameter.choices and value is not None and value not in parameter.choices:
            raise self.fail(key, f"'{value}': {parameter.refusal}")
        return value

    def _integer(self, key: str) -> int:
        self.used.add(key)
        value = self.raw[key]
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.fail(key, f"expected a whole number, found {value!r}")
        return value

    def _day(self, key: str) -> date:
        self.used.add(key)
        value = self.raw[key]
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        try:
            return parse_date(str(value))
        except ValueError as error:
            raise self.fail(key, str(error)) from None

    def _file(self, key: str) -> Path:
        path = self.base / self.text(key)
        if not path.is_file():
            raise self.fail(key, f"no such file {path.name} beside the history file")
        return path

    def check_all_used(self) -> None:
        unknown = sorted(set(self.raw) - self.used)
        if unknown:
            raise self.fail(unknown[0], "unknown key for this command")


def _build(o: _Options, verb: str, figures_hash: FiguresHash | None) -> Check:
    """The step's command, its keys read by the command's parameters (ledger.vocabulary)."""
    command = BY_VERB.get(verb)
    if command is None:
        raise o.fail("command", f"unknown command '{verb}'; see docs/history-format.md")
    if command.hashes_figures and figures_hash is None:
        raise o.fail("command", f"{verb} needs the hash of the report's figures; load the file with `kuntaledger load`")
    values: dict[str, Any] = {parameter.name: o.value(parameter) for parameter in parameters(command)}
    o.check_all_used()
    if command.hashes_figures:
        values["figures_hash"] = figures_hash
    return command(**values).check()


def read_history(path: Path, figures_hash: FiguresHash | None = None) -> History:
    """Parse and check each step's options: the steps ready to record, in order. An
    `approve` step hashes the report's figures with `figures_hash` (ADR 0027)."""
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise InvalidInput(f"{path.name}: not a readable TOML history file ({error})") from None
    summary = document.get("illustrative")
    if summary is not None and not (isinstance(summary, str) and summary.strip()):
        raise InvalidInput(f"{path.name}, key illustrative: expected a one-line note, found {summary!r}")
    return History(summary.strip() if summary else None, list(_steps(path, document, figures_hash)))


def _steps(path: Path, document: dict[str, Any], figures_hash: FiguresHash | None) -> Iterator[Step]:
    for number, raw in enumerate(document.get("step", []), start=1):
        options = _Options(path.name, number, raw, path.parent)
        command = options.text("command")
        recorded_at = raw.get("recorded-at")
        try:
            moment = parse_moment(recorded_at.isoformat() if isinstance(recorded_at, datetime) else str(recorded_at))
        except ValueError as error:
            raise options.fail("recorded-at", str(error)) from None
        note = options.note("illustrative")
        check = _build(options, command, figures_hash)
        if note:
            check = commands.marked_illustrative(check, note)
        yield Step(number, command, moment, options.text("actor"), check, note)


def step_error(path: Path, step: Step, error: LedgerError) -> LedgerError:
    """The same kind of error, saying which step of which file was refused, and by the key
    that gave it which value (the key of the error's field)."""
    where = f"{path.name} step {step.number} ({step.command})"
    if error.field is None:
        return type(error)(f"{where}: {error}; nothing from {path.name} was recorded")
    key = _key(step.command, error.field)
    return type(error)(f"{where}, key {key}: {error.message}; nothing from {path.name} was recorded")


def _key(verb: str, field: str) -> str:
    """The history file's key for `field` of the command `verb`; a field that is not the
    command's own (`recorded_at`) is the step's key of the same name."""
    command = BY_VERB.get(verb)
    keys = {parameter.name: parameter.key for parameter in parameters(command)} if command else {}
    return keys.get(field, field.replace("_", "-"))
