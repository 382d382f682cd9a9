"""Small things a reader notices, each checked in the browser as a reader would see it.

- the reading-mode button says whether it is on (visible words and aria-pressed);
- at 360 px no label of "About this text" is broken before its colon;
- the home page names what each fact about a text is (two fields never run together);
- one search box on a desktop page;
- at 1600 px margin notes stay beside their markers;
- a search finds the passage, not the title, when both match.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest

from conftest import load_all_notes


def open_page(chromium, url: str, width: int = 1280, height: int = 900):
    context = chromium.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url)
    page.wait_for_load_state("load")
    return context, page, errors


@pytest.fixture(scope="module")
def text_pages(html_build):
    result = load_all_notes()
    return [(text, html_build / f"{text.docname}.html") for text in result.texts]


def test_reading_mode_button_says_its_state(chromium, text_pages):
    text, path = text_pages[0]
    context, page, errors = open_page(chromium, path.as_uri())
    try:
        where = "document.body.textContent.indexOf(document.querySelector('.edition-para').textContent)"
        before = page.evaluate(where)
        button = page.get_by_role("button", name="Reading mode")
        assert button.get_attribute("aria-pressed") == "false"
        visible = page.evaluate("getComputedStyle(document.querySelector('.edition-reading-toggle'), '::before').content")
        assert visible == '"Reading mode: off"'
        assert button.get_attribute("aria-label") == "Reading mode: off"  # the visible words, for speech
        button.click()
        assert button.get_attribute("aria-pressed") == "true"
        assert button.get_attribute("aria-label") == "Reading mode: on"
        assert page.evaluate("getComputedStyle(document.querySelector('.edition-reading-toggle'), '::before').content") \
            == '"Reading mode: on"'
        # Its label is generated content and its announcement comes after the text: every
        # character of the text stays where the published page has it.
        assert page.evaluate(where) == before > 0
        assert not errors
    finally:
        context.close()


def test_about_this_text_labels_keep_their_colons_at_360px(chromium, text_pages):
    for text, path in text_pages:
        context, page, _ = open_page(chromium, path.as_uri(), width=360, height=740)
        try:
            labels = page.evaluate("""() => [...document.querySelectorAll('.edition-source dt')].map(dt => {
                const colon = dt.querySelector('.colon');
                const range = document.createRange();
                range.selectNodeContents(dt);
                const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
                const last = [...dt.childNodes].filter(n => n !== colon && n.textContent.trim()).pop();
                const word = document.createRange();
                word.selectNodeContents(last);
                const wordRects = [...word.getClientRects()];
                return {label: dt.textContent, colonTop: colon ? Math.round(colon.getBoundingClientRect().top) : null,
                        wordTop: Math.round(wordRects[wordRects.length - 1].top),
                        right: dt.getBoundingClientRect().right};
            })""")
            assert labels, text.docname
            for label in labels:
                assert label["colonTop"] == label["wordTop"], (text.docname, label)  # same line as the word
                assert label["right"] <= 360, (text.docname, label)
        finally:
            context.close()


def test_home_page_labels_each_fact_about_a_text(html_build):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((html_build / "index.html").read_text(encoding="utf-8"), "lxml")
    entries = soup.select("dl.edition-texts > dd")
    assert entries
    abouts = [entry.p.get_text(" ", strip=True) for entry in entries if entry.p]
    for text in load_all_notes().texts:
        publication, date = text.meta.get("publication"), text.meta.get("date")
        about = next(a for a in abouts if (publication or date or "") in a)
        if publication:
            assert f"Publication: {publication}" in about, about
        if date and date not in (publication or ""):
            assert f"Date: {date}" in about, about  # never run on from the publication


def test_one_search_box_on_a_desktop_page(chromium, text_pages):
    text, path = text_pages[0]
    for width, expected in ((1280, 1), (360, 1)):
        context, page, _ = open_page(chromium, path.as_uri(), width=width)
        try:
            visible = page.evaluate("""() => [...document.querySelectorAll(
                '.search-button-field, .search-button, input[type=search]')].filter(e => {
                  const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0;
                }).length""")
            assert visible == expected, (width, visible)
        finally:
            context.close()


def test_margin_notes_stay_beside_their_markers_at_1600px(chromium, text_pages):
    shown = 0
    for text, path in text_pages:
        context, page, errors = open_page(chromium, path.as_uri(), width=1600, height=1000)
        try:
            page.wait_for_timeout(600)  # laid out again after fonts and late controls
            drifts = page.evaluate("""() => [...document.querySelectorAll('.edition-margin-note')].map(note => {
                const number = note.querySelector('.edition-margin-number').textContent;
                const marker = [...document.querySelectorAll('.bd-article a.edition-noteref')]
                  .find(m => m.dataset.note === number);
                return note.getBoundingClientRect().top - marker.getBoundingClientRect().top;
            })""")
            shown += len(drifts)
            assert all(-40 <= d <= 200 for d in drifts), (text.docname, drifts)
            assert not errors
        finally:
            context.close()
    assert shown > 0


def test_a_search_shows_the_matching_passage_not_the_title(chromium, html_build, text_pages):
    """For each text, a word of its title that its paragraphs use too: the excerpt is a passage."""
    import http.server
    import threading
    import functools

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(html_build))
    handler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    site = f"http://127.0.0.1:{server.server_address[1]}/"
    checked = 0
    try:
        for text, _ in text_pages:
            title_words = [w.strip("[]«»\"'.,:;") for w in text.meta["title"].split()]
            body = " ".join(p.text for p in text.paragraphs)
            words = [w for w in title_words if len(w) > 2 and f" {w}" in f" {body}"]
            if not words:
                continue
            word = max(words, key=len)
            context, page, errors = open_page(chromium, f"{site}search.html?q={quote(word)}")
            try:
                item = page.locator(f"#search-results ul.search > li:has(> a[href*='{text.docname}.html'])").first
                item.locator("p.context").wait_for(timeout=15000)
                excerpt = item.locator("p.context").inner_text()
                # A passage of the text, not its title.
                assert excerpt.strip("… ").strip() != text.meta["title"], excerpt
                assert any(excerpt.strip("… ")[:20] in p.text for p in text.paragraphs), excerpt
                checked += 1
            finally:
                context.close()
    finally:
        server.shutdown()
    assert checked, "no text has a title word in its paragraphs to search for"


def test_the_cite_menu_gives_the_paragraph_as_csl_locator_and_label(chromium, text_pages):
    import json

    text, path = text_pages[0]
    number = text.paragraphs[-1].number
    context, page, errors = open_page(chromium, path.as_uri())
    try:
        button = page.locator(f"#p-{number} .edition-cite-paragraph")
        button.scroll_into_view_if_needed()
        button.click()
        citation = json.loads(page.inner_text(".edition-cite-csl-citation .edition-cite-text"))
        (cite,) = citation["citationItems"]
        assert cite["locator"] == str(number) and cite["label"] == "paragraph"
        assert cite["itemData"]["id"] == text.text_id and "URL" not in cite["itemData"]  # no address: none invented
        assert not errors
    finally:
        context.close()


@pytest.fixture(scope="module")
def based_build(tmp_path_factory):
    """The edition built with a canonical address."""
    from conftest import sphinx_build_here

    out = tmp_path_factory.mktemp("html-canonical")
    result = sphinx_build_here("html", out, "-D", "html_baseurl=https://edition.example/ed/")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    return out


def test_a_cited_passage_links_to_its_paragraph_on_the_canonical_address(chromium, based_build):
    text = load_all_notes().texts[0]
    number = text.paragraphs[0].number
    context, page, errors = open_page(chromium, (based_build / f"{text.docname}.html").as_uri())
    try:
        page.evaluate("""([n]) => window.editionCite.openPassage(
            document.querySelector('#p-' + n + ' .edition-cite-paragraph'), String(n), 'p-' + n,
            'p-' + n + ':~:text=%EC%A0%80', 'a quoted passage', 'ko')""", [number])
        chicago = page.inner_text(".edition-cite-chicago .edition-cite-text")
        permalink = f"https://edition.example/ed/{text.docname}.html#p-{number}"
        assert chicago.endswith(f"¶{number}, {permalink}."), chicago  # the ¶ anchor, not a text fragment
        assert "%" not in chicago and "file:" not in chicago
        assert ":~:text=" in page.inner_text(".edition-cite-csl .edition-cite-text")  # tools may use it
        assert not errors
    finally:
        context.close()
