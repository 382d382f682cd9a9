"""The texts in groups, for the web edition's navigation and listing pages.

Every page of the HTML edition carries one branch of the navigation: the
groups of texts (one per language), the current text's group open on the
texts around it, and the apparatus. Nothing on a page grows with the number
of texts: a group shows at most a window of its texts, the navigation at
most a number of groups, and the full list of a group is on its listing
pages, split as the registers are (:mod:`edition.register_paging`).

Pure functions of the texts' front matter (document name, title, language)
and the budgets in ``conf.py``; no Sphinx here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .languages import language_name, ordered_languages
from .register_paging import chunked, paged_names

#: Where a text without a language is filed (the intake refuses one; this only
#: keeps the navigation whole if one gets through).
NO_LANGUAGE = "und"


@dataclass(frozen=True)
class ListedText:
    docname: str  # "texts/<id>"
    title: str  # in the text's language
    lang: str


@dataclass(frozen=True)
class TextGroup:
    key: str  # the language code
    label: str  # "Korean"
    texts: tuple[ListedText, ...]  # in the edition's order
    pagenames: tuple[str, ...]  # its listing pages: "texts-ko", "texts-ko-2", …
    per_page: int

    def page_of(self, index: int) -> str:
        """The listing page that holds the group's *index*-th text."""
        return self.pagenames[index // self.per_page]

    def pages(self) -> list[tuple[str, tuple[ListedText, ...]]]:
        return list(zip(self.pagenames, map(tuple, chunked(self.texts, self.per_page))))


def page_slug(key: str) -> str:
    """A group key as it appears in a page name: ASCII letters, digits and
    hyphens as themselves (lower case), any other character by its code point."""
    return "".join(c.lower() if (c.isascii() and (c.isalnum() or c == "-")) else f"u{ord(c):04x}" for c in key)


def group_texts(texts: Iterable[ListedText], per_page: int, prefix: str = "texts") -> list[TextGroup]:
    """The texts by language (English first, then by code), each group in the
    order given, with the names of its listing pages (``<prefix>-<lang>``, …)."""
    by_lang: dict[str, list[ListedText]] = {}
    for text in texts:
        by_lang.setdefault(text.lang or NO_LANGUAGE, []).append(text)
    return [
        TextGroup(lang, language_name(lang), tuple(by_lang[lang]),
                  tuple(paged_names(f"{prefix}-{page_slug(lang)}", len(by_lang[lang]), per_page)), per_page)
        for lang in ordered_languages(by_lang)
    ]


def window(count: int, index: int, size: int) -> range:
    """The positions of at most *size* items around *index* among *count*: as
    many before as after it where there are, the rest on the other side."""
    size = max(1, size)
    if count <= size:
        return range(count)
    start = min(max(0, index - (size - 1) // 2), count - size)
    return range(start, start + size)


def shown_groups(groups: Sequence[TextGroup], current: str | None, limit: int) -> tuple[list[TextGroup], bool]:
    """The groups the navigation names: the first *limit*, and the current one
    if it is not among them; and whether some were left out."""
    shown = list(groups[:max(1, limit)])
    for group in groups[len(shown):]:
        if group.key == current:
            shown.append(group)
    return shown, len(shown) < len(groups)
