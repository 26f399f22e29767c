"""Statutory reporting (issue 15): code lists as versioned reference data, units' default
service classes, budget lines' dimensions and submissions, on both stores."""

from __future__ import annotations

import json
from pathlib import Path

from support.cli_helpers import Kuntaledger, refused

SERVICE_CLASSES_2024 = """# source: a test list
code;name;parent;status
1000;Yleishallinto;;
1100;Hallinto;1000;unverified
3100;Varhaiskasvatus;;
"""
SERVICE_CLASSES_2025 = """code;name
1000;Yleishallinto
2000;Sosiaalipalvelut
"""
SECTORS = """code,name
S.1313,Paikallishallinto
S.14,Kotitaloudet
"""
AT = ("--recorded-at", "2024-01-02T08:00:00Z")


def _with_lists(cli: Kuntaledger) -> Kuntaledger:
    cli.ok("init", "--recorded-at", "2024-01-01T08:00:00Z")
    cli.ok(
        "classes", "load", "--kind", "service-class", "--file", cli.file("sc24.csv", SERVICE_CLASSES_2024),
        "--valid-from", "2024-01-01", *AT,
    )  # fmt: skip
    cli.ok(
        "classes", "load", "--kind", "service-class", "--file", cli.file("sc25.csv", SERVICE_CLASSES_2025),
        "--valid-from", "2025-01-01", *AT,
    )  # fmt: skip
    cli.ok(
        "classes", "load", "--kind", "sector", "--file", cli.file("sec.csv", SECTORS), "--valid-from", "2024-01-01", *AT
    )
    return cli


def test_a_list_is_valid_from_its_day_and_a_later_one_does_not_change_earlier_days(kuntaledger: Kuntaledger) -> None:
    cli = _with_lists(kuntaledger)
    listed = cli.json("classes", "--kind", "service-class", "--as-of", "2024-06-30")
    assert listed["valid_from"] == "2024-01-01"
    assert listed["source"] == "source: a test list"
    assert [(c["code"], c["parent"], c["unverified"]) for c in listed["entries"]] == [
        ("1000", None, False),
        ("1100", "1000", True),
        ("3100", None, False),
    ]
    assert [c["code"] for c in cli.json("classes", "--kind", "service-class", "--as-of", "2025-02-01")["entries"]] == [
        "1000",
        "2000",
    ]
    assert [c["code"] for c in cli.json("classes", "--kind", "sector", "--as-of", "2024-06-30")["entries"]] == [
        "S.1313",
        "S.14",
    ]
    refused(cli, "classes", "--kind", "service-class", "--as-of", "2023-12-31")


def test_loading_the_same_list_again_records_nothing_and_a_changed_one_replaces_it(kuntaledger: Kuntaledger) -> None:
    cli = _with_lists(kuntaledger)
    before = cli.event_count()
    again = cli.ok(
        "classes", "load", "--kind", "sector", "--file", cli.file("sec2.csv", SECTORS), "--valid-from", "2024-01-01"
    )
    assert "nothing recorded" in again.stderr
    assert cli.event_count() == before
    changed = SECTORS + "S.2,Ulkomaat\n"
    cli.ok(
        "classes", "load", "--kind", "sector", "--file", cli.file("sec3.csv", changed), "--valid-from", "2024-01-01",
        "--recorded-at", "2024-02-01T08:00:00Z",
    )  # fmt: skip
    assert cli.events()[-1]["type"] == "ClassesLoaded"
    assert len(cli.json("classes", "--kind", "sector", "--as-of", "2024-01-01")["entries"]) == 3
    as_known = cli.json("classes", "--kind", "sector", "--as-of", "2024-01-01", "--known-at", "2024-01-15")
    assert len(as_known["entries"]) == 2  # the replacement was recorded later


