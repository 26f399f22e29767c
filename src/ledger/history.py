"""Loads a history file (docs/history-format.md): an ordered script of recording commands.

Each step goes through the same command functions and checks as the CLI, so a history
file can hold nothing the CLI would refuse. The first refused step is named in the
error, and nothing of the file is recorded (`ledger.loading`). A step's `illustrative`
note is recorded with its events (ADR 0028); the file's own `illustrative` key says in
one line what the whole history invents.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ledger import commands
from ledger.approvals import FiguresHash
from ledger.clock import parse_date, parse_moment
from ledger.errors import InvalidInput, LedgerError

IGNORED_KEYS = {"command", "recorded-at", "actor", "note"}


@dataclass(frozen=True)
class Step:
    number: int
    command: str
    recorded_at: datetime
    actor: str
    check: commands.Check
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

    def text(self, key: str, default: str | None = None) -> str:
        self.used.add(key)
        value = self.raw.get(key, default)
        if value is None:
            raise self.fail(key, "is missing")
        if not isinstance(value, str):
            raise self.fail(key, f"expected text, found {value!r}")
        return value

    def optional(self, key: str) -> str | None:
        return self.text(key, "") or None if key in self.raw else None

    def integer(self, key: str) -> int:
        self.used.add(key)
        value = self.raw.get(key)
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.fail(key, f"expected a whole number, found {value!r}")
        return value

    def day(self, key: str) -> date:
        self.used.add(key)
        value = self.raw.get(key)
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        try:
            return parse_date(str(value))
        except ValueError as error:
            raise self.fail(key, str(error)) from None

    def note(self, key: str) -> str | None:
        if key not in self.raw:
            return None
        note = self.text(key).strip()
        if not note:
            raise self.fail(key, "the note is empty; say what is illustrative, or leave the key out")
        return note

    def file(self, key: str = "file") -> Path:
        path = self.base / self.text(key)
        if not path.is_file():
            raise self.fail(key, f"no such file {path.name} beside the history file")
        return path

    def check_all_used(self) -> None:
        unknown = sorted(set(self.raw) - self.used)
        if unknown:
            raise self.fail(unknown[0], "unknown key for this command")


def _build(o: _Options, command: str, figures_hash: FiguresHash | None) -> commands.Check:
    builders: dict[str, Callable[[], commands.Check]] = {
        "init": lambda: commands.initialise(o.text("entity"), o.text("deviation-sign", "budget-minus-actual")),
        "units add": lambda: commands.add_unit(
            o.text("code"), o.text("name"), o.optional("parent"), o.text("binding", "none")
        ),
        "units describe": lambda: commands.describe_unit(
            o.text("code"), o.integer("year"), o.text("text"), o.day("on"), o.text("kind", "description")
        ),
        "accounts add": lambda: commands.add_account(
            o.text("code"), o.text("name"), o.optional("row"), o.optional("class") == "balance-sheet"
        ),
        "projects add": lambda: commands.add_project(
            o.text("code"), o.text("name"), o.text("group"), o.optional("unit")
        ),
        "units rename": lambda: commands.rename_unit(o.text("code"), o.text("name"), o.day("effective-on")),
        "units close": lambda: commands.close_unit(o.text("code"), o.day("on")),
        "accounts rename": lambda: commands.rename_account(o.text("code"), o.text("name"), o.day("effective-on")),
        "accounts close": lambda: commands.close_account(o.text("code"), o.day("on")),
        "budget adopt": lambda: commands.adopt_budget(
            o.integer("year"), o.file(), o.text("decision"), o.day("decided-on"), o.text("body", "council")
        ),
        "budget amend": lambda: commands.amend_budget(
            o.integer("year"),
            o.text("kind"),
            o.file(),
            o.text("decision"),
            o.day("decided-on"),
            o.text("reason"),
            o.text("body", "board" if o.raw.get("kind") == "operating-plan" else "council"),
        ),
        "post": lambda: commands.post_file(o.file()),
        "reverse": lambda: commands.reverse(o.text("voucher"), o.day("on"), o.text("reason")),
        "close-year": lambda: commands.close_year(o.integer("year"), o.text("decision"), o.day("decided-on")),
        "reopen-year": lambda: commands.reopen_year(
            o.integer("year"), o.text("decision"), o.day("decided-on"), o.text("reason")
        ),
        "approve": lambda: commands.approve_report(
            o.text("unit"),
            o.integer("year"),
            o.text("body"),
            o.text("decision"),
            o.day("decided-on"),
            _hasher(o, figures_hash),
        ),
        "goals set": lambda: commands.set_goal(
            o.text("goal"),
            o.integer("year"),
            o.text("unit"),
            o.text("level"),
            o.text("strategic-goal", ""),
            o.text("text"),
            o.text("metric", ""),
            o.text("target", ""),
            o.text("responsible", ""),
            o.day("on"),
        ),
        "goals reword": lambda: commands.reword_goal(
            o.text("goal"), o.text("text"), o.optional("metric"), o.optional("target"), o.day("on")
        ),
        "goals report": lambda: commands.report_goal(o.text("goal"), o.day("on"), o.text("text", ""), o.text("status")),
        "risks assess": lambda: commands.assess_risk(
            o.text("risk"),
            o.text("unit"),
            o.integer("year"),
            o.text("class"),
            o.text("description"),
            o.integer("probability"),
            o.integer("significance"),
            o.text("mitigation", ""),
            o.text("carried-out", ""),
            o.day("on"),
            o.text("responsible", ""),
        ),
        "explain-deviation": lambda: commands.explain_deviation(
            o.text("unit"), o.integer("year"), o.text("text"), o.day("on")
        ),
    }
    if command not in builders:
        raise o.fail("command", f"unknown command '{command}'; see docs/history-format.md")
    check = builders[command]()
    o.check_all_used()
    return check


def _hasher(o: _Options, figures_hash: FiguresHash | None) -> FiguresHash:
    if figures_hash is None:
        raise o.fail("command", "approve needs the hash of the report's figures; load the file with `kuntaledger load`")
    return figures_hash


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
    """The same kind of error, saying which step of which file was refused."""
    where = f"{path.name} step {step.number} ({step.command})"
    return type(error)(f"{where}: {error}; nothing from {path.name} was recorded")
