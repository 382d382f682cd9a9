"""nodes.adopt and nodes.text_element build the same trees as docutils' own ``+=`` on
nodes not yet in a document (the links, notes and register lists are built so):
the same structure, parents, source and line, before and after the tree joins a
document."""

from __future__ import annotations

from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.utils import new_document

from edition.reading.nodes import adopt, text_element


def document() -> nodes.document:
    doc = new_document("<made-up>", get_default_settings(Parser))
    doc.current_source, doc.current_line = "made-up.md", 7
    return doc


def with_docutils() -> nodes.Element:
    item = nodes.paragraph()
    item += nodes.reference("", "", nodes.inline("Пётр", "Пётр", classes=["language-ru"]), refuri="a.html")
    item += nodes.Text(" ¶")
    item += nodes.reference("3–5", "3–5", refuri="a.html#p-3", internal=True)
    listing = nodes.bullet_list()
    listing += nodes.list_item("", item)
    container = nodes.container(classes=["edition-used-in"])
    container += nodes.emphasis("Used in: ", "Used in: ")
    container += listing
    return container


def with_adopt() -> nodes.Element:
    item = nodes.paragraph()
    adopt(item, adopt(nodes.reference("", refuri="a.html"), text_element(nodes.inline, "Пётр", classes=["language-ru"])))
    adopt(item, nodes.Text(" ¶"), text_element(nodes.reference, "3–5", refuri="a.html#p-3", internal=True))
    listing = adopt(nodes.bullet_list(), adopt(nodes.list_item(""), item))
    return adopt(nodes.container(classes=["edition-used-in"]), text_element(nodes.emphasis, "Used in: "), listing)


def shape(node: nodes.Node) -> list:
    """Everything docutils keeps of each node: class, attributes, raw source, text, parent, source, line."""
    found = []
    for descendant in node.findall():
        found.append((
            type(descendant).__name__,
            dict(descendant.attributes) if isinstance(descendant, nodes.Element) else str(descendant),
            getattr(descendant, "rawsource", None),
            descendant.source, descendant.line,
            type(descendant.parent).__name__ if descendant.parent is not None else None,
            descendant.parent is None or any(child is descendant for child in descendant.parent.children),
        ))
    return found


def test_adopt_builds_what_docutils_builds():
    ours, theirs = with_adopt(), with_docutils()
    assert shape(ours) == shape(theirs)
    assert ours.pformat() == theirs.pformat()


def test_the_same_once_on_a_page():
    trees = []
    for build in (with_adopt, with_docutils):
        doc = document()
        section = nodes.section()
        doc += section
        section += build()
        trees.append((shape(doc), doc.pformat(), [n.document is doc for n in doc.findall()]))
    assert trees[0] == trees[1]
    assert all(trees[0][2])
