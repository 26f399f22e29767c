"""The plain table layout (`render.grid`) is rich's, character for character, or it steps
aside: a differential test against rich over texts near every edge it knows (markup,
emoji codes, wide characters, line breaks, titles longer than the table, tables wider
than the page)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from projections.render.grid import grid, plain, wrap
from projections.render.sheet import Column, Sheet
from projections.render.text import TABLE_WIDTH, rich_table

TOKENS = (
    "Toimintakate", "-1 033 968", "91,53", "23:59:59", "klo 23.59.59", "Yhteiset palvelut / Kaupunginhallitus",
    ":100:", ":1234:", ":-1:", ":smile:", ":59:", "[bold]", "x]", "\\[x]", "ä", "Å", "–", "—", "€", "漢字", "a\nb",
    "\t", "", "  ", "TULOT", "x" * 90, "Kh 26.3.2025 § 79",
)  # fmt: skip
texts = st.lists(
    st.one_of(st.sampled_from(TOKENS), st.text(alphabet="abcäö XYZ0129-.,:;/()–[]", max_size=12)), max_size=6
).map(" ".join)


def rich_layout(title: str, headers: list[str], rows: list[list[str]], right: list[bool]) -> str:
    kinds = ["money" if flush_right else "text" for flush_right in right]
    columns = tuple(Column(f"c{i}", h, kind) for i, (h, kind) in enumerate(zip(headers, kinds, strict=True)))
    return rich_table(Sheet(title, columns, ()), rows)


@given(st.data(), texts, st.integers(min_value=1, max_value=9))
def test_the_plain_layout_is_riches_or_none(data: st.DataObject, title: str, count: int) -> None:
    headers = data.draw(st.lists(texts, min_size=count, max_size=count))
    rows = data.draw(st.lists(st.lists(texts, min_size=count, max_size=count), max_size=5))
    right = data.draw(st.lists(st.booleans(), min_size=count, max_size=count))
    laid_out = grid(title, headers, rows, right, TABLE_WIDTH)
    if laid_out is not None:
        assert laid_out == rich_layout(title, headers, rows, right)


@given(st.data(), st.text(alphabet="abcäö XYZ0129-.,;/()–", min_size=1, max_size=160), st.integers(1, 6))
def test_plain_reports_are_laid_out_without_rich(data: st.DataObject, title: str, count: int) -> None:
    words = st.text(alphabet="abcäö XYZ0129-.,;/()–", max_size=20).map(str.strip)
    headers = data.draw(st.lists(words, min_size=count, max_size=count))
    rows = data.draw(st.lists(st.lists(words, min_size=count, max_size=count), min_size=1, max_size=5))
    right = data.draw(st.lists(st.booleans(), min_size=count, max_size=count))
    laid_out = grid(title, headers, rows, right, TABLE_WIDTH)
    table_width = sum(max(map(len, column)) + 3 for column in zip(headers, *rows, strict=True)) - 1
    if title.strip() and max(map(len, title.split())) <= table_width:
        assert laid_out is not None
    if laid_out is not None:
        assert laid_out == rich_layout(title, headers, rows, right)


def test_markup_emoji_codes_and_wide_characters_are_not_plain() -> None:
    assert plain("Income statement 2024 – YP Yhteiset palvelut – known at 2025-03-26 23:59:59 UTC")
    assert plain("approved Kh 26.3.2025 § 79")  # a decision's section sign
    assert not any(map(plain, ["[bold]x", "a :100: b", ":smile:", "漢字", "a\nb", "€"]))


def test_a_title_longer_than_the_table_wraps_at_its_spaces() -> None:
    assert wrap("Talousarvion toteutuminen 2024 – YP tiedot 28.11.2026 klo 10.31.19 UTC", 40) == [
        "Talousarvion toteutuminen 2024 – YP",
        "tiedot 28.11.2026 klo 10.31.19 UTC",
    ]
    assert wrap("x" * 41, 40) is None  # rich folds a word longer than the line
