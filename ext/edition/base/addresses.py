"""The edition's own address: one rule for every place that takes it (the
commands' --base-url, CITATION.cff's url, and so the build's html_baseurl)."""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

from .errors import EditionError


def normalise_base(url: str) -> str:
    return url if url.endswith("/") else url + "/"


def site_address(url: str, where: str) -> str:
    """*url* as the edition's base address (ending in ``/``), or an error saying what is wrong.

    Every annotation id and page address is this plus a path: it must be an
    absolute http(s) address of a folder, with no query, fragment, spaces or
    control characters, which would end up inside every id."""
    problem = ""
    if not isinstance(url, str) or not url:
        problem = "it is empty"
    elif url != url.strip() or any(c.isspace() or unicodedata.category(c)[0] == "C" for c in url):
        problem = "it holds spaces or control characters"
    else:
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https"):
            problem = "it is not an absolute http(s) address"
        elif not parts.hostname:
            problem = "it names no host"
        elif parts.query or "?" in url:
            problem = "it has a query (?…), which would end up inside every id"
        elif parts.fragment or "#" in url:
            problem = "it has a fragment (#…), which would end up inside every id"
        elif parts.username or parts.password:
            problem = "it holds a user name or password"
        else:
            try:
                parts.port
            except ValueError:
                problem = "its port is not a number"
    if problem:
        shown = url[:100] if isinstance(url, str) else repr(url)
        raise EditionError(
            f"{where} {shown!r} cannot be the edition's address: {problem}; give the absolute "
            "address where the HTML edition is published, e.g. https://example.org/edition/",
        )
    return normalise_base(url)
