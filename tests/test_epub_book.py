"""The EPUB is a book a reader can find their way in: its navigation reaches
every text, register and index, with titles in their language; its ¶ numbers
are inside the page at phone, tablet and desktop widths; its indices are a
book's index; its metadata has a stable identifier and no placeholder."""

from __future__ import annotations

import html
import re
import zipfile

import pytest

from conftest import DOCS, fold
from edition.reading.texts import text_front_matters

WIDTHS = (400, 800, 1024)


def read_book(epub_build) -> dict[str, str]:
    book = next(epub_build.glob("*.epub"))
    with zipfile.ZipFile(book) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()
                if name.endswith((".xhtml", ".opf", ".ncx"))}


def test_nav_reaches_every_text_register_and_index_with_lang(epub_build):
    files = read_book(epub_build)
    nav = next(content for name, content in files.items() if name.endswith("nav.xhtml"))
    links = re.findall(r'<a href="([^"#]+)(?:#[^"]*)?"([^>]*)>([^<]*)</a>', nav)
    pages = [href for href, _, _ in links]
    for _, docname, meta in text_front_matters(DOCS):
        entry = [(attrs, title) for href, attrs, title in links if href == f"{docname}.xhtml" and "#" not in href]
        assert entry, docname
        attrs, title = entry[0]
        lang = str(meta["lang"])
        assert f'lang="{lang}"' in attrs and f'xml:lang="{lang}"' in attrs, (docname, attrs)
        assert fold(html.unescape(title)) == fold(str(meta["title"]))  # quotation marks as written
    # Every page of the book that is not a text is reachable too: registers and indices.
    spine = [name.removeprefix("OEBPS/") for name in files if name.endswith(".xhtml") and "nav.xhtml" not in name]
    for page in spine:
        assert page in pages, (page, pages)
    assert "genindex.xhtml" not in spine  # the print-only general index is not an empty page here


def test_metadata_has_a_stable_identifier_and_no_placeholder(epub_build):
    from types import SimpleNamespace

    from edition.sphinxext.epub.accessibility import edition_identifier

    files = read_book(epub_build)
    opf = next(content for name, content in files.items() if name.endswith(".opf"))
    ncx = next(content for name, content in files.items() if name.endswith(".ncx"))
    identifier = re.search(r"<dc:identifier[^>]*>([^<]+)</dc:identifier>", opf)[1]
    assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", identifier)
    assert f'content="{identifier}"' in ncx
    assert "unknown" not in opf
    from edition.formats.citation import is_placeholder_name, load_edition
    from conftest import ROOT

    # The accessibility is certified by the publisher, the edition itself (EPUB Accessibility
    # 1.1 allows self-certification), by its title; the creators are the editors CITATION.cff
    # names, or there is no dc:creator: no placeholder name such as "The editors".
    edition = load_edition(ROOT / "CITATION.cff")
    certifier = re.search(r'<meta property="a11y:certifiedBy">([^<]+)</meta>', opf)
    publisher = re.search(r"<dc:publisher>([^<]+)</dc:publisher>", opf)
    assert certifier and publisher and certifier[1] == publisher[1] == edition.title, opf
    creators = re.findall(r"<dc:creator>([^<]*)</dc:creator>", opf)
    assert creators == ([", ".join(edition.editors)] if edition.editors else []), creators
    agents = creators + re.findall(r"<dc:(?:contributor|publisher)>([^<]*)</dc:", opf) + [certifier[1]]
    assert all(agent.strip() and not is_placeholder_name(agent) for agent in agents), agents
    # Derived from the edition's address: the same every build, another for another edition.
    same = SimpleNamespace(edition_citation_file=str(ROOT / "CITATION.cff"), project="x", author="y", version="1")
    assert edition_identifier(same) == identifier
    other = SimpleNamespace(edition_citation_file="/nonexistent/CITATION.cff", project="Another edition",
                            author="y", version="1")
    assert edition_identifier(other) != identifier


def test_labels_have_one_colon_and_indices_are_a_books_index(epub_build, chromium):
    files = read_book(epub_build)
    text = next(content for name, content in files.items() if name.endswith("trotsky-left-opposition.xhtml"))
    page = chromium.new_page()
    try:
        page.goto((epub_build / "texts" / "trotsky-left-opposition.xhtml").as_uri())
        shown = page.inner_text("body")
        assert "Title in English:" in shown and "::" not in shown
        page.goto((epub_build / "edition-persons.xhtml").as_uri())
        index_text = page.inner_text("body")
        assert not page.query_selector("table"), "the index is a table"
        height = page.evaluate("document.documentElement.scrollHeight")
    finally:
        page.close()
    assert "¶" in text
    # Entries with their passages merged into ranges, each number linked to its paragraph.
    persons = next(content for name, content in files.items() if name.endswith("edition-persons.xhtml"))
    entries = re.findall(r"<li>(.*?)</li>", persons, re.S)
    assert entries
    assert any(re.search(r"\d</a>–<a", entry) for entry in entries), "no range merged"
    for entry in entries:
        numbers = [int(n) for n in re.findall(r'#p-(\d+)">\1</a>', entry)]
        assert numbers == sorted(numbers) or ";" in entry, entry
    assert re.search(r"\d+–\d+", index_text)
    assert height < 20000, height


@pytest.mark.parametrize("width", WIDTHS)
def test_every_paragraph_number_is_inside_the_page(epub_build, chromium, width):
    """Each chapter rendered at phone, tablet and desktop widths: every ¶ number's
    box lies inside the viewport (a reading system shows no more than it)."""
    chapters = sorted(p for p in epub_build.rglob("*.xhtml") if "edition-pn" in p.read_text(encoding="utf-8"))
    assert len(chapters) >= len(text_front_matters(DOCS))
    context = chromium.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        for chapter in chapters:
            page.goto(chapter.as_uri())
            boxes = page.eval_on_selector_all(
                ".edition-pn", "els => els.map(e => { const r = e.getBoundingClientRect();"
                " return [e.dataset.pn, r.left, r.right, r.width, getComputedStyle(e, '::before').content]; })")
            assert boxes, chapter
            outside = [(pn, left, right) for pn, left, right, w, _ in boxes if left < 0 or right > width or w <= 0]
            assert not outside, (chapter.name, width, outside[:5])
            assert all(content == f'"{pn}"' for pn, *_, content in boxes), chapter.name  # the number is shown
    finally:
        context.close()
