"""The print edition as a book: front matter, the texts, back matter.

Sphinx typesets the home page's toctrees where they stand: the texts and the
registers became sections of the chapter holding the (hidden) toctrees, and
the contents page took the first toctree's caption as its heading. This
builder arranges the assembled tree as a reader expects a book:

* front matter (roman page numbers): title page, a contents page headed
  "Contents", then the home page's own content as the introduction, one
  chapter (the editorial principles, the list of texts);
* the texts, each a chapter (so a top-level bookmark and entry of the
  contents, and the running head of its pages), in the order of the home
  page's toctree, which is the edition's order;
* back matter: every other document of the toctrees (glossary, registers),
  then the home page's sections that end the book ("How to cite", marked
  by what they hold, see :data:`BACK_MATTER_CLASSES`), then the indices.

Which document is a text is read from its front matter (``edition-text``):
nothing here names a text or a register. Headings are not numbered (the
texts are known by their titles); the preamble in ``conf.py`` sets the
running heads, page numbering and the contents' depth.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.builders.latex import LaTeXBuilder
from sphinx.util.fileutil import copy_asset_file

from ...reading.texts import TEXT_ID_KEY

#: The package that typesets the arrangement (page numbers, running heads, breaks).
PACKAGE = Path(__file__).parents[2] / "texinputs" / "editionbook.sty"

#: The chapter holding the home page's content in print.
INTRODUCTION = "Introduction"
#: A home-page section holding one of these goes to the back matter.
BACK_MATTER_CLASSES = ("edition-how-to-cite",)


def _raw(tex: str) -> nodes.raw:
    return nodes.raw("", f"\n{tex}\n", format="latex")


def _included(root: nodes.Element) -> list[addnodes.start_of_file]:
    """The documents the root's toctrees include, in toctree order (not those
    they include in turn)."""
    found = []
    for node in root.findall(addnodes.start_of_file):
        parent = node.parent
        while parent is not None and not isinstance(parent, addnodes.start_of_file):
            parent = parent.parent
        if parent is None:
            found.append(node)
    return found


def _is_back_matter(section: nodes.Node) -> bool:
    return isinstance(section, nodes.section) and any(
        cls in node.get("classes", ()) for node in section.findall(nodes.Element) for cls in BACK_MATTER_CLASSES
    )


def arrange_book(tree: nodes.document, is_text) -> None:
    """Rearrange the assembled print tree (see the module's docstring).
    *is_text* tells a text's docname from any other's."""
    root = next((c for c in tree.children if isinstance(c, nodes.section)), None)
    if root is None or not root.children or not isinstance(root[0], nodes.title):
        return
    included = _included(root)
    for node in included:
        wrapper = node.parent
        wrapper.remove(node)
        # The toctree's wrapper, now empty, would leave a blank paragraph.
        if isinstance(wrapper, nodes.compound) and not wrapper.children and wrapper.parent is not None:
            wrapper.parent.remove(wrapper)
    texts = [node for node in included if is_text(node["docname"])]
    apparatus = [node for node in included if not is_text(node["docname"])]

    title, body = root[0], list(root.children[1:])
    closing = [node for node in body if _is_back_matter(node)]
    introduction = nodes.section("", ids=["edition-introduction"], classes=["edition-introduction"])
    introduction += nodes.title(INTRODUCTION, INTRODUCTION)
    introduction.extend(node for node in body if node not in closing)

    root.clear()
    root += title
    if len(introduction) > 1:
        root += introduction
    root += _raw(r"\edmainmatter")
    root.extend(texts)
    root += _raw(r"\edbackmatter")
    root.extend(apparatus)
    root.extend(closing)


class BookLaTeXBuilder(LaTeXBuilder):
    """Sphinx's LaTeX builder with the book's arrangement."""

    def copy_support_files(self) -> None:
        super().copy_support_files()
        copy_asset_file(PACKAGE, self.outdir, force=True)

    def get_contentsname(self, indexfile: str) -> str:
        # Not the first toctree's caption: the class's own "Contents".
        return ""

    def assemble_doctree(self, indexfile: str, toctree_only: bool, appendices: list[str]) -> nodes.document:
        tree = super().assemble_doctree(indexfile, toctree_only, appendices)
        metadata = self.env.metadata
        arrange_book(tree, lambda docname: TEXT_ID_KEY in metadata.get(docname, {}))
        return tree
