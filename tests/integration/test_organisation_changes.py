"""Organisations change mid-year: units and accounts added after postings (issue 18)."""

from __future__ import annotations

from pathlib import Path

from support.cli_helpers import Kuntaledger

ONE_VOUCHER_ON_B = """voucher;date;account;unit;amount;text
V-1;2024-03-01;4010;B;1 000,00;palkat
V-1;2024-03-01;1900;B;-1 000,00;pankki
"""

MORE_ON_B = """voucher;date;account;unit;amount;text
V-2;2024-04-01;4010;B;500,00;palkat
V-2;2024-04-01;1900;B;-500,00;pankki
"""


def _statement(cli: Kuntaledger, unit: str, *moment: str) -> dict[str, object]:
    statement: dict[str, object] = cli.json("statement", "--unit", unit, "--year", "2024", *moment)
    return statement


def test_a_unit_added_after_postings_leaves_the_store_whole(kuntaledger: Kuntaledger, tmp_path: Path) -> None:
    cli = kuntaledger
    cli.ok("init", "--recorded-at", "2024-01-01T08:00:00Z")
    cli.ok("units", "add", "A", "--name", "A", "--recorded-at", "2024-01-01T08:01:00Z")
    cli.ok("units", "add", "B", "--name", "B", "--parent", "A", "--recorded-at", "2024-01-01T08:02:00Z")
    cli.ok("post", "--file", cli.file("v1.csv", ONE_VOUCHER_ON_B), "--recorded-at", "2024-03-02T08:00:00Z")
    before = _statement(cli, "A", "--known-at", "2024-03-02T09:00:00Z")
    cli.ok("units", "add", "Z", "--name", "Z", "--recorded-at", "2024-03-03T08:00:00Z")

    assert cli("verify").exit_code == 0
    cli.ok("rebuild")
    assert _statement(cli, "A", "--known-at", "2024-03-02T09:00:00Z") == before
    assert [u["code"] for u in cli.json("units", "list")] == ["A", "B", "Z"]
    assert cli.events()[-1]["type"] == "UnitAdded"
    cli.ok("post", "--file", cli.file("v2.csv", MORE_ON_B), "--recorded-at", "2024-04-02T08:00:00Z")
    assert _statement(cli, "A", "--known-at", "2024-03-02T09:00:00Z") == before
    assert cli("verify").exit_code == 0

    exported = tmp_path / "log.json"
    cli.ok("export", "--format", "json", "--output", str(exported))
    fresh = Kuntaledger(f"sqlite:///{tmp_path / 'fresh.db'}", cli.workdir)
    fresh.ok("import-log", str(exported))
    assert _statement(fresh, "A", "--known-at", "2024-03-02T09:00:00Z") == before
    assert _statement(fresh, "A", "--known-at", "2030-01-01") == _statement(cli, "A", "--known-at", "2030-01-01")


ON_THE_NEW_UNIT = """voucher;date;account;unit;amount;text;project
V-3;2024-05-02;4010;B;100,00;palkat;
V-3;2024-05-02;1900;B;-100,00;pankki;
V-4;2024-05-02;9100;C;250,00;uusi tili;P2
V-4;2024-05-02;4010;B;50,00;vanha tili;P1
V-4;2024-05-02;1900;C;-300,00;pankki;
"""


def test_a_rebuild_with_units_accounts_and_projects_added_between_postings_changes_no_report(
    kuntaledger: Kuntaledger,
) -> None:
    """A rebuild applies the whole log in one batch: the additions land between pending postings."""
    cli = kuntaledger
    cli.ok("init")
    cli.ok("units", "add", "A", "--name", "A")
    cli.ok("units", "add", "B", "--name", "B", "--parent", "A")
    cli.ok("projects", "add", "P1", "--name", "Kalusto", "--group", "movable_property", "--unit", "B")
    cli.ok("post", "--file", cli.file("v1.csv", ONE_VOUCHER_ON_B))
    cli.ok("accounts", "add", "9100", "--name", "Uusi tili", "--row", "purchases_of_services")
    cli.ok("projects", "add", "P2", "--name", "Laitteet", "--group", "movable_property", "--unit", "B")
    cli.ok("units", "add", "C", "--name", "C", "--parent", "B")
    cli.ok("post", "--file", cli.file("v3.csv", ON_THE_NEW_UNIT))
    reports = [("statement", "A"), ("statement", "B"), ("statement", "C"), ("investments", "A")]
    moment = ("--year", "2024", "--known-at", "2030-01-01")
    before = [cli.json(report, "--unit", unit, *moment) for report, unit in reports]

    cli.ok("rebuild")

    assert [cli.json(report, "--unit", unit, *moment) for report, unit in reports] == before
    assert cli("verify").exit_code == 0


def _organisation(cli: Kuntaledger) -> None:
    cli.ok("init", "--recorded-at", "2024-01-01T08:00:00Z")
    cli.ok("units", "add", "A", "--name", "A", "--recorded-at", "2024-01-01T08:01:00Z")
    cli.ok("units", "add", "B", "--name", "Vanha B", "--parent", "A", "--recorded-at", "2024-01-01T08:02:00Z")
    cli.ok("post", "--file", cli.file("v1.csv", ONE_VOUCHER_ON_B), "--recorded-at", "2024-03-02T08:00:00Z")


