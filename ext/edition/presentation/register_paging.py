"""Where each register entry and each of its passages goes in the HTML edition.

The web edition splits the glossary and the registers of persons and works
into pages per letter, and an entry's long list of passages into pages of
its own, so that no page grows with the number of texts. Everything here is
a pure function of the registers (their order and names) and of the budgets
in ``conf.py``, never of the texts: a link to an entry can be computed before
any page is written. No Sphinx here.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")

#: The most HTML a passage takes in a list of passages (its ¶ link, and its
#: share of the text's name): the budgets in conf.py are counts of passages,
#: so a page's size is bounded by them times this (tests/test_register_bounds.py).
PASSAGE_BYTES = 400


def collation_key(text: str) -> tuple[str, str]:
    """English index order: accents and case ignored, then the text itself."""
    base = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return (base.casefold(), text)


def initial(text: str) -> str:
    """The letter an entry is filed under: its first character, unaccented and
    upper-case ("É" under "E"); "#" for an empty name."""
    return collation_key(text)[0][:1].upper() or "#"


def letter_slug(letter: str) -> str:
    """The letter as it appears in a page name: ASCII letters and digits as
    themselves, any other character by its code point ("u0416")."""
    if letter.isascii() and letter.isalnum():
        return letter.lower()
    return f"u{ord(letter):04x}"


@dataclass(frozen=True)
class LetterPage:
    """One page of a register's entries: all or part of one letter."""

    pagename: str  # "glossary-n", "persons-s-2"
    letter: str  # "N"
    part: int  # 1, 2, … within the letter
    parts: int  # how many pages the letter has
    anchors: tuple[str, ...]  # the entries on it, in register order


def letter_pages(register: str, entries: Sequence[tuple[str, str]], per_page: int) -> list[LetterPage]:
    """The letter pages of the register page *register* ("glossary"), given its
    entries as (anchor, name filed under) in register order: one page per
    letter, a letter with more than *per_page* entries split into consecutive
    pages of at most *per_page*. Letters come in index order ("A" before "B");
    within a letter the entries keep the register's order."""
    if per_page < 1:
        raise ValueError(f"entries per page must be at least 1, not {per_page}")
    by_letter: dict[str, list[str]] = {}
    for anchor, name in entries:
        by_letter.setdefault(initial(name), []).append(anchor)
    pages = []
    for letter in sorted(by_letter, key=collation_key):
        anchors = by_letter[letter]
        chunks = chunked(anchors, per_page)
        for part, chunk in enumerate(chunks, start=1):
            suffix = "" if part == 1 else f"-{part}"
            pages.append(LetterPage(f"{register}-{letter_slug(letter)}{suffix}", letter, part, len(chunks), tuple(chunk)))
    return pages


def page_of_entries(pages: Sequence[LetterPage]) -> dict[str, str]:
    """anchor -> the letter page it is on."""
    return {anchor: page.pagename for page in pages for anchor in page.anchors}


def chunked(items: Sequence[T], size: int) -> list[list[T]]:
    """*items* in consecutive runs of at most *size* (none when there are none)."""
    if size < 1:
        raise ValueError(f"a page holds at least 1 item, not {size}")
    return [list(items[start:start + size]) for start in range(0, len(items), size)]


def passages_pagenames(register: str, anchor: str, count: int, per_page: int) -> list[str]:
    """The names of the pages listing an entry's *count* passages, *per_page*
    at most on each: "glossary-gloss-nep", "glossary-gloss-nep-2", … They
    depend on the entry alone, not on its letter page, so they stay put when
    a letter is split. (Anchors start with a word, "gloss-", "person-",
    "work-", so they never meet a letter page's name.)"""
    return paged_names(f"{register}-{anchor}", count, per_page)


def paged_names(base: str, count: int, per_page: int) -> list[str]:
    """The names of the pages holding *count* items, *per_page* at most on
    each: *base*, *base*-2, … (one page even when there are none)."""
    if per_page < 1:
        raise ValueError(f"a page holds at least 1 item, not {per_page}")
    pages = max(1, -(-count // per_page))
    return [base if n == 1 else f"{base}-{n}" for n in range(1, pages + 1)]
