"""The real notes, as readers of each edition see them."""

from __future__ import annotations

import re
import subprocess
import unicodedata
import zipfile

import pytest
from bs4 import NavigableString, Tag

from conftest import DOCS, fold, load_all_notes, require_tool
from edition.reading.texts import TEXT_ID_KEY, text_front_matters
from edition.anchoring.text_quotes import normalise_text
from edition.base.markup import render_blocks
from reading import article, lang_of, page

# Every text found, by id: its document name.
DOCS_BY_TEXT = {meta[TEXT_ID_KEY]: docname for _, docname, meta in text_front_matters(DOCS)}
LANG_BY_TEXT = {meta[TEXT_ID_KEY]: meta["lang"] for _, _, meta in text_front_matters(DOCS)}


@pytest.fixture(scope="module")
def notes():
    return load_all_notes().notes


def test_there_are_enough_notes(notes):
    by_text = {}
    for note in notes:
        by_text.setdefault(note.text_id, []).append(note)
    assert len(by_text["trotsky-left-opposition"]) >= 40
    assert len(by_text["ciliga-gpu-prisons"]) >= 8
    kinds = {n.kind for n in by_text["trotsky-left-opposition"]}
    assert kinds == {"editorial", "translation", "sic", "source"}


def is_apparatus(node) -> bool:
    for parent in [node, *node.parents]:
        if isinstance(parent, Tag) and "edition-apparatus" in (parent.get("class") or []):
            return True
        if isinstance(parent, Tag) and "edition-pn" in (parent.get("class") or []):
            return True
    return False


def text_before(marker: Tag) -> str:
    """The block's reading text up to *marker*, apparatus left out."""
    block = marker.find_parent(["p"])
    parts = []
    for node in block.descendants:
        if node is marker:
            break
        if isinstance(node, NavigableString) and not is_apparatus(node):
            parts.append(str(node))
    return "".join(parts)


def plain_body(note) -> str:
    return fold(" ".join(p.astext() for p in render_blocks(note.body)))


def squash(text: str) -> str:
    """No whitespace, compatibility-normalised (ligatures like ﬁ as fi): for text layers."""
    # Sphinx's LaTeX sets "-" as a non-breaking hyphen (U+2011) in the PDF.
    text = unicodedata.normalize("NFKC", text).replace("\u2010", "-").replace("\u2011", "-")
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("text_id", sorted(DOCS_BY_TEXT))
def test_html_every_marker_follows_its_passage_and_links_both_ways(html_build, notes, text_id):
    soup = page(html_build / f"{DOCS_BY_TEXT[text_id]}.html")
    body = article(soup)
    mine = [n for n in notes if n.text_id == text_id]
    markers = body.select("a.edition-noteref")
    assert len(markers) == len(mine)
    # The numbers are generated content (data-note): no characters of the page's text.
    assert [m.get("data-note") for m in markers] == [str(i) for i in range(1, len(mine) + 1)]
    assert all(m.get_text("") == "" for m in markers)
    for note in mine:
        marker = body.find(id=f"noteref-{note.id}")
        assert marker is not None, note.id
        assert normalise_text(text_before(marker)).endswith(normalise_text(note.anchor.exact)), note.id
        assert marker["href"] == f"#note-{note.id}" and marker["role"] == "doc-noteref"
        footnote = body.find(id=f"note-{note.id}")
        assert footnote is not None and footnote["role"] == "doc-footnote"
        assert footnote.select_one(f'a[role="doc-backlink"][href="#noteref-{note.id}"]') is not None
        # The whole body is there, every paragraph of it.
        assert squash(plain_body(note)) in squash(footnote.get_text("")), note.id
        assert lang_of(footnote) == "en"
        if note.kind == "sic":
            previous = marker.find_previous_sibling()
            assert previous is not None and previous.get("data-label") == "[sic]" and previous.get_text() == ""
        assert f"edition-noteref-{note.kind}" in marker["class"]


def test_html_notes_with_several_paragraphs_are_whole(html_build, notes):
    several = [n for n in notes if len(render_blocks(n.body)) > 1]
    assert several, "no note with several paragraphs to check"
    soup = page(html_build / f"{DOCS_BY_TEXT[several[0].text_id]}.html")
    footnote = soup.find(id=f"note-{several[0].id}")
    assert len(footnote.find_all("p")) >= len(render_blocks(several[0].body))