def test_a_bad_list_file_is_refused_by_file_line_and_column(kuntaledger: Kuntaledger) -> None:
    cli = kuntaledger
    cli.ok("init")
    cases = {
        "code;name;parent\n1000;A;\n1000;B;\n": "bad.csv line 3, column code: '1000' is on line 2 already",
        "code;name;parent\n1000;A;9999\n": "bad.csv line 2, column parent: '9999' is no code of this list",
        "code;name;status\n1000;A;maybe\n": "bad.csv line 2, column status",
        "code;name\n10 00;A\n": "bad.csv line 2, column code",
        "code;name\n1000;\n": "bad.csv line 2, column name: is empty",
        "code;nimi\n1000;A\n": "bad.csv line 1: header has missing name; unknown nimi",
        "code;name\n1000;A;x\n": "bad.csv line 2: expected 2 fields, found 3",
        "# only a comment\n": "bad.csv: no header",
    }
    for text, message in cases.items():
        run = refused(
            cli,
            "classes",
            "load",
            "--kind",
            "sector",
            "--file",
            cli.file("bad.csv", text),
            "--valid-from",
            "2024-01-01",
        )
        assert message in run.stderr, run.stderr
    good = cli.file("good.csv", "code;name\n1000;A\n")
    run = refused(cli, "classes", "load", "--kind", "colour", "--file", good, "--valid-from", "2024-01-01")
    assert "--kind 'colour': use service-class or sector" in run.stderr
    refused(cli, "classes", "load", "--kind", "sector", "--file", good, "--valid-from", "2024-02-30")


def test_a_units_default_service_class_is_checked_against_the_list_valid_on_its_day(kuntaledger: Kuntaledger) -> None:
    cli = _with_lists(kuntaledger)
    cli.ok("units", "add", "YP", "--name", "Yhteiset", "--service-class", "1000", *AT)
    run = refused(cli, "units", "add", "KAS", "--name", "Kasvatus", "--service-class", "9999")
    assert "--service-class '9999': no such service-class" in run.stderr
    assert "KAS" not in [unit["code"] for unit in cli.json("units", "list")]
    run = refused(cli, "units", "set", "YP", "--service-class", "3100", "--on", "2025-03-01")
    assert "no such service-class in the list valid from 2025-01-01" in run.stderr
    refused(cli, "units", "set", "NOPE", "--service-class", "1000", "--on", "2024-03-01")
    refused(cli, "units", "set", "YP", "--service-class", "1000", "--on", "2023-03-01")
    cli.ok("units", "set", "YP", "--service-class", "1100", "--on", "2024-03-01", *AT)
    assert cli.json("units", "list")[0]["service_class"] == "1100"


BUDGET = """unit;line;amount;service_class;sector
YP;personnel_expenses;-1000;1000;S.1313
YP;4300;-500;;
"""


def test_budget_lines_may_name_their_dimensions_and_an_unknown_one_is_refused(kuntaledger: Kuntaledger) -> None:
    cli = _with_lists(kuntaledger)
    cli.ok("units", "add", "YP", "--name", "Yhteiset", *AT)
    for bad, column in (("YP;4300;-500;2000;\n", "service_class"), ("YP;4300;-500;;S.99\n", "sector")):
        run = refused(
            cli, "budget", "adopt", "--year", "2024", "--file", cli.file("b.csv", BUDGET + bad),
            "--decision", "Kv 1", "--decided-on", "2023-12-11",
        )  # fmt: skip
        assert f"b.csv line 4, column {column}: unknown" in run.stderr
    cli.ok(
        "budget", "adopt", "--year", "2024", "--file", cli.file("b.csv", BUDGET),
        "--decision", "Kv 1", "--decided-on", "2023-12-11", *AT,
    )  # fmt: skip
    assert cli("verify").exit_code == 0
    statement = cli.json("statement", "--unit", "YP", "--year", "2024")
    assert statement["rows"]


def test_a_budget_file_without_the_dimension_columns_records_the_bytes_it_always_did(kuntaledger: Kuntaledger) -> None:
    cli = _with_lists(kuntaledger)
    cli.ok("units", "add", "YP", "--name", "Yhteiset", *AT)
    plain = "unit;line;amount\nYP;personnel_expenses;-1000\n"
    cli.ok(
        "budget",
        "adopt",
        "--year",
        "2024",
        "--file",
        cli.file("p.csv", plain),
        "--decision",
        "Kv 1",
        "--decided-on",
        "2023-12-11",
        *AT,
    )
    exported = cli.workdir / "log.json"
    cli.ok("export", "--format", "json", "--output", str(exported))
    log = json.loads(exported.read_text(encoding="utf-8"))
    (adopted,) = (e for e in log["events"] if e["topic"] == "kuntaledger.BudgetAdopted")
    assert [set(line) for line in adopted["payload"]["lines"]] == [
        {"unit", "line", "row", "investment_group", "investment_side", "amount_cents"}
    ]
    with_dimensions = "unit;line;amount;service_class\nYP;4300;-5;1000\n"
    cli.ok(
        "budget", "amend", "--year", "2024", "--kind", "council", "--file", cli.file("a.csv", with_dimensions),
        "--decision", "Kv 2", "--decided-on", "2024-02-01", "--reason", "r", *AT,
    )  # fmt: skip
    cli.ok("export", "--format", "json", "--output", str(exported))
    log = json.loads(exported.read_text(encoding="utf-8"))
    (amended,) = (e for e in log["events"] if e["topic"] == "kuntaledger.BudgetAmended")
    assert amended["payload"]["lines"][0]["service_class"] == "1000"
    assert "sector" not in amended["payload"]["lines"][0]


