"""`kuntaledger serve`: the read-only web view, through Flask's test client.

Every page answers; `format=` returns the command's own bytes; any method but GET and
HEAD is a 405; a bad parameter a one-line 400; texts from events are escaped; and no
request changes the store.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import re
import socket
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from support.cli_helpers import Kuntaledger

from cli.web.site import CSP, create_app

ZONE = "Europe/Helsinki"
YEAR_END = "2024-12-31"
BEFORE_CORRECTION = "2025-04-01T00:00:00+00:00"  # the demo's correction is recorded on 15.04.2025
AFTER_CORRECTION = "2025-04-16T00:00:00+00:00"
REPORTS = ("statement", "summary", "investments", "goals", "risks")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Kuntaledger:
    """The Heinola 2024 demo, loaded once for the module."""
    folder = tmp_path_factory.mktemp("web-demo")
    cli = Kuntaledger(f"sqlite:///{folder / 'demo.db'}", folder)
    cli.ok("demo")
    return cli


@pytest.fixture(scope="module")
def client(demo: Kuntaledger) -> Any:
    return create_app(demo.store_url, ZONE).test_client()


def pinned(page: str, **params: str) -> str:
    query = {"unit": "YP", "year": "2024", "as_of": YEAR_END, "known_at": AFTER_CORRECTION, **params}
    return f"/{page}?" + "&".join(f"{key}={value.replace('+', '%2B')}" for key, value in query.items())


def one_line_error(response: Any) -> str:
    text = response.get_data(as_text=True)
    assert "Traceback" not in text
    found = re.findall(r'<p class="error" id="message">(.*?)</p>', text)
    assert len(found) == 1, text
    assert "\n" not in found[0]
    return html.unescape(found[0])


@pytest.mark.parametrize("page", REPORTS)
def test_each_report_page_shows_its_table_with_the_four_pins(client: Any, page: str) -> None:
    response = client.get(pinned(page))

    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert '<table class="report">' in text
    assert 'id="pin-unit">YP<' in text
    assert 'id="pin-year">2024<' in text
    assert f'id="pin-as-of">{YEAR_END}<' in text
    assert 'id="pin-known-at">2025-04-16T03:00:00+03:00<' in text
    assert response.headers["Content-Security-Policy"] == CSP


def test_a_report_page_without_its_pins_is_sent_to_the_url_that_pins_all_four(client: Any) -> None:
    response = client.get("/statement?unit=YP&year=2024")

    assert response.status_code == 303
    location = response.headers["Location"]
    assert "unit=YP" in location and "year=2024" in location and f"as_of={YEAR_END}" in location
    assert "known_at=2025-06-17T06%3A00%3A00%2B00%3A00" in location  # the log's newest recording moment
    assert client.get(location).status_code == 200


def test_the_statement_is_finnish_by_default_and_english_on_request(client: Any) -> None:
    finnish = client.get(pinned("statement")).get_data(as_text=True)
    english = client.get(pinned("statement", lang="en")).get_data(as_text=True)

    assert "Toimintatuotot" in finnish and "Toteuma 2024" in finnish
    assert "Operating income" in english
    assert re.search(r">-?\d{1,3}( \d{3})+<", finnish), "Finnish number format: spaces between thousands"


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/check?year=2024",
        "/events",
        "/events?type=VouchersPosted&year=2024",
        "/verify",
        "/explain?unit=YP&row=operating_income&column=actual&year=2024",
        f"/diff?year=2024&unit=YP&known_at={BEFORE_CORRECTION.replace('+', '%2B')}&against=2025-04-16",
    ],
)
def test_every_other_page_answers(client: Any, path: str) -> None:
    response = client.get(path)

    assert response.status_code == 200, response.get_data(as_text=True)[-400:]
    assert response.headers["Content-Security-Policy"] == CSP
    assert "<main>" in response.get_data(as_text=True)


def test_the_front_page_names_the_entity_its_units_years_and_log_head(client: Any, demo: Kuntaledger) -> None:
    text = client.get("/").get_data(as_text=True)

    count = demo.event_count()
    assert "Heinolan kaupunki" in text
    assert f"log head {count}, {count} events" in text
    assert ">TIHA</a> Tietohallinto- ja digipalvelut" in text
    assert ">2024</a>" in text


@pytest.mark.parametrize("page", REPORTS)
@pytest.mark.parametrize("fmt", ["json", "csv", "md"])
@pytest.mark.parametrize("known_at", [None, BEFORE_CORRECTION])
def test_a_format_returns_the_commands_bytes(
    client: Any, demo: Kuntaledger, page: str, fmt: str, known_at: str | None
) -> None:
    options = ["--unit", "YP", "--year", "2024", "--format", fmt]
    query = f"/{page}?unit=YP&year=2024&format={fmt}"
    if known_at:
        options += ["--known-at", known_at]
        query += f"&known_at={known_at.replace('+', '%2B')}"
    command = ["goals" if page == "goals" else "risks" if page == "risks" else page]

    response = client.get(query)

    assert response.status_code == 200
    assert response.get_data() == demo.ok(*command, *options).stdout.encode("utf-8")


def test_xlsx_is_the_commands_workbook(client: Any, demo: Kuntaledger, tmp_path: Path) -> None:
    output = tmp_path / "statement.xlsx"
    demo.ok("statement", "--unit", "YP", "--year", "2024", "--format", "xlsx", "--output", str(output))

    response = client.get("/statement?unit=YP&year=2024&format=xlsx")

    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    served = openpyxl.load_workbook(io.BytesIO(response.get_data()))
    written = openpyxl.load_workbook(output)
    assert [[c.value for c in row] for row in served.active.iter_rows()] == [
        [c.value for c in row] for row in written.active.iter_rows()
    ]


def test_explain_diff_check_and_events_json_are_the_commands(client: Any, demo: Kuntaledger) -> None:
    explain = ["--unit", "YP", "--row", "purchases_of_services", "--column", "actual", "--year", "2024"]
    assert (
        client.get(
            "/explain?unit=YP&row=purchases_of_services&column=actual&year=2024&known_at=2025-04-16&format=json"
        ).get_data()
        == demo.ok("explain", *explain, "--known-at", "2025-04-16", "--format", "json").stdout.encode()
    )
    diff = ["--year", "2024", "--unit", "YP", "--known-at", "2025-04-01", "--against", "2025-04-16"]
    assert (
        client.get("/diff?year=2024&unit=YP&known_at=2025-04-01&against=2025-04-16&format=json").get_data()
        == demo.ok("diff", *diff, "--format", "json").stdout.encode()
    )
    checked = demo("check", "--year", "2024", "--known-at", "2025-04-16", "--format", "json")
    assert client.get("/check?year=2024&known_at=2025-04-16&format=json").get_data() == checked.stdout.encode()
    every = demo.events()
    first = json.loads(client.get("/events?format=json").get_data())
    second = json.loads(client.get(f"/events?format=json&after={first[-1]['position']}").get_data())
    assert first + second == every[: len(first) + len(second)]
    assert len(first) == 100


def test_the_events_page_pages_by_position(client: Any, demo: Kuntaledger) -> None:
    text = client.get("/events").get_data(as_text=True)

    assert 'id="next-page" href="/events?after=100"' in text
    later = client.get("/events?after=200").get_data(as_text=True)
    assert ">201</td>" in later and ">200</td>" not in later
    assert 'id="next-page"' not in later


def test_every_figure_links_to_an_explain_page_that_totals_it(client: Any) -> None:
    text = client.get(pinned("statement")).get_data(as_text=True)
    links = re.findall(r'<a class="figure" href="([^"]+)">([^<]+)</a>', text)
    assert len(links) > 20
    actual = [(href, shown) for href, shown in links if "column=actual" in href and "row=purchases_of_services" in href]
    (href, shown), *_ = actual

    explained = client.get(href.replace("&amp;", "&")).get_data(as_text=True)

    total = re.search(r'id="total">([^<]+)<', explained)
    reported = re.search(r'id="reported">([^<]+)<', explained)
    assert total and reported and total.group(1) == reported.group(1)
    assert total.group(1).split(",")[0].replace("-", "−") == shown.replace("-", "−")  # the figure in whole euros


def test_known_at_moves_the_figures_and_steps_through_recording_moments(client: Any) -> None:
    before = client.get(pinned("statement", known_at=BEFORE_CORRECTION)).get_data(as_text=True)
    after = client.get(pinned("statement", known_at=AFTER_CORRECTION)).get_data(as_text=True)

    def purchases_actual(text: str) -> str:
        found = re.search(r"row=purchases_of_services&amp;column=actual[^>]*>([^<]+)<", text)
        assert found
        return found.group(1)

    assert purchases_actual(before) == "-3 045 339"
    assert purchases_actual(after) == "-3 044 339"
    later = re.search(r'id="step-later" href="([^"]+)"', before)
    assert later and "known_at=2025-04-15T07%3A00%3A00%2B00%3A00" in later.group(1)  # the reversal
    earlier = re.search(r'id="step-earlier" href="([^"]+)"', after)
    assert earlier and "known_at=2025-04-15T07%3A00%3A00%2B00%3A00" in earlier.group(1)  # before the new voucher
    assert "#219 2025-04-15T10:05:00+03:00 VouchersPosted" in after


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
@pytest.mark.parametrize("path", ["/", "/statement", "/verify", "/nowhere"])
def test_any_method_but_get_and_head_is_refused_and_writes_nothing(
    client: Any, demo: Kuntaledger, method: str, path: str
) -> None:
    before = demo.event_count()

    response = client.open(path, method=method, data={"unit": "YP"})

    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, HEAD"
    assert demo.event_count() == before


def test_head_answers_without_a_body(client: Any) -> None:
    response = client.head(pinned("statement"))

    assert response.status_code == 200
    assert response.get_data() == b""


@pytest.mark.parametrize(
    ("path", "words"),
    [
        (pinned("statement", year="20x4"), "year '20x4'"),
        (pinned("statement", as_of="2024-02-30"), "as_of"),
        (pinned("statement", known_at="yesterday"), "known_at"),
        (pinned("statement", lang="sv"), "lang 'sv'"),
        (pinned("statement", format="pdf"), "format 'pdf'"),
        (pinned("statement", unit="NOPE"), "NOPE"),
        ("/explain?unit=YP&row=no_such_row&column=actual&year=2024", "no_such_row"),
        ("/explain?unit=YP&row=operating_income&year=2024", "column"),
        ("/diff?year=2024&unit=YP&known_at=2025-04-01", "against"),
        ("/events?after=-1", "after '-1'"),
        ("/events?type=NoSuchEvent", "NoSuchEvent"),
        ("/check", "year"),
        ("/verify?sealed=12:abc", "sealed"),
    ],
)
def test_a_bad_parameter_is_a_400_with_one_line(client: Any, path: str, words: str) -> None:
    response = client.get(path)

    assert response.status_code == 400
    assert words in one_line_error(response)


def test_a_bad_parameter_of_a_format_is_one_plain_line(client: Any) -> None:
    response = client.get("/statement?unit=NOPE&year=2024&format=json")

    assert response.status_code == 400
    assert response.get_data(as_text=True).count("\n") == 1
    assert response.get_data(as_text=True).startswith("error: ")


def test_verify_checks_the_chain_and_a_typed_seal(client: Any, demo: Kuntaledger) -> None:
    seal = demo.ok("seal").stdout.strip().replace(" ", ":")
    wrong = seal[:-1] + ("0" if seal[-1] != "0" else "1")

    good = client.get(f"/verify?sealed={seal}").get_data(as_text=True)
    bad = client.get(f"/verify?sealed={wrong}").get_data(as_text=True)

    assert "chain: ok" in good and f"matches the seal {seal}" in good
    assert "chain: BROKEN" in bad


def store_bytes(url: str) -> dict[str, str]:
    path = Path(url.removeprefix("sqlite:///"))
    return {
        file.name: hashlib.sha256(file.read_bytes()).hexdigest()
        for file in path.parent.iterdir()
        if file.name.startswith(path.name)
    }


def test_no_page_changes_the_store(client: Any, demo: Kuntaledger) -> None:
    before = store_bytes(demo.store_url)
    for path in (
        pinned("statement"),
        pinned("goals"),
        "/statement?unit=YP&year=2024&format=json",
        "/explain?unit=YP&row=operating_income&column=actual&year=2024",
        "/check?year=2024",
        "/verify",
        "/events?after=50",
        "/",
    ):
        assert client.get(path).status_code == 200

    assert store_bytes(demo.store_url) == before


HOSTILE_UNIT = "<script>alert('unit')</script>"
HOSTILE_GOAL = '"><img src=x onerror=alert(1)>'
FORMULA = '=HYPERLINK("http://evil.example","x")'


@pytest.fixture
def hostile(ledger_2024: Kuntaledger) -> Kuntaledger:
    """A store (each backend) whose unit name, goal and voucher text are hostile."""
    cli = ledger_2024
    cli.ok("units", "add", "EVIL", "--name", HOSTILE_UNIT, "--parent", "YP", "--binding", "none", "--actor", "setup")
    vouchers = f"voucher;date;account;unit;amount;text\nV1;2024-05-02;4300;EVIL;1500;{FORMULA}\n"
    vouchers += "V1;2024-05-02;2500;EVIL;-1500;ostovelka\n"
    cli.ok("post", "--file", cli.file("v.csv", vouchers), "--actor", "kirjanpito")
    cli.ok(
        "goals", "set", "G1", "--year", "2024", "--unit", "EVIL", "--level", "council", "--text", HOSTILE_GOAL,
        "--on", "2024-01-02", "--actor", "setup",
    )  # fmt: skip
    return cli


def test_hostile_texts_render_as_text_on_both_stores(hostile: Kuntaledger) -> None:
    client = create_app(hostile.store_url, ZONE).test_client()
    moment = "2099-01-01"
    pages = [
        "/",
        f"/goals?unit=EVIL&year=2024&as_of={YEAR_END}&known_at={moment}",
        f"/statement?unit=EVIL&year=2024&as_of={YEAR_END}&known_at={moment}",
        f"/explain?unit=EVIL&row=purchases_of_services&column=actual&year=2024&known_at={moment}",
        "/events",
    ]
    for path in pages:
        response = client.get(path)
        text = response.get_data(as_text=True)
        assert response.status_code == 200, text[-300:]
        assert "<script>" not in text and "<img src=x" not in text
    home = client.get("/").get_data(as_text=True)
    assert "&lt;script&gt;alert(&#39;unit&#39;)&lt;/script&gt;" in home
    goals = client.get(pages[1]).get_data(as_text=True)
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in goals
    explained = client.get(pages[3]).get_data(as_text=True)
    assert "=HYPERLINK(&#34;http://evil.example&#34;,&#34;x&#34;)" in explained
    csv_text = client.get("/goals?unit=EVIL&year=2024&format=csv").get_data(as_text=True)
    assert csv_text == hostile.ok("goals", "--unit", "EVIL", "--year", "2024", "--format", "csv").stdout


def test_reports_match_the_command_on_both_stores(hostile: Kuntaledger) -> None:
    client = create_app(hostile.store_url, ZONE).test_client()
    before = hostile.event_count()

    for page in REPORTS:
        response = client.get(f"/{page}?unit=YP&year=2024&format=json&known_at=2099-01-01")
        command = hostile.ok(page, "--unit", "YP", "--year", "2024", "--format", "json", "--known-at", "2099-01-01")
        assert response.get_data(as_text=True) == command.stdout
        assert client.get(f"/{page}?unit=YP&year=2024&as_of={YEAR_END}&known_at=2099-01-01").status_code == 200
    assert client.post("/statement").status_code == 405
    assert hostile.event_count() == before


def test_serve_refuses_a_missing_store(tmp_path: Path) -> None:
    cli = Kuntaledger(f"sqlite:///{tmp_path / 'missing.db'}", tmp_path)

    run = cli("serve", "--port", "0")

    assert run.exit_code == 2
    assert run.stderr.startswith("error: ") and run.stderr.count("\n") == 1
    assert "does not exist" in run.stderr
    assert not (tmp_path / "missing.db").exists()


def test_serve_refuses_a_port_in_use(demo: Kuntaledger) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        run = demo("serve", "--port", str(port))

    assert run.exit_code == 2
    assert run.stderr.startswith(f"error: --port {port}: cannot listen on 127.0.0.1:{port}")
    assert run.stderr.count("\n") == 1


def test_an_offsets_plus_left_unencoded_in_a_url_still_reads(client: Any) -> None:
    typed = client.get("/statement?unit=YP&year=2024&as_of=2024-12-31&known_at=2025-04-16T00:00:00+00:00")

    assert typed.status_code == 200
    assert 'id="pin-known-at">2025-04-16T03:00:00+03:00<' in typed.get_data(as_text=True)


@pytest.mark.postgres
def test_on_postgresql_it_serves_under_the_auditor_role(postgres_store: str, tmp_path: Path) -> None:
    """The role of docs/deploy-postgresql.md: SELECT only, read-only sessions."""
    import uuid

    import psycopg
    from support.postgres import postgres_admin_dsn

    owner = Kuntaledger(postgres_store, tmp_path)
    owner.ok("init", "--entity", "Testikaupunki", "--actor", "setup")
    owner.ok("units", "add", "YP", "--name", "Yhteiset palvelut", "--binding", "net", "--actor", "setup")
    schema = postgres_store.rsplit("schema=", 1)[1]
    role = f"auditor_{uuid.uuid4().hex[:10]}"
    admin = postgres_admin_dsn()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {role} LOGIN")
        conn.execute(f"GRANT USAGE ON SCHEMA {schema} TO {role}")
        conn.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {role}")
        conn.execute(f"ALTER ROLE {role} SET default_transaction_read_only = on")
    try:
        _, _, rest = admin.removeprefix("postgresql://").partition("@")
        auditor = f"postgresql://{role}@{rest}?schema={schema}"
        client = create_app(auditor, ZONE).test_client()
        before = owner.event_count()

        for path in ("/", "/statement?unit=YP&year=2024&as_of=2024-12-31&known_at=2099-01-01", "/events", "/verify"):
            response = client.get(path)
            assert response.status_code == 200, response.get_data(as_text=True)[-300:]
        assert (
            client.get("/statement?unit=YP&year=2024&format=json").get_data(as_text=True)
            == owner.ok("statement", "--unit", "YP", "--year", "2024", "--format", "json").stdout
        )
        assert owner.event_count() == before
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"REASSIGN OWNED BY {role} TO CURRENT_USER")
            conn.execute(f"DROP OWNED BY {role}")
            conn.execute(f"DROP ROLE {role}")


def test_the_statement_shows_the_reports_monthly_chart(client: Any) -> None:
    text = client.get(pinned("statement")).get_data(as_text=True)
    found = re.search(r'<img alt="[^"]*" src="(/chart\.svg\?[^"]+)"', text)
    assert found

    chart = client.get(html.unescape(found.group(1)))

    assert chart.status_code == 200
    assert chart.content_type.startswith("image/svg+xml")
    assert chart.get_data(as_text=True).startswith("<svg") and "<script" not in chart.get_data(as_text=True)
