"""An accessible EPUB: EPUB Accessibility 1.1 metadata, and what DAISY Ace asks of the pages.

Sphinx's EPUB 3 builder writes none of the accessibility metadata a reading
system or a library catalogue looks for, no language on the pages' ``<html>``
element, and a table of contents without its ARIA role. This builder is
Sphinx's own with those three additions; the texts' sections keep their own
``lang`` (``ko``, ``ru``) inside the pages.

The metadata describes the edition as the build makes it, for every text:
text only (no images, audio or video), a table of contents, headings, an index,
notes, a reading order; nothing that flashes, no sound, no motion.
"""

from __future__ import annotations

import html
import re

from sphinx.builders.epub3 import HTML_TAG, Epub3Builder

ACCESS_MODES = ("textual",)
ACCESS_MODES_SUFFICIENT = ("textual",)
FEATURES = ("structuralNavigation", "tableOfContents", "index", "readingOrder", "annotations",
            "displayTransformability")
HAZARDS = ("none",)
#: Checked by the test suite (DAISY Ace, axe-core, epubcheck); the publisher
#: (``epub_publisher``) is named as the one who states it.
CONFORMANCE = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"
SUMMARY = (
    "Text only: no images, audio or video. The texts are reproduced verbatim, each marked with its "
    "language; the notes are linked footnotes, the glossary terms, persons and works are linked to "
    "their entries, and the book has a table of contents, headings in order and indices."
)


def accessibility_metadata(certifier: str) -> str:
    """The ``<meta>`` elements to add to the package's ``<metadata>``."""
    rows = [("schema:accessMode", v) for v in ACCESS_MODES]
    rows += [("schema:accessModeSufficient", v) for v in ACCESS_MODES_SUFFICIENT]
    rows += [("schema:accessibilityFeature", v) for v in FEATURES]
    rows += [("schema:accessibilityHazard", v) for v in HAZARDS]
    rows += [("schema:accessibilitySummary", SUMMARY), ("dcterms:conformsTo", CONFORMANCE),
             ("a11y:certifiedBy", certifier)]
    return "".join(f'    <meta property="{name}">{html.escape(value, quote=False)}</meta>\n' for name, value in rows)


class AccessibleEpub3Builder(Epub3Builder):
    def init(self) -> None:
        super().init()
        lang = html.escape(self.config.epub_language or self.config.language or "en", quote=True)
        self.html_tag = HTML_TAG[:-1] + f' lang="{lang}" xml:lang="{lang}">'

    def build_content(self) -> None:
        super().build_content()
        opf = self.outdir / "content.opf"
        content = opf.read_text(encoding="utf-8")
        certifier = self.config.epub_publisher or self.config.epub_author or "unknown"
        content = content.replace("  </metadata>", accessibility_metadata(certifier) + "  </metadata>", 1)
        opf.write_text(content, encoding="utf-8")

    def build_navigation_doc(self) -> None:
        super().build_navigation_doc()
        nav = self.outdir / "nav.xhtml"
        content = nav.read_text(encoding="utf-8")
        nav.write_text(re.sub(r'<nav epub:type="toc"(?![^>]*role=)', '<nav epub:type="toc" role="doc-toc"',
                              content, count=1), encoding="utf-8")
