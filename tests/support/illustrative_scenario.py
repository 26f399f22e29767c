"""A small history with one step marked illustrative: the January vouchers."""

from __future__ import annotations

from support.cli_helpers import Kuntaledger

HISTORY = """
illustrative = "voucher dates and texts are invented"

[[step]]
command = "init"
recorded-at = "2024-01-02T09:00:00+02:00"
actor = "talouspalvelut"
entity = "Esimerkin kunta"

[[step]]
command = "units add"
recorded-at = "2024-01-02T09:01:00+02:00"
actor = "talouspalvelut"
code = "YP"
name = "Yhteiset palvelut"
binding = "net"

[[step]]
command = "budget adopt"
recorded-at = "2024-01-03T09:00:00+02:00"
actor = "talouspalvelut"
year = 2024
file = "budget.csv"
decision = "Kv 11.12.2023 § 85"
decided-on = "2023-12-11"

[[step]]
command = "post"
recorded-at = "2024-02-12T10:00:00+02:00"
actor = "talouspalvelut"
illustrative = "the January batch: dates and texts chosen"
file = "vouchers.csv"
"""

BUDGET = "unit;line;amount\nYP;purchases_of_services;-1000\n"
VOUCHERS = (
    "voucher;date;account;unit;amount;text\n"
    "V-1;2024-01-15;4300;YP;120.50;Konsultointi\n"
    "V-1;2024-01-15;2500;YP;-120.50;Ostovelka\n"
)
NOTE = "the January batch: dates and texts chosen"


def load_scenario(kuntaledger: Kuntaledger, history: str = HISTORY) -> Kuntaledger:
    kuntaledger.file("budget.csv", BUDGET)
    kuntaledger.file("vouchers.csv", VOUCHERS)
    kuntaledger.ok("load", kuntaledger.file("history.toml", history))
    return kuntaledger
