"""Hypothesis strategies for ledger histories, and the code that records them.

A history is the list of commands users give, as plain data: an organisation tree,
accounts added to the chart, projects, budgets and both kinds of amendment, voucher
files, reversals, year closings, goals and risks, each with its effective dates and a
recording time that never goes backwards. `record_history` writes the CSV files the
commands read and records each through `ledger.commands` and `Ledger.record`, as the
CLI does, noting which commands the ledger refused.

Money lands on leaf units only (`History.leaves`), so that a parent's statement is
exactly the sum of its children's.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from hypothesis import strategies as st

from ledger import commands
from ledger.application import Ledger
from ledger.errors import LedgerError
from ledger.reference import default_chart, default_investment_groups
from ledger.statement_rows import EXPENSE_ROWS, INCOME_ROWS, POSTABLE_KEYS

YEARS = (2023, 2024, 2025)
FIRST_DAY, LAST_DAY = date(2022, 7, 1), date(2026, 6, 30)
HISTORY_STARTS = datetime(2022, 10, 1, tzinfo=UTC)
ACTOR = "property"
MAX_CENTS = 10**11

# Rows a budget line or an added account may name. The two aggregate rows are left out,
# so that Toimintatuotot and Toimintakulut are exactly the sums of the rows below them.
AGGREGATES = frozenset({"operating_income", "operating_expenses"})
ROW_KEYS = tuple(sorted(POSTABLE_KEYS - AGGREGATES))
FREE_ROWS = tuple(sorted(POSTABLE_KEYS - INCOME_ROWS - EXPENSE_ROWS))  # outside every binding level
CHART_ROWS = {a.code: a.row for a in default_chart()}
PL_ACCOUNTS = tuple(sorted(code for code, row in CHART_ROWS.items() if row is not None))
BANK, ASSET_ACCOUNTS = "1900", ("1000", "1130", "1200")
GROUPS = tuple(g.code for g in default_investment_groups())


def examples(share: float, **options: Any) -> settings:
    """A share of the loaded profile's examples: `ci` stays quick, `deep` scales with it,
    always to at least ten times the `ci` count (tests/conftest.py registers both)."""
    ci, deep = (max(2, int(settings.get_profile(name).max_examples * share)) for name in ("ci", "deep"))
    assert deep >= 10 * ci, f"a share of {share} gives {deep} deep examples, under ten times its {ci} in ci"
    return settings(max_examples=max(2, int(settings.default.max_examples * share)), **options)


# Plain data: the commands of a history.


@dataclass(frozen=True)
class CsvStyle:
    """How a user's spreadsheet wrote the file: all of it must read the same."""

    delimiter: str = ";"
    amount_style: int = 0
    date_style: int = 0
    bom: bool = False
    crlf: bool = False


@dataclass(frozen=True)
class BudgetLineSpec:
    unit: str
    line: str  # a row key, an account code, GROUP:side or GROUP
    amount_cents: int


@dataclass(frozen=True)
class PostingSpec:
    account: str
    unit: str
    amount_cents: int  # debit positive
    project: str | None = None
    text: str = ""


@dataclass(frozen=True)
class VoucherSpec:
    voucher: str
    effective_on: date
    lines: tuple[PostingSpec, ...]


@dataclass(frozen=True)
class Command:
    """One recording command: what it is, its options, and when it was recorded."""

    name: str
    recorded_at: datetime
    options: tuple[tuple[str, object], ...] = ()
    style: CsvStyle = field(default_factory=CsvStyle)

    def option(self, key: str) -> object:
        return dict(self.options)[key]


def format_amount(cents: int, style: int) -> str:
    """Euros as a finance clerk's spreadsheet writes them, in one of five ways."""
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(cents), 100)
    digits = str(euros)
    groups = [digits[max(0, end - 3) : end] for end in range(len(digits), 0, -3)][::-1]
    if style == 0:
        return f"{sign}{euros}.{rest:02d}"
    if style == 1:
        return f"{sign}{euros},{rest:02d}"
    if style == 2:
        return f"{sign}{' '.join(groups)},{rest:02d}"
    if style == 3:
        tail = f",{rest:02d}" if rest else ""
        return f"{chr(0x2212) if cents < 0 else ''}{chr(0xA0).join(groups)}{tail}"
    tail = f".{rest // 10}" if rest % 10 == 0 and rest else f".{rest:02d}" if rest else ""
    return f"{sign or '+'}{euros}{tail}"