def test_html_translation_notes_are_labelled(html_build, notes):
    note = next(n for n in notes if n.kind == "translation")
    soup = page(html_build / f"{DOCS_BY_TEXT[note.text_id]}.html")
    footnote = soup.find(id=f"note-{note.id}")
    assert "edition-note-translation" in footnote["class"]
    assert footnote.select_one(".edition-note-kind").get_text() == "Translation note."


def test_epub_has_epub3_footnotes_for_every_note(epub_build, notes):
    for text_id, doc in DOCS_BY_TEXT.items():
        xhtml = (epub_build / f"{doc}.xhtml").read_text(encoding="utf-8")
        for note in (n for n in notes if n.text_id == text_id):
            assert re.search(rf'<a epub:type="noteref"[^>]*href="#note-{note.id}"', xhtml), note.id
            assert re.search(rf'<aside epub:type="footnote"[^>]*id="note-{note.id}"', xhtml), note.id
        assert f'lang="{LANG_BY_TEXT[text_id]}"' in xhtml


@pytest.mark.slow  # Java
def test_epubcheck_reports_no_errors(epub_build):
    require_tool("java", "epubcheck runs on Java")
    jar = "/usr/share/java/epubcheck.jar"
    import os

    if not os.path.exists(jar):
        require_tool("epubcheck", "the EPUB is validated with epubcheck")
    book = next(epub_build.glob("*.epub"))
    result = subprocess.run(["java", "-jar", jar, str(book)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 fatals / 0 errors" in result.stdout + result.stderr


def test_epub_package_is_complete(epub_build):
    book = next(epub_build.glob("*.epub"))
    with zipfile.ZipFile(book) as archive:
        names = archive.namelist()
    assert names[0] == "mimetype"
    assert any(n.endswith("trotsky-left-opposition.xhtml") for n in names)


def pdf_pages(pdf) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")


def page_has(page: str, passage: str) -> bool:
    """Is the (squashed) *passage* on the page, also where a word of it is
    hyphenated at a line end ("Са-" / "пронов")? A hyphen at a line end may be the
    text's own ("1923-" / "29"), so the page is read both ways."""
    dehyphenated = re.sub(r"(?<=\w)[-\u2010\u00ad][ \t]*\n\s*(?=\w)", "", page)
    return passage in squash(page) or passage in squash(dehyphenated)


def test_page_has_reads_through_line_end_hyphens():
    assert page_has("был вызван Са-\n   пронов, и", squash("вызван Сапронов"))
    assert page_has("в 1923-\n29 гг.", squash("1923-29"))
    assert not page_has("Са-\nпронов", squash("Саблин"))


def test_pdf_footnotes_sit_on_the_pages_of_their_markers(pdf_build, notes):
    pages = pdf_pages(pdf_build / "edition.pdf")
    misplaced = []
    for note in notes:
        passage = squash(normalise_text(note.anchor.exact))[-8:]
        body = squash(plain_body(note))[:24]
        page_of_note = [i for i, p in enumerate(pages) if page_has(p, body)]
        assert page_of_note, f"note {note.id} not found in the PDF"
        # The footnote starts on the page where its passage ends (or, when
        # the passage breaks across pages, the page after).
        # A page break can fall inside those last characters too ("…카메네프가" / "제안한 협상안을").
        straddles = [i for i in page_of_note if i and any(
            page_has(pages[i - 1], passage[:k]) and page_has(pages[i], passage[k:]) for k in range(1, len(passage)))]
        if not straddles and not any(
                page_has(pages[i], passage) or (i and page_has(pages[i - 1], passage)) for i in page_of_note):
            misplaced.append(note.id)
    assert not misplaced


def test_pdf_notes_are_real_footnotes(pdf_build, notes):
    tex = (pdf_build / "edition.tex").read_text(encoding="utf-8")
    assert tex.count(r"\begin{footnote}") == len(notes)
    assert r"\section*{Notes}" not in tex and "{Notes}" not in tex  # no empty note list in print
