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
import uuid

from docutils import nodes
from sphinx.builders import epub3
from sphinx.builders.epub3 import HTML_TAG, Epub3Builder
from sphinx.util import logging

from ...formats.citation import is_placeholder_name
from ..transforms.citing import edition_of
from ..registers.indices import RegisterIndex
from ..state.records import edition_domain
from .indices import book_index_html

logger = logging.getLogger(__name__)

ACCESS_MODES = ("textual",)
ACCESS_MODES_SUFFICIENT = ("textual",)
FEATURES = ("structuralNavigation", "tableOfContents", "index", "readingOrder", "annotations",
            "displayTransformability")
HAZARDS = ("none",)
#: Checked by the test suite (DAISY Ace, axe-core, epubcheck); the publisher
#: (``epub_publisher``, the edition itself unless conf.py names another) states it:
#: EPUB Accessibility 1.1 lets a publisher certify its own publication.
CONFORMANCE = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"
SUMMARY = (
    "Text only: no images, audio or video. The texts are reproduced verbatim, each marked with its "
    "language; the notes are linked footnotes, the glossary terms, persons and works are linked to "
    "their entries, and the book has a table of contents, headings in order and indices."
)


def accessibility_metadata(certifier: str) -> str:
    """The ``<meta>`` elements to add to the package's ``<metadata>``; *certifier*
    is who states the conformance (never empty: see :func:`validate_package_config`)."""
    rows = [("schema:accessMode", v) for v in ACCESS_MODES]
    rows += [("schema:accessModeSufficient", v) for v in ACCESS_MODES_SUFFICIENT]
    rows += [("schema:accessibilityFeature", v) for v in FEATURES]
    rows += [("schema:accessibilityHazard", v) for v in HAZARDS]
    rows += [("schema:accessibilitySummary", SUMMARY), ("dcterms:conformsTo", CONFORMANCE),
             ("a11y:certifiedBy", certifier)]
    return "".join(f'    <meta property="{name}">{html.escape(value, quote=False)}</meta>\n' for name, value in rows)


#: What Sphinx writes where conf.py sets no value.
PLACEHOLDER = "unknown"


def edition_identifier(config) -> str:
    """A ``urn:uuid`` that stays the same from build to build: derived from the
    edition's canonical address (CITATION.cff ``url``), else its repository,
    else its title."""
    edition = edition_of(config)
    key = edition.url or edition.repository or f"title:{edition.title}"
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, key)}"


def set_identifier(app, config) -> None:
    """config-inited: a stable identifier when conf.py sets none (Sphinx's is "unknown")."""
    if not config.epub_identifier or config.epub_identifier == PLACEHOLDER:
        config.epub_identifier = edition_identifier(config)
        config.epub_scheme = "uuid"
    if config.epub_uid == PLACEHOLDER:
        config.epub_uid = "edition-id"


def _unnamed(value: str) -> bool:
    """Nobody: empty, Sphinx's "unknown", or a placeholder such as "The editors"."""
    return not value.strip() or value == PLACEHOLDER or is_placeholder_name(value)


def set_agents(app, config) -> None:
    """config-inited: the package's creator and publisher from CITATION.cff where conf.py
    names nobody. The creators are the editors CITATION.cff names, or none (EPUB 3 needs
    no dc:creator; a placeholder is worse than nothing). The publisher is the edition
    itself, by its title: a true name, and the one that certifies its accessibility."""
    edition = edition_of(config)
    if _unnamed(config.epub_author):
        config.epub_author = ", ".join(edition.editors)
    if _unnamed(config.epub_publisher):
        config.epub_publisher = edition.title or config.epub_title


def validate_package_config(app) -> None:
    """builder-inited, in place of Sphinx's check: what EPUB 3 requires of the package
    and what the edition states (its publisher certifies its accessibility). Sphinx's
    also asks for a creator, a contributor and a version, which EPUB 3 does not require
    and an edition may truthfully lack (no editor named yet, no release yet): the
    package then leaves them out (:meth:`AccessibleEpub3Builder.build_content`)."""
    if app.builder.name != "epub":
        return
    config = app.config
    required = {"epub_language": "(or \"language\") the book's language",
                "epub_title": "(or \"html_title\") the book's title",
                "epub_identifier": "the book's identifier",
                "epub_publisher": "who publishes the book and certifies its accessibility",
                "epub_copyright": "(or \"copyright\") the book's rights statement"}
    for name, what in required.items():
        if not str(getattr(config, name) or "").strip():
            logger.warning(f'conf value "{name}" {what}: should not be empty for EPUB 3')
    if not epub3._XML_NAME_PATTERN.match(config.epub_uid):
        logger.warning('conf value "epub_uid" should be an XML name for EPUB 3')


def replace_sphinx_check(app) -> None:
    """Disconnect Sphinx's EPUB 3 config check (validate_package_config takes its place)."""
    for listener in list(app.events.listeners.get("builder-inited", ())):
        if listener.handler is epub3.validate_config_values:
            app.disconnect(listener.id)
    app.connect("builder-inited", validate_package_config)