def format_day(day: date, style: int) -> str:
    if style == 0:
        return day.isoformat()
    if style == 1:
        return f"{day.day}.{day.month}.{day.year}"
    return f"{day.day:02d}.{day.month:02d}.{day.year}"


def csv_bytes(header: list[str], rows: list[list[str]], style: CsvStyle) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=style.delimiter, lineterminator="\r\n" if style.crlf else "\n")
    writer.writerow(header)
    writer.writerows(rows)
    return (b"\xef\xbb\xbf" if style.bom else b"") + buffer.getvalue().encode()


class Files:
    """Writes each command's input file into one directory, under a fresh name."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.count = 0

    def write(self, content: bytes, stem: str = "input") -> Path:
        self.count += 1
        path = self.directory / f"{stem}_{self.count}.csv"
        path.write_bytes(content)
        return path

    def budget(self, lines: tuple[BudgetLineSpec, ...], style: CsvStyle) -> Path:
        rows = [[line.unit, line.line, format_amount(line.amount_cents, style.amount_style)] for line in lines]
        return self.write(csv_bytes(["unit", "line", "amount"], rows, style), "budget")

    def vouchers(self, vouchers: tuple[VoucherSpec, ...], style: CsvStyle) -> Path:
        rows = [
            [
                v.voucher,
                format_day(v.effective_on, style.date_style),
                line.account,
                line.unit,
                format_amount(line.amount_cents, style.amount_style),
                line.text,
                line.project or "",
            ]
            for v in vouchers
            for line in v.lines
        ]
        header = ["voucher", "date", "account", "unit", "amount", "text", "project"]
        return self.write(csv_bytes(header, rows, style), "vouchers")


def build_check(command: Command, files: Files) -> commands.Check:
    """The check `ledger.commands` makes of the command (files are written and parsed here)."""
    o = dict(command.options)
    decision = f"{command.name} {o.get('decided_on', '')} § 1"
    builders: dict[str, Callable[[], commands.Check]] = {
        "init": lambda: commands.initialise(str(o["entity"]), str(o["deviation_sign"])),
        "add_unit": lambda: commands.add_unit(str(o["code"]), str(o["name"]), o["parent"], str(o["binding"])),
        "add_account": lambda: commands.add_account(str(o["code"]), str(o["name"]), o["row"], o["row"] is None),
        "add_project": lambda: commands.add_project(str(o["code"]), "hanke", str(o["group"]), o["unit"]),
        "adopt": lambda: commands.adopt_budget(
            o["year"],
            files.budget(o["lines"], command.style),
            decision,
            o["decided_on"],
            str(o.get("body", "council")),
        ),
        "amend": lambda: commands.amend_budget(
            o["year"],
            str(o["kind"]),
            files.budget(o["lines"], command.style),
            decision,
            o["decided_on"],
            str(o.get("reason", "muutos")),
            str(o["body"]),
        ),
        "post": lambda: commands.post_file(files.vouchers(o["vouchers"], command.style)),
        "post_bytes": lambda: commands.post_file(files.write(o["content"], "raw_vouchers")),
        "adopt_bytes": lambda: commands.adopt_budget(
            o["year"], files.write(o["content"], "raw_budget"), decision, o["decided_on"], "council"
        ),
        "reverse": lambda: commands.reverse(str(o["voucher"]), o["on"], str(o.get("reason", "virhe"))),
        "close_year": lambda: commands.close_year(o["year"], decision, o["decided_on"]),
        "set_goal": lambda: commands.set_goal(
            str(o["goal"]),
            o["year"],
            str(o["unit"]),
            str(o["level"]),
            "Elinvoima",
            str(o["text"]),
            "mittari",
            "taso",
            "kaupunginjohtaja",
            o["on"],
        ),
        "reword_goal": lambda: commands.reword_goal(str(o["goal"]), str(o["text"]), o["metric"], o["target"], o["on"]),
        "report_goal": lambda: commands.report_goal(str(o["goal"]), o["on"], str(o["text"]), str(o["status"])),
        "assess_risk": lambda: commands.assess_risk(
            str(o["risk"]),
            str(o["unit"]),
            o["year"],
            str(o["class"]),
            str(o["description"]),
            o["probability"],
            o["significance"],
            "hallintakeino",
            "toteutettu",
            o["on"],
        ),
    }
    return builders[command.name]()


def record(ledger: Ledger, command: Command, files: Files) -> bool:
    """Record one command; False when the ledger refused it (a LedgerError)."""
    try:
        check = build_check(command, files)
        ledger.record(check, actor=ACTOR, recorded_at=command.recorded_at, require_initialised=command.name != "init")
    except LedgerError:
        return False
    return True


def record_history(ledger: Ledger, history: History, directory: Path) -> list[bool]:
    files = Files(directory)
    return [record(ledger, command, files) for command in history.commands]


# The strategies.


@dataclass(frozen=True)
class History:
    deviation_sign: str
    units: dict[str, str | None]  # code -> parent, in the order added
    leaves: tuple[str, ...]
    commands: tuple[Command, ...]

    def children(self, code: str) -> list[str]:
        return [unit for unit, parent in self.units.items() if parent == code]

    @property
    def recording_times(self) -> list[datetime]:
        return [command.recorded_at for command in self.commands]

    @property
    def effective_dates(self) -> list[date]:
        """Every date the history names: vouchers, reversals, decisions, goals and risks."""
        found = [value for c in self.commands for key, value in c.options if key in ("on", "decided_on")]
        for command in self.commands:
            if command.name == "post":
                found += [voucher.effective_on for voucher in command.option("vouchers")]
        return sorted(set(found))


amounts_cents = st.one_of(
    st.integers(-MAX_CENTS, MAX_CENTS),
    st.integers(-100_000, 100_000),
    st.sampled_from([0, 1, -1, 100, -100, MAX_CENTS, -MAX_CENTS]),
)
days = st.dates(FIRST_DAY, LAST_DAY)
unit_codes = st.text(alphabet="ABCDEFGHIJKLMNOPRSTUVYÄÖ0123456789-_", min_size=1, max_size=6)
texts = st.text(alphabet="abcdefghijklmnopqrstuvyzäöå ÄÖ;,.:-'\"€§", min_size=1, max_size=20).filter(str.strip)
csv_styles = st.builds(
    CsvStyle,
    delimiter=st.sampled_from([";", ","]),
    amount_style=st.integers(0, 4),
    date_style=st.integers(0, 2),
    bom=st.booleans(),
    crlf=st.booleans(),
)


@st.composite
def recording_times(draw: st.DrawFn, after: datetime) -> datetime:
    """A moment at or after `after` (equal moments happen), in some time zone."""
    step = draw(st.one_of(st.just(0), st.integers(1, 40 * 86_400 * 10**6)), label="micros later")
    offset = draw(st.sampled_from([0, 2, 3, -5]), label="tz offset hours")
    return (after + timedelta(microseconds=step)).astimezone(timezone(timedelta(hours=offset)))


def binding_unit(units: dict[str, str | None], bindings: dict[str, str], code: str | None) -> str | None:
    while code is not None:
        if bindings[code] != "none":
            return code
        code = units[code]
    return None


class _Builder:
    """The state a history is generated from: what has been said so far."""

    def __init__(self, draw: st.DrawFn) -> None:
        self.draw = draw
        self.clock = HISTORY_STARTS
        self.commands: list[Command] = []
        self.units: dict[str, str | None] = {}
        self.bindings: dict[str, str] = {}
        self.leaves: tuple[str, ...] = ()
        self.pl_accounts: list[str] = list(PL_ACCOUNTS)
        self.projects: list[str] = []
        self.vouchers: list[VoucherSpec] = []
        self.posts: list[Command] = []
        self.goals: list[str] = []
        self.risks: list[tuple[str, str]] = []
        self.adopted: set[int] = set()
        self.closed: set[int] = set()

    def add(self, command: str, style: CsvStyle | None = None, /, **options: object) -> None:
        self.clock = self.draw(recording_times(self.clock))
        self.commands.append(Command(command, self.clock, tuple(options.items()), style or CsvStyle()))

    def pick(self, values: list[str] | tuple[str, ...]) -> str:
        return self.draw(st.sampled_from(values))

    def budget_line(self) -> BudgetLineSpec:
        kind = self.draw(st.sampled_from(["row", "row", "account", "group"]))
        if kind == "row":
            line = self.pick(ROW_KEYS)
        elif kind == "account":
            line = self.pick(self.pl_accounts)
        else:
            line = self.pick(GROUPS) + self.draw(st.sampled_from([":income", ":expenditure", ""]))
        return BudgetLineSpec(self.pick(self.leaves), line, self.draw(amounts_cents))

    def operating_plan_lines(self) -> tuple[BudgetLineSpec, ...]:
        """Moves inside binding levels: each pair leaves every binding unit's net, income,
        expenditure and investments unchanged."""
        lines: list[BudgetLineSpec] = []
        by_binding: dict[str | None, list[str]] = {}
        for leaf in self.leaves:
            by_binding.setdefault(binding_unit(self.units, self.bindings, leaf), []).append(leaf)
        for _ in range(self.draw(st.integers(1, 3))):
            group = by_binding[self.draw(st.sampled_from(sorted(by_binding, key=str)))]
            a, b = self.pick(group), self.pick(group)
            amount = self.draw(amounts_cents)
            rows = self.draw(st.sampled_from(["income", "expense", "free", "investment"]))
            if rows == "free":
                lines.append(BudgetLineSpec(a, self.pick(FREE_ROWS), amount))
                continue
            if rows == "investment":
                first = second = self.pick(GROUPS)
                first += self.draw(st.sampled_from([":income", ":expenditure"]))
                second += self.draw(st.sampled_from([":income", ":expenditure"]))
            else:
                keys = sorted((INCOME_ROWS if rows == "income" else EXPENSE_ROWS) - AGGREGATES)
                first, second = self.pick(keys), self.pick(keys)
            lines += [BudgetLineSpec(a, first, amount), BudgetLineSpec(b, second, -amount)]
        return tuple(lines)

    def voucher(self) -> VoucherSpec:
        lines = [
            PostingSpec(self.pick(self.pl_accounts), self.pick(self.leaves), self.draw(amounts_cents), text="kulu")
            for _ in range(self.draw(st.integers(1, 3)))
        ]
        if self.projects and self.draw(st.booleans()):
            lines.append(
                PostingSpec(
                    self.pick(ASSET_ACCOUNTS),
                    self.pick(self.leaves),
                    self.draw(amounts_cents),
                    self.pick(self.projects),
                )
            )
        lines.append(
            PostingSpec(BANK, self.pick(self.leaves), -sum(line.amount_cents for line in lines), text="pankki")
        )
        ordered = self.draw(st.permutations(lines))
        day = self.draw(days)
        if day.year in self.closed and self.draw(st.integers(0, 4)):  # mostly, but not always, an open year
            day = day.replace(year=max(YEARS[-1], *self.closed) + 1, day=min(day.day, 28))
        voucher = VoucherSpec(f"V-{len(self.vouchers) + 1}", day, tuple(ordered))
        self.vouchers.append(voucher)
        return voucher


@st.composite
def histories(draw: st.DrawFn, max_steps: int = 10) -> History:
    """An initialised ledger's history: organisation, chart and projects, then activity."""
    b = _Builder(draw)
    sign = draw(st.sampled_from(["budget-minus-actual", "actual-minus-budget"]))
    b.add("init", entity="Testikunta", deviation_sign=sign)
    codes = draw(st.lists(unit_codes, min_size=1, max_size=6, unique=True), label="unit codes")
    for index, code in enumerate(codes):
        shape = draw(st.integers(0, 4)) if index else 0  # a new root, a child of the last (deep trees), any parent
        parent = None if shape == 0 else codes[index - 1] if shape == 1 else b.pick(codes[:index])
        binding = draw(
            st.sampled_from(["net", "gross", "none"] if parent is None else ["none", "none", "net", "gross"])
        )
        b.units[code], b.bindings[code] = parent, binding
        b.add("add_unit", code=code, name=f"Yksikkö {code}", parent=parent, binding=binding)
    b.leaves = tuple(code for code in codes if code not in b.units.values())
    for index in range(draw(st.integers(0, 2))):
        row = b.pick(ROW_KEYS)
        b.pl_accounts.append(f"9{index}{len(codes)}")
        b.add("add_account", code=b.pl_accounts[-1], name="Lisätili", row=row)
    for index in range(draw(st.integers(0, 2))):
        b.projects.append(f"P{index}")
        b.add("add_project", code=b.projects[-1], group=b.pick(GROUPS), unit=draw(st.sampled_from([None, *codes])))
    for _ in range(draw(st.integers(0, max_steps), label="activity")):
        _activity(b)
    return History(sign, dict(b.units), b.leaves, tuple(b.commands))


