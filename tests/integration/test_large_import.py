"""Large imports (ADR 0009): the whole file is checked first and every bad line reported;
a dry run writes nothing; the file is recorded in chunks of whole vouchers, and running
it again after an interruption posts the rest exactly once; XLSX reads like CSV."""

from __future__ import annotations

import sqlite3
import tempfile
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from support.cli_helpers import Kuntaledger

from ledger import importing
from ledger.application import Head, Ledger
from ledger.errors import InvalidInput
from ledger.store import tables as t

HEADER = "voucher;date;account;unit;amount;text;project\n"


def _vouchers(count: int, lines_each: int = 3) -> str:
    rows = []
    for n in range(1, count + 1):
        day = f"2024-0{1 + n % 9}-{10 + n % 18}"
        for k in range(lines_each - 1):
            rows.append(f"V-{n:04d};{day};4390;TAL;{10 + k}.{n % 100:02d};lasku {n};\n")
        total = sum(1000 + 100 * k + n % 100 for k in range(lines_each - 1))
        rows.append(f"V-{n:04d};{day};2500;TAL;-{total // 100}.{total % 100:02d};lasku {n};\n")
    return HEADER + "".join(rows)


def _one_date_vouchers(count: int) -> str:
    return HEADER + "".join(
        f"V-{n:04d};2024-03-01;4390;TAL;{n}.00;lasku {n};\nV-{n:04d};2024-03-01;2500;TAL;-{n}.00;lasku {n};\n"
        for n in range(1, count + 1)
    )


@pytest.fixture
def ledger(kuntaledger: Kuntaledger) -> Kuntaledger:
    kuntaledger.ok("init", "--entity", "Testikaupunki")
    kuntaledger.ok("units", "add", "YP", "--name", "Yhteiset palvelut", "--binding", "net")
    kuntaledger.ok("units", "add", "TAL", "--name", "Talouspalvelut", "--parent", "YP")
    return kuntaledger


def _posted(store_url: str) -> list[tuple[str, int]]:
    with Ledger(store_url) as ledger, ledger.state() as state:
        rows = state.conn.execute(t.vouchers.select().order_by(t.vouchers.c.voucher)).all()
    return [(row.voucher, row.position) for row in rows]


def test_every_bad_line_is_reported_with_its_number_and_nothing_is_written(ledger: Kuntaledger) -> None:
    text = _one_date_vouchers(30)
    lines = text.splitlines()
    lines[3] = "V-0002;2024-02-30;4390;TAL;2.00;lasku 2;"  # line 4: no such date
    lines[10] = "V-0005;2024-03-01;9999;TAL;5.00;lasku 5;"  # line 11: unknown account
    lines[21] = "V-0011;2024-03-01;4390;XXX;11.00;lasku 11;"  # line 22: unknown unit
    lines[40] = "V-0020;2024-03-01;4390;TAL;20,5,0;lasku 20;"  # line 41: not an amount
    lines[52] = "V-0026;2024-03-01;2500;TAL;-26.01;lasku 26;"  # line 53: the voucher does not balance
    before = ledger.event_count()
    run = ledger("post", "--file", ledger.file("bad.csv", "\n".join(lines) + "\n"))
    assert run.exit_code == 2
    for where in ("line 4, column date", "line 11, column account", "line 22, column unit"):
        assert f"bad.csv {where}" in run.stderr
    assert "bad.csv line 41, column amount" in run.stderr
    assert "bad.csv line 53, column amount: voucher V-0026 does not balance" in run.stderr
    assert ledger.event_count() == before


def test_a_dry_run_checks_everything_and_writes_nothing(ledger: Kuntaledger) -> None:
    before = ledger.event_count()
    run = ledger.ok("post", "--file", ledger.file("v.csv", _vouchers(40)), "--dry-run")
    assert "dry run, nothing recorded: would post 40 vouchers (120 lines)" in run.stderr
    assert ledger.event_count() == before
    assert _posted(ledger.store_url) == []


def test_a_large_file_is_recorded_in_chunks_of_whole_vouchers(
    ledger: Kuntaledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importing, "CHUNK_LINES", 20)
    run = ledger.ok("post", "--file", ledger.file("v.csv", _vouchers(40)))
    assert "posted 40 vouchers (120 lines) from v.csv in 6 events" in run.stderr
    posted = ledger.events("--type", "VouchersPosted")
    assert len(posted) == 6
    assert len({position for _, position in _posted(ledger.store_url)}) == 6


