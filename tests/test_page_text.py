"""The page's text is the text: apparatus has no characters in it.

Note markers, [sic], ¶ numbers and permalinks are generated content, so a
selection copied across them gives the text's own characters, and the
exported W3C selectors describe ``document.body.textContent`` of the
published page. Checked in Chromium on the real texts and on a made-up
English text with notes at awkward points (two at one place, one before
punctuation, a [sic]).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from conftest import ANNOTATIONS, CONF, ROOT, load_all_notes, sphinx_build_here
from support import copy_registers

from edition.anchoring.text_quotes import locate
from edition.checking.check import anchor_blocks
from edition.reading.page_text import page_text
from edition.formats.w3c import annotations_of

BASE = "https://edition.example/ed/"

MADE_UP = """---
edition-text: made-up-crossing
lang: en
title: A made-up crossing
---

# A made-up crossing

The river crossing was hard, and the ferryman said "never again". After the first crossing they rested.

Then came the second crossing; it was easy.
"""

MADE_UP_NOTES = """text: made-up-crossing
notes:
  - id: hard
    kind: editorial
    anchor: {exact: "crossing was hard"}
    body: "First note on this point."
  - id: hard-again
    kind: translation
    anchor: {exact: "was hard"}
    body: "Second note on the same point."
  - id: never
    kind: sic
    anchor: {exact: "never again"}
    body: "Sic, as printed."
  - id: second
    kind: editorial
    anchor: {exact: "second crossing"}
    body: "Before a semicolon."