def _activity(b: _Builder) -> None:
    draw = b.draw
    kind = draw(
        st.sampled_from(
            ["adopt", "amend", "amend", "post", "post", "post", "repost", "reverse", "close", "goal", "risk"]
        )
    )
    year = draw(st.sampled_from(YEARS))
    style = draw(csv_styles)
    if kind == "adopt" or (kind == "amend" and not b.adopted):
        lines = tuple(b.budget_line() for _ in range(draw(st.integers(1, 5))))
        decided_on = date(year - 1, 12, 1) + timedelta(days=draw(st.integers(0, 100)))
        b.add("adopt", style, year=year, lines=lines, decided_on=decided_on)
        b.adopted.add(year)
    elif kind == "amend":
        year = draw(st.sampled_from(sorted(b.adopted))) if draw(st.integers(0, 5)) else year
        council = draw(st.booleans())
        lines = tuple(b.budget_line() for _ in range(draw(st.integers(1, 3)))) if council else b.operating_plan_lines()
        decided_on = date(year, 1, 1) + timedelta(days=draw(st.integers(0, 364)))
        kind_name, body = ("council", "council") if council else ("operating-plan", "board")
        b.add("amend", style, year=year, kind=kind_name, body=body, lines=lines, decided_on=decided_on)
    elif kind == "post" or (kind in ("repost", "reverse") and not b.vouchers):
        vouchers = tuple(b.voucher() for _ in range(draw(st.integers(1, 3))))
        b.add("post", style, vouchers=vouchers)
        b.posts.append(b.commands[-1])
    elif kind == "repost":
        earlier = draw(st.sampled_from(b.posts))
        b.add("post", draw(csv_styles), vouchers=earlier.option("vouchers"))
    elif kind == "reverse":
        voucher = draw(st.sampled_from(b.vouchers))
        b.add("reverse", voucher=voucher.voucher, on=voucher.effective_on + timedelta(days=draw(st.integers(0, 400))))
    elif kind == "close":
        closing = draw(st.sampled_from((2022, *YEARS[:-1])))
        b.closed.add(closing)
        b.add(
            "close_year", year=closing, decided_on=date(closing + 1, 1, 1) + timedelta(days=draw(st.integers(0, 150)))
        )
    elif kind == "goal":
        _goal(b, year)
    else:
        _risk(b, year)


