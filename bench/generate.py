"""A deterministic, realistic municipal ledger of N posting lines, as the files users give.

`python bench/generate.py --lines 100000 --out DIR` writes into DIR:
- `setup.toml`: a history file (docs/history-format.md) with the entity, five sectors
  bound at net level, their service areas and cost centres, investment projects, the
  2024 budget, a council amendment, an operating-plan amendment and goals;
- `budget_2024.csv`, `amendment_council.csv`, `amendment_plan.csv`: its budget files;
- `postings.csv`: the year's general-ledger export, N lines in vouchers of 2 to 40
  lines (purchase and sales invoices, monthly payroll, investments), in date order;
- `corrections.toml`: what happened after the import: reversals, late correction
  vouchers dated in 2024 but recorded in 2025, goal outcomes;
- `one_voucher.csv`: one more voucher, for the incremental measurement.

The same arguments always give byte-identical files (a seeded `random.Random`).
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

YEAR = 2024
SEED = 20240101
IMPORT_RECORDED_AT = "2025-01-20T12:00:00+02:00"

SECTORS = {
    "YP": (
        "Yhteiset palvelut",
        [
            "Vaalit",
            "Tarkastustoimi",
            "Hallinnon tukipalvelut",
            "Tietohallinto- ja digipalvelut",
            "Kehittämispalvelut",
            "Talouspalvelut",
            "Henkilöstöpalvelut",
        ],
    ),
    "HY": ("Hyvinvoinnin toimiala", ["Liikuntapalvelut", "Kulttuuripalvelut", "Nuorisopalvelut", "Kirjasto"]),
    "SI": (
        "Sivistystoimiala",
        ["Varhaiskasvatus", "Perusopetus", "Lukiokoulutus", "Kansalaisopisto", "Oppilashuolto", "Musiikkiopisto"],
    ),
    "TE": ("Tekninen toimiala", ["Kiinteistöpalvelut", "Katu- ja viheralueet", "Ruokapalvelut", "Siivouspalvelut"]),
    "EL": ("Elinvoimatoimiala", ["Elinkeinopalvelut", "Kaavoitus", "Rakennusvalvonta", "Työllisyyspalvelut"]),
}
COST_CENTRES_PER_AREA = 3

# (account, weight) for purchase invoice lines; the counter line goes to payables 2500.
PURCHASE_ACCOUNTS = [
    ("4310", 5),
    ("4320", 4),
    ("4330", 1),
    ("4340", 1),
    ("4390", 8),
    ("4410", 6),
    ("4600", 3),
    ("4690", 2),
    ("4510", 1),
]
SALES_ACCOUNTS = [("3000", 4), ("3010", 1), ("3100", 5), ("3200", 1), ("3300", 2), ("3390", 1)]
PAYROLL_ACCOUNTS = ("4010", "4100", "4200")
SUPPLIERS = [
    "Atea Finland Oy",
    "Lyreco Finland Oy",
    "Terveystalo Oyj",
    "Tieto Finland Oy",
    "Kespro Oy",
    "Caverion Suomi Oy",
    "Sarastia Oy",
    "Efima Oy",
    "Posti Oy",
    "Lassila & Tikanoja Oyj",
]


@dataclass(frozen=True)
class Ledger:
    areas: list[tuple[str, str, str]]  # (sector, area code, area name)
    centres: list[tuple[str, str]]  # (area code, cost centre code)
    projects: list[tuple[str, str, str, str, str]]  # (code, name, group, unit, cost centre posted to)


def organisation() -> Ledger:
    areas, centres = [], []
    for sector, (_name, names) in SECTORS.items():
        for number, name in enumerate(names, start=1):
            code = f"{sector}{number:02d}"
            areas.append((sector, code, name))
            centres.extend((code, f"{code}{c}") for c in range(1, COST_CENTRES_PER_AREA + 1))
    projects = [
        ("INV-ICT-24", "Työasemien uusiminen 2024", "movable_property", "YP04", "YP041"),
        ("INV-OSAKE-24", "Kiinteistö Oy:n osakkeet", "shares_and_holdings", "YP", "YP061"),
        ("INV-KATU-24", "Katujen peruskorjaus 2024", "fixed_structures", "TE02", "TE021"),
        ("INV-KOULU-24", "Koulun laajennus", "buildings", "SI02", "SI022"),
    ]
    return Ledger(areas, centres, projects)


def _q(text: str) -> str:
    return '"' + text.replace('"', '\\"') + '"'


def write_setup(out: Path, org: Ledger, rng: random.Random) -> None:
    steps = [
        'command = "init"\nrecorded-at = "2023-11-01T09:00:00+02:00"\nactor = "talouspalvelut"\n'
        'entity = "Esimerkkilän kaupunki"\ndeviation-sign = "budget-minus-actual"',
        'command = "units add"\nrecorded-at = "2023-11-01T09:01:00+02:00"\nactor = "talouspalvelut"\n'
        'code = "KAUPUNKI"\nname = "Esimerkkilän kaupunki"\nbinding = "none"',
    ]
    minute = 2
    for sector, (name, _areas) in SECTORS.items():
        steps.append(_unit_step(sector, name, "KAUPUNKI", "net", minute))
        minute += 1
    for sector, code, name in org.areas:
        steps.append(_unit_step(code, name, sector, "none", minute))
        minute += 1
    for area, centre in org.centres:
        steps.append(_unit_step(centre, f"Kustannuspaikka {centre}", area, "none", minute))
        minute += 1
    for code, name, group, unit, _centre in org.projects:
        steps.append(
            f'command = "projects add"\nrecorded-at = "2023-11-02T10:{minute % 60:02d}:00+02:00"\n'
            f'actor = "talouspalvelut"\ncode = "{code}"\nname = {_q(name)}\ngroup = "{group}"\nunit = "{unit}"'
        )
        minute += 1
    budget = ["unit;line;amount"]
    for _sector, code, _name in org.areas:
        budget.append(f"{code};sales_income;{rng.randrange(50, 400) * 1000}")
        budget.append(f"{code};fee_income;{rng.randrange(20, 300) * 1000}")
        budget.append(f"{code};personnel_expenses;-{rng.randrange(800, 4000) * 1000}")
        budget.append(f"{code};purchases_of_services;-{rng.randrange(300, 2500) * 1000}")
        budget.append(f"{code};materials_and_supplies;-{rng.randrange(50, 600) * 1000}")
        budget.append(f"{code};other_operating_expenses;-{rng.randrange(20, 300) * 1000}")
    for _code, _name, group, unit, _centre in org.projects:
        budget.append(f"{unit};{group}:expenditure;-{rng.randrange(100, 2000) * 1000}")
    (out / "budget_2024.csv").write_text("\n".join(budget) + "\n", encoding="utf-8")
    (out / "amendment_council.csv").write_text(
        "unit;line;amount\nYP04;purchases_of_services;-250000\nSI02;personnel_expenses;-400000\n", encoding="utf-8"
    )
    (out / "amendment_plan.csv").write_text(
        "unit;line;amount\nYP05;purchases_of_services;-50000\nYP03;purchases_of_services;50000\n", encoding="utf-8"
    )
    steps.append(
        'command = "budget adopt"\nrecorded-at = "2023-12-12T10:00:00+02:00"\nactor = "talouspalvelut"\n'
        'year = 2024\nfile = "budget_2024.csv"\ndecision = "Kv 11.12.2023 § 85"\ndecided-on = "2023-12-11"'
    )
    for number, (sector, (name, _)) in enumerate(SECTORS.items(), start=1):
        steps.append(
            f'command = "goals set"\nrecorded-at = "2023-12-13T10:{number:02d}:00+02:00"\nactor = "talouspalvelut"\n'
            f'goal = "{sector}-2024-K1"\nyear = 2024\nunit = "{sector}"\nlevel = "council"\n'
            f'strategic-goal = "Hyvinvoiva ja elinvoimainen kaupunki"\ntext = {_q(name + ": palvelut toimivat")}\n'
            f'metric = "Asiakastyytyväisyys"\ntarget = "vähintään 4/5"\nresponsible = "Toimialajohtaja"\n'
            f'on = "2024-01-01"'
        )
    steps.append(
        'command = "budget amend"\nrecorded-at = "2024-06-18T10:00:00+03:00"\nactor = "talouspalvelut"\n'
        'year = 2024\nkind = "council"\nfile = "amendment_council.csv"\ndecision = "Kv 17.6.2024 § 41"\n'
        'decided-on = "2024-06-17"\nreason = "Tietoverkon uusiminen ja oppilasmäärän kasvu"'
    )
    steps.append(
        'command = "budget amend"\nrecorded-at = "2024-09-10T10:00:00+03:00"\nactor = "talouspalvelut"\n'
        'year = 2024\nkind = "operating-plan"\nfile = "amendment_plan.csv"\ndecision = "Khall 9.9.2024 § 201"\n'
        'decided-on = "2024-09-09"\nreason = "Kehittämishankkeen siirto hallinnon tukipalveluihin"'
    )
    _write_history(out / "setup.toml", steps)


def _unit_step(code: str, name: str, parent: str, binding: str, minute: int) -> str:
    return (
        f'command = "units add"\nrecorded-at = "2023-11-01T{9 + minute // 60:02d}:{minute % 60:02d}:00+02:00"\n'
        f'actor = "talouspalvelut"\ncode = "{code}"\nname = {_q(name)}\nparent = "{parent}"\nbinding = "{binding}"'
    )


def _write_history(path: Path, steps: list[str]) -> None:
    path.write_text("".join(f"[[step]]\n{step}\n\n" for step in steps), encoding="utf-8")


def _cents(rng: random.Random, low: int, high: int) -> int:
    """An amount in cents: mostly small, now and then ten times larger."""
    return rng.randrange(low, high) * rng.choice((1, 1, 1, 3, 10))


def _fmt(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"


def _weighted(rng: random.Random, pairs: list[tuple[str, int]]) -> str:
    return rng.choices([a for a, _ in pairs], weights=[w for _, w in pairs])[0]


def vouchers(
    org: Ledger, lines: int, rng: random.Random
) -> list[tuple[str, date, list[tuple[str, str, int, str, str]]]]:
    """(voucher id, date, [(account, unit, cents, text, project)]) with exactly `lines` lines."""
    days = [date(YEAR, 1, 1) + timedelta(days=d) for d in range(366)]
    workdays = [d for d in days if d.weekday() < 5 and d.year == YEAR]
    out: list[tuple[str, date, list[tuple[str, str, int, str, str]]]] = []
    remaining = lines
    payroll_areas = [code for _s, code, _n in org.areas]
    number = 0
    while remaining > 0:
        number += 1
        kind = rng.random()
        if kind < 0.01 and remaining >= 3 * COST_CENTRES_PER_AREA + 1:
            body = _payroll(org, rng, rng.choice(payroll_areas))
        elif kind < 0.02 and remaining >= 2:
            body = _investment(org, rng)
        elif kind < 0.25:
            body = _sales(org, rng, min(remaining - 1, rng.randint(1, 3)))
        else:
            body = _purchase(org, rng, min(remaining - 1, rng.choice((1, 1, 1, 2, 2, 3, 4, 5))))
        if remaining - len(body) == 1:
            body = _purchase(org, rng, 2) if len(body) == 2 else body[:-2] + _purchase(org, rng, 2)
            body = _rebalance(body)
        remaining -= len(body)
        out.append((f"V{YEAR}-{number:08d}", rng.choice(workdays), body))
    out.sort(key=lambda v: (v[1], v[0]))
    return out


def _rebalance(body: list[tuple[str, str, int, str, str]]) -> list[tuple[str, str, int, str, str]]:
    total = sum(line[2] for line in body)
    account, unit, cents, text, project = body[-1]
    return [*body[:-1], (account, unit, cents - total, text, project)]


def _purchase(org: Ledger, rng: random.Random, count: int) -> list[tuple[str, str, int, str, str]]:
    supplier = rng.choice(SUPPLIERS)
    invoice = rng.randrange(100000, 999999)
    _area, centre = rng.choice(org.centres)
    body = []
    for _ in range(count):
        cents = _cents(rng, 2000, 500000)
        body.append((_weighted(rng, PURCHASE_ACCOUNTS), centre, cents, f"{supplier} lasku {invoice}", ""))
    body.append(("2500", centre, -sum(b[2] for b in body), f"{supplier} lasku {invoice}", ""))
    return body


def _sales(org: Ledger, rng: random.Random, count: int) -> list[tuple[str, str, int, str, str]]:
    invoice = rng.randrange(100000, 999999)
    _area, centre = rng.choice(org.centres)
    body = [
        (_weighted(rng, SALES_ACCOUNTS), centre, -_cents(rng, 1000, 200000), f"Myyntilasku {invoice}", "")
        for _ in range(count)
    ]
    body.append(("1500", centre, -sum(b[2] for b in body), f"Myyntilasku {invoice}", ""))
    return body


def _payroll(org: Ledger, rng: random.Random, area: str) -> list[tuple[str, str, int, str, str]]:
    body = []
    for _a, centre in (c for c in org.centres if c[0] == area):
        wages = _cents(rng, 2_000_000, 8_000_000)
        body.append(("4010", centre, wages, "Palkat", ""))
        body.append(("4100", centre, wages * 17 // 100, "Eläkemaksut", ""))
        body.append(("4200", centre, wages * 2 // 100, "Sivukulut", ""))
    body.append(("2600", area + "1", -sum(b[2] for b in body), "Palkkajakso", ""))
    return body


def _investment(org: Ledger, rng: random.Random) -> list[tuple[str, str, int, str, str]]:
    code, name, _group, _unit, unit = rng.choice(org.projects)
    cents = _cents(rng, 500_000, 5_000_000)
    account = "1200" if code == "INV-OSAKE-24" else "1130"
    return [(account, unit, cents, name, code), ("2500", unit, -cents, name, "")]


def write_postings(path: Path, body: list[tuple[str, date, list[tuple[str, str, int, str, str]]]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("voucher;date;account;unit;amount;text;project\n")
        for voucher, day, lines in body:
            iso = day.isoformat()
            out.writelines(
                f"{voucher};{iso};{account};{unit};{_fmt(cents)};{text};{project}\n"
                for account, unit, cents, text, project in lines
            )


def write_corrections(
    out: Path, org: Ledger, posted: list[tuple[str, date, list[tuple[str, str, int, str, str]]]], rng: random.Random
) -> None:
    """Reversals and late corrections dated in 2024, recorded in February and March 2025."""
    steps = []
    count = max(5, min(200, len(posted) // 2000))
    chosen = sorted(rng.sample(range(len(posted)), count))
    late = []
    for n, index in enumerate(chosen):
        voucher, day, lines = posted[index]
        minute = n % 60
        steps.append(
            f'command = "reverse"\nrecorded-at = "2025-02-{3 + n // 60 % 20:02d}T10:{minute:02d}:00+02:00"\n'
            f'actor = "talouspalvelut"\nvoucher = "{voucher}"\non = "{max(day, date(YEAR, 12, 31)).isoformat()}"\n'
            f'reason = "Virheellinen kohdistus"'
        )
        late.extend((f"K{voucher[1:]}", day, line) for line in lines)
    with (out / "late_corrections.csv").open("w", encoding="utf-8", newline="") as handle:
        handle.write("voucher;date;account;unit;amount;text;project\n")
        for voucher, day, (account, _unit, cents, text, project) in late:
            unit = rng.choice(org.centres)[1]
            handle.write(f"{voucher};{day.isoformat()};{account};{unit};{_fmt(cents)};{text};{project}\n")
    steps.append(
        'command = "post"\nrecorded-at = "2025-02-28T12:00:00+02:00"\nactor = "talouspalvelut"\n'
        'file = "late_corrections.csv"'
    )
    for number, sector in enumerate(SECTORS, start=1):
        steps.append(
            f'command = "goals report"\nrecorded-at = "2025-03-{10 + number:02d}T10:00:00+02:00"\n'
            f'actor = "talouspalvelut"\ngoal = "{sector}-2024-K1"\non = "2024-12-31"\n'
            f'text = "Asiakastyytyväisyys 4,2/5"\nstatus = "achieved"'
        )
    _write_history(out / "corrections.toml", steps)
    (out / "one_voucher.csv").write_text(
        "voucher;date;account;unit;amount;text;project\n"
        "EXTRA-1;2025-01-15;4390;YP041;125.00;Lisätosite;\nEXTRA-1;2025-01-15;2500;YP041;-125.00;Lisätosite;\n",
        encoding="utf-8",
    )


def split_by_month(postings: Path, out: Path) -> list[tuple[Path, str]]:
    """`postings.csv` as twelve files, one per month of the vouchers' dates (a voucher has
    one date, so none is split), each with the moment it is imported: weekly from
    11.9.2024, after the setup's last decision, so that a known-at falls between imports."""
    out.mkdir(parents=True, exist_ok=True)
    with postings.open(encoding="utf-8") as source:
        header = source.readline()
        files: dict[str, Any] = {}
        try:
            for line in source:
                month = line.split(";", 2)[1][5:7]
                handle = files.get(month)
                if handle is None:
                    handle = files[month] = (out / f"postings-{month}.csv").open("w", encoding="utf-8")
                    handle.write(header)
                handle.write(line)
        finally:
            for handle in files.values():
                handle.close()
    first = date(YEAR, 9, 11)
    return [
        (out / f"postings-{month}.csv", f"{first + timedelta(weeks=week)}T12:00:00+03:00")
        for week, month in enumerate(sorted(files))
    ]


def generate(out: Path, lines: int, seed: int = SEED) -> None:
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    org = organisation()
    write_setup(out, org, rng)
    posted = vouchers(org, lines, rng)
    write_postings(out / "postings.csv", posted)
    write_corrections(out, org, posted, rng)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    generate(args.out, args.lines, args.seed)


if __name__ == "__main__":
    main()
