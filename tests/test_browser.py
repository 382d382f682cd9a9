"""Notes in a real browser (headless Chromium driven by Playwright)."""

from __future__ import annotations

import pytest

from conftest import KO_DOC, RU_DOC, load_all_notes
from reading import entry_href

@pytest.fixture(scope="module")
def browser(chromium):
    return chromium


@pytest.fixture(scope="module")
def ru_notes():
    return [n for n in load_all_notes().notes if n.text_id == "ciliga-gpu-prisons"]


def url(html_build, doc):
    return (html_build / f"{doc}.html").as_uri()


def open_page(browser, html_build, doc=RU_DOC, width=1000, **context):
    ctx = browser.new_context(viewport={"width": width, "height": 900}, **context)
    page = ctx.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url(html_build, doc))
    page.wait_for_load_state("load")
    return page, errors


def popover_text(page) -> str | None:
    popover = page.locator("#edition-popover")
    if popover.count() == 0 or not popover.is_visible():
        return None
    return popover.inner_text()


def first_marker_in_p1(page):
    return page.locator("#p-1 a.edition-noteref").first


def test_keyboard_alone_shows_and_closes_a_note(browser, html_build, ru_notes):
    page, errors = open_page(browser, html_build)
    marker = first_marker_in_p1(page)
    note_id = marker.get_attribute("href")[1:]
    # Reach the marker with Tab from the paragraph's own number link (term
    # links in between are focusable too).
    page.focus("#p-1 a.edition-pn")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('edition-noteref')"):
            break
    assert page.evaluate("document.activeElement.id") == marker.get_attribute("id")
    assert marker.get_attribute("aria-describedby") == note_id
    start_url = page.url
    assert popover_text(page) is not None  # focus shows the note
    page.keyboard.press("Escape")
    assert popover_text(page) is None
    page.keyboard.press("Enter")
    shown = popover_text(page)
    note = next(n for n in ru_notes if f"note-{n.id}" == note_id)
    assert shown is not None and note.body.split()[0] in shown
    assert marker.get_attribute("aria-expanded") == "true"
    assert page.url == start_url  # Enter showed the note instead of jumping away
    page.keyboard.press("Escape")
    assert popover_text(page) is None and marker.get_attribute("aria-expanded") == "false"
    assert not errors


def test_hover_shows_the_whole_note(browser, html_build):
    several = next(n for n in load_all_notes().notes if "\n\n" in n.body.strip())
    page, errors = open_page(browser, html_build, doc=f"texts/{several.text_id}")
    marker = page.locator(f"#noteref-{several.id}")
    marker.scroll_into_view_if_needed()
    marker.hover()
    page.wait_for_timeout(50)
    shown = popover_text(page)
    assert shown is not None
    paragraphs = [p for p in several.body.split("\n\n") if p.strip()]
    assert page.locator("#edition-popover p").count() >= len(paragraphs)
    assert paragraphs[-1].split()[-1].strip("*.") in shown  # the last paragraph too
    page.mouse.move(5, 5)
    page.wait_for_timeout(500)
    assert popover_text(page) is None
    assert not errors


def test_tap_shows_the_note_without_leaving_the_place(browser, html_build):
    page, errors = open_page(browser, html_build, width=400, has_touch=True, is_mobile=True)
    marker = first_marker_in_p1(page)
    marker.scroll_into_view_if_needed()
    start_url = page.url
    marker.tap()
    assert popover_text(page) is not None
    assert page.url == start_url
    page.wait_for_timeout(500)
    marker.tap()
    assert popover_text(page) is None
    assert not errors


def test_wide_screens_set_the_notes_in_the_margin(browser, html_build, ru_notes):
    page, errors = open_page(browser, html_build, width=1700)
    margin = page.locator(".edition-margin-note")
    # Where notes crowd, those that would land far below their markers stay in the
    # popover and the note list (test_reader_details.py checks the distance).
    assert 0 < margin.count() <= len(ru_notes)
    numbers = [margin.nth(i).locator(".edition-margin-number").inner_text() for i in range(margin.count())]
    assert numbers == sorted(numbers, key=int) and numbers[0] == "1"
    boxes = [margin.nth(i).bounding_box() for i in range(margin.count())]
    for above, below in zip(boxes, boxes[1:]):
        assert below["y"] >= above["y"] + above["height"]  # no overlap
    text_right = page.locator("#p-1").bounding_box()
    assert all(b["x"] >= text_right["x"] + text_right["width"] for b in boxes)  # beside the text
    assert all(margin.nth(i).get_attribute("aria-hidden") == "true" for i in range(margin.count()))
    narrow, _ = open_page(browser, html_build, width=1000)
    assert narrow.locator(".edition-margin-note").count() == 0
    assert not errors


def test_term_links_show_their_definition(browser, html_build):
    page, errors = open_page(browser, html_build, doc=KO_DOC)
    link = page.locator("a.edition-termref:has(.edition-key-term-nep)").first
    assert link.get_attribute("href") == "../" + entry_href(html_build, "glossary", "gloss-nep")
    assert link.get_attribute("aria-describedby") == "def-term-nep"
    link.focus()
    shown = popover_text(page)
    assert shown is not None and shown.startswith("NEP (New Economic Policy)")
    page.keyboard.press("Escape")
    assert popover_text(page) is None
    link.hover()
    assert popover_text(page) is not None
    assert not errors
