"""The text of a published HTML page as a browser gives it: ``document.body.textContent``.

W3C ``TextPositionSelector`` offsets and ``TextQuoteSelector`` contexts are
claims about the characters of the page a reader (or Hypothesis, or a text
fragment) sees. They are counted here, in the page the build wrote, and not
in a reading text of our own: apparatus (note markers, ¶ numbers, [sic]) is
generated content and has no characters there, so the text's blocks stand in
the page exactly as they read.

``textContent`` is the concatenation of every text node under ``<body>`` in
document order (script and style contents included, comments not, and the
white space after ``</body>``, which the parser moves into the body), after the
HTML parser has decoded character references and dropped the line feed that
directly follows ``<pre>``, ``<textarea>`` and ``<listing>``.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser

#: Classes of the elements that hold a text's anchorable blocks (paragraphs and
#: attribution lines), in document order.
BLOCK_CLASSES = frozenset({"edition-para", "attribution"})
_NEWLINE_DROPPED_AFTER = frozenset({"pre", "textarea", "listing"})


@dataclass(frozen=True)
class PageText:
    """``body.textContent`` of a page, and the spans of its text blocks in it."""

    text: str
    blocks: tuple[tuple[int, int], ...]  # (start, end) of each block element, in order


class _TextContent(HTMLParser):
    # Raw text elements: their content is one text node, markup and all (``noscript``
    # as a browser with scripting parses it, which is how annotation tools see a page).
    CDATA_CONTENT_ELEMENTS = ("script", "style", "noscript", "iframe", "noembed", "noframes", "xmp")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.length = 0
        self.in_body = False
        self.drop_newline = False
        self.open_block: int | None = None
        self.blocks: list[tuple[int, int]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "body":
            self.in_body = True
            return
        self.drop_newline = tag in _NEWLINE_DROPPED_AFTER
        if tag == "p" and self.in_body:
            classes = set((dict(attrs).get("class") or "").split())
            if classes & BLOCK_CLASSES:
                self.open_block = self.length

    def handle_endtag(self, tag):
        self.drop_newline = False
        # After </body> (and </html>) the HTML parser still puts text into the body.
        if tag == "p" and self.open_block is not None:
            self.blocks.append((self.open_block, self.length))
            self.open_block = None

    def handle_data(self, data):
        if self.drop_newline and data.startswith("\n"):
            data = data[1:]
        self.drop_newline = False
        if self.in_body and data:
            data = data.replace("\r\n", "\n").replace("\r", "\n")
            self.parts.append(data)
            self.length += len(data)


def page_text(html: str) -> PageText:
    parser = _TextContent()
    parser.feed(html)
    parser.close()
    return PageText("".join(parser.parts), tuple(parser.blocks))
