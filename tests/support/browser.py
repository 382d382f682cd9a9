"""Pages in Chromium for the tests: themed pages and axe-core's verdict on them.

Every context opened here is closed after the test by conftest's
_close_browser_contexts, like any other.
"""

from __future__ import annotations


def open_page(chromium, html_build, path, mode):
    context = chromium.new_context(viewport={"width": 1400, "height": 900})
    # pydata-sphinx-theme reads the reader's choice from localStorage.
    context.add_init_script(f"localStorage.setItem('theme', '{mode}'); localStorage.setItem('mode', '{mode}');")
    page = context.new_page()
    page.goto((html_build / path).as_uri())
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.dataset.theme") == mode
    return page


def serious_violations(page, axe) -> list[str]:
    page.add_script_tag(path=str(axe))
    found = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
            .filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))"""
    )
    return found
