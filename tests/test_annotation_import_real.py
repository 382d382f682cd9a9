"""`edition import-annotations` on the real texts and their built pages: the cases the issue
met as a reader (a selection across a marker on the Russian page; a word whose position on
the page coincides with another occurrence in the Korean text). Nothing here names a
paragraph number: each case is found in the texts as they are. In-process."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import ANNOTATIONS, DOCS, ROOT
from edition.checking.check import check_project
from edition.cli.commands import main
from edition.reading.page_text import page_text
from edition.formats.w3c import ReadingText

BASE = "https://edition.example/ed/"


@pytest.fixture(scope="module")
def texts():
    return {t.text_id: t for t in check_project(DOCS, ANNOTATIONS).texts}


def text_in(texts, lang: str):
    found = [t for t in texts.values() if t.meta.get("lang") == lang]
    if not found:
        pytest.fail(f"no text in {lang}")
    return found[0]


def import_one(tmp_path: Path, html: Path, text, selectors: list[dict], *extra: str, capsys) -> tuple[int, str, dict | None]:
    copy = tmp_path / "annotations"
    shutil.copytree(ANNOTATIONS, copy)
    uri = f"{BASE}{text.docname}.html"
    data = {"rows": [{"id": "real1", "uri": uri, "text": "A reader's note.", "user": "acct:reader@hypothes.is",
                      "permissions": {"read": ["group:__world__"]}, "links": {"html": "https://hypothes.is/a/real1"},
                      "target": [{"source": uri, "selector": selectors}]}]}
    path = tmp_path / "rows.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code = main(["import-annotations", str(path), "--docs", str(DOCS), "--annotations", str(copy),
                 "--citation", str(ROOT / "CITATION.cff"), "--base-url", BASE, *extra])
    err = capsys.readouterr().err
    notes = yaml.safe_load((copy / "notes" / f"{text.text_id}.yaml").read_text(encoding="utf-8"))["notes"]
    added = [n for n in notes if n.get("provenance") == "https://hypothes.is/a/real1"]
    return code, err, added[0] if added else None


def block_of(text, anchor: dict) -> int:
    """The ¶ number where *anchor* lands, as `edition check` places it."""
    from edition.anchoring.text_quotes import Anchor, locate

    reading = ReadingText.of(text)
    placement = locate(Anchor(anchor["exact"], anchor.get("prefix"), anchor.get("suffix"), anchor.get("paragraph")),
                       reading.blocks)
    return reading.blocks[placement.block].number, placement


def test_a_selection_across_an_old_pages_marker_lands_on_the_words(texts, html_build, tmp_path, capsys):
    text = text_in(texts, "ru")
    reading = ReadingText.of(text)
    block = next(b for b in reading.blocks if len(b.text.split()) > 8)
    words = block.text.split(" ")
    # As the page read when markers were text: "тюрьмы ГПУ[1] становились".
    exact = " ".join(words[2:4]) + "[1] " + " ".join(words[4:6])
    code, err, note = import_one(tmp_path, html_build, text, [{"type": "TextQuoteSelector", "exact": exact}],
                                 capsys=capsys)
    assert code == 0, err
    assert note["anchor"]["exact"] == " ".join(words[2:6])
    number, _ = block_of(text, note["anchor"])
    assert number == block.number


def test_context_wins_over_a_coinciding_position(texts, html_build, tmp_path, capsys):
    text = text_in(texts, "ko")
    reading = ReadingText.of(text)
    page = page_text((html_build / f"{text.docname}.html").read_text(encoding="utf-8"))
    # A word in two paragraphs at least: the reader's selection in the first, the position at the other.
    word = "반대파"
    holders = [i for i, b in enumerate(reading.blocks) if word in b.text]
    assert len(holders) >= 2
    first, other = holders[0], holders[-1]

    def on_page(index: int) -> tuple[int, int]:
        start = page.blocks[index][0] + reading.blocks[index].text.index(word)
        return start, start + len(word)

    start, end = on_page(first)
    quote = {"type": "TextQuoteSelector", "exact": word, "prefix": page.text[start - 32 : start],
             "suffix": page.text[end : end + 32]}
    wrong = on_page(other)
    code, err, note = import_one(
        tmp_path, html_build, text,
        [{"type": "TextPositionSelector", "start": wrong[0], "end": wrong[1]}, quote], "--html", str(html_build),
        capsys=capsys,
    )
    assert code == 0, err
    number, placement = block_of(text, note["anchor"])
    assert number == reading.blocks[first].number
    assert placement.start == reading.blocks[first].text.index(word)


def test_a_position_alone_is_trusted_only_where_the_page_reads_the_quote(texts, html_build, tmp_path, capsys):
    text = text_in(texts, "ko")
    reading = ReadingText.of(text)
    page = page_text((html_build / f"{text.docname}.html").read_text(encoding="utf-8"))
    word = "반대파"
    index = [i for i, b in enumerate(reading.blocks) if word in b.text][-1]
    start = page.blocks[index][0] + reading.blocks[index].text.index(word)
    selectors = [{"type": "TextPositionSelector", "start": start, "end": start + len(word)},
                 {"type": "TextQuoteSelector", "exact": word}]
    code, err, note = import_one(tmp_path / "a", html_build, text, selectors, "--html", str(html_build),
                                 capsys=capsys)
    assert code == 0, err
    number, placement = block_of(text, note["anchor"])
    assert number == reading.blocks[index].number and placement.start == reading.blocks[index].text.index(word)
    # The same numbers one character off: no evidence, and the word occurs many times.
    selectors[0] = {"type": "TextPositionSelector", "start": start + 1, "end": start + 1 + len(word)}
    code, err, note = import_one(tmp_path / "b", html_build, text, selectors, "--html", str(html_build),
                                 capsys=capsys)
    assert code == 1 and note is None and "and its prefix/suffix do not say which" in err


@pytest.mark.parametrize("lang", ["ru", "ko"])
def test_a_whole_paragraph_and_a_heading_as_a_reader_selects_them(texts, html_build, tmp_path, capsys, lang):
    text = text_in(texts, lang)
    reading = ReadingText.of(text)
    page = page_text((html_build / f"{text.docname}.html").read_text(encoding="utf-8"))
    limit = 500  # notes.schema.json: anchor.exact maxLength

    def triple_click(index: int, where: Path):
        """The paragraph as the page holds it, with the line feed after it, as a triple-click selects it."""
        start, end = page.blocks[index]
        return import_one(where, html_build, text, [{"type": "TextQuoteSelector", "exact": page.text[start : end + 1],
                                                    "prefix": page.text[max(0, start - 20) : start]}], capsys=capsys)

    numbered = [i for i, b in enumerate(reading.blocks) if b.number]
    short = max((i for i in numbered if len(reading.blocks[i].text) <= limit), key=lambda i: len(reading.blocks[i].text))
    code, err, note = triple_click(short, tmp_path / "short")
    assert code == 0, err
    assert note["anchor"]["exact"] == reading.blocks[short].text
    long = [i for i in numbered if len(reading.blocks[i].text) > limit]
    if long:
        block = reading.blocks[long[0]]
        code, err, note = triple_click(long[0], tmp_path / "long")
        assert code == 1 and note is None
        assert (f"its passage is {len(block.text)} characters (the whole of ¶{block.number}); a note's passage is "
                f"at most {limit}: select the words the note is about") in err
    heading = next(b for b in text.blocks if b.kind == "heading")
    code, err, note = import_one(tmp_path / "h", html_build, text,
                                 [{"type": "TextQuoteSelector", "exact": heading.text}], capsys=capsys)
    assert code == 1 and note is None
    assert "refused: annotation 1 (https://hypothes.is/a/real1): it selects words of a heading; headings carry no notes" in err
