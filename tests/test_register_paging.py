"""Where register entries and their passages go in the HTML edition: pure functions, no Sphinx."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from edition.presentation.register_paging import (
    chunked,
    collation_key,
    initial,
    letter_pages,
    letter_slug,
    page_of_entries,
    passages_pagenames,
)


def test_entries_are_filed_by_their_unaccented_initial():
    assert initial("Élan vital") == "E" and initial("ńep") == "N" and initial("kulak") == "K"
    assert initial("Жданов") == "Ж" and initial("트로츠키") == "\u1110"  # Hangul: under its first consonant
    assert initial("") == "#"
    assert letter_slug("N") == "n" and letter_slug("7") == "7"
    assert letter_slug("Ж") == "u0416" and letter_slug("#") == "u0023"


def test_letters_in_index_order_entries_in_register_order():
    # A register may sort entries by something other than the name they are filed under.
    entries = [("work-x", "Spartacist"), ("work-y", "Bukharin, Theses"), ("work-z", "Stalin, Problems")]
    pages = letter_pages("works", entries, per_page=5)
    assert [(p.letter, p.anchors) for p in pages] == [("B", ("work-y",)), ("S", ("work-x", "work-z"))]


def test_one_page_per_letter_in_register_order():
    entries = [("gloss-a1", "anarchism"), ("gloss-a2", "Árpád"), ("gloss-b1", "Bund"), ("gloss-zh", "Жданов")]
    pages = letter_pages("glossary", entries, per_page=5)
    assert [(p.pagename, p.letter, p.anchors) for p in pages] == [
        ("glossary-a", "A", ("gloss-a1", "gloss-a2")),
        ("glossary-b", "B", ("gloss-b1",)),
        ("glossary-u0416", "Ж", ("gloss-zh",)),
    ]
    assert all(p.part == p.parts == 1 for p in pages)


def test_a_long_letter_is_split_into_consecutive_pages():
    entries = [(f"person-s{i}", f"S{i:02d}") for i in range(7)] + [("person-t", "Trotsky")]
    pages = letter_pages("persons", entries, per_page=3)
    assert [p.pagename for p in pages] == ["persons-s", "persons-s-2", "persons-s-3", "persons-t"]
    assert [(p.part, p.parts) for p in pages[:3]] == [(1, 3), (2, 3), (3, 3)]
    assert pages[2].anchors == ("person-s6",)
    assert page_of_entries(pages)["person-s4"] == "persons-s-2"


@given(
    names=st.lists(st.text(min_size=0, max_size=6), max_size=60),
    per_page=st.integers(min_value=1, max_value=8),
)
def test_every_entry_lands_on_exactly_one_page_of_its_letter(names, per_page):
    names = sorted(names, key=collation_key)
    entries = [(f"e-{index}", name) for index, name in enumerate(names)]
    pages = letter_pages("r", entries, per_page)
    placed = [anchor for page in pages for anchor in page.anchors]
    assert sorted(placed) == sorted(anchor for anchor, _ in entries)  # each once
    assert len({p.pagename for p in pages}) == len(pages)
    filed = dict(entries)
    for page in pages:
        assert 1 <= len(page.anchors) <= per_page
        assert {initial(filed[a]) for a in page.anchors} == {page.letter}
    # The same registers give the same pages: a pure function.
    assert letter_pages("r", entries, per_page) == pages


@given(items=st.lists(st.integers(), max_size=50), size=st.integers(min_value=1, max_value=9))
def test_chunks_keep_every_item_in_order(items, size):
    chunks = chunked(items, size)
    assert [item for chunk in chunks for item in chunk] == items
    assert all(1 <= len(chunk) <= size for chunk in chunks)
    assert len(chunks) == len(passages_pagenames("g", "gloss-x", len(items), size)) or not items


def test_passages_pages_are_named_after_the_entry():
    assert passages_pagenames("glossary", "gloss-nep", 0, 10) == ["glossary-gloss-nep"]
    assert passages_pagenames("glossary", "gloss-nep", 10, 10) == ["glossary-gloss-nep"]
    assert passages_pagenames("glossary", "gloss-nep", 11, 10) == ["glossary-gloss-nep", "glossary-gloss-nep-2"]


@pytest.mark.parametrize("call", [lambda: letter_pages("g", [], 0), lambda: chunked([1], 0),
                                  lambda: passages_pagenames("g", "a", 3, 0)])
def test_a_page_holds_at_least_one_item(call):
    with pytest.raises(ValueError):
        call()
