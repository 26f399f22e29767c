"""A writer process for the concurrency test: posts vouchers and amendments through the
same paths as `kuntaledger post` and `kuntaledger budget amend`, and reports what it
recorded and how many saves lost the race for the next log position.

It lives in its own module so that processes started with `spawn` can import it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from eventsourcing.persistence import IntegrityError

from ledger import commands
from ledger.application import Ledger
from ledger.importing import import_file

SETUP_BUDGET = "unit;line;amount\nTAL;personnel_expenses;-400 000\nHEN;purchases_of_services;-120 000\n"


@dataclass
class WriterReport:
    writer: int
    vouchers: list[str] = field(default_factory=list)
    amendments: list[str] = field(default_factory=list)  # their reasons, unique per amendment
    moved_cents: int = 0  # moved from TAL's personnel expenses to HEN's purchases of services
    lost_races: int = 0
    seconds: float = 0.0


def set_up(store_url: str, workdir: Path) -> None:
    """An initialised store with a net-bound sector of two units and an adopted 2024 budget."""
    budget = workdir / "budget.csv"
    budget.write_text(SETUP_BUDGET, encoding="utf-8")
    with Ledger(store_url) as ledger:
        ledger.record(commands.initialise("Testikaupunki", "budget-minus-actual"), require_initialised=False)
        ledger.record(commands.add_unit("YP", "Yhteiset palvelut", None, "net"))
        ledger.record(commands.add_unit("TAL", "Talouspalvelut", "YP", "none"))
        ledger.record(commands.add_unit("HEN", "Henkilöstöpalvelut", "YP", "none"))
        ledger.record(commands.adopt_budget(2024, budget, "Kv 11.12.2023 § 85", date(2023, 12, 11), "council"))


def voucher_file(path: Path, voucher: str, cents: int, day: int) -> Path:
    amount = f"{cents // 100},{cents % 100:02d}"
    path.write_text(
        "voucher;date;account;unit;amount;text\n"
        f"{voucher};{day}.3.2024;4390;TAL;{amount};=kahvi+pulla\n"
        f"{voucher};{day}.3.2024;2500;TAL;-{amount};ostovelka\n",
        encoding="utf-8",
    )
    return path


def amendment_file(path: Path, cents: int) -> Path:
    amount = f"{cents // 100},{cents % 100:02d}"
    path.write_text(
        f"unit;line;amount\nTAL;personnel_expenses;{amount}\nHEN;purchases_of_services;-{amount}\n", encoding="utf-8"
    )
    return path


def write(
    store_url: str, writer: int, workdir: str, barrier: Any, seconds: float, at_least: int, at_most: int
) -> WriterReport:
    """Record until `seconds` have passed (at least `at_least` and at most `at_most` commands):
    vouchers, and every third command (from the second) an operating-plan amendment."""
    folder = Path(workdir) / f"writer-{writer}"
    folder.mkdir(parents=True, exist_ok=True)
    report = WriterReport(writer)
    with Ledger(store_url) as ledger:
        save = ledger.app.save

        def counting_save(*events: Any, **kwargs: Any) -> Any:
            try:
                return save(*events, **kwargs)
            except IntegrityError:
                report.lost_races += 1
                raise

        ledger.app.save = counting_save  # type: ignore[method-assign]
        barrier.wait(timeout=120)
        started = time.monotonic()
        done = 0
        while done < at_most and (done < at_least or time.monotonic() - started < seconds):
            actor = f"writer-{writer}"
            if done % 3 == 1:
                cents = 100 * (writer + 1) + done
                reason = f"siirto {writer}-{done}"
                path = amendment_file(folder / f"move-{done}.csv", cents)
                check = commands.amend_budget(
                    2024, "operating-plan", path, f"Kh {writer}/{done}", date(2024, 6, 3), reason, "board"
                )
                ledger.record(check, actor=actor)
                report.amendments.append(reason)
                report.moved_cents += cents
            else:
                voucher = f"W{writer}-{done}"
                path = voucher_file(folder / f"{voucher}.csv", voucher, 1000 + 7 * writer + done, 1 + done % 28)
                result = import_file(ledger, path, actor=actor)
                assert result.posted_vouchers == 1, result.notes
                report.vouchers.append(voucher)
            done += 1
        report.seconds = time.monotonic() - started
    return report
