"""Accessibility (axe-core in Chromium, light and dark) and HTML validity (Nu checker)."""

from __future__ import annotations

import subprocess

import pytest

from conftest import KO_DOC, RU_DOC, node_tool, require_tool
from support.browser import open_page, serious_violations  # noqa: F401 (their old home)

PAGES = [f"{KO_DOC}.html", f"{RU_DOC}.html", "glossary.html", "persons.html", "works.html",
         "edition-persons.html", "edition-works.html", "index.html"]
MODES = ("light", "dark")


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_no_serious_violation(chromium, html_build, path, mode):
    axe = node_tool("axe-core/axe.min.js", "accessibility tests")
    page = open_page(chromium, html_build, path, mode)
    assert serious_violations(page, axe) == []


@pytest.mark.parametrize("mode", MODES)
def test_open_popovers_and_focus_outlines(chromium, html_build, mode):
    axe = node_tool("axe-core/axe.min.js", "accessibility tests")
    page = open_page(chromium, html_build, f"{KO_DOC}.html", mode)
    for selector in ("a.edition-noteref", "a.edition-termref"):
        target = page.locator(selector).first
        page.focus("#p-1 a.edition-pn")
        for _ in range(15):  # reach it with the keyboard
            page.keyboard.press("Tab")
            if page.evaluate("(s) => document.activeElement.matches(s)", selector):
                break
        assert page.evaluate("(s) => document.activeElement.matches(s)", selector), selector
        outline = page.evaluate(
            "() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth]; }"
        )
        assert outline[0] != "none" and float(outline[1].rstrip("px")) >= 2, (selector, outline)
        assert page.locator("#edition-popover").is_visible()
        assert serious_violations(page, axe) == [], selector  # the open popover included
        page.keyboard.press("Escape")
        assert target.count()


@pytest.mark.slow  # Java
def test_nu_html_checker_finds_no_error(html_build):
    require_tool("java", "the Nu HTML Checker runs on Java")
    vnu = node_tool("vnu-jar/build/dist/vnu.jar", "HTML validation")
    pages = [str(html_build / p) for p in PAGES]
    result = subprocess.run(["java", "-jar", str(vnu), "--errors-only", "--format", "text", *pages],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
