"""Reading the built HTML as a reader would: the text, without the apparatus."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from bs4 import BeautifulSoup, Tag

from conftest import fold

BLOCKS = ["p", "h1", "h2", "h3", "h4", "h5", "h6"]


def page(path: Path) -> BeautifulSoup:
    """The parsed page at *path*. Parsed once while the file is unchanged and
    shared by every test that reads it (register and text pages are read
    hundreds of times): read it, never change it (strip_apparatus copies)."""
    stat = path.stat()
    return _parsed(Path(path).resolve(), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=512)  # every page of the edition and of a made-up build (a split one has ~370)
def _parsed(path: Path, mtime_ns: int, size: int) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def article(soup: BeautifulSoup) -> Tag:
    found = soup.find("article", class_="bd-article")
    assert found is not None, "no <article class=bd-article> in page"
    return found


def strip_apparatus(root: Tag) -> Tag:
    """Remove what the edition adds around the text (a copy is modified)."""
    root = copy.copy(root)  # a deep copy, detached from the (shared) page
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


def source_uses() -> tuple[SourceUse, ...]:
    """Every occurrence of every glossary, person and work form in the texts'
    MyST sources, as the lexer finds them: what the built pages and indices
    must account for, worked out without Sphinx. (Only linked occurrences are
    marked in the HTML.)"""
    from conftest import ANNOTATIONS, DOCS

    return project_uses(DOCS, ANNOTATIONS)


@cache
def project_uses(docs: Path, annotations: Path) -> tuple[SourceUse, ...]:
    """:func:`source_uses` of any project (a copy with texts of its own)."""
    from edition.checking.check import all_entries, anchor_blocks, check_project
    from edition.anchoring.lexicon import Lexicon
    from edition.anchoring.work_citations import text_hits

    result = check_project(docs, annotations)
    lexicon = Lexicon(f for entry in all_entries(result) for f in entry.lexicon_forms())
    found = []
    for text in result.texts:
        # Works only where the text cites them (edition.anchoring.work_citations).
        citations = [c for w in result.works for c in w.cited_at if c.text_id == text.text_id]
        blocks = anchor_blocks(text)
        hits = text_hits(blocks, text.lang, lexicon, citations).hits
        paragraph, index = None, 0
        for block in text.blocks:
            if block.kind == "paragraph":
                paragraph = block.number
            if block.kind not in ("paragraph", "attribution"):  # never headings
                continue
            for hit in hits[index]:
                found.append(SourceUse(text.docname, paragraph, hit.key, block.text[hit.start:hit.end]))
            index += 1
    return tuple(found)


def source_passages(key: str) -> set[tuple[str, int]]:
    """(docname, ¶) of every occurrence of the entry *key* ("term:nep") in the sources."""
    return {(use.docname, use.paragraph) for use in source_uses() if use.key == key}


# --- the register pages of the HTML edition (split per letter) -------------------------


def site_path(html_build: Path, from_page: Path, href: str) -> tuple[Path, str]:
    """The file and fragment an href on *from_page* points to."""
    import posixpath
    from urllib.parse import unquote

    target, _, fragment = href.partition("#")
    relative = posixpath.normpath(posixpath.join(posixpath.dirname(from_page.relative_to(html_build).as_posix()),
                                                 unquote(target))) if target else from_page.relative_to(html_build).as_posix()
    path = html_build / relative
    if path.is_dir():  # dirhtml
        path = path / "index.html"
    return path, fragment


def register_entry(html_build: Path, register: str, anchor: str) -> tuple[Path, Tag]:
    """The entry's letter page and its <dt> there, found as a reader finds it:
    from its line in the register page's A–Z list (which keeps its anchor)."""
    register_page = html_build / f"{register}.html"
    line = page(register_page).find(id=anchor)
    assert line is not None, (register, anchor)
    path, fragment = site_path(html_build, register_page, line.find("a")["href"])
    assert fragment == anchor, (line, anchor)
    entry = page(path).find(id=anchor)
    assert entry is not None and entry.name == "dt", (path, anchor)
    return path, entry


def entry_href(html_build: Path, register: str, anchor: str) -> str:
    """Where links to an entry point, from the site's root: "glossary-n.html#gloss-nep"."""
    path, _ = register_entry(html_build, register, anchor)
    return f"{path.relative_to(html_build).as_posix()}#{anchor}"


def listed_passages(html_build: Path, register: str, anchor: str) -> set[tuple[str, int]]:
    """(docname, ¶) of every passage the web edition lists under an entry: on
    its letter page, or on its passages pages, followed link by link."""
    path, entry = register_entry(html_build, register, anchor)
    definition = entry.find_next_sibling("dd")
    summary = definition.select_one("p.edition-used-in-summary a")
    pages = []
    if summary is None:
        pages.append((path, definition))
    else:
        seen = set()
        next_page, _ = site_path(html_build, path, summary["href"])
        while next_page is not None and next_page not in seen:
            seen.add(next_page)
            soup = page(next_page)
            pages.append((next_page, article(soup)))
            following = [a for a in article(soup).select("p.edition-register-nav a") if a.get_text() == "next"]
            next_page = site_path(html_build, next_page, following[0]["href"])[0] if following else None
    found = set()
    for where, root in pages:
        for link in root.select(".edition-used-in a[href*='#p-']"):
            target, fragment = site_path(html_build, where, link["href"])
            doc = target.relative_to(html_build).with_suffix("").as_posix()
            found |= {(doc, number) for number in linked_paragraphs(link, fragment)}
    return found


def linked_paragraphs(link: Tag, fragment: str) -> range:
    """The paragraphs a passage link stands for: a range ("20–22") links to its first."""
    first, _, last = link.get_text().partition("–")
    assert int(first) == int(fragment[2:]), (link, fragment)
    return range(int(first), int(last or first) + 1)
