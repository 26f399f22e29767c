"""The HTML report opens in a real browser: headless Chromium renders it to a screenshot.

Skipped where Chromium is missing, except in CI (CI=true), where .ci/run installs it and a
missing browser fails the run.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from support.cli_helpers import Kuntaledger
from support.document_scenario import REPORT_SIGNED, record_scenario

CHROMIUM = Path("/usr/bin/chromium")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def screenshot(page: Path, shot: Path, profile: Path) -> None:
    command = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        f"--screenshot={shot}",
        "--window-size=1240,1754",
        page.as_uri(),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=120)


@pytest.mark.slow
def test_the_html_report_renders_in_headless_chromium(tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing; .ci/run installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} is missing")
    store = f"sqlite:///{tmp_path / 'ledger.db'}"
    record_scenario(store, tmp_path / "files")
    page = tmp_path / "report.html"
    Kuntaledger(store, tmp_path).ok(
        "report", "--unit", "YP", "--year", "2024", "--known-at", REPORT_SIGNED, "--format", "html",
        "--output", str(page),
    )  # fmt: skip
    shot = tmp_path / "shot.png"
    screenshot(page, shot, tmp_path / "chromium-profile")
    data = shot.read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1240, 1754)
    assert len(data) > 30_000, f"a {len(data)}-byte screenshot is too small to hold the report"