def test_a_file_out_of_date_order_is_recorded_in_date_order(
    ledger: Kuntaledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importing, "CHUNK_LINES", 2)  # one voucher per event
    monkeypatch.setattr(importing, "SPOOL_BUFFER_LINES", 4)  # runs of a day spooled apart
    dates = ["2024-03-05", "2024-01-10", "2024-03-05", "2024-02-01", "2024-01-10", "2024-12-31"]
    text = HEADER + "".join(
        f"N-{n};{day};4390;TAL;{n + 1}.00;lasku;\nN-{n};{day};2500;TAL;-{n + 1}.00;lasku;\n"
        for n, day in enumerate(dates)
    )
    ledger.ok("post", "--file", ledger.file("v.csv", text))
    by_position = sorted(_posted(ledger.store_url), key=lambda posted: posted[1])
    # by date, and within a day in the order of the file
    assert [voucher for voucher, _ in by_position] == ["N-1", "N-4", "N-3", "N-0", "N-2", "N-5"]


def test_rerunning_an_interrupted_import_posts_the_rest_exactly_once(
    ledger: Kuntaledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importing, "CHUNK_LINES", 30)
    path = Path(ledger.file("v.csv", _vouchers(50)))
    with Ledger(ledger.store_url) as store, tempfile.TemporaryFile() as spool:
        plan = importing.check_file(store, path, spool)
        first = next(plan.chunks())  # the import stops after its first chunk
        importing._record_chunk(store, plan, first, "tester", None, importing.Result(plan))
    assert len(_posted(ledger.store_url)) == len(first) == 10

    run = ledger.ok("post", "--file", str(path))
    assert "posted 40 vouchers (120 lines) from v.csv" in run.stderr
    assert "10 vouchers were already posted identically" in run.stderr
    assert [voucher for voucher, _ in _posted(ledger.store_url)] == [f"V-{n:04d}" for n in range(1, 51)]

    again = ledger.ok("post", "--file", str(path))
    assert "50 vouchers were already posted identically" in again.stderr
    assert len(ledger.events("--type", "VouchersPosted")) == 1 + 4  # the rest in chunks of 30 lines; none more


def test_a_changed_voucher_under_a_used_id_is_refused_before_anything_is_written(ledger: Kuntaledger) -> None:
    ledger.ok("post", "--file", ledger.file("v.csv", _one_date_vouchers(5)))
    changed = _one_date_vouchers(8).replace("V-0003;2024-03-01;4390;TAL;3.00", "V-0003;2024-03-01;4390;TAL;4.00")
    changed = changed.replace("V-0003;2024-03-01;2500;TAL;-3.00", "V-0003;2024-03-01;2500;TAL;-4.00")
    before = ledger.event_count()
    run = ledger("post", "--file", ledger.file("w.csv", changed))
    assert run.exit_code == 2
    assert "w.csv line 6, column voucher: voucher id V-0003 is already used by a different voucher" in run.stderr
    assert ledger.event_count() == before


def test_interleaved_vouchers_are_grouped_as_before(ledger: Kuntaledger) -> None:
    text = HEADER + (
        "A;2024-03-01;4390;TAL;1.00;a;\nB;2024-03-01;4390;TAL;2.00;b;\n"
        "A;2024-03-01;2500;TAL;-1.00;a;\nB;2024-03-01;2500;TAL;-2.00;b;\n"
    )
    run = ledger.ok("post", "--file", ledger.file("v.csv", text))
    assert "posted 2 vouchers (4 lines)" in run.stderr
    assert [voucher for voucher, _ in _posted(ledger.store_url)] == ["A", "B"]


def test_a_voucher_whose_interleaved_parts_each_balance_is_still_one_voucher(ledger: Kuntaledger) -> None:
    # Read in file order, each part of A would pass as a voucher of its own: the repeat
    # of A is what sends the file to be grouped.
    text = HEADER + (
        "A;2024-03-01;4390;TAL;1.00;a;\nA;2024-03-01;2500;TAL;-1.00;a;\n"
        "B;2024-03-01;4390;TAL;2.00;b;\nB;2024-03-01;2500;TAL;-2.00;b;\n"
        "A;2024-03-01;4390;TAL;3.00;a;\nA;2024-03-01;2500;TAL;-3.00;a;\n"
    )
    run = ledger.ok("post", "--file", ledger.file("v.csv", text))
    assert "posted 2 vouchers (6 lines)" in run.stderr
    assert [voucher for voucher, _ in _posted(ledger.store_url)] == ["A", "B"]


def test_quiet_prints_nothing(ledger: Kuntaledger) -> None:
    run = ledger.ok("post", "--file", ledger.file("v.csv", _vouchers(3)), "--quiet")
    assert run.stderr == "" and run.stdout == ""


