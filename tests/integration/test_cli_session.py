"""The scripted session of issue 2, and the shapes of the list commands' JSON."""

from __future__ import annotations

from datetime import UTC, datetime

from support.cli_helpers import Kuntaledger

VOUCHERS = """voucher;date;account;unit;amount;text
V-1;2024-03-01;4010;TAL;1 000,50;palkat maaliskuu
V-1;2024-03-01;1900;TAL;-1 000,50;pankki
V-2;05.03.2024;3000;TAL;-200.00;myynti
V-2;05.03.2024;1900;TAL;200.00;pankki
"""

OPERATING_PLAN_MOVE = """unit;line;amount
TAL;personnel_expenses;-10 000
HEN;purchases_of_services;10 000
"""


def test_scripted_session_records_every_step_with_its_actor_and_recorded_at(
    kuntaledger: Kuntaledger,
) -> None:
    cli = kuntaledger
    budget = cli.file("budget.csv", "unit;line;amount\nTAL;personnel_expenses;-400 000\nHEN;sales_income;5000\n")
    vouchers = cli.file("vouchers.csv", VOUCHERS)
    amendment = cli.file("amendment.csv", OPERATING_PLAN_MOVE)

    steps = [
        ("alice", "2024-01-02T08:00:00Z", ["init", "--entity", "Heinolan kaupunki"]),
        ("alice", "2024-01-02T08:05:00Z", ["units", "add", "YP", "--name", "Yhteiset palvelut", "--binding", "net"]),
        ("alice", "2024-01-02T08:06:00Z", ["units", "add", "TAL", "--name", "Talouspalvelut", "--parent", "YP"]),
        ("alice", "2024-01-02T08:07:00Z", ["units", "add", "HEN", "--name", "Henkilöstöpalvelut", "--parent", "YP"]),
        (
            "bob",
            "2024-01-03T09:00:00+02:00",
            ["budget", "adopt", "--year", "2024", "--file", budget, "--decision", "Kv 11.12.2023 § 85",
             "--decided-on", "2023-12-11"],
        ),
        ("carol", "2024-03-10T12:00:00Z", ["post", "--file", vouchers]),
        (
            "bob",
            "2024-06-02T10:00:00Z",
            ["budget", "amend", "--year", "2024", "--kind", "operating-plan", "--file", amendment,
             "--decision", "Kh 1.6.2024 § 5", "--decided-on", "1.6.2024", "--reason", "staff moved to HR"],
        ),
        ("carol", "2024-06-03T10:00:00Z", ["reverse", "V-1", "--on", "2024-06-03", "--reason", "wrong period"]),
    ]  # fmt: skip
    for actor, moment, args in steps:
        cli.ok(*args, "--actor", actor, "--recorded-at", moment)

    events = cli.events()

    assert [e["type"] for e in events] == [
        "LedgerInitialised",
        "AccountsAdded",
        "InvestmentGroupsAdded",
        "UnitAdded",
        "UnitAdded",
        "UnitAdded",
        "BudgetAdopted",
        "VouchersPosted",
        "BudgetAmended",
        "VoucherReversed",
    ]
    assert [e["position"] for e in events] == list(range(1, len(events) + 1))
    # init records three events at one moment, by one actor; every later step one event.
    expected = [("alice", "2024-01-02T08:00:00+00:00")] * 3 + [
        ("alice", "2024-01-02T08:05:00+00:00"),
        ("alice", "2024-01-02T08:06:00+00:00"),
        ("alice", "2024-01-02T08:07:00+00:00"),
        ("bob", "2024-01-03T07:00:00+00:00"),  # +02:00 is shown in UTC
        ("carol", "2024-03-10T12:00:00+00:00"),
        ("bob", "2024-06-02T10:00:00+00:00"),
        ("carol", "2024-06-03T10:00:00+00:00"),
    ]
    assert [(e["actor"], e["recorded_at"]) for e in events] == expected
    stamps = [datetime.fromisoformat(e["recorded_at"]) for e in events]
    assert stamps == sorted(stamps)
    assert "V-1" in events[-1]["summary"] and "wrong period" in events[-1]["summary"]
    assert "2 vouchers" in events[7]["summary"]