"""


@pytest.fixture(scope="module")
def made_up_build(tmp_path_factory) -> Path:
    """A small edition of one made-up English text; its HTML output."""
    project = tmp_path_factory.mktemp("pagetext") / "project"
    shutil.copytree(CONF, project / "conf")
    (project / "docs" / "texts").mkdir(parents=True)
    (project / "docs" / "index.md").write_text("# Made-up edition\n\n```{edition-texts}\n```\n\n```{toctree}\n:hidden:\n\ntexts/made-up-crossing\n```\n", encoding="utf-8")
    (project / "docs" / "texts" / "made-up-crossing.md").write_text(MADE_UP, encoding="utf-8")
    (project / "annotations" / "notes").mkdir(parents=True)
    copy_registers(project / "annotations", texts={"made-up-crossing"})
    (project / "annotations" / "notes" / "made-up-crossing.yaml").write_text(MADE_UP_NOTES, encoding="utf-8")
    shutil.copy(ROOT / "CITATION.cff", project / "CITATION.cff")
    out = project / "_build" / "html"
    result = sphinx_build_here("html", out, srcdir=project / "docs", confdir=project / "conf")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return out


def texts_of(html: Path) -> list[Path]:
    return sorted((html / "texts").glob("*.html"))


def export(html: Path, docs: Path, annotations: Path, out: Path) -> dict[str, dict]:
    result = subprocess.run(
        [sys.executable, "-m", "edition.cli.commands", "export", "--docs", str(docs), "--annotations", str(annotations),
         "--base-url", BASE, "--out", str(out), "--html", str(html)],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(out.glob("*.jsonld"))}


def open_page(chromium, path: Path, javascript: bool = True, width: int = 1280):
    context = chromium.new_context(viewport={"width": width, "height": 900}, java_script_enabled=javascript)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return context, page


# --- the markup ------------------------------------------------------------------------------


def test_apparatus_in_a_paragraph_has_no_characters(html_build, made_up_build):
    from bs4 import BeautifulSoup

    pages = texts_of(html_build) + texts_of(made_up_build)
    assert len(pages) >= 3
    for path in pages:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        markers = soup.select(".bd-article a.edition-noteref")
        assert markers, path.name
        for marker in markers:
            assert marker.get_text() == "", (path.name, str(marker))
            assert marker["data-note"].isdigit() and marker["aria-label"].endswith(marker["data-note"])
            assert marker["role"] == "doc-noteref" and marker["href"].startswith("#note-")
        for element in soup.select(".bd-article .edition-sic, .bd-article .edition-pn, .bd-article h1 .headerlink"):
            assert element.get_text() == "", (path.name, str(element))


def test_two_notes_at_one_point_are_set_apart(made_up_build):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((made_up_build / "texts" / "made-up-crossing.html").read_text(encoding="utf-8"), "html.parser")
    first, second = soup.find(id="noteref-hard"), soup.find(id="noteref-hard-again")
    assert first.find_next_sibling() is second  # adjacent, nothing between
    assert "edition-noteref-next" in second["class"] and "edition-noteref-next" not in first["class"]


# --- in the browser --------------------------------------------------------------------------


SELECT_ACROSS = """(id) => {
  // From the start of the word before marker #id to the end of the word after it.
  const marker = document.getElementById(id);
  const walker = document.createTreeWalker(marker.closest('p'), NodeFilter.SHOW_TEXT);
  let before = null, after = null, node;
  while ((node = walker.nextNode())) {
    const position = marker.compareDocumentPosition(node);
    if (position & Node.DOCUMENT_POSITION_PRECEDING && node.data.trim()) before = node;
    if (position & Node.DOCUMENT_POSITION_FOLLOWING && node.data.trim() && !after) after = node;
  }
  const range = document.createRange();
  range.setStart(before, Math.max(0, before.data.trimEnd().lastIndexOf(' ') + 1));
  range.setEnd(after || before, after ? Math.min(after.data.length, (after.data + ' ').indexOf(' ', 1)) : before.data.length);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  return {range: range.toString(), selection: selection.toString(), lang: marker.closest('[lang]').lang};
}"""


@pytest.mark.parametrize("which", ["real", "made-up"])
def test_copying_across_markers_gives_the_texts_own_characters(chromium, html_build, made_up_build, which):
    pages = texts_of(html_build) if which == "real" else texts_of(made_up_build)
    langs = set()
    for path in pages:
        context, page = open_page(chromium, path)
        try:
            ids = page.eval_on_selector_all(".bd-article p a.edition-noteref", "els => els.map(e => e.id)")
            assert ids, path.name
            for marker_id in ids[:: max(1, len(ids) // 8)] + ids[-1:]:
                got = page.evaluate(SELECT_ACROSS, marker_id)
                langs.add(got["lang"])
                page.keyboard.press("Control+C")
                clipboard = page.evaluate("navigator.clipboard.readText()")
                # The copied characters are those of the page's text, and nothing else.
                assert clipboard == got["range"] == got["selection"], (path.name, marker_id, got, clipboard)
                text = page.evaluate("document.body.textContent")
                assert clipboard.strip() and clipboard in text
        finally:
            context.close()
    if which == "real":
        assert {"ko", "ru"} <= langs  # every language the edition has
    else:
        assert langs == {"en"}


def test_copying_a_marked_passage_in_the_made_up_text(chromium, made_up_build):
    context, page = open_page(chromium, made_up_build / "texts" / "made-up-crossing.html")
    try:
        page.evaluate("""() => {
          const p = document.querySelector('.bd-article p.edition-para');
          const range = document.createRange();
          range.selectNodeContents(p);
          window.getSelection().removeAllRanges();
          window.getSelection().addRange(range);
        }""")
        page.keyboard.press("Control+C")
        copied = page.evaluate("navigator.clipboard.readText()")
        expected = 'The river crossing was hard, and the ferryman said "never again". After the first crossing they rested.'
        assert copied.strip() == expected
        # ...while the markers are seen: two at one point, set apart.
        labels = page.evaluate("""() => [...document.querySelectorAll('a.edition-noteref')].map(a =>
            getComputedStyle(a, '::before').content + '|' + getComputedStyle(a, '::after').content)""")
        assert labels[1].startswith('","') and '"1"' in labels[0]
        assert page.evaluate("getComputedStyle(document.querySelector('a.edition-noteref')).verticalAlign") == "super"
        # No gap between a marker and the punctuation after it; raised above the line's text.
        gap = page.evaluate("""() => {
          const marker = document.getElementById('noteref-second');
          const next = marker.nextSibling;  // the text node that starts with ";"
          const range = document.createRange();
          range.setStart(next, 0); range.setEnd(next, 1);
          const m = marker.getBoundingClientRect(), r = range.getBoundingClientRect();
          return {gap: r.left - m.right, markerBottom: m.bottom, textBottom: r.bottom, width: m.width};
        }""")
        assert gap["width"] > 0 and -0.5 <= gap["gap"] <= 1, gap
        assert gap["markerBottom"] < gap["textBottom"], gap
    finally:
        context.close()


@pytest.fixture(scope="module")
def real_exports(html_build, tmp_path_factory):
    return export(html_build, ROOT / "docs", ANNOTATIONS, tmp_path_factory.mktemp("w3c-page"))


@pytest.fixture(scope="module")
def made_up_exports(made_up_build, tmp_path_factory):
    project = made_up_build.parent.parent
    return export(made_up_build, project / "docs", project / "annotations", tmp_path_factory.mktemp("w3c-made-up"))


def test_every_exported_selector_describes_the_published_pages_text(html_build, real_exports, made_up_build,
                                                                   made_up_exports):
    checked = 0
    for html, exports in ((html_build, real_exports), (made_up_build, made_up_exports)):
        for data in exports.values():
            for annotation in annotations_of(data):
                source = annotation["target"]["source"]
                text = page_text((html / source.removeprefix(BASE)).read_text(encoding="utf-8")).text
                selectors = {s["type"]: s for s in annotation["target"]["selector"]}
                quote, position = selectors["TextQuoteSelector"], selectors["TextPositionSelector"]
                whole = quote.get("prefix", "") + quote["exact"] + quote.get("suffix", "")
                assert whole in text, annotation["id"]
                assert text[position["start"] : position["end"]] == quote["exact"], annotation["id"]
                assert text[: position["start"]].endswith(quote.get("prefix", ""))
                assert text[position["end"] :].startswith(quote.get("suffix", ""))
                checked += 1
    assert checked == len(load_all_notes().notes) + 4


def test_the_browser_counts_the_same_text(chromium, html_build, real_exports, made_up_build, made_up_exports):
    """body.textContent in Chromium, with and without scripts, is what the positions count."""
    for html, exports in ((html_build, real_exports), (made_up_build, made_up_exports)):
        for data in exports.values():
            annotations = annotations_of(data)
            path = html / annotations[0]["target"]["source"].removeprefix(BASE)
            for javascript in (False, True):
                context, page = open_page(chromium, path, javascript=javascript)
                try:
                    text = page.evaluate("document.body.textContent")
                finally:
                    context.close()
                assert text == page_text(path.read_text(encoding="utf-8")).text or javascript
                for annotation in annotations:
                    selectors = {s["type"]: s for s in annotation["target"]["selector"]}
                    quote, position = selectors["TextQuoteSelector"], selectors["TextPositionSelector"]
                    assert text[position["start"] : position["end"]] == quote["exact"], (annotation["id"], javascript)
                    assert text[: position["start"]].endswith(quote.get("prefix", ""))


def test_positions_follow_the_notes_placement(real_exports):
    result = load_all_notes()
    notes = {n.id: n for n in result.notes}
    for text in result.texts:
        blocks = anchor_blocks(text)
        for annotation in annotations_of(real_exports[text.text_id]):
            note = notes[annotation["id"].rpartition("#note-")[2]]
            placement = locate(note.anchor, blocks)
            exact = blocks[placement.block].text[placement.start : placement.end]
            selectors = {s["type"]: s for s in annotation["target"]["selector"]}
            assert unicodedata.normalize("NFC", selectors["TextQuoteSelector"]["exact"]) == unicodedata.normalize("NFC", exact)


def test_export_without_the_built_pages_claims_no_positions(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "edition.cli.commands", "export", "--base-url", BASE, "--out", str(tmp_path)],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    for path in tmp_path.glob("*.jsonld"):
        for annotation in annotations_of(json.loads(path.read_text(encoding="utf-8"))):
            types = [s["type"] for s in annotation["target"]["selector"]]
            assert "TextPositionSelector" not in types and "TextQuoteSelector" in types


def test_export_from_a_stale_build_is_refused(made_up_build, tmp_path):
    project = made_up_build.parent.parent
    stale = tmp_path / "html"
    shutil.copytree(made_up_build, stale)
    page = stale / "texts" / "made-up-crossing.html"
    page.write_text(page.read_text(encoding="utf-8").replace("it was easy", "it was hard"), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "edition.cli.commands", "export", "--docs", str(project / "docs"),
         "--annotations", str(project / "annotations"), "--base-url", BASE, "--out", str(tmp_path / "out"),
         "--html", str(stale)],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "build the HTML edition again" in result.stderr


TRICKY_PAGE = """<!DOCTYPE html><html lang="en"><head><title>t</title></head>
<body>
<p class="edition-para" id="p-1">Caf&eacute; &amp; &#x201C;quoted&#x201D;<a class="edition-noteref" data-note="1" href="#n"></a>, then more.</p>
<pre>
first line kept, the line feed before it dropped</pre>
<noscript><p>Enable scripts</p></noscript>
<script>var a = 1 < 2 && "</p>";</script>
<textarea>
x</textarea>
<p class="attribution">- Someone,\r\n a source</p>
</body>
</html>
"""


def test_page_text_is_what_chromium_gives_as_body_text_content(chromium):
    """The counting of edition.reading.page_text against the browser's own, on a made-up page."""
    expected = page_text(TRICKY_PAGE)
    context = chromium.new_context()
    try:
        page = context.new_page()
        page.set_content(TRICKY_PAGE)
        text = page.evaluate("document.body.textContent")
        starts = page.evaluate("""() => [...document.querySelectorAll('p.edition-para, p.attribution')].map(p => {
            const range = document.createRange();
            range.setStart(document.body, 0);
            range.setEndBefore(p);
            return [range.toString().length, range.toString().length + p.textContent.length];
        })""")
    finally:
        context.close()
    assert expected.text == text
    assert [list(b) for b in expected.blocks] == starts
    assert text[slice(*starts[0])] == "Café & “quoted”, then more."
