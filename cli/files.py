"""Writing a file the user named (--output): checked first, then whole or not at all."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from ledger.errors import InvalidInput


def checked_output(option: str, path: Path) -> Path:
    """A file the user named for writing: refused when it is a folder, a link (writing
    would follow it elsewhere), a device or pipe, or in a folder that does not exist."""
    if path.is_symlink():
        raise InvalidInput(
            f"{option} {path}: is a symbolic link (to {os.readlink(path)}); writing would follow it, "
            "so name the file itself"
        )
    if path.is_dir():
        raise InvalidInput(f"{option} {path}: is a folder; name a file in it, e.g. {path / 'report.csv'}")
    if path.exists() and not path.is_file():
        raise InvalidInput(f"{option} {path}: is not a regular file (a device or a pipe?); name a file")
    if not path.parent.is_dir():
        raise InvalidInput(f"{option} {path}: the folder {path.parent} does not exist; create it first")
    return path


def write_output(option: str, path: Path, content: str | bytes) -> None:
    """Write the whole file or nothing: into a temporary file beside it, then renamed over
    it. The rename replaces the name itself, so a hard link elsewhere is not written through.
    The file gets the mode of the one it replaces, or a new file's mode under the umask."""
    checked_output(option, path)
    data = content.encode("utf-8") if isinstance(content, str) else content
    temporary: str | None = None
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
        os.chmod(handle, stat.S_IMODE(path.stat().st_mode) if path.exists() else _new_file_mode())
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
        temporary = None
    except OSError as error:
        raise InvalidInput(f"{option} {path}: cannot write the file ({error.strerror})") from None
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def _new_file_mode() -> int:
    """0o666 less the umask, as open() would create the file (mkstemp makes it 0o600)."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask
