"""Selecting a passage: copy a link to it, cite it, or suggest a note; reading mode; phones.

Run on every text of the edition (whatever their languages) and on a made-up
English text added to a copy of the project. For each text, three selections
(inside one paragraph, across a link and a note marker, on words that occur
twice) must give a YAML entry that `edition check` accepts unchanged and that
anchors exactly the selected passage, and a link that Chromium scrolls to and
highlights.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, node_tool, sphinx_build
import support
from support import run_edition

from edition.anchoring.text_quotes import Anchor, Placement, locate
from edition.checking.check import anchor_blocks, check_project

ENGLISH_ID = "made-up-english-letter"
# A made-up scraped page (navigation above, a footer below), imported with `edition import`.
ENGLISH_PAGE = """\
Workers' Archive | Home | Letters
A letter about the same words
Dear comrades, the years under the New Economic Policy were hard for the workers of the cities, and the same words came back in every letter we received.
We read the same words again in the spring, when the congress met and the delegates spoke of hunger.
The last letter repeated the same words once more; nobody answered it.
In the end the same\u00a0words, writ\u00adten small, were all that was left.
© Workers' Archive
"""
ENGLISH_META = f"""\
id: {ENGLISH_ID}
lang: en
title_en: A letter about the same words
publication: A made-up page for the tests
begins_with: A letter about the same words
ends_with: "In the end the same\\u00a0words, writ\\u00adten small, were all that was left."
"""
ENGLISH_NOTES = f"""text: {ENGLISH_ID}
notes:
  - id: made-up-policy
    kind: editorial
    anchor:
      exact: "Economic Policy"
    body: |
      A made-up note, so that a marker stands right after a link.
"""

# The reading text of one block, as `edition check` sees it: apparatus left out.
READING_JS = """
window.__reading = (block) => {
  const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
  const nodes = []; let offset = 0;
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n.parentElement.closest('.edition-apparatus, .edition-pn')) continue;
    nodes.push([n, offset]); offset += n.data.length;
  }
  return nodes;
};
window.__blocks = () => [...document.querySelectorAll('.bd-article p.edition-para, .bd-article p.attribution')]
  .filter(b => !b.closest('.edition-apparatus'));
window.__range = (index, start, end) => {
  const nodes = __reading(__blocks()[index]);
  const point = (o, isEnd) => { for (const [n, s] of nodes) {
    if (o < s + n.data.length || (isEnd && o === s + n.data.length)) return [n, o - s]; } };
  const [sn, so] = point(start, false), [en, eo] = point(end, true);
  const r = document.createRange(); r.setStart(sn, so); r.setEnd(en, eo); return r;
};
window.__select = (index, start, end) => {
  const s = getSelection(); s.removeAllRanges(); s.addRange(__range(index, start, end));
};
// The current selection as (block, start, end) in reading-text offsets, ends trimmed.
window.__selected = () => {
  const r = getSelection().getRangeAt(0); const blocks = __blocks();
  for (let i = 0; i < blocks.length; i++) {
    let start = null, end = null;
    for (const [n, s] of __reading(blocks[i])) {
      if (!r.intersectsNode(n)) continue;
      const a = n === r.startContainer ? r.startOffset : 0;
      const b = n === r.endContainer ? r.endOffset : n.data.length;
      if (b <= a) continue;
      if (start === null) start = s + a; end = s + b;
    }
    if (start === null) continue;
    const text = __reading(blocks[i]).map(x => x[0].data).join('');
    while (/\\s/.test(text[start])) start++;
    while (/\\s/.test(text[end - 1])) end--;
    return [i, start, end];
  }
  return null;
};
// A passage from the word before a link to the word after the note marker that follows it.
window.__acrossLinkAndMarker = () => {
  const blocks = __blocks();
  for (let i = 0; i < blocks.length; i++) {
    for (const marker of blocks[i].querySelectorAll('a.edition-noteref')) {
      const link = [...blocks[i].querySelectorAll('a.reference:not(.edition-noteref)')]
        .filter(a => !a.closest('.edition-apparatus') && a.textContent.trim()
                && (a.compareDocumentPosition(marker) & Node.DOCUMENT_POSITION_FOLLOWING)).pop();
      if (!link) continue;
      const nodes = __reading(blocks[i]);
      const text = nodes.map(x => x[0].data).join('');
      const at = (el, after) => { const hit = nodes.find(([n]) => after
          ? (el.compareDocumentPosition(n) & Node.DOCUMENT_POSITION_FOLLOWING) && !el.contains(n)
          : el.contains(n)); return hit ? hit[1] : null; };
      let start = at(link, false), end = at(marker, true);
      if (start === null || end === null || !/\\S\\s+\\S/.test(text.slice(end))) continue;
      const before = text.slice(0, start).match(/(\\S+\\s+)?$/);
      start -= before[0].length;
      end += text.slice(end).match(/^\\S*\\s+\\S+/)[0].length;
      return [i, start, end];
    }
  }
  return null;
};
"""


# --- The project variants: the edition itself, and a copy with a made-up English text ----------


def copy_project(target: Path) -> Path:
    """docs, conf, annotations and CITATION.cff (the cite menu reads it)."""
    support.copy_project(target)
    shutil.copy(ROOT / "CITATION.cff", target / "CITATION.cff")
    return target


@pytest.fixture(scope="session")
def english_site(tmp_path_factory):
    """A copy of the project with a made-up English text imported (and a repository): (project, html)."""
    from support.made_up import copy_project as project_copy, run_import

    project = project_copy(tmp_path_factory.mktemp("english-project"))
    source = project / "sources" / "990_made_up_letter.txt"
    source.write_text(ENGLISH_PAGE, encoding="utf-8")
    source.with_name(source.stem + ".meta.yaml").write_text(ENGLISH_META, encoding="utf-8")
    result = run_import(project, source)
    assert result.returncode == 0, result.stdout + result.stderr
    (project / "annotations" / "notes" / f"{ENGLISH_ID}.yaml").write_text(ENGLISH_NOTES, encoding="utf-8")
    cff = ROOT / "CITATION.cff"
    (project / "CITATION.cff").write_text(
        cff.read_text(encoding="utf-8") + "repository-code: https://github.com/example/edition\n", encoding="utf-8")
    out = project / "html"
    result = sphinx_build("html", out, srcdir=project / "docs", confdir=project / "conf")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return project, out


def texts_of(project: Path):
    result = check_project(project / "docs", project / "annotations")
    assert not result.errors, [d.format() for d in result.errors]
    return result.texts


def variants(html_build, english_site):
    """(project, html, text) for every text of the edition and the made-up English one."""
    found = [(ROOT, html_build, text) for text in texts_of(ROOT)]
    project, html = english_site
    found += [(project, html, t) for t in texts_of(project) if t.text_id == ENGLISH_ID]
    return found


# --- In the browser ---------------------------------------------------------------------------


def open_page(chromium, url, width=1200, height=900, **options):
    context = chromium.new_context(viewport={"width": width, "height": height},
                                   permissions=["clipboard-read", "clipboard-write"], **options)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.add_init_script(READING_JS)
    page.goto(url)
    page.wait_for_load_state("load")
    return page, errors


def menu_for(page, expected):
    """Wait until the menu is up for the selection *expected* (block, start, end)."""
    page.wait_for_selector(".edition-select-menu:not([hidden])")
    assert page.evaluate("__selected()") == list(expected)


def suggested_entry(page) -> str:
    page.get_by_role("button", name="Suggest a note").click()
    dialog = page.get_by_role("dialog", name="Suggest a note")
    assert dialog.is_visible()
    page.evaluate("navigator.clipboard.writeText('')")
    page.get_by_role("button", name="Copy the entry").click()
    page.wait_for_function("document.querySelector('.edition-select-panel-status').textContent === 'Entry copied.'")
    entry = page.evaluate("navigator.clipboard.readText()")
    assert entry == page.evaluate("document.querySelector('.edition-select-yaml').textContent")
    page.keyboard.press("Escape")
    assert not dialog.is_visible()
    return entry


def copied_link(page) -> str:
    page.evaluate("navigator.clipboard.writeText('')")
    page.get_by_role("button", name="Copy link").click()
    page.wait_for_function("document.querySelector('.edition-select-status').textContent.includes('copied')")
    return page.evaluate("navigator.clipboard.readText()")


def twice_case(text) -> tuple[int, int, int] | None:
    """The second place where two words that occur twice stand: (block, start, end)."""
    blocks = anchor_blocks(text)
    seen: dict[str, int] = {}
    for index, block in enumerate(blocks):
        words = [(m.start(), m.end()) for m in re.finditer(r"\S+", block.text)]
        for (a, _), (_, b) in zip(words, words[1:]):
            phrase = block.text[a:b]
            if not any(c.isalpha() for c in phrase) or len(phrase) < 8:
                continue
            seen[phrase] = seen.get(phrase, 0) + 1
            if seen[phrase] == 2:
                return index, a, b
    return None


def opening(blocks, index: int = 0, words: int = 2) -> tuple[int, int, int]:
    """The first *words* words of a block: (block, start, end)."""
    found = list(re.finditer(r"\S+", blocks[index].text))[:words]
    return index, found[0].start(), found[-1].end()


def check_entry(entry: str, blocks, expected) -> dict:
    """The entry parses, and its anchor places the note on exactly the selected passage."""
    data = yaml.safe_load(entry)
    note = (data["notes"] if isinstance(data, dict) else data)[0]
    anchor = Anchor(**note["anchor"])
    placed = locate(anchor, blocks)
    index, start, end = expected
    assert placed == Placement(index, start, end), (entry, placed)
    # Context only when the passage alone is not unique.
    if not isinstance(locate(Anchor(anchor.exact), blocks), Placement) or locate(Anchor(anchor.exact), blocks) != placed:
        assert anchor.prefix or anchor.suffix or anchor.paragraph
    else:
        assert not (anchor.prefix or anchor.suffix or anchor.paragraph), entry
    assert note["kind"] == "editorial" and note["body"].strip()
    return note


def edition_check(project: Path, text_id: str, entries: list[str], tmp_path: Path) -> None:
    """Append the entries to a copy's notes file and run `edition check`: as copied, each is
    refused for its placeholder body alone; with the body written, check accepts them all."""
    from edition.model.annotations import PLACEHOLDER_BODY

    assert all(PLACEHOLDER_BODY in entry for entry in entries)
    unchanged = _check_with_entries(project, text_id, entries, tmp_path / "unchanged")
    assert unchanged.returncode == 1
    refusals = [line for line in unchanged.stderr.splitlines() if ": error: " in line]
    assert len(refusals) == len(entries) and all("placeholder" in line for line in refusals), unchanged.stderr
    written = [entry.replace(PLACEHOLDER_BODY, "A note a contributor wrote.") for entry in entries]
    result = _check_with_entries(project, text_id, written, tmp_path / "written")
    assert result.returncode == 0, result.stdout + result.stderr


def _check_with_entries(project: Path, text_id: str, entries: list[str], tmp_path: Path):
    copy = copy_project(tmp_path / "copy")
    if project != ROOT:
        shutil.rmtree(copy / "docs")
        shutil.rmtree(copy / "annotations")
        shutil.copytree(project / "docs", copy / "docs")
        shutil.copytree(project / "annotations", copy / "annotations")
    notes = copy / "annotations" / "notes" / f"{text_id}.yaml"
    content = notes.read_text(encoding="utf-8") if notes.exists() else ""
    for entry in entries:
        if content and not content.endswith("\n"):
            content += "\n"
        content += entry
    notes.write_text(content, encoding="utf-8")
    # The default limits: a test elsewhere may leave EDITION_MAX_FILE_BYTES set in this process.
    env = {k: v for k, v in os.environ.items() if k != "EDITION_MAX_FILE_BYTES"}
    return run_edition("check", "--docs", "docs", "--annotations", "annotations", cwd=copy, env=env)


def assert_link_highlights(chromium, link: str, expected) -> None:
    """The link scrolls to the passage and Chromium highlights it (a text fragment): the
    passage looks different from the same passage, scrolled alike, under the plain ¶ link."""
    shots = []
    scrolled = None
    for url in (link, link.split(":~:")[0]):
        page, errors = open_page(chromium, url, height=700)
        page.wait_for_timeout(600)  # the text fragment is applied after load
        if scrolled is None:
            scrolled = page.evaluate("scrollY")
        else:
            page.evaluate("(y) => window.scrollTo({top: y, behavior: 'instant'})", scrolled)
        box = page.evaluate(
            "([i, s, e]) => { const r = __range(i, s, e).getBoundingClientRect();"
            " return [r.left, r.top, r.width, r.height, r.bottom, innerHeight]; }", list(expected))
        assert 0 <= box[1] and box[4] <= box[5], f"the passage is not in view: {box}"
        clip = {"x": box[0], "y": box[1], "width": max(box[2], 1), "height": max(box[3], 1)}
        shots.append(page.screenshot(clip=clip))
        assert not errors
        page.context.close()
    assert shots[0] != shots[1], f"the passage is not highlighted by {link}"


def test_selections_give_entries_that_check_accepts_and_links_that_highlight(
    chromium, html_build, english_site, tmp_path
):
    for project, html, text in variants(html_build, english_site):
        blocks = anchor_blocks(text)
        url = (html / f"{text.docname}.html").as_uri()
        entries = []
        cases = []
        # 1. Inside one paragraph, by mouse and keyboard: double-click a word, extend by two words.
        page, errors = open_page(chromium, url)
        dom_texts = page.evaluate("__blocks().map(b => __reading(b).map(x => x[0].data).join(''))")
        assert [t for t in dom_texts] == [b.text for b in blocks], "the page's blocks are check's blocks"
        middle = len(blocks) // 2
        words = page.evaluate(
            "(i) => { const nodes = __reading(__blocks()[i]); const n = nodes.find(([t]) => /\\p{L}{3}/u.test(t.data));"
            " const r = document.createRange(); const m = n[0].data.search(/\\p{L}{3}/u);"
            " r.setStart(n[0], m); r.setEnd(n[0], m + 1); const b = r.getBoundingClientRect();"
            " return [b.left + 1, b.top + b.height / 2]; }", middle)
        page.evaluate("(i) => __blocks()[i].scrollIntoView({block: 'center'})", middle)
        words = page.evaluate(
            "(i) => { const nodes = __reading(__blocks()[i]); const n = nodes.find(([t]) => /\\p{L}{3}/u.test(t.data));"
            " const r = document.createRange(); const m = n[0].data.search(/\\p{L}{3}/u);"
            " r.setStart(n[0], m); r.setEnd(n[0], m + 1); const b = r.getBoundingClientRect();"
            " return [b.left + 1, b.top + b.height / 2]; }", middle)
        page.mouse.dblclick(*words)
        for _ in range(2):
            page.keyboard.press("Control+Shift+ArrowRight")
        expected = tuple(page.evaluate("__selected()"))
        assert expected[0] == middle and expected[2] > expected[1]
        menu_for(page, expected)
        cases.append((page, errors, expected))
        # 2. Across a link and a note marker.
        page, errors = open_page(chromium, url)
        across = page.evaluate("__acrossLinkAndMarker()")
        assert across, f"{text.text_id}: no link followed by a note marker to test with"
        page.evaluate("([i, s, e]) => __select(i, s, e)", across)
        menu_for(page, across)
        cases.append((page, errors, tuple(across)))
        # 3. Words that occur twice: the second place.
        twice = twice_case(text)
        assert twice, f"{text.text_id}: no two words that occur twice"
        page, errors = open_page(chromium, url)
        page.evaluate("([i, s, e]) => __select(i, s, e)", list(twice))
        menu_for(page, twice)
        cases.append((page, errors, twice))
        # 4. On the made-up text: invisible differences (a no-break space, a soft hyphen) that
        #    anchoring ignores, so these words occur twice for it too.
        tricky = [i for i, b in enumerate(blocks) if "\u00ad" in b.text]
        if text.text_id == ENGLISH_ID:
            block = blocks[tricky[0]].text
            for passage in ("the same\u00a0words", "writ\u00adten small"):
                expected = (tricky[0], block.index(passage), block.index(passage) + len(passage))
                page, errors = open_page(chromium, url)
                page.evaluate("([i, s, e]) => __select(i, s, e)", list(expected))
                menu_for(page, expected)
                cases.append((page, errors, expected))
        links = []
        for page, errors, expected in cases:
            entry = suggested_entry(page)
            check_entry(entry, blocks, expected)
            entries.append(entry)
            links.append((copied_link(page), expected))
            assert not errors
            page.context.close()
        ids = [yaml.safe_load(e)[0]["id"] if not e.startswith("text:") else yaml.safe_load(e)["notes"][0]["id"]
               for e in entries]
        assert len(set(ids)) == len(ids)
        edition_check(project, text.text_id, entries, tmp_path / text.text_id)
        for link, expected in links:
            assert f"#p-" in link and ":~:text=" in link
            assert_link_highlights(chromium, link, expected)


def test_cite_passage_quotes_the_selection(chromium, html_build):
    text = texts_of(ROOT)[0]
    page, errors = open_page(chromium, (html_build / f"{text.docname}.html").as_uri())
    blocks = anchor_blocks(text)
    expected = twice_case(text) or (0, 0, min(20, len(blocks[0].text)))
    page.evaluate("([i, s, e]) => __select(i, s, e)", list(expected))
    menu_for(page, expected)
    page.get_by_role("button", name="Cite passage").click()
    dialog = page.locator("#edition-cite-dialog")
    assert dialog.is_visible()
    quote = page.inner_text(".edition-cite-quote .edition-cite-text")
    passage = blocks[expected[0]].text[expected[1]:expected[2]]
    assert quote == f"“{passage}”"
    assert page.get_attribute(".edition-cite-quote .edition-cite-text", "lang") == text.meta.get("lang")
    number = blocks[expected[0]].number
    chicago = page.inner_text(".edition-cite-chicago")
    assert f"¶{number}" in chicago
    # This build has no canonical address: the citation has no link (never the file: or
    # localhost address the browser shows), and the menu says why.
    assert "file:" not in chicago and "http" not in chicago
    assert "no canonical address" in page.inner_text(".edition-cite-no-address")
    page.keyboard.press("Escape")
    assert not dialog.is_visible()
    assert page.evaluate("document.activeElement.textContent") == "Cite passage"
    assert not errors


def test_the_forge_links_open_github_with_the_entry(chromium, english_site):
    project, html = english_site
    text = next(t for t in texts_of(project) if t.text_id == ENGLISH_ID)
    page, errors = open_page(chromium, (html / f"{text.docname}.html").as_uri())
    expected = opening(anchor_blocks(text))
    page.evaluate("([i, s, e]) => __select(i, s, e)", list(expected))
    menu_for(page, expected)
    page.get_by_role("button", name="Suggest a note").click()
    edit = page.get_by_role("link", name="Edit the notes file on GitHub")
    assert edit.get_attribute("href") == (
        f"https://github.com/example/edition/edit/main/annotations/notes/{ENGLISH_ID}.yaml")
    issue = page.get_by_role("link", name="Suggest it in an issue").get_attribute("href")
    assert issue.startswith("https://github.com/example/edition/issues/new?title=")
    from urllib.parse import parse_qs, urlsplit

    body = parse_qs(urlsplit(issue).query)["body"][0]
    assert page.inner_text(".edition-select-yaml") in body
    assert not errors


def test_forge_links_only_with_a_repository(chromium, html_build):
    text = texts_of(ROOT)[0]
    page, errors = open_page(chromium, (html_build / f"{text.docname}.html").as_uri())
    expected = opening(anchor_blocks(text))
    page.evaluate("([i, s, e]) => __select(i, s, e)", list(expected))
    menu_for(page, expected)
    page.get_by_role("button", name="Suggest a note").click()
    # The edition's own repository, if CITATION.cff names one on GitHub (conf.py sets none).
    from edition.formats.citation import load_edition
    from edition.sphinxext.html.selecting import GITHUB_REPOSITORY

    repository = load_edition(ROOT / "CITATION.cff").repository.rstrip("/").removesuffix(".git")
    assert page.locator(".edition-select-forge").count() == (1 if GITHUB_REPOSITORY.fullmatch(repository) else 0)
    assert not errors


def test_reading_mode_hides_the_apparatus_and_is_remembered(chromium, html_build):
    from support.browser import serious_violations

    axe = node_tool("axe-core/axe.min.js", "accessibility tests")
    texts = texts_of(ROOT)
    first = (html_build / f"{texts[0].docname}.html").as_uri()
    page, errors = open_page(chromium, first, width=1600)
    toggle = page.get_by_role("button", name="Reading mode")
    assert toggle.get_attribute("aria-pressed") == "false"
    markers = page.locator(".bd-article a.edition-noteref, .bd-article .edition-sic")
    assert markers.count() and markers.first.is_visible()
    page.wait_for_selector(".edition-margin-note")  # a wide screen: notes in the margin too
    # Keyboard: focus the toggle, press Space.
    toggle.focus()
    page.keyboard.press(" ")
    assert toggle.get_attribute("aria-pressed") == "true"
    assert "Reading mode on" in page.inner_text(".edition-reading-status")

    def apparatus_hidden():
        page.wait_for_function("!document.querySelector('.edition-margin-note')"
                               " && !document.body.classList.contains('edition-has-margin-notes')")
        assert page.evaluate(
            "[...document.querySelectorAll('.bd-article a.edition-noteref, .bd-article .edition-sic')]"
            ".every(m => m.getClientRects().length === 0)")
        assert page.evaluate(
            "[...document.querySelectorAll('.bd-article .edition-para a.reference')].every(a =>"
            " getComputedStyle(a).textDecorationLine === 'none'"
            " && getComputedStyle(a).color === getComputedStyle(a.closest('p')).color)")

    apparatus_hidden()
    assert serious_violations(page, axe) == []
    # Back after a reload, and on another text's page.
    page.reload()
    page.wait_for_load_state("load")
    assert page.get_by_role("button", name="Reading mode").get_attribute("aria-pressed") == "true"
    apparatus_hidden()
    # The selection menu still works: a passage across a (hidden) marker gives an entry.
    across = page.evaluate("__acrossLinkAndMarker()")
    page.evaluate("([i, s, e]) => __select(i, s, e)", across)
    menu_for(page, across)
    page.get_by_role("button", name="Suggest a note").click()
    check_entry(page.inner_text(".edition-select-yaml"), anchor_blocks(texts[0]), tuple(across))
    for other in texts[1:]:
        page.goto((html_build / f"{other.docname}.html").as_uri())
        assert page.get_by_role("button", name="Reading mode").get_attribute("aria-pressed") == "true"
        apparatus_hidden()
    # Off again, by keyboard, and remembered.
    toggle = page.get_by_role("button", name="Reading mode")
    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-pressed") == "false"
    page.reload()
    assert page.locator(".bd-article a.edition-noteref").first.is_visible()
    assert not errors


@pytest.mark.parametrize("mode", ("light", "dark"))
def test_the_open_menu_and_panel_pass_axe(chromium, html_build, mode):
    from support.browser import serious_violations

    axe = node_tool("axe-core/axe.min.js", "accessibility tests")
    text = texts_of(ROOT)[0]
    page, errors = open_page(chromium, (html_build / f"{text.docname}.html").as_uri())
    page.evaluate(f"localStorage.setItem('theme', '{mode}'); localStorage.setItem('mode', '{mode}')")
    page.reload()
    expected = opening(anchor_blocks(text))
    page.evaluate("([i, s, e]) => __select(i, s, e)", list(expected))
    menu_for(page, expected)
    assert page.evaluate("document.documentElement.dataset.theme") == mode
    assert serious_violations(page, axe) == []
    page.get_by_role("button", name="Suggest a note").click()
    assert serious_violations(page, axe) == []
    assert not errors


def test_menu_and_popovers_stay_on_a_phone_screen(chromium, html_build):
    width, height = 360, 740
    for text in texts_of(ROOT):
        page, errors = open_page(chromium, (html_build / f"{text.docname}.html").as_uri(), width, height,
                                 has_touch=True, is_mobile=True)

        def inside(selector):
            box = page.evaluate(
                "(s) => { const r = document.querySelector(s).getBoundingClientRect();"
                " return [r.left, r.top, r.right, r.bottom]; }", selector)
            assert box[0] >= 0 and box[2] <= width and box[1] >= 0 and box[3] <= height, (selector, box)

        blocks = anchor_blocks(text)
        last = len(blocks) - 1
        end = len(blocks[last].text.rstrip())
        page.evaluate("(i) => __blocks()[i].scrollIntoView({block: 'end'})", last)
        page.evaluate("([i, s, e]) => __select(i, s, e)", [last, max(0, end - 12), end])
        page.wait_for_selector(".edition-select-menu:not([hidden])")
        inside(".edition-select-menu")
        page.get_by_role("button", name="Suggest a note").click()
        inside(".edition-select-panel")
        page.keyboard.press("Escape")
        page.get_by_role("button", name="Cite passage").click()
        inside("#edition-cite-dialog")
        page.keyboard.press("Escape")
        marker = page.locator(".bd-article a.edition-noteref").last
        if marker.count():
            marker.scroll_into_view_if_needed()
            marker.tap()
            page.wait_for_selector("#edition-popover:not([hidden])")
            inside("#edition-popover")
        assert not errors
        page.context.close()


@pytest.mark.parametrize("given, expected", [
    ("https://github.com/owner/edition", "https://github.com/owner/edition"),
    ("https://github.com/owner/edition.git/", "https://github.com/owner/edition"),
    ("", ""),
    ("javascript:alert(1)", ""),
    ("https://github.com/owner/edition/../../evil", ""),
    ("https://github.com/owner/edition?x=\"><script>", ""),
    ("https://gitlab.com/owner/edition", ""),
])
def test_only_a_github_repository_address_makes_forge_links(given, expected):
    from types import SimpleNamespace

    from edition.sphinxext.html.selecting import forge_links, repository

    config = SimpleNamespace(edition_repository=given, edition_citation_file="/nonexistent/CITATION.cff",
                             project="P", author="A", version="1")
    assert repository(config) == expected
    links = forge_links(expected, "main", "annotations/notes/x y.yaml", exists=True)
    if expected:
        assert links == {"edit": f"{expected}/edit/main/annotations/notes/x%20y.yaml",
                         "issue": f"{expected}/issues/new"}
    else:
        assert links == {}


def test_keyboard_reaches_the_menu_and_apparatus_gets_none(chromium, english_site):
    project, html = english_site
    text = next(t for t in texts_of(project) if t.text_id == ENGLISH_ID)
    page, errors = open_page(chromium, (html / f"{text.docname}.html").as_uri())
    # A selection in the notes list (apparatus) opens no menu.
    page.evaluate("""() => { const r = document.createRange();
        r.selectNodeContents(document.querySelector('aside.edition-note p'));
        const s = getSelection(); s.removeAllRanges(); s.addRange(r); }""")
    page.wait_for_timeout(400)
    assert page.locator(".edition-select-menu:not([hidden])").count() == 0
    expected = opening(anchor_blocks(text), 1, 3)
    page.evaluate("([i, s, e]) => __select(i, s, e)", list(expected))
    menu_for(page, expected)
    assert "Shift+F10" in page.inner_text(".edition-select-status")
    # The context-menu key jumps to the menu; Tab from there moves along it.
    page.keyboard.press("Shift+F10")
    assert page.evaluate("document.activeElement.textContent") == "Copy link"
    page.evaluate("navigator.clipboard.writeText('')")
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelector('.edition-select-status').textContent.includes('copied')")
    assert f"#p-{expected[0] + 1}:~:text=" in page.evaluate("navigator.clipboard.readText()")
    page.keyboard.press("Escape")
    assert page.locator(".edition-select-menu:not([hidden])").count() == 0
    assert not errors