def test_an_xlsx_workbook_posts_the_same_vouchers_as_its_csv(ledger: Kuntaledger, tmp_path: Path) -> None:
    from openpyxl import Workbook

    text = _vouchers(6) + "P-1;2024-04-01;4390;TAL;1 234,50;kone;\nP-1;2024-04-01;2500;TAL;-1234.50;kone;\n"
    workbook = Workbook()
    sheet = workbook.active
    for number, line in enumerate(text.splitlines()):
        cells: list[object] = list(line.split(";"))
        if number:
            cells[1] = __import__("datetime").date.fromisoformat(str(cells[1]))
            amount = str(cells[4]).replace(" ", "").replace(",", ".")
            cells[4] = float(amount) if number % 2 else amount  # numbers and text both read as amounts
            cells[6] = cells[6] or None
        sheet.append(cells)
    path = tmp_path / "v.xlsx"
    workbook.save(path)
    ledger.ok("post", "--file", str(path))
    again = ledger.ok("post", "--file", ledger.file("v.csv", text))
    assert "7 vouchers were already posted identically" in again.stderr
    assert len(_posted(ledger.store_url)) == 7


def test_an_xlsx_workbook_reports_bad_rows_by_number(ledger: Kuntaledger, tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["voucher", "date", "account", "unit", "amount", "text"])
    sheet.append(["V-1", "2024-03-01", "4390", "TAL", 10, "a"])
    sheet.append(["V-1", "not a date", "2500", "TAL", -10, "a"])
    path = tmp_path / "bad.xlsx"
    workbook.save(path)
    run = ledger("post", "--file", str(path))
    assert run.exit_code == 2
    assert "bad.xlsx line 3, column date" in run.stderr


def test_a_file_that_is_not_a_workbook_is_refused(ledger: Kuntaledger, tmp_path: Path) -> None:
    path = tmp_path / "v.xlsx"
    path.write_text("not a zip", encoding="utf-8")
    with Ledger(ledger.store_url) as store, pytest.raises(InvalidInput, match="not a readable XLSX workbook"):
        importing.import_file(store, path)


def _stored_events(store_url: str) -> list[tuple[int, str, bytes]]:
    """Every stored event's position, topic and bytes as the database holds them (SQLite)."""
    with closing(sqlite3.connect(store_url.removeprefix("sqlite:///"))) as conn:
        query = "SELECT originator_version, topic, state FROM stored_events ORDER BY originator_version"
        return [(int(position), str(topic), bytes(state)) for position, topic, state in conn.execute(query)]


