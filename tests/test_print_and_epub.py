"""The print (PDF) and EPUB editions."""

from __future__ import annotations

import html
import re
import subprocess
import unicodedata
import zipfile

import pytest

from conftest import DOCS, ROOT, RU_SOURCE, fold, load_all_notes, node_tool, require_tool
from edition.reading.texts import text_front_matters
from edition.reading.texts import load_texts
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
                # The next characters, with note numbers allowed between them, as above.
                ahead = re.compile(r"\d*".join(map(re.escape, needle[i : i + 12])))
                found = ahead.search(haystack, j, j + 12000)
                if found is None or jumps >= 4:
                    break
                j, jumps = found.start(), jumps + 1
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
    # Each text opens with its source box, kept whole (tests/test_print_book.py: on its text's page).
    assert tex.count("About this text") == len(texts)
    assert len(re.findall(r"About this text.*?\\endgroup\\nopagebreak", tex, re.S)) == len(texts)


def test_each_text_opens_with_its_whole_source_box(pdf_build):
    """A text's opening page holds its title, the whole source box and the
    text's first lines. No line of the box on a page of its own."""
    from edition.sphinxext.transforms.text_documents import SOURCE_FIELDS

    pages = subprocess.run(["pdftotext", str(pdf_build / "edition.pdf"), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    texts = load_texts(DOCS)
    openings = [i for i, page in enumerate(pages) if "About this text" in page]
    assert len(openings) == len(texts)
    for text in texts:
        fields = [(label, squash(str(text.meta[key]))) for key, label in SOURCE_FIELDS if text.meta.get(key)]
        label, value = fields[-1]
        opening = [i for i in openings if value[:30] in squash(pages[i])]
        assert len(opening) == 1, (text.text_id, "the box's last field is not on its opening page")
        page = squash(pages[opening[0]])
        assert squash(text.meta["title"]) in page, text.text_id
        for label, value in fields:
            assert squash(label) in page and value[:30] in page and value[-30:] in page, (text.text_id, label)
        first = next(b for b in text.blocks if b.kind == "paragraph")
        assert squash(first.text)[:30] in page[page.index(squash(fields[-1][1])[-30:]):], text.text_id
        assert "Provenance" not in pages[opening[0] + 1]


def test_russian_is_hyphenated_as_russian(pdf_build, pdf_text):
    tex = (pdf_build / "edition.tex").read_text(encoding="utf-8")
    assert r"\setotherlanguage{russian}" in tex and r"\begin{otherlanguage}{russian}" in tex
    # Layout mode: the default joins a hyphenated word's two lines when they are in one block.
    layout = subprocess.run(["pdftotext", "-layout", str(pdf_build / "edition.pdf"), "-"], capture_output=True,
                            text=True, check=True).stdout
    lines = [line.rstrip() for line in layout.splitlines()]
    broken = [l for l in lines if re.search(r"[а-я]-$", l)]
    assert broken, "no Russian word is hyphenated at a line end"
    first_words = RU_SOURCE.read_text(encoding="utf-8").split()[:3]
    assert " ".join(first_words) in pdf_text


def test_general_index_has_page_numbers(pdf_text):
    # The indices of persons and works: tests/test_print_indices.py.
    assert re.search(r"\nKuomintang, \d+", pdf_text)


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


# --- Spaces between words, as printed (tests/word_joints.py) -------------------------------


def assert_every_joint_spaced(pdf, texts):
    from word_joints import MIN_SPACE_PT, check_pdf

    assert texts
    reports = check_pdf(pdf, texts)
    for text_id, report in reports.items():
        assert report.checked > 0, text_id
        assert not report.run_together, (text_id, len(report.run_together), report.run_together[:10])
        assert not report.not_found, (text_id, report.not_found[:10])
        # Most joints are inside a line, where the space can be measured.
        assert report.spaced > 0.8 * report.checked, (text_id, report.spaced, report.checked)
        narrow = [(round(w, 2), joint) for w, joint in report.space_widths if w < MIN_SPACE_PT]
        assert not narrow, (text_id, narrow[:10])
    return reports


def test_every_word_joint_keeps_its_space_in_print(pdf_build):
    """Every two words of every text that meet at a space, with letters on both
    sides, are printed with a space of a space's width between them."""
    assert_every_joint_spaced(pdf_build / "edition.pdf", load_texts(DOCS))


def test_word_joint_check_finds_words_run_together():
    """The check itself: a run-together pair, a measured-too-narrow gap, and
    joints at line and page ends, note numbers and hyphenation."""
    from word_joints import Gap, Stream, check_joints

    text = "저작배반당한 혁명1에서 на-\nчала\nfootnote text\n12\n\f\nrunning head\nлевые"
    first, second = text.index(" "), text.index(" на")
    report = check_joints(Stream(text, {first: 2.5, second: 0.9}, [Gap("", "", 0, 0)]),
                          ["저작 배반당한 혁명에서 начала левые"])
    assert report.checked == 4
    assert [r.split("  ")[0] for r in report.run_together] == ["저작 배반당한"]
    assert report.spaced == 2 and report.at_line_end == 1 and not report.not_found
    assert report.space_widths == [(2.5, "배반당한 혁명에서"), (0.9, "혁명에서 начала")]


#: The made-up Korean text full of links, and its notes: tests/roots/links-everywhere.
MADE_UP_ROOT = "links-everywhere"


@pytest.fixture(scope="module")
def made_up_pdf(tmp_path_factory):
    """A made-up Korean text, every word next to a link or a note, linked at
    every occurrence, built to PDF: the edition's other texts left out (their
    spaces in print are checked on the edition's own PDF, pdf_build), so this
    second compile typesets only what it is for."""
    from support import add_root, build_pdf, copy_project, keep_only_texts

    require_tool("xelatex", "the PDF edition is typeset with xelatex")
    require_tool("latexmk", "the PDF edition is built with latexmk")
    require_tool("pdftotext", "tests read the PDF's text layer (poppler-utils)")
    # The home page's texts/* toctree lists the root's text: a new text needs no edit there.
    project = add_root(copy_project(tmp_path_factory.mktemp("made-up")), MADE_UP_ROOT)
    keep_only_texts(project, {"made-up-links"})
    return project, build_pdf(project)


def test_made_up_korean_text_full_of_links_keeps_every_space(made_up_pdf):
    project, latex = made_up_pdf
    tex = (latex / "edition.tex").read_text(encoding="utf-8")
    made_up = tex[tex.index("가상의 연결 시험"):]
    # It is full of links of every kind, and of notes, as intended.
    for kind in ("glossary:gloss-", "persons:person-", "works:work-"):
        assert made_up.count(kind) >= 3, kind
    assert made_up.count(r"\begin{footnote}") >= 4
    texts = load_texts(project / "docs")
    assert {t.text_id for t in texts} == {"made-up-links"}
    assert_every_joint_spaced(latex / "edition.pdf", texts)


# --- Accessible EPUB -------------------------------------------------------------------------


def test_epub_declares_its_accessibility(epub_build):
    book = next(epub_build.glob("*.epub"))
    with zipfile.ZipFile(book) as archive:
        names = archive.namelist()
        opf = archive.read(next(n for n in names if n.endswith(".opf"))).decode()
        pages = [archive.read(n).decode() for n in names if n.endswith(".xhtml")]
    for prop in ("schema:accessMode", "schema:accessModeSufficient", "schema:accessibilityFeature",
                 "schema:accessibilityHazard", "schema:accessibilitySummary", "dcterms:conformsTo",
                 "a11y:certifiedBy"):
        assert re.search(rf'<meta property="{prop}">[^<]+</meta>', opf), prop
    assert all(re.search(r'<html [^>]*\blang="en" xml:lang="en"', page) for page in pages)


@pytest.mark.slow  # Node and Chromium
def test_daisy_ace_finds_no_serious_or_critical_violation(epub_build, tmp_path):
    """DAISY Ace (npm @daisy/ace-cli), driven by the system Chromium."""
    import json
    import os

    from conftest import chromium_path

    require_tool("node", "DAISY Ace runs on Node.js")
    require_tool("chromium", "DAISY Ace drives Debian's Chromium")
    ace = node_tool("@daisy/ace-cli/bin/ace.js", "DAISY Ace checks the EPUB's accessibility")
    browser = chromium_path()
    book = next(epub_build.glob("*.epub"))
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": browser, "PUPPETEER_SKIP_DOWNLOAD": "1"}
    result = subprocess.run(["node", str(ace), "--silent", "--force", "--outdir", str(tmp_path / "ace"), str(book)],
                            capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    report = json.loads((tmp_path / "ace" / "report.json").read_text(encoding="utf-8"))
    violations = [(page["earl:testSubject"]["url"], check["earl:test"]["earl:impact"], check["earl:test"]["dct:title"])
                  for page in report["assertions"] for check in page["assertions"]]
    assert report["assertions"] is not None and report["earl:testSubject"]
    assert not [v for v in violations if v[1] in ("serious", "critical")], violations
    metadata = report["a11y-metadata"]
    assert {"schema:accessMode", "schema:accessibilityFeature", "schema:accessibilityHazard",
            "schema:accessibilitySummary", "schema:accessModeSufficient", "dcterms:conformsTo",
            "a11y:certifiedBy"} <= set(metadata["present"]), metadata