def _goal(b: _Builder, year: int) -> None:
    draw = b.draw
    action = draw(st.sampled_from(["set", "reword", "report"])) if b.goals else "set"
    on = draw(days)
    if action == "set":
        b.goals.append(f"G-{len(b.goals) + 1}")
        unit = b.pick(list(b.units))
        level = draw(st.sampled_from(["council", "operating-plan"]))
        b.add("set_goal", goal=b.goals[-1], year=year, unit=unit, level=level, text=draw(texts), on=on)
    elif action == "reword":
        metric, target = draw(st.sampled_from([None, "uusi mittari"])), draw(st.sampled_from([None, "uusi taso"]))
        b.add("reword_goal", goal=b.pick(b.goals), text=draw(texts), metric=metric, target=target, on=on)
    else:
        status = draw(st.sampled_from(["achieved", "partly-achieved", "not-achieved", "not-assessed"]))
        b.add("report_goal", goal=b.pick(b.goals), text=draw(texts), status=status, on=on)


def _risk(b: _Builder, year: int) -> None:
    draw = b.draw
    if b.risks and draw(st.booleans()):
        risk, unit = draw(st.sampled_from(b.risks))
    else:
        risk, unit = f"R-{len(b.risks) + 1}", b.pick(list(b.units))
        b.risks.append((risk, unit))
    b.add(
        "assess_risk",
        risk=risk,
        unit=unit,
        year=year,
        **{"class": "Talous"},
        description=draw(texts),
        probability=draw(st.integers(1, 3)),
        significance=draw(st.integers(1, 3)),
        on=draw(days),
    )


