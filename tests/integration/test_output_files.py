"""A report written with --output is an ordinary file: its mode follows the umask (0644
under the usual 022), as on both report paths (typer and lean)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from cli.files import write_output


@pytest.fixture
def umask_022() -> Iterator[None]:
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.mark.usefixtures("umask_022")
def test_a_new_output_file_follows_the_umask(tmp_path: Path) -> None:
    path = tmp_path / "report.csv"

    write_output("--output", path, "a;b\n")

    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_a_stricter_umask_is_followed_too(tmp_path: Path) -> None:
    previous = os.umask(0o077)
    try:
        write_output("--output", tmp_path / "secret.csv", b"x")
    finally:
        os.umask(previous)

    assert stat.S_IMODE((tmp_path / "secret.csv").stat().st_mode) == 0o600


@pytest.mark.usefixtures("umask_022")
def test_an_existing_files_mode_is_kept_when_it_is_replaced(tmp_path: Path) -> None:
    path = tmp_path / "report.md"
    path.write_text("old")
    path.chmod(0o640)

    write_output("--output", path, "new")

    assert (path.read_text(), stat.S_IMODE(path.stat().st_mode)) == ("new", 0o640)