def test_a_submission_is_recorded_once_and_a_changed_export_as_a_correction(kuntaledger: Kuntaledger) -> None:
    cli = _with_lists(kuntaledger)
    export = cli.file(
        "q2.json", json.dumps({"as_of": "2024-06-30", "known_at": "2024-07-10T12:00:00+03:00", "rows": [1]})
    )
    submit = (
        "submit",
        "--set",
        "KKNR",
        "--period",
        "2024Q2",
        "--approved-by",
        "Talousjohtaja",
        "--decision",
        "Kh 12.8.2024 § 140",
    )
    cli.ok(*submit, "--file", export)
    before = cli.event_count()
    assert "nothing recorded" in cli.ok(*submit, "--file", export).stderr
    assert cli.event_count() == before
    changed = cli.file(
        "q2b.json", json.dumps({"as_of": "2024-06-30", "known_at": "2024-07-20T12:00:00+03:00", "rows": [2]})
    )
    cli.ok(*submit, "--file", changed)
    csv_export = cli.file("q3.csv", "account;amount\n4300;1\n")
    cli.ok(
        "submit",
        "--set",
        "KKNR",
        "--period",
        "2024Q3",
        "--approved-by",
        "T",
        "--decision",
        "Kh 2",
        "--file",
        csv_export,
        "--known-at",
        "2024-10-05T12:00:00Z",
    )
    listed = cli.json("submissions")
    assert [(s["period"], s["as_of"], s["known_at"], s["corrects"]) for s in listed] == [
        ("2024Q2", "2024-06-30", "2024-07-10T09:00:00+00:00", None),
        ("2024Q2", "2024-06-30", "2024-07-20T09:00:00+00:00", listed[0]["position"]),
        ("2024Q3", "2024-09-30", "2024-10-05T12:00:00+00:00", None),
    ]
    assert len(listed[0]["content_hash"]) == 64 and listed[0]["content_hash"] != listed[1]["content_hash"]
    assert cli("verify").exit_code == 0


def test_a_bad_submission_writes_nothing(kuntaledger: Kuntaledger) -> None:
    cli = _with_lists(kuntaledger)
    export = cli.file("q2.json", json.dumps({"as_of": "2024-06-30", "known_at": "2024-07-10T12:00:00Z"}))
    base = ("--approved-by", "T", "--decision", "Kh 1", "--file", export)
    cases = (
        (("--set", "KKNX", "--period", "2024Q2"), "--set 'KKNX': use KKNR or KTAS"),
        (("--set", "KKNR", "--period", "2024-2"), "--period '2024-2': a KKNR period is a quarter"),
        (("--set", "KTAS", "--period", "2024Q2"), "--period '2024Q2': a KTAS period is the budget year"),
        (
            ("--set", "KKNR", "--period", "2024Q2", "--as-of", "2024-03-31"),
            "--as-of 2024-03-31: the export q2.json says",
        ),
        (("--set", "KKNR", "--period", "2024Q2", "--known-at", "2024-07-11"), "--known-at"),
    )
    for args, message in cases:
        run = refused(cli, "submit", *args, *base)
        assert message in run.stderr, run.stderr
    empty = cli.file("empty.csv", "")
    refused(
        cli, "submit", "--set", "KKNR", "--period", "2024Q2", "--approved-by", "T", "--decision", "Kh", "--file", empty
    )
    run = refused(
        cli, "submit", "--set", "KKNR", "--period", "2024Q2", "--approved-by", " ", "--decision", "Kh", "--file", export
    )
    assert "--approved-by" in run.stderr
    assert cli.json("submissions") == []


