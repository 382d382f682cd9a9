"""The texts' groups, their windows and listing page names (edition.presentation.text_groups): pure functions."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from edition.presentation.text_groups import (
    ListedText,
    group_texts,
    group_value,
    shown_groups,
    window,
)


@given(st.integers(1, 300), st.integers(1, 40), st.data())
def test_a_window_holds_the_current_item_and_at_most_size_items(count, size, data):
    index = data.draw(st.integers(0, count - 1))
    shown = window(count, index, size)
    assert index in shown
    assert len(shown) == min(count, size)
    assert shown.start >= 0 and shown.stop <= count
    # As many before as after where there are: never lopsided by more than one in the middle.
    if size <= index < count - size:
        assert abs((index - shown.start) - (shown.stop - 1 - index)) <= 1


def texts(*specs: tuple[str, str]) -> list[ListedText]:
    return [ListedText(f"texts/t{n:03d}", f"Title {n}", lang, group) for n, (lang, group) in enumerate(specs)]


def test_groups_by_language_english_first_then_by_code_each_in_the_given_order():
    listed = texts(("ru", "ru"), ("en", "en"), ("de", "de"), ("ru", "ru"), ("en", "en"))
    groups = group_texts(listed, per_page=1)
    assert [g.key for g in groups] == ["en", "de", "ru"]
    assert [g.label for g in groups] == ["English", "German", "Russian"]
    assert [t.docname for t in groups[2].texts] == ["texts/t000", "texts/t003"]
    assert groups[2].pagenames == ("texts-ru", "texts-ru-2")
    assert groups[2].page_of(1) == "texts-ru-2"
    assert [name for name, _ in groups[0].pages()] == ["texts-en", "texts-en-2"]


def test_groups_by_year_in_order_undated_last():
    metas = [{"date": "Spring 2001"}, {"date": "Not stated in the source"}, {"date": "1930-05-01"},
             {"date": 1929}, {"date": "12345"}]
    values = [group_value(m, "year") for m in metas]
    assert values == ["2001", "", "1930", "1929", ""]
    groups = group_texts(texts(*[("ru", v) for v in values]), per_page=10, by="year")
    assert [g.label for g in groups] == ["1929", "1930", "2001", "Undated"]
    assert [g.pagenames[0] for g in groups] == ["texts-1929", "texts-1930", "texts-2001", "texts-undated"]


def test_groups_by_another_key_have_names_of_their_own():
    values = ["Bulletin of the Opposition", "Бюллетень оппозиции", "Bulletin of the  Opposition", ""]
    metas = [{"series": v} for v in values]
    grouped = [group_value(m, "series") for m in metas]
    assert grouped[2] == grouped[0]  # spacing does not make a new series
    groups = group_texts(texts(*[("ru", v) for v in grouped]), per_page=10, by="series")
    assert [g.label for g in groups][-1] == "Other texts"
    names = [g.pagenames[0] for g in groups]
    assert len(set(names)) == len(names) == 3
    assert all(name.isascii() and " " not in name for name in names)
    # A page's name depends on its value alone: the same whatever other groups there are.
    alone = group_texts(texts(("ru", grouped[1])), per_page=10, by="series")
    assert alone[0].pagenames[0] in names


@pytest.mark.parametrize("limit", [1, 2, 5])
def test_shown_groups_keep_the_current_one(limit):
    groups = group_texts(texts(*[(lang, lang) for lang in ("de", "en", "fr", "ko", "ru")]), per_page=10)
    for group in groups:
        shown, more = shown_groups(groups, group.key, limit)
        assert group in shown
        assert len(shown) <= limit + 1
        assert more == (len(shown) < len(groups))
    shown, more = shown_groups(groups, None, limit)
    assert len(shown) == min(limit, len(groups))
