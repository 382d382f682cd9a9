"""The edition's HTML translators.

Registered for every HTML builder, so that the theme (pydata-sphinx-theme
wraps each registered translator with its own mixin) treats them all alike.

* Sidebar captions of tables of contents get ``aria-level``: Sphinx writes
  ``role="heading"`` without it, which the Nu HTML Checker reports.
* Apparatus is not text: note markers, ``[sic]`` and heading permalinks are
  empty links/spans whose visible label is CSS generated content from a data
  attribute (``edition.css``), named for assistive technology by
  ``aria-label``. The page's ``textContent`` is then the reading text itself:
  copying a passage, a text fragment or a W3C selector sees only the text's
  own characters.
* EPUB 3 footnotes: note references and notes are marked with ``epub:type``
  so that reading systems show notes as pop-ups and keep them out of the
  reading flow. Reading systems apply generated content unreliably, so the
  EPUB keeps its markers as text (inside a real ``noteref`` link).
"""

from __future__ import annotations

import html
import os
import time
import zipfile

from docutils import nodes
from sphinx import addnodes
from sphinx.writers.html5 import HTML5Translator

from ...model.annotations import NOTE_KINDS
from ...base.files import atomic_file

#: The HTML builders whose pages the edition's translator writes (EPUB has its own, below).
EDITION_TRANSLATOR_BUILDERS = ("html", "dirhtml", "singlehtml")


#: Accessible names of the note markers, by the note's kind.
MARKER_NAMES = {name: kind.marker for name, kind in NOTE_KINDS.items()}


def _is_marker(node: nodes.Node) -> bool:
    return isinstance(node, nodes.footnote_reference) and "edition-noteref" in node.get("classes", ())


def _follows_marker(node: nodes.Node) -> bool:
    """True if another marker stands right before *node*, with no text between
    (the two are then set apart, "6,7", rather than read as "67")."""
    previous = node.previous_sibling() if node.parent is not None else None
    return previous is not None and _is_marker(previous)


class EditionHTMLTranslator(HTML5Translator):
    def visit_footnote_reference(self, node: nodes.Element) -> None:
        if not _is_marker(node):
            return super().visit_footnote_reference(node)
        number = node.astext()
        kind = next((c.removeprefix("edition-noteref-") for c in node["classes"] if c.startswith("edition-noteref-")), "")
        classes = "footnote-reference" + (" edition-noteref-next" if _follows_marker(node) else "")
        self.body.append(
            self.starttag(
                node, "a", suffix="", CLASS=classes, role="doc-noteref",
                href="#" + node["refid"], **{"data-note": number, "aria-label": f"{MARKER_NAMES.get(kind, NOTE_KINDS['editorial'].marker)} {number}"},
            )
            + "</a>"
        )
        raise nodes.SkipNode

    def visit_inline(self, node: nodes.Element) -> None:
        if "edition-sic" not in node.get("classes", ()):
            return super().visit_inline(node)
        label = node.astext()
        self.body.append(self.starttag(node, "span", suffix="", **{"data-label": label}) + "</span>")
        raise nodes.SkipNode

    def add_permalink_ref(self, node: nodes.Element, title: str) -> None:
        # The icon as generated content: a heading's text is its own words only.
        icon = self.config.html_permalinks_icon
        if "<" in icon:  # markup (an icon font): it has no characters of its own
            return super().add_permalink_ref(node, title)
        if node["ids"] and self.config.html_permalinks and self.builder.add_permalinks:
            title = html.escape(title)
            self.body.append(
                f'<a class="headerlink" href="#{node["ids"][0]}" title="{title}" aria-label="{title}" '
                f'data-icon="{html.escape(html.unescape(icon))}"></a>'
            )

    def visit_title(self, node: nodes.Element) -> None:
        super().visit_title(node)
        if isinstance(node.parent, addnodes.compact_paragraph) and node.parent.get("toctree"):
            index = max(i for i, part in enumerate(self.body) if part.startswith("<p "))
            self.body[index] = self.body[index].replace('role="heading"', 'role="heading" aria-level="2"', 1)


class EpubTranslator(EditionHTMLTranslator):
    visit_inline = HTML5Translator.visit_inline
    add_permalink_ref = HTML5Translator.add_permalink_ref

    def visit_footnote_reference(self, node: nodes.Element) -> None:
        HTML5Translator.visit_footnote_reference(self, node)
        # The opening <a> is the last tag before the bracket span.
        index = max(i for i, part in enumerate(self.body) if part.startswith("<a "))
        self.body[index] = self.body[index].replace("<a ", '<a epub:type="noteref" ', 1)

    def visit_footnote(self, node: nodes.Element) -> None:
        super().visit_footnote(node)
        self.body[-1] = self.body[-1].replace("<aside ", '<aside epub:type="footnote" ', 1)


def make_epub_reproducible(app, exception) -> None:
    """Rewrite the EPUB with fixed entry times: Sphinx zips files with their
    modification times, so two builds of the same sources would differ."""
    if exception is not None or not app.builder.name.startswith("epub"):
        return
    book = app.outdir / f"{app.config.epub_basename}.epub"
    if not book.exists():
        return
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "315532800"))  # 1980-01-01, zip's earliest
    stamp = time.gmtime(max(epoch, 315532800))[:6]
    with zipfile.ZipFile(book) as source:
        entries = [(info.filename, info.compress_type, source.read(info.filename)) for info in source.infolist()]
    with atomic_file(book, binary=True) as handle, zipfile.ZipFile(handle, "w") as target:
        for name, compression, data in entries:  # mimetype stays first and stored
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = compression
            info.external_attr = 0o644 << 16
            info.create_system = 3
            target.writestr(info, data)
