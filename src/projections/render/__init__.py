"""Rendering of the reports: table, csv, json, md and xlsx, with Finnish or English labels.

`render(report, fmt, lang, zone=...)` returns text, or bytes for xlsx. Table and Markdown
are for people (zero rows hidden, Finnish number format); csv, json and xlsx keep every
row. Titles show known-at in `zone` (UTC unless given); JSON keeps it in UTC.
"""

from __future__ import annotations

from datetime import UTC, tzinfo
from typing import TYPE_CHECKING

from ledger.errors import InvalidInput
from projections.render import labels

if TYPE_CHECKING:
    from projections.approvals import Version
    from projections.render.sheets import Report

FORMATS = ("table", "csv", "json", "md", "xlsx")


def check_options(fmt: str, lang: str) -> None:
    if fmt not in FORMATS:
        raise InvalidInput(f"'{fmt}': use {', '.join(FORMATS[:-1])} or {FORMATS[-1]}", field="format", value=fmt)
    if lang not in labels.LANGS:
        raise InvalidInput(f"'{lang}': use fi or en", field="lang", value=lang)


def render(
    report: Report,
    fmt: str,
    lang: str,
    read_models_problem: str | None = None,
    version: Version | None = None,
    zone: tzinfo = UTC,
) -> str | bytes:
    """The report in `fmt`; its JSON also says whether the read models agreed with the log
    (`projections.consistency`). A report of an approved version (`version`) names the
    approval in its title and JSON, and lists the cells changed since (ADR 0027); CSV,
    which is data, leaves that to the command's stderr (`render.approval.notice`)."""
    check_options(fmt, lang)
    # Each format imports what it needs when it runs: a report's process pays for one (ADR 0015).
    if fmt == "json":
        import json

        from projections.render import documents
        from projections.render.approval import version_json

        document = {
            **documents.document(report),
            **version_json(version),
            **documents.read_models(read_models_problem),
        }
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    from projections.render import text
    from projections.render.sheets import report_name, sheet_of

    people = fmt in ("table", "md")
    sheet = sheet_of(report, lang, people, zone)
    if version is not None:
        from projections.render.approval import versioned_sheet

        sheet = versioned_sheet(sheet, report, version, lang, zone)
    if fmt == "table":
        return text.table(sheet, lang)
    if fmt == "md":
        return text.markdown(sheet, lang)
    if fmt == "csv":
        return text.csv_text(sheet, lang)
    from projections.render import workbook  # openpyxl takes about 0.3 s to import: only for xlsx

    return workbook.xlsx_bytes(sheet, f"{report_name(report)} {report.scope.fiscal_year}")
