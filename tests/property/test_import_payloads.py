"""The hand-written voucher JSON (ledger/payloads.py) and CSV reader agree with the plain paths.

Every recorded `VouchersPosted` is written straight from the checked lines; its stored
bytes, its chain hash and its content hashes must be those of the pydantic event dumped
the plain way, and the event the mapper decodes from it must dump to the same bytes. The
voucher file's fast CSV reader must give the lines and the problems of the line-by-line
reader it stands in for, whatever the bytes."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from pathlib import Path
from tempfile import TemporaryDirectory

from eventsourcing.persistence import JSONTranscoder
from hypothesis import example, given
from hypothesis import strategies as st

from ledger import events as ev
from ledger.chain import next_hash
from ledger.csvfiles import ErrorCollector, PostingParser, posting_cells, posting_lines
from ledger.errors import InvalidInput
from ledger.mapper import PydanticMapper
from ledger.payloads import content_hash, prepare, render
from ledger.store.stored_vouchers import raw_lines, voucher_in_payload

texts = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)  # a lone surrogate is no UTF-8
codes = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=6)
lines = st.tuples(
    st.sampled_from(["4300", "3000", 'Ä"1']) | codes,
    st.sampled_from(["YP", "TAL"]) | codes,
    st.none() | st.sampled_from(["P-1"]) | texts,
    st.integers(-(10**15), 10**15),
    texts,
)
vouchers = st.lists(
    st.tuples(codes, st.dates(), st.lists(lines, min_size=1, max_size=5)),
    max_size=6,
    unique_by=lambda voucher: voucher[0],
)


def _content_hash(effective_on: date, posted: list[tuple[str, str, str | None, int, str]]) -> str:
    """The content hash as ledger/payloads.py documents it: sha-256 of the sorted-key JSON dump."""
    keys = ("account", "unit", "project", "amount_cents", "text")
    document = {
        "effective_on": effective_on.isoformat(),
        "lines": [dict(zip(keys, line, strict=True)) for line in posted],
    }
    return hashlib.sha256(json.dumps(document, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _model_event(
    chunk: list[tuple[str, date, list[tuple[str, str, str | None, int, str]]]], header: dict[str, object]
) -> ev.VouchersPosted:
    return ev.VouchersPosted.model_validate(
        {
            **header,
            "vouchers": tuple(
                ev.Voucher(
                    voucher=voucher_id,
                    effective_on=effective_on,
                    lines=tuple(
                        ev.PostingLine(account=a, unit=u, project=p, amount_cents=c, text=t) for a, u, p, c, t in posted
                    ),
                    content_hash=_content_hash(effective_on, posted),
                )
                for voucher_id, effective_on, posted in chunk
            ),
        }
    )


@given(
    vouchers,
    st.datetimes(timezones=st.just(UTC)),
    texts,
    texts,
    st.integers(1, 10**6),
    st.sampled_from(["0" * 64, "f" * 64]),
)
def test_a_rendered_chunk_is_stored_and_chained_as_the_pydantic_event(
    chunk: list[tuple[str, date, list[tuple[str, str, str | None, int, str]]]],
    recorded_at: datetime,
    actor: str,
    source: str,
    position: int,
    previous: str,
) -> None:
    header = {
        "originator_id": ev.LEDGER_ID,
        "originator_version": position,
        "recorded_at": recorded_at,
        "actor": actor,
        "chain_hash": "",
        "source": source,
    }
    unstamped = _model_event(chunk, header)
    chain_hash = next_hash(previous, unstamped.TOPIC, position, unstamped.content())
    event = unstamped.model_copy(update={"chain_hash": chain_hash})
    state = event.model_dump(mode="json", exclude={"originator_id", "originator_version"})
    stored = json.dumps(state, separators=(",", ":"), ensure_ascii=False).encode()

    rendered = render(chunk)
    prepared = prepare(ev.VouchersPosted.model_validate({**header, "vouchers": ()}), rendered, previous)

    assert rendered.content_hashes == tuple(v.content_hash for v in event.vouchers)
    assert rendered.content_hashes == tuple(content_hash(day, posted) for _, day, posted in chunk)
    assert rendered.ids == tuple(v.voucher for v in event.vouchers)
    assert rendered.lines == sum(len(v.lines) for v in event.vouchers)
    assert prepared.chain_hash == chain_hash
    assert prepared.payload == stored
    mapper = PydanticMapper(transcoder=JSONTranscoder())
    decoded = mapper.to_domain_event(mapper.to_stored_event(prepared))
    assert decoded == event  # field by field
    assert mapper.to_stored_event(decoded).state == prepared.payload


CELLS = st.one_of(
    st.sampled_from(["V-1", "V-2", "2024-03-01", "1.3.2024", "31.2.2024", "4300", "YP", "12,50", "-12.50", "1 000,00"]),
    st.sampled_from(["", " ", '"', '""', ";", ",", "\r", "\n", "\r\n", "\x00", "ä", "\ufeff", "x" * 3]),
    st.text(max_size=4),
)
ROWS = st.lists(st.lists(CELLS, min_size=0, max_size=8).map(";".join), max_size=8)
HEADERS = st.sampled_from(
    [
        "voucher;date;account;unit;amount;text;project",
        "voucher;date;account;unit;amount;text",
        "text;amount;unit;account;date;voucher;project",
        "voucher,date,account,unit,amount,text,project",
        "\ufeffvoucher;date;account;unit;amount;text;project",
        "voucher;date;account",
        "",
    ]
)


def _read(reader, path: Path) -> tuple[list[object], list[str]] | str:  # type: ignore[no-untyped-def]
    errors = ErrorCollector(path.name)
    try:
        return list(reader(path, errors)), errors.messages
    except InvalidInput as error:
        return str(error)


def _line_by_line(path: Path, errors: ErrorCollector) -> list[object]:
    parse = PostingParser(errors).parse
    return [(number, cells[0], parse(number, cells)) for number, cells in posting_cells(path)]


@given(
    HEADERS, ROWS, st.sampled_from(["\n", "\r\n"]), st.sampled_from([b"", b"\xff", b"\xc3", b"\x00"]), st.integers(0)
)
@example("voucher;date;account;unit;amount;text;project", ["V-1;2024-03-01;4300;YP;1,00;a;"] * 2, "\n", b"\xff", 60)
@example("voucher;date;account;unit;amount;text;project", ['V-1;2024-03-01;4300;YP;1,00;"a\n b";'], "\r\n", b"", 0)
def test_the_fast_csv_reader_reads_and_refuses_as_the_line_by_line_reader(
    header: str, rows: list[str], newline: str, odd_bytes: bytes, where: int
) -> None:
    data = (header + newline + newline.join(rows)).encode()
    where %= len(data) + 1
    data = data[:where] + odd_bytes + data[where:]  # bytes that are not UTF-8, or a NUL
    with TemporaryDirectory() as directory:
        path = Path(directory) / "v.csv"
        path.write_bytes(data)
        assert _read(posting_lines, path) == _read(_line_by_line, path)


def test_a_nul_in_a_rendered_text_is_unstorable_but_text_that_looks_like_its_json_is_not() -> None:
    def chunk(text: str) -> list[tuple[str, date, list[tuple[str, str, str | None, int, str]]]]:
        return [("V-1", date(2024, 3, 1), [("4300", "YP", None, 100, text), ("1900", "YP", None, -100, "")])]

    assert render(chunk("a\x00b")).unstorable() is not None
    assert render(chunk("a\\u0000b")).unstorable() is None
    assert render(chunk("ab")).unstorable() is None


@given(vouchers, codes)
@example(
    [
        ("A", date(2024, 3, 1), [("4300", "YP", None, 5, '{"voucher":"B","lines":[]},')]),
        ("B", date(2024, 3, 2), [("4300", "YP", None, 7, "b")]),
    ],
    "C",
)
def test_one_voucher_read_from_a_stored_payload_is_that_voucher_decoded_whole(
    chunk: list[tuple[str, date, list[tuple[str, str, str | None, int, str]]]], absent: str
) -> None:
    header = {
        "originator_id": ev.LEDGER_ID,
        "originator_version": 1,
        "recorded_at": datetime(2025, 1, 1, tzinfo=UTC),
        "actor": "a",
        "chain_hash": "",
        "source": "s",
    }
    prepared = prepare(ev.VouchersPosted.model_validate({**header, "vouchers": ()}), render(chunk), "0" * 64)
    whole = {voucher["voucher"]: raw_lines(voucher) for voucher in json.loads(prepared.payload)["vouchers"]}
    for voucher_id, _day, posted in chunk:
        assert voucher_in_payload(prepared.payload, voucher_id) == whole[voucher_id]
        assert whole[voucher_id] == [line[:4] for line in posted]
    if absent not in whole:
        assert voucher_in_payload(prepared.payload, absent) is None
