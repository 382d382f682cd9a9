"""Reading the built HTML as a reader would: the text, without the apparatus."""

from __future__ import annotations

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
