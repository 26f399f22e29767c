"""A small year of a sector with two service areas, recorded through the ledger's commands:
budget, postings, an investment, goals (one with markup in its text), a risk, the areas'
descriptions and deviation explanations (the sector's dated when written, after the year),
and a correction recorded after the report date
(26.03.2025): voucher V5 of 300 000 € is reversed and posted again as 250 000 €."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from ledger import commands
from ledger.application import Ledger

REPORT_SIGNED = "2025-03-26"
CORRECTED = datetime(2025, 4, 10, 9, 0, tzinfo=UTC)
SCRIPT_GOAL = "Digituki <script>alert('x')</script> kaikille"

BUDGET = """unit;line;amount
HAL;personnel_expenses;-500 000
HAL;purchases_of_services;-200 000
TAL;sales_income;50 000
TAL;personnel_expenses;-400 000
TAL;movable_property:expenditure;-100 000
"""

VOUCHERS = """voucher;date;account;unit;amount;text;project
V1;2024-01-31;4000;HAL;40000;palkat tammikuu;
V1;2024-01-31;1900;HAL;-40000;;
V2;2024-03-31;4300;HAL;60000;ICT-palvelut;
V2;2024-03-31;1900;HAL;-60000;;
V3;2024-06-30;4000;TAL;150000;palkat;
V3;2024-06-30;1900;TAL;-150000;;
V4;2024-09-30;3000;TAL;-30000;myynti;
V4;2024-09-30;1900;TAL;30000;;
V5;2024-12-31;4000;HAL;300000;palkat loppuvuosi;
V5;2024-12-31;1900;HAL;-300000;;
V6;2024-05-15;1130;TAL;80000;kalusto;P1
V6;2024-05-15;1900;TAL;-80000;;
"""

CORRECTION = """voucher;date;account;unit;amount;text
V5B;2024-12-31;4000;HAL;250000;palkat loppuvuosi, korjattu
V5B;2024-12-31;1900;HAL;-250000;
"""


def _at(day: str, hour: int = 10) -> datetime:
    return datetime.fromisoformat(f"{day}T{hour:02d}:00:00+00:00")


def record_scenario(store_url: str, files: Path) -> None:
    files.mkdir(parents=True, exist_ok=True)
    (files / "budget.csv").write_text(BUDGET, encoding="utf-8")
    (files / "vouchers.csv").write_text(VOUCHERS, encoding="utf-8")
    (files / "correction.csv").write_text(CORRECTION, encoding="utf-8")
    year_end = date(2024, 12, 31)
    steps = [
        ("2023-12-01", commands.initialise("Testikaupunki", "budget-minus-actual")),
        ("2023-12-01", commands.add_unit("YP", "Yhteiset palvelut", None, "net")),
        ("2023-12-01", commands.add_unit("HAL", "Hallinto", "YP", "none")),
        ("2023-12-01", commands.add_unit("TAL", "Talouspalvelut", "YP", "none")),
        ("2023-12-01", commands.add_project("P1", "Kalusto", "movable_property", "TAL")),
        (
            "2023-12-12",
            commands.adopt_budget(2024, files / "budget.csv", "Kv 11.12.2023 § 85", date(2023, 12, 11), "council"),
        ),
        (
            "2024-01-10",
            commands.set_goal(
                "G1",
                2024,
                "YP",
                "council",
                "Hyvinvoinnin kasvu",
                SCRIPT_GOAL,
                "kysely",
                "kaikki",
                "Hallintojohtaja",
                date(2024, 1, 10),
            ),
        ),
        (
            "2024-01-10",
            commands.set_goal(
                "G2",
                2024,
                "HAL",
                "operating-plan",
                "Kestävä talous",
                "Raportoinnin kehitys",
                "johdon työpöytä",
                "käytössä 2024",
                "Talousjohtaja",
                date(2024, 1, 10),
            ),
        ),
        ("2024-01-10", commands.describe_unit("HAL", 2024, "Hallinto hoitaa kokoukset & arkiston.", date(2024, 1, 10))),
        ("2024-01-10", commands.describe_unit("TAL", 2024, "Talouspalvelut tuottaa raportoinnin.", date(2024, 1, 10))),
        ("2025-01-15", commands.post_file(files / "vouchers.csv")),
        ("2025-02-01", commands.report_goal("G1", year_end, "Digituki toteutui.", "achieved")),
        ("2025-02-01", commands.report_goal("G2", year_end, "Työpöytä käyttöönotettu osittain.", "partly-achieved")),
        (
            "2025-02-01",
            commands.assess_risk(
                "R1",
                "YP",
                2024,
                "Henkilöriskit",
                "Avainhenkilöriskit",
                1,
                2,
                "Perehdyttäminen",
                "Perehdytysohjelma käytössä",
                year_end,
            ),
        ),
        (
            "2025-03-20",
            commands.explain_deviation("YP", 2024, "Kokonaisuutena toteuma alitti talousarvion.", date(2025, 3, 20)),
        ),
        ("2025-03-20", commands.explain_deviation("HAL", 2024, "Henkilöstökulut alittuivat.", year_end)),
    ]
    with Ledger(store_url) as ledger:
        for day, check in steps:
            ledger.record(check, actor="test", recorded_at=_at(day), require_initialised=False)
        ledger.record(commands.reverse("V5", year_end, "väärä summa"), actor="test", recorded_at=CORRECTED)
        ledger.record(commands.post_file(files / "correction.csv"), actor="test", recorded_at=CORRECTED)