@st.composite
def report_moments(draw: st.DrawFn, history: History) -> tuple[int, date, datetime]:
    """A report's (fiscal year, as-of, known-at): any date or a date the history names, and a
    moment at or around a recording (or after all of them, most often)."""
    named = st.sampled_from(history.effective_dates or [FIRST_DAY])
    as_of = draw(st.one_of(days, named, st.sampled_from([date(y, 12, 31) for y in YEARS])), label="as of")
    year = as_of.year if as_of.year in YEARS and draw(st.integers(0, 3)) else draw(st.sampled_from(YEARS))
    times = history.recording_times
    mattering = [c.recorded_at for c in history.commands if c.name not in ("init", "add_unit", "add_account")]
    exact = st.sampled_from(mattering or times)  # the moment a report-changing command was recorded
    around = st.builds(lambda t, s: t + timedelta(microseconds=s), exact, st.integers(-(10**7), 10**7))
    later = st.just(times[-1] + timedelta(days=1))
    known_at = draw(st.one_of(later, exact, around, exact), label="known at")
    offset = draw(st.sampled_from([0, 2, -7]))
    return year, as_of, known_at.astimezone(timezone(timedelta(hours=offset)))


@contextmanager
def recorded(history: History, store_url: str | None = None) -> Iterator[tuple[Ledger, list[bool]]]:
    """A store holding the history (a fresh SQLite file unless a URL is given), and which
    commands were accepted. Hypothesis runs many examples per test, so each gets its own."""
    with tempfile.TemporaryDirectory() as directory:
        ledger = Ledger(store_url or f"sqlite:///{Path(directory) / 'ledger.db'}")
        try:
            yield ledger, record_history(ledger, history, Path(directory))
        finally:
            ledger.close()


