"""The PDF is a book a reader can find their way in: a contents page listing
every text with its page, the texts as top-level chapters (and bookmarks) in
the edition's order, running heads, no widow or club line, no heading at a
page foot, Korean lines broken between words. On the real edition and on a
made-up one of three texts in three languages, one of them long."""

from __future__ import annotations

import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ANNOTATIONS, CONF, DOCS, ROOT, fold, require_tool
from support import build_pdf, copy_registers, project_text_ids
from edition.sphinxext.print.print_book import INTRODUCTION
from edition.reading.texts import load_texts, text_front_matters
from page_layout import bad_breaks, heading_at_foot, read_pages


# --- reading the PDF ------------------------------------------------------------------------


def outline(pdf: Path) -> tuple[list[tuple[str, int, int, float | None]], object]:
    """Every bookmark as (title, depth, page index, top), and the reader."""
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    found = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                top = float(item.top) if item.get("/Top") is not None else None
                found.append((item.title, depth, reader.get_destination_page_number(item), top))

    walk(reader.outline, 0)
    return found, reader


def contents_page(pdf: Path) -> tuple[int, list[tuple[str, str]]]:
    """The contents page (1-based) and its entries as (title, page label)."""
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    for number, page in enumerate(pages, 1):
        lines = [l.strip() for l in page.splitlines() if l.strip()]
        if lines and lines[0] == "Contents":
            entries, pending = [], ""
            for line in lines[1:]:
                match = re.fullmatch(r"(.*?)\s{2,}([0-9]+|[ivxlc]+)", line)
                if match:
                    entries.append((fold(f"{pending} {match[1]}"), match[2]))
                    pending = ""
                elif not re.fullmatch(r"[ivxlc]+|[0-9]+", line):  # a long title's first line; not the page foot
                    pending = f"{pending} {line}"
            return number, entries
    raise AssertionError("no page headed Contents")


