"""Docutils nodes of the edition, shared by the plain-docutils and Sphinx parses."""

from __future__ import annotations

from docutils import nodes

#: Class given to everything the edition adds around a text (numbers, notes,
#: source boxes). Tests strip it to recover the reading text; it also keeps
#: the apparatus out of paragraph numbering.
APPARATUS = "edition-apparatus"


#: Class of the title block (subtitle, issue line) that replaces a text header:
#: part of the text, but not numbered among its paragraphs.
TITLE_BLOCK = "edition-text-header"


class text_header(nodes.General, nodes.Element):
    """Placeholder for a text's title block and source box, filled from front matter."""


class paragraph_number(nodes.Inline, nodes.Element):
    """A paragraph's ¶ number: rendered in the margin, never part of the text's characters."""


def is_apparatus(node: nodes.Node) -> bool:
    """True if *node* is, or sits inside, apparatus, front matter or the title block."""
    while node is not None:
        # docinfo holds the front matter until Sphinx strips it after reading.
        if isinstance(node, (text_header, paragraph_number, nodes.docinfo)):
            return True
        if isinstance(node, nodes.Element):
            classes = node.get("classes", ())  # asked of every node of every text: no set made
            if APPARATUS in classes or TITLE_BLOCK in classes:
                return True
        node = node.parent
    return False


def paragraph_number_of(node: nodes.Element) -> int | None:
    """The ¶ number the build gave *node* (a paragraph), if any."""
    for child in node.children:
        if isinstance(child, paragraph_number):
            return child["number"]
    return None


def adopt(parent: nodes.Element, *children: nodes.Node) -> nodes.Element:
    """``parent += child`` for a *parent* made by the caller and not yet in a document,
    with the same result (the children's parent set, nothing else: a detached node has
    no document to give them). docutils' own ``append`` looks for the document through
    the parents and, at the detached top, raises and catches an AttributeError for each
    child: a cost that showed in every text's links and every register page's lists."""
    for child in children:
        child.parent = parent
    parent.children.extend(children)
    return parent


def text_element(cls: type[nodes.TextElement], text: str, **attributes) -> nodes.TextElement:
    """``cls(text, text, **attributes)``, built with :func:`adopt` (a node not yet in a document)."""
    return adopt(cls(text, **attributes), nodes.Text(text))
