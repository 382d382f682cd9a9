"""The search page in the tests: the built site served over http, and its results.

Also the premises about the texts that the search tests share (checked
against the built pages in tests/test_search.py).
"""

from __future__ import annotations

import http.server
from urllib.parse import urlsplit

GLOSSARY_DOC = "glossary"

#: Words that stand in the Korean text only with particles attached (checked
#: in tests/test_search.py against the built page): two-syllable ones, which
#: Sphinx's default search cannot find at all, and longer ones.
KO_PARTICLE_ONLY = ["노선", "입장", "블럭", "멘셰비키", "스탈린주의자"]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the built site without logging every request to the test output."""

    def log_message(self, format, *args):  # noqa: A002 - the stdlib's name
        pass


def result_docs(page, site) -> list[str]:
    hrefs = page.eval_on_selector_all(
        "#search-results ul.search > li > a", "links => links.map(a => a.href)")
    docs = []
    for href in hrefs:
        assert href.startswith(site), href
        docs.append(urlsplit(href).path[len(urlsplit(site).path):].removesuffix(".html"))
    return docs
