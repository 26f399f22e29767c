"""Time a command as a whole process, and read its own peak RSS.

A child's peak RSS (`ru_maxrss`) starts from its parent's resident size at the fork: Linux
carries the high-water mark across `exec`. The harness holds generated data and imported
libraries, so a command it forked directly could report the harness's size instead of its
own. Each measured command is therefore started by a small launcher (`python -S`, a few MB),
which forks it, waits for it with `os.wait4` and reports the wall time, the CPU time, the
peak RSS and the exit code; it stops the command after a time limit.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

LAUNCHER = """
import json, os, sys, time
report, limit, args = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
started = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(args[0], args)
    finally:
        os._exit(127)
while True:
    done, status, usage = os.wait4(pid, os.WNOHANG if limit else 0)
    if done:
        break
    if time.perf_counter() - started > limit:
        os.kill(pid, 9)
        done, status, usage = os.wait4(pid, 0)
        status = None
        break
    time.sleep(0.01)
seconds = time.perf_counter() - started
code = None if status is None else os.waitstatus_to_exitcode(status)
with open(report, "w") as out:
    cpu = usage.ru_utime + usage.ru_stime
    json.dump({"seconds": seconds, "cpu_seconds": cpu, "max_rss_kb": usage.ru_maxrss, "code": code}, out)
"""


@dataclass(frozen=True)
class Measured:
    seconds: float
    cpu_seconds: float  # the command's own user + system time
    max_rss_kb: int
    code: int | None  # None: stopped at the time limit


def measure(args: list[str], stdout: IO[bytes] | int, stderr: IO[bytes] | int, limit: float = 0.0) -> Measured:
    """Run `args` through the launcher; `limit` seconds (0: none) before it is stopped."""
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        launcher = [sys.executable, "-S", "-c", LAUNCHER, str(report), str(limit), *args]
        subprocess.run(launcher, stdout=stdout, stderr=stderr, check=True)
        found = json.loads(report.read_text())
    return Measured(found["seconds"], found["cpu_seconds"], found["max_rss_kb"], found["code"])
