"""Mutation check: each deliberate break of an identity must make its property tests fail.

Reads tests/mutation/mutants.toml. Copies src/, cli/, tests/ and pyproject.toml to a
temporary directory, checks that the copy's modules are the ones imported and that the
unmutated copy passes every listed test, then applies each mutant alone (an exact
snippet replaced) and runs its tests against the copy under the `mutation` profile: the
`ci` profile's examples, without shrinking a failure (which only slows a caught mutant).
Prints one row per mutant; exits 1 if a mutant survives, its snippet is not found
exactly once, or the unmutated copy fails.

    .venv/bin/python tests/mutation/run.py [MUTANT_ID ...]
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
COPIED = ("src", "cli", "tests", "pyproject.toml")
IGNORED = shutil.ignore_patterns("__pycache__", ".hypothesis", ".pytest_cache", "*.pyc")
TIMEOUT_SECONDS = 1200
WHICH_MODULES = "import cli, ledger, projections; print(cli.__file__, ledger.__file__, projections.__file__)"


@dataclass(frozen=True)
class Mutant:
    id: str
    property: str
    file: str
    original: str
    replacement: str
    tests: tuple[str, ...]


@dataclass(frozen=True)
class Outcome:
    mutant: Mutant
    caught: str  # "yes", "no", or why it could not run
    failed: tuple[str, ...]
    seconds: float


def load_mutants(path: Path) -> list[Mutant]:
    document = tomllib.loads(path.read_text(encoding="utf-8"))
    return [Mutant(**{**entry, "tests": tuple(entry["tests"])}) for entry in document["mutant"]]


def environment(copy: Path) -> dict[str, str]:
    """The copy ahead of the editable install, under the ci profile's examples."""
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(copy / "src"), str(copy)]),
        "HYPOTHESIS_PROFILE": "mutation",
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def make_copy(into: Path) -> Path:
    copy = into / "repo"
    copy.mkdir()
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=IGNORED)
        else:
            shutil.copy2(source, copy / name)
    return copy


def imports_the_copy(copy: Path) -> bool:
    found = subprocess.run(
        [sys.executable, "-c", WHICH_MODULES], cwd=copy, env=environment(copy), capture_output=True, text=True
    )
    files = found.stdout.split()
    return found.returncode == 0 and len(files) == 3 and all(Path(f).is_relative_to(copy) for f in files)


def run_tests(copy: Path, tests: tuple[str, ...]) -> tuple[int, tuple[str, ...]]:
    """pytest's exit code and the node ids it reports as failed or in error."""
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--tb=no", "-rfE", *tests]
    try:
        done = subprocess.run(
            command, cwd=copy, env=environment(copy), capture_output=True, text=True, timeout=TIMEOUT_SECONDS
        )
    except subprocess.TimeoutExpired:
        return -1, ()
    failed = re.findall(r"^(?:FAILED|ERROR) (\S+)", done.stdout, flags=re.MULTILINE)
    return done.returncode, tuple(dict.fromkeys(failed))


def try_mutant(copy: Path, mutant: Mutant) -> Outcome:
    target = copy / mutant.file
    text = target.read_text(encoding="utf-8") if target.exists() else ""
    found = text.count(mutant.original)
    if found != 1:
        return Outcome(mutant, f"snippet found {found} times", (), 0.0)
    started = time.monotonic()
    target.write_text(text.replace(mutant.original, mutant.replacement), encoding="utf-8")
    try:
        code, failed = run_tests(copy, mutant.tests)
    finally:
        target.write_text(text, encoding="utf-8")
    seconds = time.monotonic() - started
    if code == -1:
        return Outcome(mutant, "timed out", (), seconds)
    if code in (1, 2) and failed:  # 1: tests failed; 2: a test module failed to import
        return Outcome(mutant, "yes", failed, seconds)
    return Outcome(mutant, "no" if code == 0 else f"pytest exit {code}", failed, seconds)


def short(node: str) -> str:
    """tests/property/test_fast_path.py::test_x -> test_fast_path::test_x"""
    path, _, name = node.partition("::")
    return f"{Path(path).stem}::{name}" if name else Path(path).stem


def table(outcomes: list[Outcome]) -> str:
    lines = ["| mutant | property | caught | failed tests | s |", "|---|---|---|---|---|"]
    for o in outcomes:
        failed = ", ".join(short(node) for node in o.failed) or "-"
        lines.append(f"| {o.mutant.id} | {o.mutant.property} | {o.caught} | {failed} | {o.seconds:.0f} |")
    return "\n".join(lines)


def main(chosen: list[str]) -> int:
    mutants = load_mutants(Path(__file__).with_name("mutants.toml"))
    unknown = set(chosen) - {m.id for m in mutants}
    if unknown:
        print(f"unknown mutants: {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    mutants = [m for m in mutants if not chosen or m.id in chosen]
    with tempfile.TemporaryDirectory(prefix="kuntaledger-mutation-") as directory:
        copy = make_copy(Path(directory))
        if not imports_the_copy(copy):
            print("the copy's modules are not the ones imported; check PYTHONPATH", file=sys.stderr)
            return 1
        every_test = tuple(dict.fromkeys(test for m in mutants for test in m.tests))
        started = time.monotonic()
        code, failed = run_tests(copy, every_test)
        if code != 0:
            print(f"the unmutated copy fails (pytest exit {code}): {', '.join(failed)}", file=sys.stderr)
            return 1
        print(f"unmutated copy: {len(every_test)} tests pass ({time.monotonic() - started:.0f} s)", flush=True)
        outcomes = []
        for mutant in mutants:
            outcomes.append(try_mutant(copy, mutant))
            o = outcomes[-1]
            print(f"{mutant.id}: caught {o.caught} ({o.seconds:.0f} s)", file=sys.stderr, flush=True)
    print(table(outcomes))
    survivors = [o.mutant.id for o in outcomes if o.caught != "yes"]
    if survivors:
        print(f"not caught: {', '.join(survivors)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the running tests and remove the copy
    sys.exit(main(sys.argv[1:]))