def test_chunks_written_ahead_are_stored_byte_for_byte_as_chunks_written_in_their_turn(
    ledger: Kuntaledger, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """While one chunk is saved and projected, a worker thread writes the next chunk's event
    (ADR 0037): the store holds the same bytes as when each chunk is written in its turn."""
    if not ledger.store_url.startswith("sqlite:///"):
        pytest.skip("copies the store's file")
    monkeypatch.setattr(importing, "CHUNK_LINES", 30)
    path = Path(ledger.file("v.csv", _vouchers(50)))
    write_ahead, written_ahead = importing._write_ahead, []
    stamp, stamped = Ledger._stamped, []

    def counted(*args: Any) -> Any:
        written_ahead.append(args)
        return write_ahead(*args)

    def stamp_counted(*args: Any) -> Any:
        stamped.append(args)
        return stamp(*args)

    monkeypatch.setattr(Ledger, "_stamped", staticmethod(stamp_counted))

    stores, moment = {}, datetime.now(UTC)  # the same recording time for both
    for mode in ("ahead", "in turn"):
        copy = tmp_path / f"{mode.replace(' ', '-')}.db"
        copy.write_bytes(Path(ledger.store_url.removeprefix("sqlite:///")).read_bytes())
        stores[mode] = f"sqlite:///{copy}"
        with monkeypatch.context() as patch:
            if mode == "ahead":
                patch.setattr(importing, "_write_ahead", counted)
            else:
                patch.setattr(importing, "_written_ahead", lambda _future: None)
            with Ledger(stores[mode]) as store:
                result = importing.import_file(store, path, actor="tester", recorded_at=moment)
        assert result.events == 5
        if mode == "ahead":
            assert len(written_ahead) == 4  # every chunk after the first
            assert len(stamped) == 5  # the first chunk in its turn, the others ahead, none again
    assert len(stamped) == 5 + 4 + 5  # in turn: each written ahead, then again in its turn
    ahead, in_turn = _stored_events(stores["ahead"]), _stored_events(stores["in turn"])
    assert len(ahead) == len(in_turn) and ahead == in_turn


def test_an_event_written_ahead_for_an_older_head_is_stamped_again_in_its_turn(
    ledger: Kuntaledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another writer records between two chunks: the chunk written ahead (for a head that
    is no longer the log's) is not used; the chunk is stamped at the new head."""
    monkeypatch.setattr(importing, "CHUNK_LINES", 30)
    path = Path(ledger.file("v.csv", _one_date_vouchers(20)))
    with Ledger(ledger.store_url) as store, tempfile.TemporaryFile() as spool:
        plan = importing.check_file(store, path, spool)
        first, second = plan.chunks()
        heads: list[Head] = []
        importing._record_chunk(store, plan, first, "tester", None, importing.Result(plan), on_stamped=heads.append)
        ahead = importing._write_ahead(store, heads[0], second, plan.source, None)
        other = HEADER + "W-1;2024-03-01;4390;TAL;1.00;w;\nW-1;2024-03-01;2500;TAL;-1.00;w;\n"
        ledger.ok("post", "--file", ledger.file("w.csv", other))
        importing._record_chunk(store, plan, second, "tester", None, importing.Result(plan), written=ahead)
    positions = dict(_posted(ledger.store_url))
    assert positions["W-1"] == ahead.event.position  # the other writer took the position written ahead
    assert positions["V-0016"] == ahead.event.position + 1
    ledger.ok("verify")


def _checked(store: Ledger, path: Path) -> object:
    """What the check makes of a file: its problems, or its plan and the chunks it spooled."""
    with tempfile.TemporaryFile() as spool:
        try:
            plan = importing.check_file(store, path, spool)
        except InvalidInput as error:
            return str(error)
        counts = (plan.lines, plan.vouchers, plan.new_vouchers, plan.new_lines, plan.repeated, plan.contiguous)
        return counts, list(plan.chunks())


def _variants() -> dict[str, str]:
    good = _vouchers(400)
    lines = good.splitlines(keepends=True)
    late, early = len(lines) * 3 // 4, len(lines) // 4

    def put(at: int, line: str, instead: bool = True) -> str:
        return "".join([*lines[:at], line, *lines[at + instead :]])

    return {
        "good": good,
        "a bad amount late": put(late, "V-0300;2024-03-01;4390;TAL;x;bad;\n"),
        "a bad date early": put(early, "V-0100;2024-02-30;4390;TAL;1.00;bad;\n"),
        "a line too few late": put(late, "V-0300;2024-03-01;4390\n"),
        "an id of the first half again late": put(late, lines[1], instead=False),
        "a voucher's run across the middle": _vouchers(3, lines_each=300),
        "a quote": good.replace("lasku 7;", '"lasku 7";'),
    }


def test_a_file_checked_in_two_processes_is_checked_as_in_one(
    ledger: Kuntaledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large file's second half is checked in a child process (ADR 0037): the plan, the
    spooled chunks and every problem reported are those of the check in one process."""
    from ledger import csvfiles

    monkeypatch.setattr(csvfiles, "SPLIT_MIN_BYTES", 0)
    in_two = importing._check_in_two
    finished_in_two: list[str] = []

    def counted(*args: Any) -> Any:
        plan = in_two(*args)
        finished_in_two.append(plan.source)
        return plan

    monkeypatch.setattr(importing, "_check_in_two", counted)
    ledger.ok("post", "--file", ledger.file("posted.csv", _vouchers(400).replace("V-0", "P-0")))
    changed = _vouchers(400).replace("V-0", "P-0").replace("P-0350;", "P-0350;").replace("lasku 350;", "changed;")
    variants = {**_variants(), "a changed voucher posted before": changed}
    with Ledger(ledger.store_url) as store:
        for name, text in variants.items():
            path = Path(ledger.file(f"{name}.csv", text))
            in_two_processes = _checked(store, path)
            with monkeypatch.context() as patch:
                patch.setattr(importing, "_may_fork", lambda: False)
                in_one = _checked(store, path)
            assert in_two_processes == in_one, name
            assert isinstance(in_one, str) == (name not in ("good", "a voucher's run across the middle", "a quote")), (
                name
            )
    assert "P-0350 is already used by a different voucher" in str(in_one)
    # the three files with nothing wrong and no quote (one of them posted before) were checked
    # in two; not beside the PostgreSQL driver's pool threads (`importing._may_fork`)
    in_two_expected = ["posted.csv", "good.csv", "a voucher's run across the middle.csv"]
    assert finished_in_two == (in_two_expected if ledger.store_url.startswith("sqlite") else [])
