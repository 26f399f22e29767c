"""The lean report path: `statement`, `summary` and `investments` answered in a blink (ADR 0015).

Importing typer, SQLAlchemy, pydantic and eventsourcing costs about a second; the report
itself a few milliseconds. So `cli.main` first hands the arguments here. When they are a
plain report this path fully understands, it reads the read models through a connection
of its own (`projections.reader.snapshot`), renders with the very same code and writes
the same bytes as the typer path. Anything else (an option it does not know, --help, a
value it cannot parse, xlsx, a store that is missing, unreadable or not a ledger, read
models behind the log, any error at all) it leaves alone, having written nothing, and
the typer path runs the command as always: catching up, and saying what is wrong.
"""

from __future__ import annotations

import os
import re
import sys
from datetime import date, datetime
from importlib import import_module
from pathlib import Path
from typing import Any

QUERIES = {
    "statement": "projections.statement:query_statement",
    "summary": "projections.summary:query_summary",
    "investments": "projections.investments:query_investments",
}
OPTIONS = ("--store", "--unit", "--year", "--as-of", "--known-at", "--format", "--lang", "--output", "--tz")
FORMATS = ("table", "csv", "json", "md")  # xlsx needs openpyxl: the typer path writes it
LANGS = ("fi", "en")
_YEAR = re.compile(r"[0-9]{1,4}", re.ASCII)


def answer(argv: list[str]) -> bool:
    """Write the report and return True; or return False, having written nothing."""
    options = parse(argv)
    if options is None:
        return False
    try:
        done = _report(argv[0], options)
    except Exception:  # whatever it is, the typer path reports it in its own words
        return False
    if done is None:
        return False
    content, output, problem, notice = done
    if problem:
        from projections.consistency import warning

        sys.stderr.write(warning(problem))
    sys.stderr.write(notice)
    if output is None:
        sys.stdout.write(content)
        return True
    from cli.files import write_output

    write_output("--output", output, content)
    sys.stderr.write(f"wrote {output}\n")
    return True


def parse(argv: list[str]) -> dict[str, str] | None:
    """{option: value} of `VERB --option value ...` or `--option=value`; None for anything
    else: another verb, an unknown or repeated option, a missing value, no --unit."""
    if not argv or argv[0] not in QUERIES:
        return None
    options: dict[str, str] = {}
    rest = iter(argv[1:])
    for word in rest:
        name, equals, value = word.partition("=")
        if name not in OPTIONS or name in options:
            return None
        if not equals:
            value = next(rest, "-")
        if value.startswith("-"):
            return None
        options[name] = value
    return options if "--unit" in options else None


def _report(verb: str, options: dict[str, str]) -> tuple[str, Path | None, str | None, str] | None:
    """The rendered report, where it goes, why its read models disagree with the log
    (`projections.consistency`) and what a CSV of an approved version says on stderr; or
    None when the typer path must answer. An approved version whose books changed since
    is left to the typer path: finding the events that changed them replays the log."""
    from ledger.clock import HOME_ZONE, ZONE_ENV, parse_date, parse_known_at, zone
    from ledger.store.url import parse_store_url, resolve_store_url
    from projections import consistency, reader
    from projections.approvals import approved_report
    from projections.query import period
    from projections.render import render

    fmt, lang = options.get("--format", "table"), options.get("--lang", "fi")
    if fmt not in FORMATS or lang not in LANGS:
        return None
    year_text, as_of_text = options.get("--year"), options.get("--as-of")
    if year_text is not None and not _YEAR.fullmatch(year_text):
        return None
    known_at_text = options.get("--known-at")
    tz = zone(options["--tz"] if "--tz" in options else os.environ.get(ZONE_ENV) or HOME_ZONE)
    as_of: date | None = parse_date(as_of_text) if as_of_text else None
    known_at: datetime | None = parse_known_at(known_at_text, tz) if known_at_text is not None else None
    fiscal_year, day, moment = period(int(year_text) if year_text else None, as_of, known_at)
    output = _output(options.get("--output"))
    config = parse_store_url(resolve_store_url(options.get("--store")))
    if config.kind == "sqlite" and not (config.sqlite_path and config.sqlite_path.is_file()):
        return None  # the typer path says that the store does not exist
    module, name = QUERIES[verb].split(":")
    query: Any = getattr(import_module(module), name)
    with reader.snapshot(config) as db:
        if db.log_behind():
            return None  # the typer path catches the read models up first
        found = approved_report(db, query, options["--unit"], fiscal_year, day) if known_at is None else None
        if found is not None and found[1].changes:
            return None
        report, version = found or (query(db, options["--unit"], fiscal_year, day, moment), None)
        problem = consistency.problem(db)
    content = render(report, fmt, lang, problem, version, tz)
    assert isinstance(content, str), "text formats only"
    notice = ""
    if version is not None and fmt == "csv":
        from projections.render.approval import csv_notice

        notice = csv_notice(report, version, lang, tz)
    return content, output, problem, notice


def _output(value: str | None) -> Path | None:
    """--output as the typer path takes it; a file it would refuse raises (and so falls back)."""
    if value is None:
        return None
    from cli.files import checked_output

    path = checked_output("--output", Path(value))
    if path.exists() and not os.access(path, os.R_OK):
        raise PermissionError(f"{path} is not readable")  # click.Path refuses it: its message
    return path