def _language(node: nodes.Node | None) -> str:
    """The language *node* is marked with, or its nearest ancestor's, or ""."""
    while node is not None:
        for cls in node.get("classes", ()) if isinstance(node, nodes.Element) else ():
            if cls.startswith("language-"):
                return cls.removeprefix("language-")
        node = node.parent
    return ""


class AccessibleEpub3Builder(Epub3Builder):
    def init(self) -> None:
        super().init()
        lang = html.escape(self.config.epub_language or self.config.language or "en", quote=True)
        self.html_tag = HTML_TAG[:-1] + f' lang="{lang}" xml:lang="{lang}">'
        self.title_languages: dict[str, str] = {}
        self._read_trees: dict[str, nodes.document] = {}

    def get_refnodes(self, doctree, result):
        """Sphinx's, with the titles as they are (Sphinx "educates" their quotation
        marks, which would change a text's headings) and each title's language noted."""
        size = len(result)
        result = super().get_refnodes(doctree, result)  # recurses through this method
        if isinstance(doctree, nodes.reference) and len(result) > size:
            result[-1]["text"] = html.escape(doctree.astext())
            lang = self._entry_language(doctree["refuri"])
            if lang:
                self.title_languages[result[-1]["refuri"]] = lang
        return result

    def _entry_language(self, refuri: str) -> str:
        """The language of the section an entry points to (a text's, or the
        apparatus' within it), from the document as read."""
        page, _, anchor = refuri.partition("#")
        docname = page.removesuffix(self.out_suffix)
        if docname not in self.env.all_docs:
            return ""
        if docname not in self._read_trees:
            self._read_trees[docname] = self.env.get_doctree(docname)
        tree = self._read_trees[docname]
        node = tree.ids.get(anchor) if anchor else next(tree.findall(nodes.section), None)
        return _language(node)

    def write_domain_indices(self) -> None:
        """The indices of persons and works as a book's index (epub_indices);
        any other domain index as Sphinx writes it."""
        others = []
        for name, index_cls, content, collapse in self.domain_indices:
            if not issubclass(index_cls, RegisterIndex):
                others.append((name, index_cls, content, collapse))
                continue
            index = index_cls(edition_domain(self.env))

            def uri(docname, anchor, page=name):
                target = self.get_relative_uri(page, docname)
                return f"{target}#{anchor}" if anchor else target

            body = book_index_html(index, uri)
            self.handle_page(name, {"title": index_cls.localname, "body": body}, "page.html")
        self.domain_indices, kept = others, self.domain_indices
        try:
            super().write_domain_indices()
        finally:
            self.domain_indices = kept

    def _with_indices(self, refnodes: list[dict]) -> list[dict]:
        """The table of contents' entries, then the indices, which no toctree can list
        (kept out of self.refnodes, which also make the spine: they are in it already)."""
        indices = [{"level": 1, "refuri": html.escape(name + self.out_suffix), "text": html.escape(cls.localname)}
                   for name, cls, content, _ in self.domain_indices if content]
        return [*refnodes, *indices]

    def build_navlist(self, navnodes):
        return super().build_navlist(self._with_indices(navnodes))

    def build_navpoints(self, nodes):
        return super().build_navpoints(self._with_indices(nodes))

    def toc_metadata(self, level, navpoints):
        # The NCX names the book by its identifier (Sphinx writes epub_uid, the XML id).
        return {**super().toc_metadata(level, navpoints), "uid": html.escape(self.config.epub_identifier)}

    def build_content(self) -> None:
        super().build_content()
        opf = self.outdir / "content.opf"
        content = opf.read_text(encoding="utf-8")
        # No placeholder in the metadata: Sphinx writes "unknown" for what conf.py leaves
        # unset, and an empty element where the edition knows nothing (no editor named,
        # no version before the first release); EPUB 3 requires none of these.
        content = re.sub(rf"\s*<dc:(contributor|publisher|creator)>(?:{PLACEHOLDER})?</dc:\1>", "", content)
        content = re.sub(r'\s*<meta property="ibooks:version"></meta>', "", content)
        # The one who states the conformance: the publisher, the edition itself.
        content = content.replace("  </metadata>", accessibility_metadata(self.config.epub_publisher)
                                  + "  </metadata>", 1)
        opf.write_text(content, encoding="utf-8")

    def build_navigation_doc(self) -> None:
        super().build_navigation_doc()
        nav = self.outdir / "nav.xhtml"
        content = nav.read_text(encoding="utf-8")
        content = re.sub(r'<nav epub:type="toc"(?![^>]*role=)', '<nav epub:type="toc" role="doc-toc"', content,
                         count=1)
        # Each entry's title in its own language (a text's title and headings).
        for refuri, lang in self.title_languages.items():
            code = html.escape(lang, quote=True)
            content = content.replace(f'<a href="{refuri}">', f'<a href="{refuri}" lang="{code}" xml:lang="{code}">')
        nav.write_text(content, encoding="utf-8")