POSTGRES_URL = os.environ.get("LEDGER_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test").split("?")[0]


@contextmanager
def postgres_schema() -> Iterator[str]:
    """A store URL on a fresh PostgreSQL schema, dropped afterwards (as the `postgres_store`
    fixture does, but usable inside a Hypothesis example). Skips when there is no server,
    and fails instead in CI."""
    import psycopg

    try:
        admin = psycopg.connect(POSTGRES_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is not reachable at {POSTGRES_URL}")
        pytest.skip(f"PostgreSQL is not reachable at {POSTGRES_URL}")
    schema = f"p_{uuid.uuid4().hex[:12]}"
    with admin:
        admin.execute(f"CREATE SCHEMA {schema}")
        try:
            yield f"{POSTGRES_URL}?schema={schema}"
        finally:
            admin.execute(f"DROP SCHEMA {schema} CASCADE")


def report_points(data: st.DataObject, history: History, drawn: int = 1) -> list[tuple[int, date, datetime]]:
    """Each year's report as of its end, known after the history; the first voucher's day as
    known when it was posted; and `drawn` random points."""
    after = history.recording_times[-1] + timedelta(days=1)
    fixed = [(year, date(year, 12, 31), after) for year in YEARS]
    posts = [c for c in history.commands if c.name == "post"]
    if posts:  # as of the first voucher's own date, known when it was recorded: both boundaries at once
        first = posts[0].option("vouchers")[0].effective_on
        fixed.append((first.year, first, posts[0].recorded_at))
    return fixed + [data.draw(report_moments(history)) for _ in range(drawn)]
