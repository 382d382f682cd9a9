"""The edition's HTML translators.

Registered for every HTML builder, so that the theme (pydata-sphinx-theme
wraps each registered translator with its own mixin) treats them all alike.

* Sidebar captions of tables of contents get ``aria-level``: Sphinx writes
  ``role="heading"`` without it, which the Nu HTML Checker reports.
* EPUB 3 footnotes: note references and notes are marked with ``epub:type``
  so that reading systems show notes as pop-ups and keep them out of the
  reading flow.
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.writers.html5 import HTML5Translator

HTML_BUILDERS = ("html", "dirhtml", "singlehtml")


class EditionHTMLTranslator(HTML5Translator):
    def visit_title(self, node: nodes.Element) -> None:
        super().visit_title(node)
        if isinstance(node.parent, addnodes.compact_paragraph) and node.parent.get("toctree"):
            index = max(i for i, part in enumerate(self.body) if part.startswith("<p "))
            self.body[index] = self.body[index].replace('role="heading"', 'role="heading" aria-level="2"', 1)


class EpubTranslator(EditionHTMLTranslator):
    def visit_footnote_reference(self, node: nodes.Element) -> None:
        super().visit_footnote_reference(node)
        # The opening <a> is the last tag before the bracket span.
        index = max(i for i, part in enumerate(self.body) if part.startswith("<a "))
        self.body[index] = self.body[index].replace("<a ", '<a epub:type="noteref" ', 1)

    def visit_footnote(self, node: nodes.Element) -> None:
        super().visit_footnote(node)
        self.body[-1] = self.body[-1].replace("<aside ", '<aside epub:type="footnote" ', 1)


def make_epub_reproducible(app, exception) -> None:
    """Rewrite the EPUB with fixed entry times: Sphinx zips files with their
    modification times, so two builds of the same sources would differ."""
    import os
    import time
    import zipfile

    if exception is not None or not app.builder.name.startswith("epub"):
        return
    book = app.outdir / f"{app.config.epub_basename}.epub"
    if not book.exists():
        return
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "315532800"))  # 1980-01-01, zip's earliest
    stamp = time.gmtime(max(epoch, 315532800))[:6]
    with zipfile.ZipFile(book) as source:
        entries = [(info.filename, info.compress_type, source.read(info.filename)) for info in source.infolist()]
    temporary = book.with_suffix(".epub.tmp")
    with zipfile.ZipFile(temporary, "w") as target:
        for name, compression, data in entries:  # mimetype stays first and stored
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = compression
            info.external_attr = 0o644 << 16
            info.create_system = 3
            target.writestr(info, data)
    os.replace(temporary, book)
