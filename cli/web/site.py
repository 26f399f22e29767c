"""The auditor's web view: a read-only Flask application over one store (ADR 0035).

Every page reads through the functions the commands use (`cli.reports.read_report`,
`cli.tracing.explained` and `diffed`, `cli.audit.checked` and `verification`,
`projections.event_log.page`), with the store opened as a reader that writes nothing,
and `format=` returns what the command's `--format` writes. Only GET and HEAD reach the
application (`only_reads`); a bad parameter is a 400 with one line; every response
carries a Content-Security-Policy that allows no script and nothing from elsewhere.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlencode

from flask import Flask, Response, g, render_template, request
from werkzeug.exceptions import HTTPException

from ledger.clock import format_moment, year_end
from ledger.errors import InvalidInput, LedgerError
from ledger.money import format_fi

REPORTS = ("statement", "summary", "investments", "goals", "risks")
REPORT_FORMATS = ("json", "csv", "xlsx", "md")
MEDIA_TYPES = {
    "json": "application/json; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EVENTS_PAGE = 100
ITEMS_SHOWN = 2000  # an explain page's rows; its total and format=json count every item
MOMENTS_SHOWN = 40
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
READS = frozenset({"GET", "HEAD"})
log = logging.getLogger("kuntaledger.web")

WORDS = {
    "fi": {
        "statement": "Tuloslaskelma",
        "summary": "Talousarvion yhteenveto",
        "investments": "Investointiosa",
        "goals": "Tavoitteet",
        "risks": "Riskit",
        "check": "Tarkastus",
        "events": "Tapahtumat",
        "verify": "Eheys",
        "diff": "Muutokset",
        "explain": "Erittely",
        "home": "Etusivu",
        "unit": "Yksikkö",
        "year": "Vuosi",
        "as_of": "Tilanne päivänä",
        "known_at": "Kirjattu viimeistään",
        "show": "Näytä",
        "moments": "Kirjaushetket (uusin ensin)",
        "earlier": "Aiempi kirjaus",
        "later": "Myöhempi kirjaus",
        "total": "Yhteensä",
        "report_shows": "raportissa",
        "seal": "Sinetti (POSITIO:TIIVISTE)",
        "next_page": "Seuraava sivu",
        "no_rows": "Ei rivejä.",
        "error": "Virhe",
        "against": "Verrattuna hetkeen",
        "read_only": "Vain luku: tämä näkymä ei kirjaa mitään.",
    },
    "en": {
        "statement": "Income statement",
        "summary": "Budget summary",
        "investments": "Investments",
        "goals": "Goals",
        "risks": "Risks",
        "check": "Check",
        "events": "Events",
        "verify": "Verify",
        "diff": "Changes",
        "explain": "Explain",
        "home": "Home",
        "unit": "Unit",
        "year": "Year",
        "as_of": "As of",
        "known_at": "Known at",
        "show": "Show",
        "moments": "Recording moments (newest first)",
        "earlier": "Earlier recording",
        "later": "Later recording",
        "total": "Total",
        "report_shows": "the report shows",
        "seal": "Seal (POSITION:HASH)",
        "next_page": "Next page",
        "no_rows": "No rows.",
        "error": "Error",
        "against": "Against the moment",
        "read_only": "Read-only: this view records nothing.",
    },
}


class BadParameter(InvalidInput):
    """A query parameter the page cannot use: a 400."""


def only_reads(app: Callable[..., Any]) -> Callable[..., Any]:
    """WSGI middleware: any method but GET and HEAD is answered 405 before the application sees it."""

    def guarded(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD", "GET") in READS:
            result: Iterable[bytes] = app(environ, start_response)
            return result
        body = b"405 method not allowed: this view only reads (GET, HEAD)\n"
        start_response(
            "405 METHOD NOT ALLOWED",
            [
                ("Allow", "GET, HEAD"),
                ("Content-Type", "text/plain; charset=utf-8"),
                ("Content-Length", str(len(body))),
                ("Content-Security-Policy", CSP),
                ("X-Content-Type-Options", "nosniff"),
            ],
        )
        return [body]

    return guarded


def create_app(store: str, tz: str) -> Flask:
    """The application over `store` (a store URL), showing times in the zone `tz`."""
    from cli.common import parse_zone_option

    zone = parse_zone_option(tz)
    app = Flask(__name__)
    app.config["PROVIDE_AUTOMATIC_OPTIONS"] = False
    app.wsgi_app = only_reads(app.wsgi_app)  # type: ignore[method-assign]

    def param(name: str) -> str | None:
        value = request.args.get(name)
        return value.strip() if value is not None and value.strip() else None

    def lang() -> str:
        value = param("lang") or "fi"
        if value not in WORDS:
            raise BadParameter(f"lang '{value}': use fi or en")
        return value

    def year_param(required: bool = True) -> int | None:
        value = param("year")
        if value is None:
            if required:
                raise BadParameter("year: give the fiscal year, e.g. year=2024")
            return None
        if not (value.isascii() and value.isdigit() and 1900 <= int(value) <= 9999):
            raise BadParameter(f"year '{value}': give a fiscal year, e.g. 2024")
        return int(value)

    def as_of_param() -> str | None:
        from cli.common import parse_date_option

        value = param("as_of")
        if value is not None:
            parse_date_option("as_of", value)
        return value

    def moment_param(name: str) -> str | None:
        from cli.common import parse_known_at_option

        value = param(name)
        if value is not None:
            # An offset's '+' typed into a URL unencoded arrives as a space: '...14:00:00 02:00'.
            value = re.sub(r"(\d) (\d\d:?\d\d)$", r"\1+\2", value)
        parse_known_at_option(name, value, zone)
        return value

    def format_param(allowed: tuple[str, ...]) -> str | None:
        value = param("format")
        if value is not None and value not in allowed:
            raise BadParameter(f"format '{value}': use {' or '.join(allowed)}")
        return value

    def int_param(name: str, default: int) -> int:
        value = param(name)
        if value is None:
            return default
        if not (value.isascii() and value.isdigit()):
            raise BadParameter(f"{name} '{value}': give a log position, a whole number")
        return int(value)

    def read(query: Callable[[Any], Any]) -> Any:
        from cli.common import read_models

        found, _problem = read_models(store, query, read_only=True)
        return found

    def overview() -> Any:
        from projections.overview import overview as read_overview

        return read(read_overview)

    def url(path: str, **params: Any) -> str:
        shown = {key: value for key, value in params.items() if value is not None and str(value) != ""}
        return f"{path}?{urlencode(shown)}" if shown else path

    def page(template: str, status: int = 200, **context: Any) -> Response:
        chosen = context.pop("lang", None) or request.args.get("lang", "fi")
        chosen = chosen if chosen in WORDS else "fi"
        body = render_template(template, words=WORDS[chosen], lang=chosen, url=url, **context)
        return Response(body, status=status, mimetype="text/html")

    def data(content: str | bytes, fmt: str, name: str) -> Response:
        response = Response(content, mimetype=None, content_type=MEDIA_TYPES[fmt])
        if fmt == "xlsx":
            response.headers["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response

    def pinned(report: str, **extra: Any) -> Response | None:
        """A report page's URL pins unit, year, as_of and known_at; one that leaves any out
        is sent to the URL that pins them: the top unit, the newest year, the year's end
        and the moment of the log's newest event (the figures as they stand now)."""
        wanted = {name: param(name) for name in ("unit", "year", "as_of", "known_at")}
        if all(wanted.values()):
            return None
        found = overview()
        year = year_param(required=False) or (found.years[0] if found.years else date.today().year)
        head = found.head_recorded_at or datetime.now(UTC)
        pinned_params = {
            "unit": wanted["unit"] or found.top_unit or "",
            "year": year,
            "as_of": wanted["as_of"] or year_end(year).isoformat(),
            "known_at": wanted["known_at"] or format_moment(head),
            "lang": param("lang"),
            **extra,
        }
        response = Response(status=303)
        response.headers["Location"] = url(f"/{report}", **pinned_params)
        return response

    def header(unit: str, year: int, as_of: str, known_at: datetime) -> dict[str, Any]:
        from projections.overview import neighbouring_moments, recording_moments

        found = overview()
        moments = read(lambda db: recording_moments(db, year, MOMENTS_SHOWN, zone))
        earlier, later = read(lambda db: neighbouring_moments(db, known_at))
        current = format_moment(known_at)
        at_or_before = [m for m in moments if m["known_at"] <= current]
        return {
            "overview": found,
            "unit": unit,
            "year": year,
            "as_of": as_of,
            "known_at": current,
            "known_at_shown": format_moment(known_at, zone),
            "moments": moments,
            "current_moment": at_or_before[0]["position"] if at_or_before else None,
            "earlier": earlier,
            "later": later,
        }

    def report_page(report: str) -> Response:
        from cli.reports import read_report
        from cli.web.tables import html_table
        from projections.render.sheets import sheet_of

        chosen = lang()
        fmt = format_param(REPORT_FORMATS)
        year = year_param(required=fmt is not None and param("as_of") is None)
        as_of = as_of_param()
        known_at = moment_param("known_at")
        if fmt is None:
            redirect = pinned(report)
            if redirect is not None:
                return redirect
        unit = param("unit")
        if unit is None:
            raise BadParameter("unit: give a unit code, e.g. unit=YP")
        found = read_report(report, unit, year, as_of, known_at, store, tz, read_only=True)
        if fmt is not None:
            return data(found.rendered(fmt, chosen), fmt, f"{report}-{found.fiscal_year}")
        table = html_table(sheet_of(found.report, chosen, True, zone), found.report, chosen)
        context = header(unit, found.fiscal_year, found.as_of.isoformat(), found.known_at)
        chart = None
        if report in ("statement", "summary"):
            pins = {"unit": unit, "year": found.fiscal_year, "as_of": found.as_of.isoformat()}
            chart = url("/chart.svg", **pins, known_at=format_moment(found.known_at), lang=chosen)
        return page("report.html", report=report, table=table, chart=chart, problem=found.problem, **context)

    for name in REPORTS:
        app.add_url_rule(f"/{name}", name, lambda name=name: report_page(name))

    @app.get("/")
    def home() -> Response:
        chosen = lang()
        found = overview()
        return page("index.html", overview=found, lang=chosen, head_shown=_moment(found.head_recorded_at, zone))

    @app.get("/chart.svg")
    def chart() -> Response:
        """The year-end report's chart of cumulative operating expenses by month against the
        budget (projections.document.charts), for a report page's <img>."""
        from cli.common import open_ledger, parse_date_option, parse_known_at_option
        from ledger.clock import now
        from projections.document.charts import monthly_chart
        from projections.monthly import query_monthly

        chosen = lang()
        year = year_param()
        assert year is not None
        unit = param("unit")
        if unit is None:
            raise BadParameter("unit: give a unit code, e.g. unit=YP")
        as_of = as_of_param()
        day = parse_date_option("as_of", as_of) if as_of else year_end(year)
        moment = parse_known_at_option("known_at", moment_param("known_at"), zone) or now()
        with open_ledger(store, read_only=True) as ledger, ledger.state() as state:
            monthly = query_monthly(state.conn, unit, year, day, moment)
        svg = monthly_chart(monthly, chosen) or '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>'
        response = Response(svg, content_type="image/svg+xml; charset=utf-8")
        response.headers["Cache-Control"] = "private, max-age=3600"
        return response

    @app.get("/explain")
    def explain() -> Response:
        from cli.tracing import explained

        chosen = lang()
        fmt = format_param(("json",))
        unit, row, column = param("unit"), param("row"), param("column")
        for name, value in (("unit", unit), ("row", row), ("column", column)):
            if value is None:
                raise BadParameter(
                    f"{name}: give it, e.g. /explain?unit=YP&row=operating_margin&column=actual&year=2024"
                )
        year = year_param()
        assert unit and row and column and year
        found = explained(store, unit, row, column, year, as_of_param(), moment_param("known_at"), zone, True)
        if fmt == "json":
            return data(found.json_text(), "json", "explain")
        context = header(unit, year, found.as_of.isoformat(), found.known_at)
        items = found.items(zone)
        return page(
            "explain.html",
            found=found,
            items=items[:ITEMS_SHOWN],
            count=len(items),
            total=format_fi(found.explanation.total_cents, 2),
            reported=format_fi(found.reported, 2),
            amount=lambda plain: _amount(plain),
            lang=chosen,
            **context,
        )

    @app.get("/diff")
    def diff() -> Response:
        from cli.tracing import diffed

        chosen = lang()
        fmt = format_param(("json",))
        year = year_param()
        unit, known_at, against = param("unit"), moment_param("known_at"), moment_param("against")
        for name, value in (("unit", unit), ("known_at", known_at), ("against", against)):
            if value is None:
                raise BadParameter(f"{name}: give it, e.g. /diff?year=2024&unit=YP&known_at=T1&against=T2")
        assert year and unit and known_at and against
        found = diffed(store, year, unit, known_at, against, as_of_param(), zone, True)
        if fmt == "json":
            return data(found.json_text(), "json", "diff")
        context = header(unit, year, found.as_of.isoformat(), found.result.later)
        return page(
            "diff.html",
            found=found,
            changes=found.changes(zone),
            earlier_shown=format_moment(found.result.earlier, zone),
            later_shown=format_moment(found.result.later, zone),
            against=against,
            lang=chosen,
            **context,
        )

    @app.get("/events")
    def events() -> Response:
        from projections import event_log

        chosen = lang()
        fmt = format_param(("json",))
        event_type, unit = param("type"), param("unit")
        year = year_param(required=False)
        after = int_param("after", 0)
        records = read(lambda db: event_log.page(db, event_type, unit, year, after, EVENTS_PAGE, UTC if fmt else zone))
        if fmt == "json":
            import json

            return data(json.dumps(records, ensure_ascii=False, indent=2) + "\n", "json", "events")
        following = records[-1]["position"] if len(records) == EVENTS_PAGE else None
        return page(
            "events.html",
            records=records,
            following=following,
            filters={"type": event_type, "unit": unit, "year": year},
            lang=chosen,
        )

    @app.get("/check")
    def check() -> Response:
        from cli.audit import checked

        chosen = lang()
        fmt = format_param(("json",))
        year = year_param()
        assert year is not None
        unit, as_of, known_at = param("unit"), as_of_param(), moment_param("known_at")
        found = checked(store, year, unit, as_of, known_at, "5", "10000", tz, read_only=True)
        if fmt == "json":
            return data(found.json_text(), "json", "check")
        from projections.compliance import RULES

        sources = {rule.RULE_ID: rule.SOURCE for rule in RULES}
        top = unit or overview().top_unit or ""
        context = header(top, year, found.as_of.isoformat(), found.known_at)
        return page("check.html", found=found, sources=sources, focus=unit, lang=chosen, **context)

    @app.get("/verify")
    def verify() -> Response:
        from cli.audit import verification
        from ledger.verification import parse_seal

        chosen = lang()
        fmt = format_param(("json",))
        sealed = param("sealed")
        if sealed is not None:
            try:
                parse_seal(sealed)
            except LedgerError as error:
                raise BadParameter(f"sealed: {error}") from None
        report = verification(store, sealed, read_only=True)
        if fmt == "json":
            import json

            return data(json.dumps(report, ensure_ascii=False, indent=2) + "\n", "json", "verify")
        return page("verify.html", report=report, sealed=sealed or "", lang=chosen)

    @app.before_request
    def started() -> None:
        g.started = time.perf_counter()

    @app.after_request
    def secure(response: Response) -> Response:
        if "started" in g:
            response.headers["Server-Timing"] = f"app;dur={(time.perf_counter() - g.started) * 1e3:.1f}"
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        return response

    @app.errorhandler(LedgerError)
    def refused(error: LedgerError) -> Response:
        message = error.spelled(error.field) if error.field else str(error)
        return _one_line(400, message.splitlines()[0] if message else "bad request")

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        return _one_line(error.code or 500, f"{error.code} {error.name}")

    @app.errorhandler(Exception)
    def failed(error: Exception) -> Response:
        from cli.errors import database_refusal

        refusal = database_refusal(error, store)
        if refusal is not None:
            return _one_line(503, refusal.splitlines()[0])
        log.exception("a page failed")
        return _one_line(500, "the page could not be read; the server's log says why")

    def _one_line(status: int, message: str) -> Response:
        if param("format") in MEDIA_TYPES:
            return Response(f"error: {message}\n", status=status, content_type="text/plain; charset=utf-8")
        return page("error.html", status=status, message=message)

    return app


def _moment(moment: datetime | None, zone: Any) -> str:
    return format_moment(moment, zone) if moment is not None else ""


def _amount(plain: str) -> str:
    """A plain amount ('-1234.50') in Finnish format ('-1 234,50')."""
    from ledger.money import parse_cents

    try:
        return format_fi(parse_cents(plain), 2)
    except ValueError:
        return plain
