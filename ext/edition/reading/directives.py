"""Directives the imported texts use. Plain docutils: they work without Sphinx,
so ``edition check`` and the importer's self-check parse texts exactly as the
build does."""

from __future__ import annotations

from docutils import nodes
from docutils.parsers.rst import Directive, directives

from .nodes import text_header


class AttributionDirective(Directive):
    """The source line under a quotation, kept verbatim.

    The content is taken as plain text, not parsed as Markdown, so a line such
    as ``- 레닌, "…"`` stays exactly as in the source (it would otherwise
    become a list item)."""

    has_content = True

    def run(self) -> list[nodes.Node]:
        text = "\n".join(self.content)
        node = nodes.attribution(text, text, classes=["edition-attribution"])
        node.source, node.line = self.state_machine.get_source_and_line(self.lineno)
        return [node]


class TextHeaderDirective(Directive):
    """Where a text's title block and source box go; filled from front matter."""

    def run(self) -> list[nodes.Node]:
        node = text_header()
        node.source, node.line = self.state_machine.get_source_and_line(self.lineno)
        return [node]


DIRECTIVES = {
    "attribution": AttributionDirective,
    "edition-text-header": TextHeaderDirective,
}


def register_docutils_directives() -> None:
    for name, cls in DIRECTIVES.items():
        directives.register_directive(name, cls)
