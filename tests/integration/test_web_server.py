"""`kuntaledger serve` as a real process on a free port, and its pages in headless Chromium.

The browser test is skipped where Chromium is missing, except in CI (CI=true), where
.ci/run installs Debian's chromium and a missing browser fails the run.
"""

from __future__ import annotations

import html
import os
import re
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.cli_helpers import Kuntaledger

CHROMIUM = Path("/usr/bin/chromium")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
BEFORE_CORRECTION = "2025-04-01T00%3A00%3A00%2B00%3A00"  # the demo's correction is recorded on 15.04.2025
AFTER_CORRECTION = "2025-04-16T00%3A00%3A00%2B00%3A00"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def kuntaledger_command() -> list[str]:
    script = Path(sys.executable).parent / "kuntaledger"
    return [str(script)] if script.exists() else [sys.executable, "-m", "cli"]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo store served by a `kuntaledger serve` process; its URL."""
    folder = tmp_path_factory.mktemp("served")
    store = f"sqlite:///{folder / 'demo.db'}"
    Kuntaledger(store, folder).ok("demo")
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key != "KUNTALEDGER_STORE"}
    process = subprocess.Popen(
        [*kuntaledger_command(), "serve", "--store", store, "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", first)
        assert found, f"serve printed {first!r}; stderr: {process.stderr.read() if process.poll() else ''}"
        assert int(found.group(1)) == port
        yield found.group(0).rstrip("/")
    finally:
        process.terminate()
        process.wait(timeout=10)


def fetch(url: str) -> tuple[int, str, dict[str, str]]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode("utf-8"), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8"), dict(error.headers)


@pytest.mark.slow
def test_the_real_server_answers_on_its_port(server: str) -> None:
    status, text, headers = fetch(f"{server}/statement?unit=YP&year=2024&as_of=2024-12-31&known_at=2025-04-16")

    assert status == 200
    assert "Tuloslaskelma" in text and 'id="pin-unit">YP<' in text
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    request = urllib.request.Request(f"{server}/statement", data=b"unit=YP", method="POST")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == 405


def chromium(*arguments: str, profile: Path) -> subprocess.CompletedProcess[str]:
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
        *arguments,
    ]
    return subprocess.run(command, check=True, capture_output=True, text=True, timeout=120)


def browse(url: str, shot: Path, profile: Path) -> str:
    """The page's DOM after Chromium rendered it, and a screenshot of it at `shot`."""
    chromium("--window-size=1240,1754", f"--screenshot={shot}", url, profile=profile)
    assert shot.read_bytes().startswith(PNG_SIGNATURE)
    return chromium("--dump-dom", url, profile=profile).stdout


def figure(dom: str, row: str, column: str) -> tuple[str, str]:
    """The link and the text of one figure of a report page."""
    found = re.search(rf'<a class="figure" href="([^"]*row={row}&amp;column={column}[^"]*)">([^<]+)</a>', dom)
    assert found, f"no figure {row} {column}"
    return html.unescape(found.group(1)), found.group(2)


@pytest.mark.slow
def test_an_auditor_steps_known_at_over_the_correction_and_opens_a_figure(server: str, tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing; .ci/run installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} is missing")
    profile = tmp_path / "chromium-profile"
    page = f"{server}/statement?unit=YP&year=2024&as_of=2024-12-31&known_at="

    before = browse(page + BEFORE_CORRECTION, tmp_path / "statement-before.png", profile)
    after = browse(page + AFTER_CORRECTION, tmp_path / "statement-after.png", profile)

    _, shown_before = figure(before, "purchases_of_services", "actual")
    link, shown_after = figure(after, "purchases_of_services", "actual")
    assert (shown_before, shown_after) == ("-3 045 339", "-3 044 339")
    later = re.search(r'id="step-later" href="([^"]+)"', before)
    assert later, "the page before the correction steps to a later recording moment"
    explained = browse(server + link, tmp_path / "explain.png", profile)
    total = re.search(r'id="total">([^<]+)<', explained)
    reported = re.search(r'id="reported">([^<]+)<', explained)
    assert total and reported
    assert total.group(1) == reported.group(1) == "-3 044 339,00"
