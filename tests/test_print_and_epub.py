"""The print (PDF) and EPUB editions."""

from __future__ import annotations

import html
import re
import subprocess
import unicodedata
import zipfile

import pytest

from conftest import DOCS, ROOT, RU_SOURCE, fold, load_all_notes, require_tool
from edition.texts import text_front_matters
from edition.texts import load_texts
from conftest import DOCS

EXTRA = set("0123456789")


def squash(text: str) -> str:
    """Whitespace and hyphens out (print breaks lines and words, and sets "-"
    as a non-breaking hyphen), compatibility forms folded (ligatures)."""
    text = unicodedata.normalize("NFKC", text).replace("[sic]", "")
    return re.sub(r"[\s\-\u2010\u2011]+", "", text)


@pytest.fixture(scope="module")
def pdf_text(pdf_build):
    return subprocess.run(["pdftotext", str(pdf_build / "edition.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout


def contains_allowing_apparatus(haystack: str, needle: str) -> bool:
    """Is *needle* in *haystack*, allowing what print puts between its
    characters: note numbers, ¶ numbers, line-end hyphens, and, where a
    paragraph runs onto the next page, the footnotes and running heads
    between the two parts (a jump to where the next characters continue)?"""
    start = 0
    while True:
        at = haystack.find(needle[:10], start)
        if at < 0:
            return False
        i, j, jumps = 0, at, 0
        while i < len(needle) and j < len(haystack):
            if haystack[j] == needle[i]:
                i, j = i + 1, j + 1
            elif haystack[j] in EXTRA:
                j += 1
            else:
                resume = haystack.find(needle[i : i + 12], j, j + 12000)
                if resume < 0 or jumps >= 4:
                    break
                j, jumps = resume, jumps + 1
        if i == len(needle):
            return True
        start = at + 1


def test_every_paragraph_is_in_the_text_layer(pdf_text):
    layer = squash(pdf_text)
    missing = []
    for text in load_texts(DOCS):
        for block in text.blocks:
            if not contains_allowing_apparatus(layer, squash(block.text)):
                missing.append(f"{text.text_id} {block.kind} ¶{block.number}: {block.text[:40]}")
    assert not missing, missing[:5]


def test_fonts_embedded_and_no_glyph_missing(pdf_build):
    fonts = subprocess.run(["pdffonts", str(pdf_build / "edition.pdf")], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    assert fonts
    assert all(line.split()[-5] == "yes" for line in fonts), fonts  # the "emb" column
    log = (pdf_build / "edition.log").read_text(encoding="utf-8", errors="replace")
    assert "Missing character" not in log
    assert "undefined references" not in log


def test_bookmarks_and_metadata(pdf_build):
    from pypdf import PdfReader

    reader = PdfReader(pdf_build / "edition.pdf")
    assert reader.metadata.title == "Trotsky and the Russian Left Opposition: an annotated edition"
    assert reader.trailer["/Root"].get("/Lang") == "en"

    def titles(outline):
        for item in outline:
            if isinstance(item, list):
                yield from titles(item)
            else:
                yield item.title

    bookmarks = list(titles(reader.outline))
    for wanted in ("트로츠키와 러시아 좌익반대파", "Glossary", "Persons", "Works quoted",
                   "Index of works quoted", "Index of persons", "Index"):
        assert any(wanted in b for b in bookmarks), (wanted, bookmarks)


def test_title_page_and_source_pages(pdf_build):
    first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf_build / "edition.pdf"), "-"],
                           capture_output=True, text=True, check=True).stdout
    assert "Trotsky and the" in first and "An annotated edition" in first
    texts = text_front_matters(DOCS)
    for _, _, meta in texts:  # the title page names every text, from its front matter
        assert fold(meta["title"]) in fold(first), meta["title"]
    tex = (pdf_build / "edition.tex").read_text(encoding="utf-8")
    # Each text opens with its source box on a page of its own.
    assert tex.count("About this text") == len(texts)
    assert len(re.findall(r"About this text.*?\\clearpage", tex, re.S)) == len(texts)


def test_russian_is_hyphenated_as_russian(pdf_build, pdf_text):
    tex = (pdf_build / "edition.tex").read_text(encoding="utf-8")
    assert r"\setotherlanguage{russian}" in tex and r"\begin{otherlanguage}{russian}" in tex
    lines = pdf_text.splitlines()
    broken = [l for l in lines if re.search(r"[а-я]-$", l)]
    assert broken, "no Russian word is hyphenated at a line end"
    first_words = RU_SOURCE.read_text(encoding="utf-8").split()[:3]
    assert " ".join(first_words) in pdf_text


def test_index_of_persons_has_page_numbers(pdf_text):
    # The register entry's page, then every passage that names him, with its page.
    match = re.search(r"Trotsky, Leon \(1879–1940\), \d+\n(.*?)\n[A-Z][a-z]+, ", pdf_text, re.S)
    assert match
    passages = re.findall(r"¶(\d+).*?, (\d+)\n", match.group(1), re.S)
    assert len(passages) > 20
    assert re.search(r"\nKuomintang, \d+", pdf_text)  # the general index


def test_make_pdf_names_the_missing_package():
    result = subprocess.run(["make", "pdf", "XELATEX=no-such-xelatex"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode != 0
    assert "make pdf: no-such-xelatex not found; install texlive-xetex" in result.stdout
    fonts = subprocess.run(["make", "pdf", "PDF_FONTS=No Such Font KR:fonts-noto-cjk"], capture_output=True,
                           text=True, cwd=ROOT)
    assert fonts.returncode != 0
    assert "make pdf: font No Such Font KR not found; install fonts-noto-cjk" in fonts.stdout


def test_epub_has_texts_apparatus_and_languages(epub_build):
    book = next(epub_build.glob("*.epub"))
    with zipfile.ZipFile(book) as archive:
        names = set(archive.namelist())
        for page in ("texts/trotsky-left-opposition.xhtml", "texts/ciliga-gpu-prisons.xhtml", "glossary.xhtml",
                     "persons.xhtml", "works.xhtml", "edition-works.xhtml", "edition-persons.xhtml"):
            assert any(n.endswith(page) for n in names), page
        ko = archive.read(next(n for n in names if n.endswith("trotsky-left-opposition.xhtml"))).decode()
        opf = archive.read(next(n for n in names if n.endswith(".opf"))).decode()
    assert '<section id="s-1" lang="ko"' in ko or 'lang="ko"' in ko
    assert 'epub:type="footnote"' in ko
    assert "edition-definitions" not in ko  # popover data is for the web only
    assert "glossary.xhtml" in opf
    description = html.unescape(re.search(r"<dc:description>(.*?)</dc:description>", opf, re.S).group(1))
    for _, _, meta in text_front_matters(DOCS):  # the metadata names every text
        assert (meta.get("title_en") or meta["title"]) in description
