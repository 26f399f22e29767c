"""The Heinola report printed by headless Chromium (issue 19): every page carries the running
header, and no heading ends a page without what it introduces.

Chromium prints the HTML to PDF (`--print-to-pdf`), and `pdftotext` (poppler-utils) reads
the text of each page. Both are Debian packages that .ci/run installs; without them the test
is skipped, except in CI, where it fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from support.heinola_printed import AS_OF, SIGNED, YEAR
from typer.testing import CliRunner

from cli.main import app
from ledger.application import Ledger
from ledger.clock import HOME_ZONE, parse_moment, zone
from projections.document.assemble import query_document
from projections.document.layout import Block, Chart, Layout, Note, Paragraphs, Subsection, Table
from projections.document.view import layout

HELSINKI = zone(HOME_ZONE)

CHROMIUM = Path("/usr/bin/chromium")


def _tools_or_skip() -> None:
    missing = [tool for tool in (str(CHROMIUM), "pdftotext") if not shutil.which(tool)]
    if missing and os.environ.get("CI"):
        pytest.fail(f"{', '.join(missing)} missing; .ci/run installs chromium and poppler-utils")
    if missing:
        pytest.skip(f"{', '.join(missing)} missing")


def _flat(text: str) -> str:
    return " ".join(text.split()).casefold()


def printed_pages(page: Path, folder: Path) -> list[str]:
    """The text of each printed page, whitespace collapsed and case folded."""
    pdf = folder / "report.pdf"
    chromium = [
        str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={folder / 'profile'}", "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri(),
    ]  # fmt: skip
    subprocess.run(chromium, check=True, capture_output=True, timeout=180)
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return [_flat(part) for part in text.split("\f") if part.strip()]


def _anchor(blocks: tuple[Block, ...]) -> str:
    """What must share the page with a heading: its first table or chart (before any
    subsection), else its first subsection's heading, else its first words."""
    for block in blocks:
        if isinstance(block, Table):
            return block.columns[0].split()[0]
        if isinstance(block, Chart):
            return block.title
        if isinstance(block, Subsection):
            return block.heading
    first = next(block for block in blocks if isinstance(block, Paragraphs | Note))
    words = first.paragraphs[0] if isinstance(first, Paragraphs) else first.text
    return " ".join(words.split()[:3])


def headings(found: Layout) -> list[tuple[str, str]]:
    """(heading, anchor) for every section and subsection, in document order."""
    pairs: list[tuple[str, str]] = []

    def walk(heading: str, blocks: tuple[Block, ...]) -> None:
        pairs.append((heading, _anchor(blocks)))
        for block in blocks:
            if isinstance(block, Subsection):
                walk(block.heading, block.blocks)

    for section in found.sections:
        walk(section.heading, section.blocks)
    return pairs


@pytest.fixture(scope="module")
def printed(heinola_store: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[Layout, list[str]]:
    _tools_or_skip()
    folder = tmp_path_factory.mktemp("print")
    page = folder / "report.html"
    args = ["report", "--unit", "YP", "--year", YEAR, "--as-of", AS_OF, "--known-at", SIGNED, "--format", "html"]
    result = CliRunner().invoke(
        app, [*args, "--output", str(page), "--store", heinola_store], env={"KUNTALEDGER_STORE": None}
    )
    assert result.exit_code == 0, result.stderr
    with Ledger(heinola_store) as ledger, ledger.state() as state:
        document = query_document(state.conn, "YP", int(YEAR), date.fromisoformat(AS_OF), parse_moment(SIGNED))
    return layout(document, "fi", HELSINKI, with_charts=False), printed_pages(page, folder)


@pytest.mark.slow
def test_every_printed_page_carries_the_running_header(printed: tuple[Layout, list[str]]) -> None:
    found, pages = printed
    header = _flat(found.title.running_header)
    assert len(pages) > 5
    assert [number for number, text in enumerate(pages, 1) if header not in text] == []


@pytest.mark.slow
def test_no_heading_ends_a_page_without_what_it_introduces(printed: tuple[Layout, list[str]]) -> None:
    found, pages = printed
    page, offset, alone = 0, 0, []
    for heading, anchor in headings(found):
        wanted = _flat(heading)
        while (at := pages[page].find(wanted, offset)) < 0:
            page, offset = page + 1, 0
            assert page < len(pages), f"heading {heading!r} is not printed"
        offset = at + len(wanted)
        if pages[page].find(_flat(anchor), offset) < 0:
            alone.append(f"page {page + 1}: {heading!r} without {anchor!r}")
    assert alone == []
