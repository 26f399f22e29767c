"""The projector's one posting path (ledger/store/postings.py) takes vouchers as plain
data: read straight from the stored JSON of an event of the current class version, or
decoded by pydantic (and its upcasters) from one of an older version. Either way every
read-model table comes out row for row the same, reversals and carried balances included."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from ledger import commands
from ledger import events as ev
from ledger.application import Ledger
from ledger.importing import import_file
from ledger.store import projector, stored_vouchers
from ledger.store import tables as t

T0 = datetime(2024, 1, 2, 8, 0, tzinfo=UTC)
VOUCHERS = """voucher;date;account;unit;amount;text;project
V-1;2024-03-01;4010;TAL;12,34;palkka ä "x";
V-1;2024-03-01;2500;TAL;-12,34;velka;
V-2;2024-03-01;1130;TAL;1000.00;kone;P-1
V-2;2024-03-01;2500;TAL;-1000.00;kone;
V-3;2024-05-02;3000;HEN;-50.00;myynti;
V-3;2024-05-02;3000;HEN;-25.00;myynti;
V-3;2024-05-02;1500;HEN;75.00;saaminen;
V-4;2023-12-31;4390;HEN;5.00;edellinen vuosi;
V-4;2023-12-31;2500;HEN;-5.00;edellinen vuosi;
"""


def _snapshot(ledger: Ledger) -> dict[str, list[tuple[object, ...]]]:
    with ledger.state() as state:
        return {
            table.name: sorted(
                (tuple(row) for row in state.conn.execute(select(*[c for c in table.c if c.name != "id"]))),
                key=repr,
            )
            for table in t.PROJECTED_TABLES
        }


def _history(ledger: Ledger, tmp_path: Path) -> None:
    ledger.record(commands.initialise("Testikaupunki", "budget-minus-actual"), actor="a", recorded_at=T0,
                  require_initialised=False)  # fmt: skip
    ledger.record(commands.add_unit("YP", "Yhteiset palvelut", None, "net"), actor="a")
    ledger.record(commands.add_unit("TAL", "Talouspalvelut", "YP", "none"), actor="a")
    ledger.record(commands.add_unit("HEN", "Henkilöstöpalvelut", "YP", "none"), actor="a")
    ledger.record(commands.add_project("P-1", "Kone", "movable_property", "TAL"), actor="a")
    path = tmp_path / "v.csv"
    path.write_text(VOUCHERS, encoding="utf-8")
    import_file(ledger, path, actor="b")
    ledger.record(commands.reverse("V-2", date(2024, 6, 1), "väärä"), actor="c")
    ledger.record(commands.reverse("V-3", date(2024, 6, 2), "väärä"), actor="c")


def _as_an_older_class_version(ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """From now on the stored VouchersPosted events are of an older class version than the
    code's: they go through pydantic and an upcaster (here one that changes nothing).
    Returns the positions of the posting events decoded, as they are."""
    monkeypatch.setattr(ev.VouchersPosted, "class_version", ev.VouchersPosted.class_version + 1)
    upcast = f"upcast_v{ev.VouchersPosted.class_version - 1}_v{ev.VouchersPosted.class_version}"
    monkeypatch.setattr(ev.VouchersPosted, upcast, staticmethod(lambda state: None), raising=False)
    decoded: list[int] = []
    decode = ledger.projector.decode

    def counting(notification: object) -> ev.LedgerEvent:
        event = decode(notification)
        if isinstance(event, ev.VouchersPosted):
            decoded.append(event.position)
        return event

    monkeypatch.setattr(ledger.projector, "decode", counting)
    return decoded


def test_a_posting_event_of_an_older_class_version_writes_the_rows_of_the_current_one(
    store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Ledger(store_url) as ledger:
        _history(ledger, tmp_path)
        ledger.rebuild()
        current = _snapshot(ledger)
        decoded = _as_an_older_class_version(ledger, monkeypatch)
        ledger.rebuild()
        older = _snapshot(ledger)
    assert current["rm_vouchers"] and current["rm_amounts"] and current["rm_balance_versions"]
    assert decoded  # the older payload went through pydantic: the posting and the reversals' lookups
    assert older == current


def test_a_reversal_of_a_voucher_posted_in_the_same_batch_negates_its_lines(store_url: str, tmp_path: Path) -> None:
    with Ledger(store_url) as ledger:
        _history(ledger, tmp_path)
        ledger.rebuild()  # one batch holds the posting and both reversals
        with ledger.state() as state:
            reversed_ = (
                state.conn.execute(
                    select(t.vouchers.c.voucher)
                    .where(t.vouchers.c.reversed_on.is_not(None))
                    .order_by(t.vouchers.c.voucher)
                )
                .scalars()
                .all()
            )
            total = sum(state.conn.execute(select(t.amounts.c.amount_cents)).scalars())
    assert reversed_ == ["V-2", "V-3"]
    assert total == 0  # every voucher balances, and so does every reversal


LATER = """voucher;date;account;unit;amount;text;project
V-5;2024-05-02;3000;HEN;-7.00;myynti;
V-5;2024-05-02;1500;HEN;7.00;saaminen;
V-6;2024-07-01;4010;TAL;3.00;palkka;
V-6;2024-07-01;2500;TAL;-3.00;velka;
"""
BACK_DATED = """voucher;date;account;unit;amount;text;project
V-7;2024-02-15;3000;HEN;-11.00;myynti;
V-7;2024-02-15;1500;HEN;11.00;saaminen;
V-8;2024-07-01;4010;HEN;2.00;palkka;
V-8;2024-07-01;2500;HEN;-2.00;velka;
"""


def _post(ledger: Ledger, tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    import_file(ledger, path, actor="b")


def test_balances_carried_between_catch_ups_equal_a_rebuild(store_url: str, tmp_path: Path) -> None:
    """Each catch-up goes on from the newest balances the previous one left in memory:
    postings on a key's newest day, after it and before it all end as a rebuild has them."""
    with Ledger(store_url) as ledger:
        _history(ledger, tmp_path)
        _post(ledger, tmp_path, "later.csv", LATER)  # same day as V-3, and a later one
        _post(ledger, tmp_path, "back.csv", BACK_DATED)  # before the newest day, and on it
        ledger.record(commands.reverse("V-5", date(2024, 7, 1), "väärä"), actor="c")
        carried = _snapshot(ledger)
        ledger.rebuild()
        rebuilt = _snapshot(ledger)
    assert carried["rm_balance_versions"] and carried == rebuilt


