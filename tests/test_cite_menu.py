"""The Cite menu in a real browser: by mouse and by keyboard, on a ¶ and on a note."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT, load_all_notes

from edition.formats.citation import Locus, bibtex, chicago, csl_json, load_edition, text_item


@pytest.fixture(scope="module")
def annotated():
    """A text with notes, whichever it is, and its notes in page order (as numbered)."""
    result = load_all_notes()
    text = next(t for t in result.texts if any(n.text_id == t.text_id for n in result.notes))
    return text


def open_text(chromium, html_build, text):
    context = chromium.new_context(viewport={"width": 1200, "height": 900},
                                   permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    url = (html_build / f"{text.docname}.html").as_uri()
    page.goto(url)
    page.wait_for_load_state("load")
    # The build has no canonical address: citations carry no link (never the file: URL shown).
    item = text_item(load_edition(ROOT / "CITATION.cff"), text.meta, "")
    return page, item, errors


def clipboard(page) -> str:
    return page.evaluate("navigator.clipboard.readText()")


def copy(page, label: str) -> str:
    page.evaluate("navigator.clipboard.writeText('')")
    page.get_by_role("button", name=f"Copy {label}").click()
    page.wait_for_function("document.querySelector('.edition-cite-status').textContent.includes('copied')")
    return clipboard(page)


def test_mouse_on_a_paragraph_copies_all_three_forms(chromium, html_build, annotated):
    page, item, errors = open_text(chromium, html_build, annotated)
    number = annotated.paragraphs[-1].number  # the last ¶, whatever the text
    locus = Locus(paragraph=number, fragment=f"p-{number}")
    button = page.locator(f"#p-{number} .edition-cite-paragraph")
    assert button.get_attribute("aria-label") == f"Cite paragraph {number}"
    button.scroll_into_view_if_needed()
    button.click()
    dialog = page.get_by_role("dialog")
    assert dialog.is_visible() and f"¶{number}" in dialog.inner_text()
    assert button.get_attribute("aria-expanded") == "true"
    assert copy(page, "Chicago citation") == chicago(item, locus).replace("*", "")
    assert copy(page, "BibTeX") == bibtex(item, locus)
    assert json.loads(copy(page, "CSL-JSON")) == [csl_json(item, locus)]
    assert "file:" not in clipboard(page) and "localhost" not in clipboard(page)
    # A click outside closes it.
    page.mouse.click(5, 5)
    assert not dialog.is_visible()
    assert not errors


def test_keyboard_on_a_note_opens_copies_and_closes(chromium, html_build, annotated):
    page, item, errors = open_text(chromium, html_build, annotated)
    note = page.locator("aside.footnote.edition-note").nth(1)  # the second note on the page
    note_id = note.get_attribute("id")
    number = note.locator(".label a").inner_text().strip("[] ")
    # From the note's back-link, Tab reaches its Cite button.
    note.locator(".label a").focus()
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert focused == f"Cite note {number}"
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog")
    assert dialog.is_visible() and f"Cite note {number}" in dialog.inner_text()
    # Focus is in the menu, on the first Copy button: Enter copies the Chicago note.
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Copy Chicago citation"
    page.evaluate("navigator.clipboard.writeText('')")
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelector('.edition-cite-status').textContent.includes('copied')")
    locus = Locus(note=int(number), fragment=note_id)
    assert clipboard(page) == chicago(item, locus).replace("*", "")
    assert "file:" not in clipboard(page) and clipboard(page).endswith(f"n. {number}.")
    # Tab on to the BibTeX Copy button (past the Chicago text, focusable for scrolling).
    for _ in range(3):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('aria-label')") == "Copy BibTeX":
            break
    page.keyboard.press(" ")
    page.wait_for_function("document.querySelector('.edition-cite-status').textContent.startsWith('BibTeX')")
    assert clipboard(page) == bibtex(item, locus)
    page.keyboard.press("Escape")
    assert not dialog.is_visible()
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == f"Cite note {number}"
    assert not errors


def test_the_text_menu_offers_its_citation_files(chromium, html_build, annotated):
    page, item, errors = open_text(chromium, html_build, annotated)
    page.get_by_role("button", name="Cite this text").click()
    assert copy(page, "Chicago citation") == chicago(item).replace("*", "")
    links = page.locator(".edition-cite-download")
    assert links.count() == 3
    page_dir = (html_build / f"{annotated.docname}.html").parent
    files = {}
    for index in range(links.count()):
        href = links.nth(index).get_attribute("href")
        files[href.rsplit(".", 1)[1]] = (page_dir / href).resolve().read_text(encoding="utf-8")
    # The files carry the text's citation without a page address (the build has none).
    plain_item = text_item(load_edition(ROOT / "CITATION.cff"), annotated.meta, "")
    assert files["bib"] == bibtex(plain_item)
    assert json.loads(files["json"]) == [csl_json(plain_item)]
    assert files["txt"] == chicago(plain_item) + "\n"
    assert not errors


def test_cite_buttons_are_not_copied_with_the_text(chromium, html_build, annotated):
    page, item, errors = open_text(chromium, html_build, annotated)
    selected = page.evaluate(
        """() => { const p = document.getElementById('p-1');
                   const range = document.createRange(); range.selectNodeContents(p);
                   const s = window.getSelection(); s.removeAllRanges(); s.addRange(range);
                   return s.toString(); }"""
    )
    assert "cite" not in selected.lower() or "cite" in annotated.paragraphs[0].text.lower()
    assert page.locator("#p-1 .edition-cite-paragraph").inner_text() == ""


@pytest.mark.parametrize("mode", ("light", "dark"))
def test_the_open_menu_passes_axe(chromium, html_build, annotated, mode):
    from support.browser import open_page, serious_violations

    from conftest import node_tool

    axe = node_tool("axe-core/axe.min.js", "accessibility tests")
    page = open_page(chromium, html_build, f"{annotated.docname}.html", mode)
    button = page.locator("aside.footnote.edition-note .edition-cite-button").first
    button.focus()
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    assert page.get_by_role("dialog").is_visible()
    assert serious_violations(page, axe) == []