def test_a_step_without_recorded_at_is_stamped_now_after_the_previous_events(kuntaledger: Kuntaledger) -> None:
    kuntaledger.ok("init", "--recorded-at", "2024-01-02T08:00:00Z")
    before = datetime.now(UTC).replace(microsecond=0)
    kuntaledger.ok("units", "add", "YP", "--name", "Yhteiset palvelut", "--actor", "dave")
    after = datetime.now(UTC)

    last = kuntaledger.events()[-1]

    assert last["actor"] == "dave"
    assert last["recorded_at"].endswith("+00:00")
    assert before <= datetime.fromisoformat(last["recorded_at"]) <= after


def test_events_filters_by_type_unit_and_year(ledger_2024: Kuntaledger) -> None:
    cli = ledger_2024
    cli.ok("post", "--file", cli.file("v.csv", VOUCHERS))

    units_added = cli.events("--type", "UnitAdded")
    touching_tal = cli.events("--unit", "TAL")
    of_2024 = cli.events("--year", "2024")
    of_2023 = cli.events("--year", "2023")

    assert [e["summary"].split()[1] for e in units_added] == ["YP", "TAL", "HEN", "TEK", "KAD", "TIE"]
    assert [e["type"] for e in touching_tal] == ["UnitAdded", "BudgetAdopted", "VouchersPosted"]
    assert [e["type"] for e in of_2024] == ["BudgetAdopted", "VouchersPosted"]
    assert of_2023 == []


def test_list_commands_give_exactly_the_documented_keys(ledger_2024: Kuntaledger) -> None:
    cli = ledger_2024
    cli.ok("accounts", "add", "4315", "--name", "Konsulttipalvelut", "--row", "purchases_of_services")
    cli.ok("accounts", "add", "1910", "--name", "Toinen pankkitili", "--class", "balance-sheet")

    units = cli.json("units", "list")
    accounts = cli.json("accounts", "list")
    events = cli.json("events")

    assert all(set(u) == {"code", "name", "parent", "binding", "service_class", "closed_on"} for u in units)
    assert all(set(a) == {"code", "name", "row", "class", "closed_on"} for a in accounts)
    assert events, "the store holds the history ledger_2024 recorded"
    assert all(set(e) == {"position", "recorded_at", "actor", "type", "summary", "illustrative"} for e in events)
    unclassed = {"service_class": None, "closed_on": None}
    assert {"code": "TAL", "name": "Talouspalvelut", "parent": "YP", "binding": "none", **unclassed} in units
    assert {"code": "YP", "name": "Yhteiset palvelut", "parent": None, "binding": "net", **unclassed} in units
    by_code = {a["code"]: a for a in accounts}
    assert by_code["4315"] == {
        "code": "4315",
        "name": "Konsulttipalvelut",
        "row": "purchases_of_services",
        "class": "income-statement",
        "closed_on": None,
    }
    assert by_code["1910"] == {
        "code": "1910",
        "name": "Toinen pankkitili",
        "row": None,
        "class": "balance-sheet",
        "closed_on": None,
    }
    assert {a["class"] for a in accounts} == {"income-statement", "balance-sheet"}


def test_table_format_prints_the_columns_and_rows(ledger_2024: Kuntaledger) -> None:
    table = ledger_2024.ok("units", "list").stdout

    for word in ("code", "name", "parent", "binding", "Talouspalvelut", "gross"):
        assert word in table


def test_posting_the_identical_file_again_records_nothing_and_says_so(ledger_2024: Kuntaledger) -> None:
    cli = ledger_2024
    vouchers = cli.file("v.csv", VOUCHERS)
    cli.ok("post", "--file", vouchers)
    count = cli.event_count()

    again = cli("post", "--file", vouchers)

    assert again.exit_code == 0
    assert "already posted identically" in again.stderr
    assert cli.event_count() == count
