"""The texts in groups, for the web edition's navigation and listing pages.

Every page of the HTML edition carries one branch of the navigation: the
groups of texts (by language, by year or by another front-matter key, such as
a series: ``edition_text_groups``), the current text's group open on the
texts around it, and the apparatus. Nothing on a page grows with the number
of texts: a group shows at most a window of its texts, the navigation at
most a number of groups, and the full list of a group is on its listing
pages, split as the registers are (:mod:`edition.presentation.register_paging`).

Pure functions of the texts' front matter (document name, title, language)
and the budgets in ``conf.py``; no Sphinx here.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..base.languages import language_name, ordered_languages
from .register_paging import chunked, collation_key, paged_names

#: Where a text without a language is filed (the intake refuses one; this only
#: keeps the navigation whole if one gets through).
NO_LANGUAGE = "und"


@dataclass(frozen=True)
class ListedText:
    docname: str  # "texts/<id>"
    title: str  # in the text's language
    lang: str
    group: str = ""  # what it is grouped by: its language, year or series ("" when it has none)


@dataclass(frozen=True)
class TextGroup:
    key: str  # the value grouped by: "ko", "1930", "Bulletin of the Opposition"; "" for none
    label: str  # in the navigation: "Korean", "1930", "Undated"
    heading: str  # of its listing pages: "Texts in Korean", "Texts of 1930"
    texts: tuple[ListedText, ...]  # in the edition's order
    pagenames: tuple[str, ...]  # its listing pages: "texts-ko", "texts-ko-2", …
    per_page: int

    def page_of(self, index: int) -> str:
        """The listing page that holds the group's *index*-th text."""
        return self.pagenames[index // self.per_page]

    def pages(self) -> list[tuple[str, tuple[ListedText, ...]]]:
        return list(zip(self.pagenames, map(tuple, chunked(self.texts, self.per_page))))


#: What the texts can be grouped by: their language, the year of their date, or
#: any other front-matter key (a series, say).
BY_LANGUAGE, BY_YEAR = "lang", "year"

_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")


def group_value(meta: dict, by: str) -> str:
    """What a text with front matter *meta* is grouped under ("" for nothing)."""
    if by == BY_LANGUAGE:
        return str(meta.get("lang") or "")
    if by == BY_YEAR:
        found = _YEAR.search(str(meta.get("date") or ""))
        return found.group(1) if found else ""
    value = meta.get(by)
    return " ".join(str(value).split()) if value not in (None, "") else ""


def page_slug(key: str) -> str:
    """A group key as it appears in a page name: ASCII letters, digits and
    hyphens as themselves (lower case), any other character by its code point."""
    return "".join(c.lower() if (c.isascii() and (c.isalnum() or c == "-")) else f"u{ord(c):04x}" for c in key)


def _describe(key: str, by: str) -> tuple[str, str, str]:
    """(label, heading, page name part) of the group *key*."""
    if by == BY_LANGUAGE:
        key = key or NO_LANGUAGE
        label = language_name(key)
        return label, f"Texts in {label}", page_slug(key)
    if by == BY_YEAR:
        return (key, f"Texts of {key}", key) if key else ("Undated", "Undated texts", "undated")
    if not key:
        return "Other texts", "Other texts", "other"
    # Words of ASCII letters and digits, then a short hash of the value: two values never
    # share a page, and the name stays when other groups come and go.
    words = "-".join(re.findall(r"[a-z0-9]+", key.lower()))[:40].strip("-")
    digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:6]
    return key, key, f"{words}-{digest}" if words else digest


def _order(keys: Iterable[str], by: str) -> list[str]:
    if by == BY_LANGUAGE:
        return ordered_languages(keys)
    if by == BY_YEAR:
        return sorted(keys, key=lambda k: (not k, k))  # four digits sort as numbers; undated last
    return sorted(keys, key=lambda k: (not k, collation_key(k)))


def group_texts(texts: Iterable[ListedText], per_page: int, by: str = BY_LANGUAGE,
                prefix: str = "texts") -> list[TextGroup]:
    """The texts by their ``group`` (languages: English first, then by code;
    years in order; other values alphabetically; texts without one last), each
    group in the order given, with the names of its listing pages
    (``<prefix>-<group>``, ``<prefix>-<group>-2``, …)."""
    grouped: dict[str, list[ListedText]] = {}
    for text in texts:
        grouped.setdefault(text.group, []).append(text)
    groups = []
    for key in _order(grouped, by):
        label, heading, part = _describe(key, by)
        names = paged_names(f"{prefix}-{part}", len(grouped[key]), per_page)
        groups.append(TextGroup(key, label, heading, tuple(grouped[key]), tuple(names), per_page))
    return groups


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
