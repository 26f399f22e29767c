"""Organisations change mid-year: units and accounts added after postings (issue 18)."""

from __future__ import annotations

from pathlib import Path

from cli_helpers import Kuntaledger

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
