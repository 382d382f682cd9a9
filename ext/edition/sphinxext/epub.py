"""EPUB 3 footnotes: mark note references and notes with ``epub:type`` so that
reading systems show notes as pop-ups and keep them out of the reading flow."""

from __future__ import annotations

from docutils import nodes
from sphinx.writers.html5 import HTML5Translator


class EpubTranslator(HTML5Translator):
    def visit_footnote_reference(self, node: nodes.Element) -> None:
        super().visit_footnote_reference(node)
        # The opening <a> is the last tag before the bracket span.
        index = max(i for i, part in enumerate(self.body) if part.startswith("<a "))
        self.body[index] = self.body[index].replace("<a ", '<a epub:type="noteref" ', 1)

    def visit_footnote(self, node: nodes.Element) -> None:
        super().visit_footnote(node)
        self.body[-1] = self.body[-1].replace("<aside ", '<aside epub:type="footnote" ', 1)
