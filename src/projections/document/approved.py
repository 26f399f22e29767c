"""Which version the document is (ADR 0027): the approval it shows on its title page, and
a first section listing every cell changed since, with the events that changed it."""

from __future__ import annotations

from projections.document.layout import Paragraphs, Row, Section, Table
from projections.document.model import Document
from projections.render import approval as words
from projections.render import labels

VERSION = ("Versio", "Version")
CHANGED = ("Hyväksymisen jälkeen muuttuneet luvut", "Figures changed since the approval")
COLUMNS = (
    ("Yksikkö", "Unit"),
    ("Rivi", "Row"),
    ("Sarake", "Column"),
    ("Hyväksytty", "Approved"),
    ("Nyt", "Now"),
    ("Muuttaneet tapahtumat", "Changed by events"),
)
EXPLAINED = (
    "Alla olevat luvut ovat hyväksytyn version. Tämän päivän kirjanpidossa nämä solut ovat toisin; "
    "tapahtumat ovat tapahtumalokin positioita (`kuntaledger events`, `kuntaledger explain`). "
    "Tämän päivän luvut: `--known-at now`.",
    "The figures below are the approved version. In today's books these cells differ; the events are "
    "positions in the event log (`kuntaledger events`, `kuntaledger explain`). Today's figures: `--known-at now`.",
)


def version_facts(document: Document, lang: str) -> tuple[tuple[str, str], ...]:
    """('Versio', 'hyväksytty Kh 26.3.2025 § 79 (kaupunginhallitus, 26.03.2025)'), or nothing."""
    version = document.version
    if version is None:
        return ()
    body = labels.pick(words.BODIES[version.approval.body], lang)
    day = labels.format_date(version.approval.decided_on, lang)
    return ((labels.pick(VERSION, lang), f"{words.approved_words(version, lang)} ({body}, {day})"),)


def changes_sections(document: Document, lang: str) -> tuple[Section, ...]:
    version = document.version
    if version is None or not (version.changes or not version.figures_hash_matches):
        return ()
    year = document.scope.fiscal_year
    lead = "\n\n".join(line for line in words.notice(version, lang, year) if not line.startswith("- "))
    rows = tuple(
        Row(
            (
                cell.unit,
                words.row_label(cell, lang),
                words.column_label(cell, lang, year),
                words.display(cell.approved, cell),
                words.display(cell.now, cell),
                ", ".join(str(position) for position in cell.events),
            )
        )
        for cell in version.changes
    )
    columns = tuple(labels.pick(pair, lang) for pair in COLUMNS)
    table = Table(columns, (False, False, False, True, True, False), rows)
    blocks = (Paragraphs(f"{lead}\n\n{labels.pick(EXPLAINED, lang)}"), *((table,) if rows else ()))
    return (Section("changed", labels.pick(CHANGED, lang), blocks),)