def page_text(pdf: Path, number: int) -> str:
    return subprocess.run(["pdftotext", "-f", str(number), "-l", str(number), str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout


def running_head(pdf: Path, number: int) -> str:
    """The text above the body on page *number* (1-based)."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", "-f", str(number), "-l", str(number), str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    import html

    words = re.findall(r'<word xMin="([^"]+)" yMin="([^"]+)"[^>]*>([^<]*)</word>', xml)
    return " ".join(html.unescape(w) for x, y, w in sorted(words, key=lambda w: float(w[0])) if float(y) < 50)


# --- the checks, for any edition ------------------------------------------------------------


def assert_book(pdf: Path, srcdir: Path) -> None:
    texts = text_front_matters(srcdir)  # docname order: the edition's order
    assert texts
    titles = [fold(str(meta["title"])) for _, _, meta in texts]
    marks, reader = outline(pdf)
    top = [(fold(title), page) for title, depth, page, _ in marks if depth == 0]
    labels = reader.page_labels

    # Each text is a top-level bookmark, in the edition's order, and they stand together
    # between the introduction (front matter) and the apparatus (back matter).
    shown = [title for title, _ in top]
    for title in titles:
        assert title in shown, (title, shown)
    first = shown.index(titles[0])
    assert shown[first:first + len(titles)] == titles, shown
    assert shown[:first] == [INTRODUCTION], shown[:first]
    assert len(shown) > first + len(titles), "no back matter after the texts"
    assert shown[-1] == "Index"
    # No text's own heading is a top-level bookmark (its sections are nested under it).
    nested = [fold(title) for title, depth, _, _ in marks if depth > 0]
    assert not set(nested) & set(titles)

    # The contents page comes right after the title page, headed Contents, and lists every
    # top-level bookmark with the page label the bookmark points to.
    number, entries = contents_page(pdf)
    assert number == 2
    assert [title for title, _ in entries] == shown, (entries, shown)
    for (title, label), (_, page) in zip(entries, top):
        assert labels[page] == label, (title, label, labels[page])

    # Texts start on page 1 (front matter in roman numbers); page 1 is not empty; each
    # text's opening page shows its title, and its other pages carry it as running head.
    opening = dict(top)
    assert labels[opening[titles[0]]] == "1"
    first_page = read_pages(pdf, opening[titles[0]] + 1, opening[titles[0]] + 1)[0]
    assert len(first_page.lines) >= 10, "page 1 is nearly empty"
    ends = sorted(page for _, page in top)
    for title in titles:
        start = opening[title]
        assert title in fold(page_text(pdf, start + 1)), title
        after = min(page for page in ends if page > start)
        for page in range(start + 1, after):
            assert fold(running_head(pdf, page + 1)).startswith(title), (title, page + 1)


def assert_page_breaks(pdf: Path) -> None:
    pages = read_pages(pdf)
    assert sum(len(page.lines) for page in pages) > 30 * len(pages) / 2  # the check sees the body
    breaks = bad_breaks(pages)
    assert not breaks, breaks
    marks, _ = outline(pdf)
    at_foot = [(title, page + 1) for title, _, page, top in marks
               if top is not None and heading_at_foot(pages[page], pages[page].height - top)]
    assert not at_foot, at_foot


HANGUL = r"[\uac00-\ud7a3]+"


def assert_korean_breaks_between_words(pdf: Path, srcdir: Path) -> int:
    """Every line of a Korean text that ends in a Hangul syllable, followed by a line
    starting with one, ends a word: the text has a space there. Returns the lines checked."""
    korean = [t for t in load_texts(srcdir) if t.meta.get("lang") == "ko"]
    assert korean
    checked, inside = 0, []
    source = " ".join(fold(block.text) for text in korean for block in text.blocks)
    # The Korean texts' chapters: from each one's bookmark to the next top-level one.
    marks, _ = outline(pdf)
    starts = sorted((page, fold(title)) for title, depth, page, _ in marks if depth == 0)
    titles = {fold(str(t.meta["title"])) for t in korean}
    chapters = set()
    for (start, title), (end, _) in zip(starts, starts[1:] + [(10**6, "")]):
        if title in titles:
            chapters.update(range(start + 1, end + 1))
    for page in read_pages(pdf):
        if page.number not in chapters:
            continue
        for line, following in zip(page.lines, page.lines[1:]):
            tail = re.search(HANGUL + "$", line.text)
            head = re.match(HANGUL, following.text)
            if not tail or not head or abs(line.x_min - following.x_min) > 12:
                continue
            pair_spaced, pair_joined = f"{tail[0]} {head[0]}", f"{tail[0]}{head[0]}"
            if pair_spaced not in source and pair_joined not in source:
                continue  # not the text's own words (a heading and a note's first line)
            checked += 1
            if pair_spaced not in source:
                inside.append((page.number, pair_joined))
    assert not inside, inside[:10]
    return checked


# --- the real edition -----------------------------------------------------------------------


def test_contents_and_bookmarks_list_every_text_in_order(pdf_build):
    assert_book(pdf_build / "edition.pdf", DOCS)
    marks, _ = outline(pdf_build / "edition.pdf")
    shown = [fold(title) for title, depth, _, _ in marks if depth == 0]
    # How to cite is back matter, after the registers and before the indices.
    cite = next(i for i, t in enumerate(shown) if t.startswith("How to cite"))
    assert shown.index("Glossary") < cite < shown.index("Index")


def test_no_widow_club_or_heading_at_a_page_foot(pdf_build):
    assert_page_breaks(pdf_build / "edition.pdf")


def test_korean_lines_break_between_words(pdf_build):
    assert assert_korean_breaks_between_words(pdf_build / "edition.pdf", DOCS) > 100


def test_web_only_wording_is_not_printed(pdf_build):
    text = fold(subprocess.run(["pdftotext", str(pdf_build / "edition.pdf"), "-"], capture_output=True, text=True,
                               check=True).stdout)
    assert "Cite menu" not in text and ".html#p-" not in text
    assert "edition-works" not in text  # a web index's label, not a page
    assert "The book ends with the indices" in text  # print-only wording


def test_sic_stands_a_word_space_after_its_word(pdf_build):
    tex = (pdf_build / "edition.tex").read_text(encoding="utf-8")
    assert r"\DUrole{edition-sic}" in tex
    text = subprocess.run(["pdftotext", str(pdf_build / "edition.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert re.search(r"debuts \[sic\]", text), "no space before [sic]"
    assert not re.search(r"\w\[sic\]", text)


# --- a made-up edition: three texts, one long ----------------------------------------------

FRONT = """---
edition-text: {id}
lang: {lang}
title: {title}
title_en: {title_en}
short_title: {short}
author: The test suite
translator: None
publication: None, written for the print tests
date: '2026'
provenance: Made up by tests/test_print_book.py.
source_file: none
---

# {title_line}

```{{edition-text-header}}
```

"""

WORDS_EN = ("the opposition argued that the party had to restore its inner democracy before the "
            "bureaucracy could consume the gains of the revolution while the workers waited for "
            "a sign from the west and the peasants held back their grain").split()
WORDS_KO = "노동자 국가의 관료집단은 혁명의 고립 속에서 성장했고 반대파는 당내 민주주의의 회복을 요구하면서 산업화와 국제주의를 위하여 투쟁했다".split()


def paragraphs(words, rng, count, longest):
    out = []
    for _ in range(count):
        n = rng.choice((8, 20, 35, 60, 90, longest))  # from half a line to many lines
        out.append(" ".join(rng.choice(words) for _ in range(n)).capitalize() + ".")
    return out


def front(**fields) -> str:
    """The front matter and title of a made-up text (values as YAML strings)."""
    import json

    quoted = {key: json.dumps(value, ensure_ascii=False) if key != "title_line" else value
              for key, value in fields.items()}
    return FRONT.format(title_line=fields["title"], **{k: v for k, v in quoted.items() if k != "title_line"})


def made_up_texts() -> dict[str, str]:
    rng = random.Random(28)
    long_body = []
    for part in range(1, 16):
        long_body.append(f"## Part {part} of the argument")
        long_body += paragraphs(WORDS_EN, rng, rng.randint(2, 6), 160)
    korean = paragraphs(WORDS_KO, rng, 12, 120)
    # Docnames in the edition's order; the titles would sort otherwise.
    return {
        "m1-korean": front(id="m1-korean", lang="ko", title="하나의 가상 문서", title_en="A made-up Korean text",
                                  short="Korean") + "\n\n".join(korean) + "\n",
        "m2-long": front(id="m2-long", lang="en", title="Zinoviev's Long Made-up Argument",
                                title_en="Zinoviev's Long Made-up Argument", short="Long")
        + "\n\n".join(long_body) + "\n",
        "m3-russian": front(id="m3-russian", lang="ru", title="Выдуманный текст об оппозиции",
                                   title_en="A made-up text on the opposition", short="Russian")
        + "Оппозиция требовала восстановить внутрипартийную демократию.\n\n"
        + "\n\n".join(paragraphs("рабочие партия бюрократия оппозиция революция государство".split(), rng, 4, 80)) + "\n",
    }


@pytest.fixture(scope="module")
def made_up_book(tmp_path_factory):
    """A copy of the project whose texts are three made-up ones, built to PDF once."""
    require_tool("xelatex", "the PDF edition is typeset with xelatex")
    require_tool("latexmk", "the PDF edition is built with latexmk")
    require_tool("pdftotext", "tests read the PDF's text layer (poppler-utils)")
    project = tmp_path_factory.mktemp("three-texts")
    for name, source in (("docs", DOCS), ("conf", CONF), ("annotations", ANNOTATIONS)):
        shutil.copytree(source, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "CITATION.cff", project / "CITATION.cff")
    for path in (project / "docs" / "texts").glob("*.md"):
        path.unlink()
    for path in (project / "annotations" / "notes").glob("*.yaml"):
        path.unlink()
    for docname, content in made_up_texts().items():
        (project / "docs" / "texts" / f"{docname}.md").write_text(content, encoding="utf-8")
    copy_registers(project / "annotations", project_text_ids(project))
    return project, build_pdf(project) / "edition.pdf"


def test_made_up_edition_contents_and_bookmarks(made_up_book):
    project, pdf = made_up_book
    assert len(text_front_matters(project / "docs")) == 3
    assert_book(pdf, project / "docs")


def test_made_up_long_text_has_no_widow_club_or_heading_at_a_page_foot(made_up_book):
    project, pdf = made_up_book
    marks, reader = outline(pdf)
    top = [(title, page) for title, depth, page, _ in marks if depth == 0]
    long_at = next(i for i, (title, _) in enumerate(top) if title.startswith("Zinoviev"))
    assert top[long_at + 1][1] - top[long_at][1] >= 5, "the long text is long"
    assert_page_breaks(pdf)
    assert assert_korean_breaks_between_words(pdf, project / "docs") > 20


def test_page_break_check_finds_widows_and_clubs():
    """The check itself, on made-up lines: a widow, a club, a paragraph that ends
    at the page foot, a heading with one line below it."""
    from page_layout import Line, Page

    def line(y, x_max=523.0, x_min=72.0, text="words"):
        return Line(x_min, y, x_max, y + 13.6, text, 10.0)

    full = [line(71 + 12 * i) for i in range(50)]
    ended = full[:-1] + [line(71 + 12 * 49, x_max=300)]
    widow_next = Page(2, 842, 595, [line(71, x_max=200, text="widow")] + [line(89 + 12 * i) for i in range(40)])
    fine_next = Page(2, 842, 595, [line(71 + 12 * i) for i in range(40)])
    assert [b.kind for b in bad_breaks([Page(1, 842, 595, full), widow_next])] == ["widow"]
    assert bad_breaks([Page(1, 842, 595, full), fine_next]) == []
    assert bad_breaks([Page(1, 842, 595, ended), widow_next]) == []
    club = full[:40] + [line(71 + 12 * 40 + 18, text="club")]  # a paragraph's first line, after a gap
    assert [b.kind for b in bad_breaks([Page(1, 842, 595, club), fine_next])] == ["club"]
    heading = Line(72, 700, 300, 720, "Heading", 14.4)
    assert heading_at_foot(Page(1, 842, 595, full[:40] + [heading, line(725)]), 700)
    assert not heading_at_foot(Page(1, 842, 595, full[:40] + [heading, line(725), line(737)]), 700)
