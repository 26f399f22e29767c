"""How a report says which version it is (ADR 0027): the approval in its title, its JSON
`version` and `changed_since_approval`, and the notice of the cells changed since."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, tzinfo
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ledger import clock
from ledger.money import format_fi, format_percent_fi, format_plain
from ledger.statement_rows import ROWS_BY_KEY, SUMMARY_ROWS
from projections.approvals import ChangedCell, Version
from projections.render import labels
from projections.render.sheet import Sheet

if TYPE_CHECKING:
    from projections.render.sheets import Report

BODIES = {"board": ("kaupunginhallitus", "the board"), "council": ("valtuusto", "the council")}
SUMMARY_LABELS = {key: (fi, en) for key, fi, en, _ in SUMMARY_ROWS}
SIDES = {"income": ("Tulot", "Income"), "expenditure": ("Menot", "Expenditure"), "net": ("Netto", "Net")}


def approved_words(version: Version, lang: str) -> str:
    """'hyväksytty Kh 26.3.2025 § 79' / 'approved Kh 26.3.2025 § 79'."""
    return f"{labels.pick(('hyväksytty', 'approved'), lang)} {version.approval.reference}"


def versioned_sheet(sheet: Sheet, report: Report, version: Version, lang: str, zone: tzinfo) -> Sheet:
    """The sheet titled with its approval, and the notice of later changes under it."""
    title = labels.title(report.report_name, report.scope, lang, zone, approved_words(version, lang))
    return replace(sheet, title=title, notes=tuple(notice(version, lang, report.scope.fiscal_year)))


def csv_notice(report: Report, version: Version, lang: str, zone: tzinfo) -> str:
    """What a CSV (data only) leaves to stderr: the version it is, and the notice."""
    title = labels.title(report.report_name, report.scope, lang, zone, approved_words(version, lang))
    return "".join(f"note: {line}\n" for line in (title, *notice(version, lang, report.scope.fiscal_year)))


def version_json(version: Version | None) -> dict[str, Any]:
    """The keys every report's JSON carries after its figures (docs/json.md)."""
    if version is None:
        return {"version": None, "changed_since_approval": []}
    approval = version.approval
    return {
        "version": {
            "approved": True,
            "unit": approval.unit,
            "body": approval.body,
            "decision": approval.reference,
            "decided_on": approval.decided_on.isoformat(),
            "known_at": clock.format_moment(approval.recorded_at),
            "position": approval.position,
            "figures_hash": approval.figures_hash,
            "figures_hash_matches": version.figures_hash_matches,
        },
        "changed_since_approval": [_cell_json(cell) for cell in version.changes],
    }


def _cell_json(cell: ChangedCell) -> dict[str, Any]:
    return {
        "unit": cell.unit,
        "report": cell.report,
        "row": cell.key,
        "column": cell.column,
        "approved": _json_value(cell.approved, cell),
        "now": _json_value(cell.now, cell),
        "events": list(cell.events),
    }


def _money(cell: ChangedCell) -> bool:
    return cell.report in ("statement", "summary", "investments", "plan")


def _json_value(value: Any, cell: ChangedCell) -> Any:
    if _money(cell) and isinstance(value, int):
        return format_plain(value)
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, date):
        return value.isoformat()
    return value


def notice(version: Version, lang: str, year: int) -> list[str]:
    """The lines under a report whose books changed since the approval (none when they did not),
    and a warning when the approved figures no longer hash as approved."""
    lines = []
    if not version.figures_hash_matches:
        lines.append(
            labels.pick(
                (
                    "VAROITUS: hyväksymishetken luvut eivät enää vastaa hyväksyttyjen lukujen tiivistettä; "
                    "aja `kuntaledger verify`.",
                    "WARNING: the figures as at the approval no longer match the hash of the approved figures; "
                    "run `kuntaledger verify`.",
                ),
                lang,
            )
        )
    if version.changes:
        lines.append(changes_heading(version, lang) + ":")
        for cell in version.changes:
            lines.append(f"- {cell_text(cell, lang, year)}")
    return lines


def changes_heading(version: Version, lang: str) -> str:
    count = len(version.changes)
    reference = version.approval.reference
    if lang == "fi":
        cells = "1 solu" if count == 1 else f"{count} solua"
        return f"Huom. kirjanpito on muuttunut hyväksymisen ({reference}) jälkeen: {cells} on nyt toisin"
    cells = "1 cell differs" if count == 1 else f"{count} cells differ"
    return f"Note: the books have changed since the approval ({reference}): {cells} today"


def cell_text(cell: ChangedCell, lang: str, year: int) -> str:
    """'TIHA Palvelujen ostot, Toteuma 2024: hyväksytty -562 063, nyt -561 063 (tapahtumat 215, 216)'."""
    approved, now = display(cell.approved, cell), display(cell.now, cell)
    events = ", ".join(str(position) for position in cell.events)
    if lang == "fi":
        return f"{cell.unit} {row_label(cell, lang)}, {column_label(cell, lang, year)}: hyväksytty {approved}, " \
               f"nyt {now} (tapahtumat {events})"  # fmt: skip
    return f"{cell.unit} {row_label(cell, lang)}, {column_label(cell, lang, year)}: approved {approved}, " \
           f"now {now} (events {events})"  # fmt: skip


def row_label(cell: ChangedCell, lang: str) -> str:
    if cell.report in ("statement", "plan") and cell.key in ROWS_BY_KEY:
        row = ROWS_BY_KEY[cell.key]
        return labels.pick((row.label_fi, row.label_en), lang)
    if cell.report == "summary" and cell.key in SUMMARY_LABELS:
        return labels.pick(SUMMARY_LABELS[cell.key], lang)
    group, _, side = cell.key.partition(":")
    if cell.report == "investments" and side in SIDES:
        return f"{group} {labels.pick(SIDES[side], lang)}"
    return cell.key


def column_label(cell: ChangedCell, lang: str, year: int) -> str:
    if cell.column in labels.COLUMNS:
        return labels.column_label(cell.column, lang, year)
    return cell.column


def display(value: Any, cell: ChangedCell) -> str:
    if value is None:
        return "–"
    if _money(cell) and isinstance(value, int):
        return format_fi(value)
    if isinstance(value, Decimal):
        return format_percent_fi(value)
    return str(value)