def test_a_catch_up_after_another_process_advanced_reads_the_balances_again(store_url: str, tmp_path: Path) -> None:
    """Balances carried in one process are stale once another has applied events: the
    first process must not build on them (the position it left is not where it goes on)."""
    with Ledger(store_url) as first, Ledger(store_url) as second:
        _history(first, tmp_path)
        _post(first, tmp_path, "later.csv", LATER)  # `first` now carries balances
        _post(second, tmp_path, "back.csv", BACK_DATED)  # `second` applies these
        _post(first, tmp_path, "more.csv", LATER.replace("V-5", "V-9").replace("V-6", "V-10"))
        carried = _snapshot(first)
        first.rebuild()
        rebuilt = _snapshot(first)
    assert carried == rebuilt


def test_many_reversals_into_one_stored_event_find_the_same_lines_however_they_search(
    store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first reversals into a stored event read their voucher alone; the later ones
    index the whole event (stored_vouchers.PARTLY_SEARCHED), decoded by pydantic when it
    is of an older class version: all give the vouchers' lines."""
    count = stored_vouchers.PARTLY_SEARCHED + 3
    with Ledger(store_url) as ledger:
        _history(ledger, tmp_path)
        many = "".join(
            f"M-{n};2024-04-0{1 + n % 5};4010;TAL;{n}.25;palkka {n};\n"
            f"M-{n};2024-04-0{1 + n % 5};2500;TAL;-{n}.25;velka;\n"
            for n in range(count)
        )
        _post(ledger, tmp_path, "many.csv", "voucher;date;account;unit;amount;text;project\n" + many)
        for n in reversed(range(count)):
            ledger.record(commands.reverse(f"M-{n}", date(2024, 8, 1), "väärä"), actor="c")
        monkeypatch.setattr(projector, "BATCH_LINES", 1)  # each posting event ends its batch
        ledger.rebuild()  # so one batch holds every reversal, none of the postings
        partly = _snapshot(ledger)
        monkeypatch.setattr(stored_vouchers, "PARTLY_SEARCHED", 0)
        ledger.rebuild()
        indexed = _snapshot(ledger)
        _as_an_older_class_version(ledger, monkeypatch)
        ledger.rebuild()
        decoded = _snapshot(ledger)
    reversed_ = [row for row in partly["rm_vouchers"] if str(row[0]).startswith("M-") and row[4] is not None]
    assert len(reversed_) == count
    assert partly == indexed == decoded


NETTING_BACK_DATED = """voucher;date;account;unit;amount;text;project
B-1;2024-02-01;4010;TAL;5.00;palkka;
B-1;2024-02-01;2500;TAL;-5.00;velka;
B-2;2024-02-02;4010;TAL;-5.00;palkka oikaistu;
B-2;2024-02-02;2500;TAL;5.00;velka;
"""


def test_a_back_dated_event_whose_changes_net_to_nothing_keeps_the_newest_balance(
    store_url: str, tmp_path: Path
) -> None:
    """One event moves a key's balance on an early day and back the next: later days do not
    move, yet the key's latest version must still be of its newest day (ADR 0007, Revision 2)."""
    from projections.statement import fold_statement, query_statement

    with Ledger(store_url) as ledger:
        _history(ledger, tmp_path)  # TAL's personnel costs: on 1.3.2024, after this event's days
        _post(ledger, tmp_path, "netting.csv", NETTING_BACK_DATED)
        events = list(ledger.events())
        known_now = datetime(2030, 1, 1, tzinfo=UTC)
        with ledger.state() as state:
            for unit in ("TAL", "YP"):
                for as_of in (date(2024, 2, 1), date(2024, 2, 2), date(2024, 12, 31)):
                    expected = fold_statement(events, unit, 2024, as_of, known_now)
                    assert query_statement(state.conn, unit, 2024, as_of, known_now) == expected


def test_a_back_dated_posting_recorded_later_is_not_known_before_it(store_url: str, tmp_path: Path) -> None:
    """Known before a back-dated posting, a day before the key's newest day reads the
    version of that day known then, passing over the one the later posting wrote."""
    import time

    from projections.statement import fold_statement, query_statement

    with Ledger(store_url) as ledger:
        _history(ledger, tmp_path)
        _post(ledger, tmp_path, "later.csv", LATER)  # HEN's operating income: newest day 2.5.
        time.sleep(0.01)
        between = datetime.now(UTC)
        time.sleep(0.01)
        _post(ledger, tmp_path, "back.csv", BACK_DATED)  # HEN's income on 15.2., recorded after `between`
        events = list(ledger.events())
        with ledger.state() as state:
            for unit in ("HEN", "YP"):
                for as_of in (date(2024, 3, 31), date(2024, 5, 2), date(2024, 12, 31)):
                    expected = fold_statement(events, unit, 2024, as_of, between)
                    assert query_statement(state.conn, unit, 2024, as_of, between) == expected
