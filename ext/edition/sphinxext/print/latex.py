"""Print-only treatment: languages for hyphenation, spaces kept around links,
each source box kept whole with its text, and a register entry's closing
lines kept with it.

Sphinx's LaTeX writer ignores the ``language-xx`` classes that give HTML its
``lang`` attributes, so Russian would be hyphenated with English patterns.
This post-transform switches polyglossia's language wherever the language
changes: ``otherlanguage`` around blocks (the Russian text, the English
source box and notes inside it), ``\\foreignlanguage`` around inline spans.
Korean needs no patterns (Hangul breaks between syllables) and keeps the
English setting. The raw LaTeX inserted here is the extension's own; no
contributed text becomes raw output.
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from ...reading.nodes import APPARATUS
from .. import priorities

#: Edition language codes -> polyglossia language names (others: English rules).
POLYGLOSSIA = {"en": "english", "ru": "russian"}
DEFAULT = "english"
#: The one-line paragraphs that close a glossary or register entry ("See also: …",
#: "Used in: …"): no page break before them, so none is left alone at a page's
#: top or foot, apart from its entry.
CLOSING_LINES = ("edition-related", "edition-used-in")


def _lang(node: nodes.Node) -> str | None:
    if isinstance(node, nodes.Element):
        for cls in node.get("classes", ()):
            if cls.startswith("language-"):
                return cls.removeprefix("language-")
    return None


def _hyphenation(node: nodes.Node) -> str:
    """The polyglossia language in force at *node*."""
    while node is not None:
        lang = _lang(node)
        if lang is not None:
            return POLYGLOSSIA.get(lang, DEFAULT)
        node = node.parent
    return DEFAULT


def _raw(text: str) -> nodes.raw:
    return nodes.raw("", text, format="latex")


def _strip_edge(texts: list[nodes.Text], leading: bool) -> str:
    """Remove the whitespace at one edge of a run of text nodes; return it."""
    removed = ""
    for text in texts if leading else reversed(texts):
        whole = str(text)
        kept = whole.lstrip() if leading else whole.rstrip()
        edge = whole[: len(whole) - len(kept)] if leading else whole[len(kept):]
        removed = removed + edge if leading else edge + removed
        if kept != whole:
            text.parent.replace(text, nodes.Text(kept))
        if kept:
            break
    return removed


def _spaces_outside(reference: nodes.reference) -> None:
    """A link's text never starts or ends with a space in print: hyperref drops a
    space at the start of a link, and xeCJK one at its end before Hangul. A link
    made of pieces (a term interrupted by another link or a note) can have one:
    it goes just outside the link, where it stays a space."""
    texts = list(reference.findall(nodes.Text))
    if not texts or reference.parent is None:
        return
    parent = reference.parent
    leading = _strip_edge(texts, leading=True)
    trailing = _strip_edge(list(reference.findall(nodes.Text)), leading=False)
    if leading:
        parent.insert(parent.index(reference), nodes.Text(leading))
    if trailing:
        parent.insert(parent.index(reference) + 1, nodes.Text(trailing))


class LatexLanguages(SphinxPostTransform):
    default_priority = priorities.LATEX_LANGUAGES
    builders = ("latex",)

    def run(self, **kwargs) -> None:
        for reference in list(self.document.findall(nodes.reference)):
            _spaces_outside(reference)
        # Terms go into the back-of-book index, with the pages of their paragraphs.
        for block in list(self.document.findall(nodes.Element)):
            if block.get("edition-index"):
                entries = [("single", name, "", "", None) for name in block["edition-index"]]
                block.insert(0, addnodes.index(entries=entries, inline=True))
        # Footnotes (the notes) are English wherever they stand.
        for footnote in self.document.findall(nodes.footnote):
            if _lang(footnote) is None:
                footnote["classes"].append("language-en")
        for node in list(self.document.findall(nodes.Element)):
            lang = _lang(node)
            if lang is None:
                continue
            name = POLYGLOSSIA.get(lang, DEFAULT)
            if name == _hyphenation(node.parent):
                continue
            if isinstance(node, nodes.Inline):
                node.insert(0, _raw(rf"\foreignlanguage{{{name}}}{{"))
                node.append(_raw("}"))
                continue
            paragraphs = [c for c in node.children if isinstance(c, nodes.paragraph)]
            if isinstance(node, nodes.footnote) and paragraphs:
                # Inside the paragraphs, so the number stays on the note's first line.
                paragraphs[0].insert(0, _raw(rf"\begin{{otherlanguage}}{{{name}}}"))
                paragraphs[-1].append(_raw(r"\end{otherlanguage}"))
                continue
            start = 1 if node.children and isinstance(node[0], (nodes.title, nodes.label)) else 0
            node.insert(start, _raw(f"\n\\begin{{otherlanguage}}{{{name}}}\n"))
            node.append(_raw("\n\\end{otherlanguage}\n"))
        # A text's source box stays whole, on the page where its text begins: no
        # break inside it (between its lines or fields) nor between it and the
        # text's first lines (a chapter opens a page, so the box is near its top).
        for box in list(self.document.findall(nodes.container)):
            if "edition-source" in box["classes"] and APPARATUS in box["classes"]:
                box.insert(0, _raw("\n\\begingroup\\edkeeptogether\n"))
                box.append(_raw("\n\\endgroup\\nopagebreak\\medskip\\nopagebreak\n"))


def keep_closing_lines(app, doctree: nodes.document, docname: str) -> None:
    """doctree-resolved, after the "Used in" lists are filled in (priorities.AFTER_USED_IN): in
    print, no page break before an entry's closing lines (CLOSING_LINES)."""
    if app.builder.format != "latex":
        return
    for paragraph in list(doctree.findall(nodes.paragraph)):
        if paragraph.parent is not None and any(c in paragraph["classes"] for c in CLOSING_LINES):
            paragraph.parent.insert(paragraph.parent.index(paragraph), _raw("\n\\par\\nopagebreak\n"))