def test_a_report_shows_the_name_in_effect_on_its_as_of_date_as_known_at_its_known_at(
    kuntaledger: Kuntaledger,
) -> None:
    cli = kuntaledger
    _organisation(cli)
    cli.ok("units", "rename", "B", "--name", "Uusi B", "--effective-on", "2024-07-01",
           "--recorded-at", "2024-06-01T08:00:00Z")  # fmt: skip

    def name(as_of: str, known_at: str) -> object:
        return _statement(cli, "B", "--as-of", as_of, "--known-at", known_at)["unit_name"]

    assert name("2024-06-30", "2024-12-31") == "Vanha B"  # before the rename takes effect
    assert name("2024-07-01", "2024-05-31") == "Vanha B"  # before the rename was recorded
    assert name("2024-07-01", "2024-12-31") == "Uusi B"
    assert _statement(cli, "Uusi B", "--as-of", "2024-12-31", "--known-at", "2024-12-31")["unit"] == "B"
    cli.ok("rebuild")
    assert [name("2024-06-30", "2024-12-31"), name("2024-07-01", "2024-12-31")] == ["Vanha B", "Uusi B"]
    assert cli.json("units", "list")[1] == {
        "code": "B", "name": "Uusi B", "parent": "A", "binding": "none", "service_class": None, "closed_on": None,
    }  # fmt: skip
    assert cli.events()[-1]["summary"] == "unit B renamed Uusi B from 2024-07-01"


def test_a_closed_unit_refuses_postings_and_budget_lines_dated_after_its_closing(kuntaledger: Kuntaledger) -> None:
    cli = kuntaledger
    _organisation(cli)
    before = _statement(cli, "A", "--known-at", "2024-03-31T00:00:00Z")
    cli.ok("units", "close", "B", "--on", "2024-03-31", "--recorded-at", "2024-04-01T08:00:00Z")
    length = cli.event_count()

    posted = cli("post", "--file", cli.file("v2.csv", MORE_ON_B))
    budget = cli.file("b.csv", "unit;line;amount\nB;personnel_expenses;-1000\n")
    adopted = cli("budget", "adopt", "--year", "2024", "--file", budget, "--decision", "Kv 1 § 1",
                  "--decided-on", "2024-04-02")  # fmt: skip

    assert posted.exit_code == 2 and "v2.csv line 2, column unit: unit B was closed on 2024-03-31" in posted.stderr
    assert adopted.exit_code == 2 and "b.csv line 2, column unit: unit B was closed on 2024-03-31" in adopted.stderr
    assert cli.event_count() == length
    assert _statement(cli, "A", "--known-at", "2024-03-31T00:00:00Z") == before
    assert cli.json("units", "list")[1]["closed_on"] == "2024-03-31"
    assert cli.events()[-1]["summary"] == "unit B closed on 2024-03-31"


def test_a_unit_is_closed_only_after_its_units_below_and_its_last_posting(kuntaledger: Kuntaledger) -> None:
    cli = kuntaledger
    _organisation(cli)
    cli.ok("units", "add", "C", "--name", "C", "--parent", "A")
    length = cli.event_count()

    parent = cli("units", "close", "A", "--on", "2024-12-31")
    early = cli("units", "close", "B", "--on", "2024-02-29")
    unknown = cli("units", "close", "X", "--on", "2024-12-31")

    assert parent.exit_code == 2
    assert "unit A has units under it open after 2024-12-31: B (Vanha B), C (C); close them first" in parent.stderr
    assert early.exit_code == 2 and "unit B has postings or budget lines dated up to 2024-03-01" in early.stderr
    assert unknown.exit_code == 2 and "no such unit" in unknown.stderr
    assert cli.event_count() == length
    cli.ok("units", "close", "B", "--on", "2024-03-01")
    cli.ok("units", "close", "C", "--on", "2024-06-30")
    again = cli("units", "close", "C", "--on", "2024-07-31")
    assert again.exit_code == 2 and "unit C was closed on 2024-06-30 already" in again.stderr
    cli.ok("units", "close", "A", "--on", "2024-06-30")


def test_an_account_renamed_and_closed_keeps_earlier_journals_and_refuses_later_postings(
    kuntaledger: Kuntaledger, tmp_path: Path
) -> None:
    cli = kuntaledger
    _organisation(cli)
    cli.ok("accounts", "rename", "4010", "--name", "Palkat ja muut palkkiot", "--effective-on", "2024-04-01")
    cli.ok("accounts", "close", "4010", "--on", "2024-03-31")

    refused = cli("post", "--file", cli.file("v2.csv", MORE_ON_B))
    journal = tmp_path / "journal.csv"
    cli.ok("export", "--format", "csv", "--year", "2024", "--as-of", "2024-03-31", "--output", str(journal))

    assert refused.exit_code == 2 and "v2.csv line 2, column account: account 4010 was closed on 2024-03-31" in (
        refused.stderr
    )
    listed = next(a for a in cli.json("accounts", "list") if a["code"] == "4010")
    assert (listed["name"], listed["closed_on"]) == ("Palkat ja muut palkkiot", "2024-03-31")
    text = journal.read_text(encoding="utf-8")
    assert "4010;Palkat ja palkkiot;" in text and "Palkat ja muut palkkiot" not in text  # the name on 31.3.
    assert [e["summary"] for e in cli.events()[-2:]] == [
        "account 4010 renamed Palkat ja muut palkkiot from 2024-04-01",
        "account 4010 closed on 2024-03-31",
    ]
