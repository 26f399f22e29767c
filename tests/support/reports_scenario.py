"""Building report scenarios through the real commands, with explicit recording times.

`Scenario` wraps a Ledger and writes the CSV files the commands read. `city_history`
records a small city: a sector YP with two service areas, budgets, amendments, postings
in two years, a reversal, an investment project, goals and risks.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from ledger import commands
from ledger.application import Ledger
from ledger.clock import parse_moment

Voucher = tuple[str, str, str, str, str] | tuple[str, str, str, str, str, str]


class Scenario:
    def __init__(self, store_url: str, directory: Path) -> None:
        self.ledger = Ledger(store_url)
        self.directory = directory
        self.files = 0

    def close(self) -> None:
        self.ledger.close()

    def record(self, check: commands.Check, at: str, initialised: bool = True) -> None:
        self.ledger.record(check, actor="test", recorded_at=parse_moment(at), require_initialised=initialised)

    def _file(self, header: str, lines: list[str]) -> Path:
        self.files += 1
        path = self.directory / f"scenario_{self.files}.csv"
        path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
        return path

    def init(self, at: str, deviation_sign: str = "budget-minus-actual") -> None:
        self.record(commands.initialise("Testikaupunki", deviation_sign), at, initialised=False)

    def unit(self, code: str, name: str, parent: str | None, at: str, binding: str = "none") -> None:
        self.record(commands.add_unit(code, name, parent, binding), at)

    def budget(self, year: int, lines: list[tuple[str, str, str]], decided_on: str, at: str) -> None:
        path = self._file("unit;line;amount", [";".join(line) for line in lines])
        day = date.fromisoformat(decided_on)
        self.record(commands.adopt_budget(year, path, f"Kv {decided_on} § 1", day, "council"), at)

    def amend(self, year: int, lines: list[tuple[str, str, str]], decided_on: str, at: str) -> None:
        path = self._file("unit;line;amount", [";".join(line) for line in lines])
        day = date.fromisoformat(decided_on)
        check = commands.amend_budget(year, "council", path, f"Kv {decided_on} § 2", day, "lisämääräraha", "council")
        self.record(check, at)

    def post(self, vouchers: list[Voucher], at: str) -> None:
        """(voucher, date, account, unit, amount[, project]) lines; debit positive."""
        rows = [";".join((v[0], v[1], v[2], v[3], v[4], "teksti", v[5] if len(v) > 5 else "")) for v in vouchers]
        self.record(commands.post_file(self._file("voucher;date;account;unit;amount;text;project", rows)), at)

    def reverse(self, voucher: str, on: str, at: str) -> None:
        self.record(commands.reverse(voucher, date.fromisoformat(on), "virheellinen kirjaus"), at)


def moment(text: str) -> datetime:
    return parse_moment(text)


def city_history(s: Scenario) -> None:
    """A small city, recorded from 2023-12-01 to 2025-04-01 in recording-time order."""
    s.init("2023-12-01T08:00:00Z")
    s.unit("K", "Testikaupunki", None, "2023-12-01T08:01:00Z")
    s.unit("YP", "Yhteiset palvelut", "K", "2023-12-01T08:02:00Z", binding="net")
    s.unit("VA", "Vaalit", "YP", "2023-12-01T08:03:00Z")
    s.unit("TA", "Talouspalvelut", "YP", "2023-12-01T08:04:00Z")
    s.record(commands.add_project("P1", "Kalusto", "movable_property", "TA"), "2023-12-01T08:05:00Z")
    s.post(
        [
            ("V23-1", "2023-06-30", "4010", "VA", "40000"),
            ("V23-1", "2023-06-30", "2500", "VA", "-40000"),
            ("V23-2", "2023-09-30", "3000", "TA", "-12000,50"),
            ("V23-2", "2023-09-30", "1900", "TA", "12000,50"),
        ],
        "2023-12-05T09:00:00Z",
    )
    s.budget(
        2024,
        [
            ("VA", "personnel_expenses", "-100000"),
            ("VA", "purchases_of_services", "-20000"),
            ("TA", "personnel_expenses", "-200000"),
            ("TA", "sales_income", "50000"),
            ("TA", "movable_property:expenditure", "-30000"),
        ],
        "2023-12-11",
        "2023-12-12T10:00:00Z",
    )
    set_goals(s)
    assess(s, "R1", "TA", 2, "Kuukausiraportit", "2024-02-01", "2024-02-02T10:00:00Z")
    assess(s, "R2", "VA", 1, "Nimetty", "2024-03-01", "2024-03-02T10:00:00Z")
    s.post(
        [
            ("V1", "2024-01-31", "4010", "VA", "8000"),
            ("V1", "2024-01-31", "4100", "VA", "1500,25"),
            ("V1", "2024-01-31", "2500", "VA", "-9500,25"),
            ("V2", "2024-02-15", "3000", "TA", "-15000"),
            ("V2", "2024-02-15", "1900", "TA", "15000"),
            ("V3", "2024-03-01", "1130", "TA", "10000", "P1"),
            ("V3", "2024-03-01", "2500", "TA", "-10000"),
        ],
        "2024-03-05T12:00:00Z",
    )
    s.record(
        commands.reword_goal("G2", "Laskut ajallaan ja oikein", None, "10 pv", date(2024, 5, 1)), "2024-05-02T10:00:00Z"
    )
    s.amend(2024, [("VA", "purchases_of_services", "-5000")], "2024-06-15", "2024-06-20T10:00:00Z")
    s.record(
        commands.report_goal("G1", date(2024, 6, 30), "Eurovaalit sujuivat", "partly-achieved"), "2024-07-01T10:00:00Z"
    )
    s.post(
        [
            ("V4", "2024-06-30", "4310", "VA", "7000"),
            ("V4", "2024-06-30", "2500", "VA", "-7000"),
            ("V5", "2024-07-15", "1130", "TA", "-2500", "P1"),
            ("V5", "2024-07-15", "1900", "TA", "2500"),
        ],
        "2024-07-20T12:00:00Z",
    )
    assess(s, "R1", "TA", 3, "Säästöohjelma", "2024-10-01", "2024-10-02T10:00:00Z")
    s.post(
        [("V6", "2024-12-31", "4010", "TA", "120000"), ("V6", "2024-12-31", "2500", "TA", "-120000")],
        "2025-01-20T12:00:00Z",
    )
    s.record(
        commands.report_goal("G1", date(2024, 12, 31), "Kaikki vaalit sujuivat", "achieved"), "2025-02-01T10:00:00Z"
    )
    # recorded late and dated earlier than what is already known: it must not win by its position
    s.record(commands.report_goal("G1", date(2024, 9, 30), "Välitilanne", "partly-achieved"), "2025-02-02T10:00:00Z")
    assess(s, "R1", "TA", 1, "Tarkistettu", "2024-09-01", "2025-02-02T11:00:00Z")
    s.reverse("V4", "2024-12-31", "2025-04-01T12:00:00Z")
    s.post(
        [("V7", "2024-12-31", "4310", "VA", "6500"), ("V7", "2024-12-31", "2500", "VA", "-6500")],
        "2025-04-01T12:05:00Z",
    )


def set_goals(s: Scenario) -> None:
    goals = (
        ("G1", "VA", "council", "Hyvä hallinto", "Vaalit sujuvasti", "Virheet", "0", "hallintojohtaja"),
        (
            "G2",
            "TA",
            "operating-plan",
            "Talous tasapainossa",
            "=Laskut ajallaan",
            "Maksuaika",
            "14 pv",
            "talousjohtaja",
        ),
    )
    for offset, (goal, unit, level, strategic, text, metric, target, responsible) in enumerate(goals):
        check = commands.set_goal(
            goal, 2024, unit, level, strategic, text, metric, target, responsible, date(2024, 1, 1)
        )
        s.record(check, f"2024-01-05T10:0{offset}:00Z")


def assess(s: Scenario, risk: str, unit: str, probability: int, carried_out: str, on: str, at: str) -> None:
    check = commands.assess_risk(
        risk,
        unit,
        2024,
        "Talous",
        "Kustannukset nousevat",
        probability,
        3,
        "Seuranta",
        carried_out,
        date.fromisoformat(on),
    )
    s.record(check, at)
