"""Reading the built HTML as a reader would: the text, without the apparatus."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bs4 import BeautifulSoup, Tag

from conftest import fold

BLOCKS = ["p", "h1", "h2", "h3", "h4", "h5", "h6"]


def page(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def article(soup: BeautifulSoup) -> Tag:
    found = soup.find("article", class_="bd-article")
    assert found is not None, "no <article class=bd-article> in page"
    return found


def strip_apparatus(root: Tag) -> Tag:
    """Remove what the edition adds around the text (a copy is modified)."""
    root = BeautifulSoup(str(root), "lxml")
    for node in root.select(".edition-apparatus, .headerlink, .edition-pn"):
        node.decompose()
    return root


def reading_blocks(soup: BeautifulSoup) -> list[str]:
    """The folded text of each block of the reading text, in order."""
    root = strip_apparatus(article(soup))
    return [fold(b.get_text("")) for b in root.find_all(BLOCKS) if fold(b.get_text(""))]


def reading_text(soup: BeautifulSoup) -> str:
    return "\n".join(reading_blocks(soup))


def lang_of(tag: Tag) -> str | None:
    """The language in force at *tag* (nearest lang attribute)."""
    for node in [tag, *tag.parents]:
        if isinstance(node, Tag) and node.has_attr("lang"):
            return node["lang"]
    return None


@dataclass(frozen=True)
class SourceUse:
    """An occurrence of an entry's form, found in the source of a text."""

    docname: str
    paragraph: int  # an attribution counts with its quotation's last paragraph
    key: str
    wording: str  # the form as written in the text


@cache
def source_uses() -> tuple[SourceUse, ...]:
    """Every occurrence of every glossary, person and work form in the texts'
    MyST sources, as the lexer finds them: what the built pages and indices
    must account for, worked out without Sphinx. (Only linked occurrences are
    marked in the HTML.)"""
    from conftest import ANNOTATIONS, DOCS
    from edition.check import all_entries, check_project
    from edition.lexicon import Lexicon

    result = check_project(DOCS, ANNOTATIONS)
    lexicon = Lexicon(f for entry in all_entries(result) for f in entry.lexicon_forms())
    found = []
    for text in result.texts:
        paragraph = None
        for block in text.blocks:
            if block.kind == "paragraph":
                paragraph = block.number
            if block.kind not in ("paragraph", "attribution"):  # never headings
                continue
            for hit in lexicon.find(block.text, text.lang):
                found.append(SourceUse(text.docname, paragraph, hit.key, block.text[hit.start:hit.end]))
    return tuple(found)


def source_passages(key: str) -> set[tuple[str, int]]:
    """(docname, ¶) of every occurrence of the entry *key* ("term:nep") in the sources."""
    return {(use.docname, use.paragraph) for use in source_uses() if use.key == key}