HISTORY = """
[[step]]
command = "init"
recorded-at = "2024-01-01T08:00:00Z"
actor = "talous"

[[step]]
command = "classes load"
recorded-at = "2024-01-01T08:01:00Z"
actor = "talous"
kind = "service-class"
file = "sc24.csv"
valid-from = "2024-01-01"

[[step]]
command = "units add"
recorded-at = "2024-01-01T08:02:00Z"
actor = "talous"
code = "YP"
name = "Yhteiset"
service-class = "1000"

[[step]]
command = "units set"
recorded-at = "2024-01-01T08:03:00Z"
actor = "talous"
code = "YP"
service-class = "1100"
on = "2024-03-01"

[[step]]
command = "submit"
recorded-at = "2024-08-13T08:00:00Z"
actor = "talous"
set = "KKNR"
period = "2024Q2"
file = "q2.csv"
approved-by = "Talousjohtaja"
decision = "Kh 12.8.2024 § 140"
known-at = "2024-08-01T00:00:00Z"
"""


def test_a_history_file_records_the_same_as_the_cli(kuntaledger: Kuntaledger, tmp_path: Path) -> None:
    folder = tmp_path / "history"
    folder.mkdir()
    (folder / "sc24.csv").write_text(SERVICE_CLASSES_2024, encoding="utf-8")
    (folder / "q2.csv").write_text("account;amount\n4300;1\n", encoding="utf-8")
    (folder / "history.toml").write_text(HISTORY, encoding="utf-8")
    cli = kuntaledger
    cli.ok("load", str(folder / "history.toml"))
    assert [e["type"] for e in cli.events()][3:] == [
        "ClassesLoaded",
        "UnitAdded",
        "UnitServiceClassSet",
        "UnitServiceClassSet",
        "ExportSubmitted",
    ]
    assert cli.json("units", "list")[0]["service_class"] == "1100"
    (submission,) = cli.json("submissions")
    assert (submission["as_of"], submission["known_at"]) == ("2024-06-30", "2024-08-01T00:00:00+00:00")

    by_cli = Kuntaledger(f"sqlite:///{tmp_path / 'cli.db'}", folder)
    by_cli.ok("init", "--recorded-at", "2024-01-01T08:00:00Z", "--actor", "talous")
    by_cli.ok(
        "classes", "load", "--kind", "service-class", "--file", str(folder / "sc24.csv"), "--valid-from", "2024-01-01",
        "--recorded-at", "2024-01-01T08:01:00Z", "--actor", "talous",
    )  # fmt: skip
    by_cli.ok(
        "units", "add", "YP", "--name", "Yhteiset", "--service-class", "1000",
        "--recorded-at", "2024-01-01T08:02:00Z", "--actor", "talous",
    )  # fmt: skip
    by_cli.ok(
        "units", "set", "YP", "--service-class", "1100", "--on", "2024-03-01",
        "--recorded-at", "2024-01-01T08:03:00Z", "--actor", "talous",
    )  # fmt: skip
    by_cli.ok(
        "submit", "--set", "KKNR", "--period", "2024Q2", "--file", str(folder / "q2.csv"),
        "--approved-by", "Talousjohtaja", "--decision", "Kh 12.8.2024 § 140", "--known-at", "2024-08-01T00:00:00Z",
        "--recorded-at", "2024-08-13T08:00:00Z", "--actor", "talous",
    )  # fmt: skip
    assert by_cli.ok("seal").stdout == cli.ok("seal").stdout


def test_the_shipped_lists_load_and_say_that_they_are_unverified(kuntaledger: Kuntaledger) -> None:
    from importlib import resources

    cli = kuntaledger
    cli.ok("init")
    folder = resources.files("ledger").joinpath("data", "classes")
    for kind, name in (("service-class", "service_classes_2024.csv"), ("sector", "sectors_2024.csv")):
        cli.ok("classes", "load", "--kind", kind, "--file", str(folder.joinpath(name)), "--valid-from", "2024-01-01")
        listed = cli.json("classes", "--kind", kind, "--as-of", "2024-12-31")
        assert "NOT VERIFIED" in listed["source"]
        assert listed["entries"] and all(entry["unverified"] for entry in listed["entries"])
